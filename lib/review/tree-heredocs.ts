// Tree payloads that a tree STACK writes inline: heredocs in its .tf files (scripts, configs). They are the
// owner's text like any file() payload, so this repository holds the locator and the extractor, never the
// text: `tree-payloads/<stack>/_heredoc/<tf file>/<key>/<index>` is extracted from the tree's
// `stacks/<stack>/<tf file>` at payload time (`npm run payloads`, `npm run rehearse`). Pure.

/** The folder below `tree-payloads/<stack>/` that holds heredoc payloads. */
export const HEREDOC_DIR = '_heredoc';
/** The key that selects any heredoc: its index counts over every heredoc of the file. */
export const ANY_KEY = '*';
const ANY_KEY_PATH = '_any_';

export interface HeredocLocator {
  /** The stack's .tf file in the tree, e.g. "main.tf". */
  readonly file: string;
  /**
   * The attribute or map key the heredoc is the value of (`command = [.., <<-EOT` -> "command",
   * `"nginx.conf" = <<-EOF` -> "nginx.conf"), or `*` for any heredoc.
   */
  readonly key: string;
  /** The n-th heredoc with that key in the file, from 0. */
  readonly index: number;
}

/** The payload file (below `tree-payloads/<stack>/`) of a heredoc. */
export function heredocPayloadFile(loc: HeredocLocator): string {
  return `${HEREDOC_DIR}/${loc.file}/${loc.key === ANY_KEY ? ANY_KEY_PATH : loc.key}/${loc.index}`;
}

/** The locator of a heredoc payload file, or undefined when `file` is not one. */
export function parseHeredocPayloadFile(file: string): HeredocLocator | undefined {
  const m = new RegExp(`^${HEREDOC_DIR}/(.+\\.tf)/([^/]+)/(\\d+)$`).exec(file);
  if (!m) return undefined;
  return { file: m[1], key: m[2] === ANY_KEY_PATH ? ANY_KEY : m[2], index: Number(m[3]) };
}

export interface Heredoc {
  /** The key it is assigned to ('' when none is found). */
  readonly key: string;
  /** 1-based line of the opener. */
  readonly line: number;
  /** The value as Terraform reads the template source: flush heredocs de-indented, final newline kept. */
  readonly text: string;
}

const OPENER = /<<(-?)([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const ASSIGN = /(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_.-]*))\s*=(?!=)/g;

function lastKey(text: string): string | undefined {
  let key: string | undefined;
  for (const m of text.matchAll(ASSIGN)) key = m[1] ?? m[2];
  return key;
}

/**
 * Every heredoc of an HCL file in order, with its key: the last `key =` before the opener on its line,
 * else on the nearest line above (a heredoc that is a list item, `args = [` then `<<-EOT`). Heredoc
 * bodies are skipped while scanning, so a shell `cat <<EOF` inside a script is text, not an opener.
 */
export function heredocs(hcl: string): Heredoc[] {
  const lines = hcl.split('\n');
  const out: Heredoc[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#|\/\/)/.test(line)) continue;
    const m = OPENER.exec(line);
    if (!m) continue;
    const [, flush, marker] = m;
    let key = lastKey(line.slice(0, m.index));
    for (let j = i - 1; key === undefined && j >= 0 && j >= i - 3; j--) key = lastKey(lines[j]);
    const end = lines.findIndex((l, k) => k > i && l.trim() === marker);
    if (end < 0) throw new Error(`line ${i + 1}: heredoc ${marker} has no closing ${marker}`);
    const body = lines.slice(i + 1, end);
    let text: string;
    if (flush) {
      const indent = Math.min(
        ...body.filter((l) => l.trim() !== '').map((l) => /^[ ]*/.exec(l)![0].length),
        Number.MAX_SAFE_INTEGER,
      );
      text = body.map((l) => (l.trim() === '' ? '' : l.slice(indent))).join('\n');
    } else text = body.join('\n');
    out.push({ key: key ?? '', line: i + 1, text: body.length ? text + '\n' : '' });
    i = end;
  }
  return out;
}

/** The heredoc a locator names; throws a one-line reason (what the file has) when there is none. */
export function extractHeredoc(hcl: string, loc: Pick<HeredocLocator, 'key' | 'index'>): string {
  const all = heredocs(hcl);
  const matching = loc.key === ANY_KEY ? all : all.filter((h) => h.key === loc.key);
  const found = matching[loc.index];
  if (!found) {
    const have = all.map((h) => `${h.key || '?'} (line ${h.line})`).join(', ') || 'none';
    throw new Error(
      `no heredoc #${loc.index} with key ${JSON.stringify(loc.key)} (${matching.length} with that key); the file's heredocs: ${have}`,
    );
  }
  return found.text;
}
