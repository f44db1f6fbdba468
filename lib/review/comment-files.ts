// Writes a comment split into parts as DIR/comment-1.md, comment-2.md, ... (what
// tools/ci/forgejo-pr-comment.sh posts), removing parts left over from an earlier, longer run.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes the bodies; returns the written paths in order. Other files in the directory are left alone. */
export function writeCommentFiles(outDir: string, bodies: readonly string[]): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of fs.readdirSync(outDir)) {
    if (/^comment-\d+\.md$/.test(f)) fs.rmSync(path.join(outDir, f));
  }
  return bodies.map((body, i) => {
    const file = path.join(outDir, `comment-${i + 1}.md`);
    fs.writeFileSync(file, body);
    return file;
  });
}
