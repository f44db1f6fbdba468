// Tree payloads, the pure half (no cdktf): where they live, which ones a synthesized stack declares (its
// cdk.tf.json reads `tree-payloads/<stack>/<file>`), and the deterministic stand-ins CI uses in their place.
import { createHash } from 'node:crypto';
import { MODULE_PAYLOADS, MODULE_PAYLOAD_STACK } from './tree-module-payloads';
import { ANY_KEY, extractHeredoc, parseHeredocPayloadFile } from './tree-heredocs';

/** Folder next to `secrets/` (git ignored) holding the tree's payloads, one subfolder per stack. */
export const TREE_PAYLOAD_DIR = 'tree-payloads';

/**
 * The payload "stack" folder for tree files outside any stack directory that a tree stack reads with a
 * relative path (`file("${path.module}/../../scripts/update_k8s.sh")`): `tree-payloads/_repo/<path from the
 * tree root>`.
 */
export const REPO_PAYLOAD_STACK = '_repo';

export function treePayloadRelPath(stack: string, file: string): string {
  return `${TREE_PAYLOAD_DIR}/${stack}/${file}`;
}

export interface DeclaredPayload {
  readonly stack: string;
  /**
   * Path inside the tree's stack directory (`stacks/<stack>/<file>` in the tree), or, for the stack
   * `_modules`, a module payload's key (lib/review/tree-module-payloads.ts), or a heredoc of the stack's
   * .tf files, `_heredoc/<tf file>/<key>/<index>` (lib/review/tree-heredocs.ts).
   */
  readonly file: string;
}

/** Where a payload comes from in the tree: the file (from the tree root) and, for module payloads, what. */
export function payloadSource(p: DeclaredPayload): { readonly file: string; readonly what?: string } {
  if (p.stack === REPO_PAYLOAD_STACK) return { file: p.file };
  const heredoc = parseHeredocPayloadFile(p.file);
  if (p.stack !== MODULE_PAYLOAD_STACK && heredoc) {
    const key = heredoc.key === ANY_KEY ? 'any key' : `key ${heredoc.key}`;
    return { file: `stacks/${p.stack}/${heredoc.file}`, what: `heredoc #${heredoc.index} with ${key}` };
  }
  if (p.stack !== MODULE_PAYLOAD_STACK) return { file: `stacks/${p.stack}/${p.file}` };
  const m = Object.prototype.hasOwnProperty.call(MODULE_PAYLOADS, p.file)
    ? MODULE_PAYLOADS[p.file]
    : undefined;
  if (!m)
    throw new Error(
      `${treePayloadRelPath(p.stack, p.file)}: no module payload of that name (lib/review/tree-module-payloads.ts)`,
    );
  return { file: m.source, what: m.what };
}

/** The payload's content from its source file's bytes: the file itself, or what is extracted from the module. */
export function payloadContent(p: DeclaredPayload, source: Buffer): Buffer | string {
  const heredoc = parseHeredocPayloadFile(p.file);
  if (p.stack === REPO_PAYLOAD_STACK || (p.stack !== MODULE_PAYLOAD_STACK && !heredoc)) return source;
  const src = payloadSource(p);
  try {
    if (heredoc) return extractHeredoc(source.toString('utf8'), heredoc);
    return MODULE_PAYLOADS[p.file].extract(source.toString('utf8'));
  } catch (e) {
    throw new Error(`${src.file} (${src.what}): ${(e as Error).message}`);
  }
}

/** How reports name a payload's source: `stacks/<stack>/<file>`, or `<module file> (<what>)`. */
export function describeSource(p: DeclaredPayload): string {
  const src = payloadSource(p);
  return src.what ? `${src.file} (${src.what})` : src.file;
}

const REF = /tree-payloads\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_./-]+?)(?=\\?")/g;

/** Payloads a synthesized stack (cdk.tf.json text) reads, deduplicated and sorted. */
export function declaredPayloads(cdkTfJson: string): DeclaredPayload[] {
  const seen = new Map<string, DeclaredPayload>();
  for (const m of cdkTfJson.matchAll(REF)) seen.set(`${m[1]}/${m[2]}`, { stack: m[1], file: m[2] });
  return [...seen.values()].sort((a, b) => `${a.stack}/${a.file}`.localeCompare(`${b.stack}/${b.file}`));
}

/** Deterministic stand-in content for a payload (CI has no tree): names what it stands in for. */
export function standInPayload(p: DeclaredPayload): string {
  const h = createHash('sha256').update(`${p.stack}/${p.file}`).digest('hex').slice(0, 12);
  const src =
    p.stack === MODULE_PAYLOAD_STACK || p.stack === REPO_PAYLOAD_STACK || parseHeredocPayloadFile(p.file)
      ? describeSource(p)
      : `stacks/${p.stack}/${p.file}`;
  return `# stand-in for the tree's ${src} (${h}); npm run payloads -- --from <tree> copies the real file\n`;
}
