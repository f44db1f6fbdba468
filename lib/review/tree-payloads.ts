// Tree payloads, the pure half (no cdktf): where they live, which ones a synthesized stack declares (its
// cdk.tf.json reads `tree-payloads/<stack>/<file>`), and the deterministic stand-ins CI uses in their place.
import { createHash } from 'node:crypto';

/** Folder next to `secrets/` (git ignored) holding the tree's payloads, one subfolder per stack. */
export const TREE_PAYLOAD_DIR = 'tree-payloads';

export function treePayloadRelPath(stack: string, file: string): string {
  return `${TREE_PAYLOAD_DIR}/${stack}/${file}`;
}

export interface DeclaredPayload {
  readonly stack: string;
  /** Path inside the tree's stack directory (`stacks/<stack>/<file>` in the tree). */
  readonly file: string;
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
  return `# stand-in for the tree's stacks/${p.stack}/${p.file} (${h}); npm run payloads -- --from <tree> copies the real file\n`;
}
