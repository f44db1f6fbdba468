// The stub providers cannot see expressions, so a data source's map (or list) attribute would come back
// empty and `data.<type>.<name>.<attr>["key"]` / `[0]` / `lookup(data....<attr>, "key")` would fail.
// scanDataKeys finds those references in a Terraform JSON (or HCL) configuration; the result, written
// to a file named by TF_STUB_DATA_KEYS, maps "<data type>.<attr>" to the keys (or list indexes) the
// stubs must provide. Keys are per type, not per data source name (the provider is not told the name).
//
// A key passed to jsondecode() is also listed under "<data type>.<attr>.json", and the accessors applied
// to the decoded value under `<data type>.<attr>.json["<key>"]` (scanJsonPaths below), so the stub can return
// a JSON document of that shape (behaviour.ts jsonDocument).
import * as fs from 'node:fs';

export type DataKeys = Record<string, string[]>;

const INDEX_RE = /data\.([\w-]+)\.[\w-]+(?:\[[^\]]*\])?\.([\w-]+)\[\s*(?:"([^"]*)"|(\d+))\s*\]/g;
const LOOKUP_RE = /lookup\(\s*data\.([\w-]+)\.[\w-]+(?:\[[^\]]*\])?\.([\w-]+)\s*,\s*"([^"]*)"/g;
// `jsondecode(data.<type>.<name>.<attr>["key"])` (or of a lookup()): the stub must return JSON there, so the
// key is also listed under "<type>.<attr>.json" (a faked plain string would fail the jsondecode).
const DATA_REF = String.raw`data\.([\w-]+)\.[\w-]+(?:\[[^\]]*\])?\.([\w-]+)`;
const JSON_RE = new RegExp(
  String.raw`jsondecode\(\s*(?:${DATA_REF}\[\s*"([^"]*)"\s*\]|lookup\(\s*${DATA_REF}\s*,\s*"([^"]*)"(?:\s*,[^()]*)?\s*\))\s*\)?`,
  'g',
);

function scanText(text: string, into: Map<string, Set<string>>): void {
  const add = (type: string, attr: string, key: string) => {
    const k = `${type}.${attr}`;
    if (!into.has(k)) into.set(k, new Set());
    into.get(k)!.add(key);
  };
  for (const m of text.matchAll(INDEX_RE)) add(m[1]!, m[2]!, m[3] ?? m[4]!);
  for (const m of text.matchAll(LOOKUP_RE)) add(m[1]!, m[2]!, m[3]!);
  for (const m of text.matchAll(JSON_RE)) add(m[1] ?? m[4]!, `${m[2] ?? m[5]!}.json`, m[3] ?? m[6]!);
}

/** Every string in a parsed JSON value (Terraform JSON expressions live in strings). */
export function configStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const e of v) configStrings(e, out);
  else if (v && typeof v === 'object') for (const e of Object.values(v)) configStrings(e, out);
}

/**
 * One step applied to a decoded JSON value: an attribute / key name, a list index, or null (the value
 * is iterated by a `for`, `keys()` or `values()`: any entry).
 */
export type JsonSeg = string | number | null;

/** A name standing for (a part of) a decoded value: `local.x`, `var.x`, a `for` iterator or `each.value` in a range. */
interface Binding {
  ref: string;
  doc: string;
  path: JsonSeg[];
  text: number; // -1: every text
  from: number;
  to: number;
}

const CHAIN_RE = /\.([A-Za-z_][\w-]*)|\.(\d+)|\[\s*"([^"]*)"\s*\]|\[\s*(\d+)\s*\]/y;

/** The accessors `.a`, `.0`, `["a"]`, `[0]` at `pos` (a splat or a computed index ends the chain). */
function parseChain(text: string, pos: number): { path: JsonSeg[]; end: number } {
  const path: JsonSeg[] = [];
  for (;;) {
    CHAIN_RE.lastIndex = pos;
    const m = CHAIN_RE.exec(text);
    if (!m) return { path, end: pos };
    path.push(m[1] ?? m[3] ?? Number(m[2] ?? m[4]));
    pos = CHAIN_RE.lastIndex;
  }
}

/** The index of the bracket closing the one at `open` (brackets in strings are counted too). */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') if (--depth === 0) return i;
  }
  return text.length;
}

/**
 * The paths a type constraint implies (`list(T)`/`set(T)`: element 0; `map(T)`: iterated; `object({ a = T })`:
 * `a`; `optional(T, default)`: T; `tuple([...])`: each index); null when `text` at `pos` is not a type.
 */
