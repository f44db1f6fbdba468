// Tree payloads that live inside a tree MODULE's HCL rather than as a file of a stack: text the module
// ships in a heredoc or a list of string literals (its owner's prose and config). They are extracted from
// the module source at payload time into `tree-payloads/_modules/<module>/<file>` (git ignored, shared by
// every stack that calls the module), so this repository holds the extractor, never the text. Pure: the
// caller reads the module file from the tree (`npm run payloads`, `npm run rehearse`).

/** The payload "stack" folder holding module payloads: `tree-payloads/_modules/<module>/<file>`. */
export const MODULE_PAYLOAD_STACK = '_modules';

export interface ModulePayload {
  /** The module's HCL file in the tree, from the tree root. */
  readonly source: string;
  /** What is taken from it (reports and stand-ins). */
  readonly what: string;
  /** The payload content from the module source text; throws with a one-line reason when it cannot. */
  extract(hcl: string): string;
}

const ANUBIS = 'modules/kubernetes/anubis_instance/main.tf';

/** The trusted-local rule lines after the comments: rule name, action and the key the CIDRs go under. */
export const ANUBIS_TRUSTED_RULE_LINES = [
  '- name: trusted-local-networks',
  '  action: ALLOW',
  '  remote_addresses:',
] as const;

/** Module payloads by path below `tree-payloads/_modules/`. */
export const MODULE_PAYLOADS: Readonly<Record<string, ModulePayload>> = {
  'anubis_instance/default-policy-rules.yaml': {
    source: ANUBIS,
    what: 'the default_policy_rules_yaml heredoc',
    extract: (hcl) => flushHeredoc(hcl, 'default_policy_rules_yaml'),
  },
  'anubis_instance/trusted-local-rule-comments.yaml': {
    source: ANUBIS,
    what: 'the comment lines of trusted_local_rule_yaml',
    extract: (hcl) => {
      const items = stringListAfter(hcl, 'trusted_local_rule_yaml');
      const comments = items.filter((l) => l.startsWith('#'));
      const rest = items.slice(comments.length);
      if (comments.length === 0 || rest.join('\n') !== ANUBIS_TRUSTED_RULE_LINES.join('\n')) {
        throw new Error(
          `trusted_local_rule_yaml is no longer comment lines then ${JSON.stringify(ANUBIS_TRUSTED_RULE_LINES)}: ${JSON.stringify(items)}`,
        );
      }
      return comments.join('\n') + '\n';
    },
  },
};

function noTemplate(text: string, where: string): string {
  if (/[$%]\{/.test(text)) throw new Error(`${where} is a template (has \${ or %{), not literal text`);
  return text;
}

/**
 * The value of `<name> = <<-MARKER ... MARKER` as Terraform evaluates it: every line de-indented by the
 * smallest indentation of its non-blank lines, with the final newline. Literal heredocs only.
 */
export function flushHeredoc(hcl: string, name: string): string {
  const lines = hcl.split('\n');
  const open = new RegExp(`^\\s*${name}\\s*=\\s*<<-([A-Za-z_][A-Za-z0-9_]*)\\s*$`);
  const start = lines.findIndex((l) => open.test(l));
  if (start < 0) throw new Error(`no "${name} = <<-MARKER" heredoc`);
  const marker = open.exec(lines[start])![1];
  const end = lines.findIndex((l, i) => i > start && l.trim() === marker);
  if (end < 0) throw new Error(`heredoc ${name} has no closing ${marker}`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(
    ...body.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length),
    Number.MAX_SAFE_INTEGER,
  );
  const text = body.map((l) => (l.trim() === '' ? '' : l.slice(indent))).join('\n') + '\n';
  return noTemplate(text, `heredoc ${name}`);
}

/** The string literals of the first `[ ... ]` list after `<name> =`, one per line, decoded. */
export function stringListAfter(hcl: string, name: string): string[] {
  const at = new RegExp(`^\\s*${name}\\s*=`, 'm').exec(hcl);
  if (!at) throw new Error(`no "${name} =" in the module`);
  const from = hcl.indexOf('[', at.index);
  const to = hcl.indexOf(']', from);
  if (from < 0 || to < 0) throw new Error(`${name} has no [ ... ] list`);
  const items: string[] = [];
  for (const raw of hcl.slice(from + 1, to).split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^("(?:[^"\\]|\\.)*"),?$/.exec(line);
    if (!m) throw new Error(`${name}: not a string literal line: ${line}`);
    items.push(noTemplate(JSON.parse(m[1]) as string, `${name} item ${m[1]}`));
  }
  return items;
}
