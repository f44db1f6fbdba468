// A small Go text/template renderer for tests: the subset External Secrets templates here use (engine
// v2 semantics: values are strings, a missing key is an error, sprig functions). Actions: `{{ pipeline }}`,
// `{{ if pipeline }}`, `{{ range $v := pipeline }}`, `{{ end }}`, trim markers `{{-`/`-}}`. Pipelines:
// `.key`, `$var` or "string" followed by `| fn args...`, or `fn args...`. Functions: trim, splitList,
// quote, b64enc, empty, default, fail. Anything else throws, so a template outside the subset is noticed.

type Value = string | string[] | boolean;
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: string }
  | { kind: 'if'; pipe: string; body: Node[] }
  | { kind: 'range'; variable: string; pipe: string; body: Node[] };

export class TemplateError extends Error {}

function lex(src: string): Array<{ text: string } | { action: string }> {
  const out: Array<{ text: string } | { action: string }> = [];
  let pos = 0;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    if (open < 0) {
      out.push({ text: src.slice(pos) });
      break;
    }
    let text = src.slice(pos, open);
    const close = src.indexOf('}}', open);
    if (close < 0) throw new TemplateError(`unclosed action at ${open}`);
    let inner = src.slice(open + 2, close);
    pos = close + 2;
    if (inner.startsWith('- ')) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    if (inner.endsWith(' -')) {
      inner = inner.slice(0, -1);
      const m = /^\s*/.exec(src.slice(pos))!;
      pos += m[0].length;
    }
    if (text) out.push({ text });
    out.push({ action: inner.trim() });
  }
  return out;
}

function parse(src: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  for (const tok of lex(src)) {
    const cur = stack[stack.length - 1];
    if ('text' in tok) {
      cur.push({ kind: 'text', text: tok.text });
      continue;
    }
    const a = tok.action;
    let m: RegExpExecArray | null;
    if (a === 'end') {
      if (stack.length === 1) throw new TemplateError('unexpected {{ end }}');
      stack.pop();
    } else if ((m = /^if\s+(.+)$/.exec(a))) {
      const node: Node = { kind: 'if', pipe: m[1], body: [] };
      cur.push(node);
      stack.push(node.body);
    } else if ((m = /^range\s+(\$[A-Za-z_]\w*)\s*:=\s*(.+)$/.exec(a))) {
      const node: Node = { kind: 'range', variable: m[1], pipe: m[2], body: [] };
      cur.push(node);
      stack.push(node.body);
    } else {
      cur.push({ kind: 'action', pipe: a });
    }
  }
  if (stack.length !== 1) throw new TemplateError('missing {{ end }}');
  return root;
}

function words(cmd: string): string[] {
  const out: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|[^\s"]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cmd))) out.push(m[1]);
  return out;
}

const truthy = (v: Value) => (Array.isArray(v) ? v.length > 0 : v !== '' && v !== false);

const FUNCS: Record<string, (...args: Value[]) => Value> = {
  trim: (s) => String(s).trim(),
  splitList: (sep, s) => String(s).split(String(sep)),
  quote: (s) => JSON.stringify(String(s)),
  b64enc: (s) => Buffer.from(String(s), 'utf8').toString('base64'),
  empty: (v) => !truthy(v),
  default: (d, v) => (v === undefined || !truthy(v) ? d : v),
  fail: (msg) => {
    throw new TemplateError(`fail: ${String(msg)}`);
  },
};

function render(nodes: Node[], data: Record<string, string>, vars: Record<string, Value>): string {
  const operand = (w: string): Value => {
    if (w.startsWith('"')) return JSON.parse(w) as string;
    if (w.startsWith('.')) {
      const key = w.slice(1);
      if (!(key in data)) throw new TemplateError(`map has no entry for key "${key}"`);
      return data[key];
    }
    if (w.startsWith('$')) {
      if (!(w in vars)) throw new TemplateError(`undefined variable ${w}`);
      return vars[w];
    }
    throw new TemplateError(`unsupported operand ${w}`);
  };
  const pipeline = (p: string): Value => {
    let acc: Value | undefined;
    for (const cmd of p.split(/\s*\|\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
      const [head, ...rest] = words(cmd);
      if (/^[A-Za-z]\w*$/.test(head)) {
        const fn = FUNCS[head];
        if (!fn) throw new TemplateError(`function "${head}" not in this test renderer`);
        const args = rest.map(operand);
        if (acc !== undefined) args.push(acc);
        acc = fn(...args);
      } else {
        if (acc !== undefined || rest.length) throw new TemplateError(`bad command "${cmd}"`);
        acc = operand(head);
      }
    }
    return acc!;
  };
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'action') {
      const v = pipeline(n.pipe);
      out += Array.isArray(v) ? `[${v.join(' ')}]` : String(v);
    } else if (n.kind === 'if') {
      if (truthy(pipeline(n.pipe))) out += render(n.body, data, vars);
    } else {
      const list = pipeline(n.pipe);
      if (!Array.isArray(list)) throw new TemplateError('range over a non-list');
      for (const item of list) out += render(n.body, data, { ...vars, [n.variable]: item });
    }
  }
  return out;
}

/** Renders `template` with ESO-style string data (a missing key throws, like ESO). */
export function renderGoTemplate(template: string, data: Record<string, string>): string {
  return render(parse(template), data, {});
}