function typePaths(text: string, pos: number): { paths: JsonSeg[][]; end: number } | null {
  const ws = /(?:\s|#[^\n]*|\/\/[^\n]*)*/y;
  const skip = (i: number) => ((ws.lastIndex = i), ws.exec(text), ws.lastIndex);
  const ident = /([a-z]+)\s*(\(?)/y;
  const prefixed = (seg: JsonSeg, ps: JsonSeg[][]) => ps.map((p) => [seg, ...p]);
  const parse = (i: number): { paths: JsonSeg[][]; end: number } | null => {
    ident.lastIndex = skip(i);
    const m = ident.exec(text);
    if (!m) return null;
    const args = ident.lastIndex;
    if (!m[2]) return ['string', 'number', 'bool', 'any'].includes(m[1]!) ? { paths: [[]], end: args } : null;
    const close = closing(text, args - 1);
    if (m[1] === 'list' || m[1] === 'set' || m[1] === 'map' || m[1] === 'optional') {
      const inner = parse(args);
      if (!inner) return null;
      const paths = m[1] === 'optional' ? inner.paths : prefixed(m[1] === 'map' ? null : 0, inner.paths);
      return { paths, end: close + 1 };
    }
    const open = skip(args);
    if (m[1] === 'object' && text[open] === '{') {
      const paths: JsonSeg[][] = [];
      const attr = /([\w-]+)\s*=/y;
      for (let j = skip(open + 1); text[j] !== '}' && j < close; j = skip(j)) {
        attr.lastIndex = j;
        const a = attr.exec(text);
        const t = a && parse(attr.lastIndex);
        if (!a || !t) return null;
        paths.push(...prefixed(a[1]!, t.paths));
        j = skip(t.end);
        if (text[j] === ',') j++;
      }
      return { paths, end: close + 1 };
    }
    if (m[1] === 'tuple' && text[open] === '[') {
      const paths: JsonSeg[][] = [];
      for (let j = skip(open + 1), n = 0; text[j] !== ']' && j < close; j = skip(j), n++) {
        const t = parse(j);
        if (!t) return null;
        paths.push(...prefixed(n, t.paths));
        j = skip(t.end);
        if (text[j] === ',') j++;
      }
      return { paths, end: close + 1 };
    }
    return null;
  };
  return parse(pos);
}

/** The paths implied by `variable "<name>" { type = ... }` in any of the texts. */
function variableTypePaths(texts: string[], name: string): JsonSeg[][] {
  const decl = new RegExp(String.raw`(?:^|\n)\s*variable\s+"${escapeRe(name)}"\s*\{`, 'g');
  const out: JsonSeg[][] = [];
  for (const text of texts)
    for (const m of text.matchAll(decl)) {
      const open = m.index + m[0].length - 1;
      const body = text.slice(open, closing(text, open));
      const type = /(?:^|[\s{])type\s*=\s*/.exec(body);
      const t = type ? typePaths(body, type.index + type[0].length) : null;
      if (t) out.push(...t.paths);
    }
  return out;
}

const MAX_PATH = 16;

const FOR_EACH_RE = /\bfor_each\s*=\s*(?:(?:nonsensitive|toset|tomap)\(\s*)*$/;

/** The index of the nearest unclosed `{` before `pos` (the block around it), or -1. */
function enclosingBrace(text: string, pos: number): number {
  let depth = 0;
  for (let i = pos - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0 && c === '{') return i;
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The access paths applied to jsondecode()d data keys, per `<type>.<attr>.json["<key>"]`: after the call
 * itself (`jsondecode(...).a["b"]`), and through what it is assigned to: `x = jsondecode(...)` on its own
 * line (or alone in a one-line block) binds `local.x` and `var.x` (a module argument), as does
 * `y = local.x...`; every use of a bound name followed by accessors records a path,
 * `lookup(<use>, "k", ...)` adds `k`, and
 * `for k, v in <use>` (or keys()/values()) records an iteration and binds `v` inside the enclosing
 * brackets; `for_each = <use>` or
 * `for_each = { for k, v in <use> : k => v }` binds `each.value` in that block. A module argument's
 * `variable "x" { type = ... }` adds the paths its type implies (the input must convert to it). Paths are
 * JSON arrays of JsonSeg.
 */
function scanJsonPaths(texts: string[], into: Map<string, Set<string>>): void {
  const record = (doc: string, path: JsonSeg[]) => {
    if (!into.has(doc)) into.set(doc, new Set());
    into.get(doc)!.add(JSON.stringify(path));
  };
  const bindings: Binding[] = [];
  const seen = new Set<string>();
  const bind = (b: Binding) => {
    if (b.path.length > MAX_PATH) return; // e.g. `x = var.x.sub` in nested modules (var.* is not per module)
    const id = JSON.stringify([b.ref, b.doc, b.path, b.text, b.from]);
    if (seen.has(id)) return;
    seen.add(id);
    bindings.push(b);
  };
  const use = (t: number, start: number, end: number, doc: string, base: JsonSeg[]) => {
    const text = texts[t]!;
    const chain = parseChain(text, end);
    const path = [...base, ...chain.path];
    const before = text.slice(Math.max(0, start - 200), start);
    const lookup = /lookup\(\s*$/.test(before) ? /^\s*,\s*"([^"]*)"/.exec(text.slice(chain.end)) : null;
    if (lookup) path.push(lookup[1]!);
    record(doc, path);
    const forIn = /\bfor\s+(?:[\w-]+\s*,\s*)?([\w-]+)\s+in\s+$/.exec(before);
    const entry = [...path, null];
    if (forIn || /\b(?:keys|values)\(\s*$/.test(before)) record(doc, entry);
    // `for_each = <use>`, or `for_each = { for k, v in <use> : k => v }`: each.value in the enclosing block
    const eachValue = (at: number, p: JsonSeg[]) => {
      const open = enclosingBrace(text, at);
      if (open >= 0) bind({ ref: 'each.value', doc, path: p, text: t, from: open, to: closing(text, open) });
    };
    if (!forIn && FOR_EACH_RE.test(before)) eachValue(start, entry);
    if (forIn) {
      let open = start - before.length + forIn.index - 1;
      while (open >= 0 && /\s/.test(text[open]!)) open--;
      const to = open >= 0 && (text[open] === '[' || text[open] === '{') ? closing(text, open) : text.length;
      bind({ ref: forIn[1]!, doc, path: entry, text: t, from: chain.end, to });
      const value = new RegExp(String.raw`^\s*:[^=]*=>\s*${escapeRe(forIn[1]!)}\s*(?:if\b|\})`);
      if (
        text[open] === '{' &&
        FOR_EACH_RE.test(text.slice(Math.max(0, open - 100), open)) &&
        value.test(text.slice(chain.end, to + 1))
      )
        eachValue(open, entry);
    }
    const assigned = /[\n{][ \t]*([\w-]+)[ \t]*=[ \t]*$/.exec((start <= 200 ? '\n' : '') + before);
    if (assigned && !lookup && /^[ \t]*(?:\}|(?:#|\/\/).*(?:\r?\n|$)|\r?\n|$)/.test(text.slice(chain.end))) {
      const name = assigned[1]!;
      for (const ref of [`local.${name}`, `var.${name}`])
        bind({ ref, doc, path, text: -1, from: 0, to: Infinity });
      for (const p of variableTypePaths(texts, name)) record(doc, [...path, ...p]);
    }
  };
  texts.forEach((text, t) => {
    for (const m of text.matchAll(JSON_RE))
      use(
        t,
        m.index,
        m.index + m[0].length,
        `${m[1] ?? m[4]!}.${m[2] ?? m[5]!}.json["${m[3] ?? m[6]!}"]`,
        [],
      );
  });
  for (let i = 0; i < bindings.length; i++) {
    const b = bindings[i]!;
    const re = new RegExp(String.raw`(?<![\w.-])${escapeRe(b.ref)}(?![\w-])`, 'g');
    for (const t of b.text < 0 ? texts.keys() : [b.text]) {
      re.lastIndex = b.from;
      for (let m = re.exec(texts[t]!); m && m.index < b.to; m = re.exec(texts[t]!))
        use(t, m.index, m.index + m[0].length, b.doc, b.path);
    }
  }
}

/** Keys referenced per "<data type>.<attr>", sorted, from configuration texts (JSON or HCL). */
export function scanDataKeys(...configs: string[]): DataKeys {
  const found = new Map<string, Set<string>>();
  const texts: string[] = [];
  for (const text of configs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) texts.push(text);
    else {
      configStrings(parsed, texts);
      // Terraform JSON locals as `name = <expression>` lines, so a local bound to a jsondecode() is seen
      const locals = (parsed as { locals?: unknown }).locals;
      for (const [name, v] of Object.entries(locals && typeof locals === 'object' ? locals : {}))
        if (typeof v === 'string' && /^\$\{[^]*\}$/.test(v)) texts.push(`${name} = ${v.slice(2, -1)}\n`);
    }
  }
  for (const text of texts) scanText(text, found);
  scanJsonPaths(texts, found);
  return Object.fromEntries(
    [...found].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]),
  );
}

/** Scans configuration files and writes the TF_STUB_DATA_KEYS file; returns the keys. */
export function writeDataKeys(configFiles: string[], outFile: string): DataKeys {
  const keys = scanDataKeys(...configFiles.map((f) => fs.readFileSync(f, 'utf8')));
  fs.writeFileSync(outFile, JSON.stringify(keys, null, 2) + '\n');
  return keys;
}
