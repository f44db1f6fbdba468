// A Terragrunt tree to read from: a git checkout or bare git dir at a revision (read with `git archive`,
// nothing is checked out), or a plain directory (test fixtures). Used by `rehearse` and `payloads`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TreeSource {
  /** How the report names the tree (its directory, or the mirror's owner/name). */
  readonly name: string;
  /** The revision asked for (`HEAD` by default; `-` for a plain directory). */
  readonly rev: string;
  /** The commit it resolved to (`-` for a plain directory). */
  readonly commit: string;
  /** Stack directory names under stacks/. */
  stacks(): string[];
  /** True when the tree has this file (path from the tree root). */
  has(file: string): boolean;
  /** Copies a file or directory (path from the tree root) to the same path under `dest`. */
  extract(rel: string, dest: string): void;
}

function git(dir: string, args: string[], input?: Buffer): Buffer {
  return execFileSync('git', ['-C', dir, ...args], {
    maxBuffer: 512 << 20,
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function isGit(dir: string): boolean {
  return (
    fs.existsSync(path.join(dir, '.git')) ||
    (fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects')))
  );
}

function treeName(dir: string): string {
  const base = path.basename(dir) === 'repo' ? path.basename(path.dirname(dir)) : path.basename(dir);
  return base.replace('+', '/');
}

/** Opens a tree; `rev` only for git trees. Throws with a one-line message when it cannot. */
export function openTree(dir: string, rev?: string): TreeSource {
  const root = path.resolve(dir);
  if (!fs.existsSync(root)) throw new Error(`--tree ${dir}: no such directory`);
  if (!isGit(root)) {
    if (rev) throw new Error(`--rev needs a git tree; ${dir} is a plain directory`);
    return {
      name: path.basename(root),
      rev: '-',
      commit: '-',
      stacks: () =>
        fs.existsSync(path.join(root, 'stacks'))
          ? fs
              .readdirSync(path.join(root, 'stacks'))
              .filter((n) => fs.statSync(path.join(root, 'stacks', n)).isDirectory())
          : [],
      has: (file) => fs.existsSync(path.join(root, file)),
      extract(rel, dest) {
        const target = path.join(dest, rel);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.cpSync(path.join(root, rel), target, { recursive: true, verbatimSymlinks: true });
      },
    };
  }
  const want = rev ?? 'HEAD';
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', `${want}^{commit}`])
      .toString()
      .trim();
  } catch {
    throw new Error(`--rev ${want}: not a commit in ${dir}`);
  }
  const listing = (prefix: string) =>
    git(root, ['ls-tree', '--name-only', commit, prefix]).toString().split('\n').filter(Boolean);
  return {
    name: treeName(root),
    rev: want,
    commit,
    stacks: () =>
      git(root, ['ls-tree', '-d', '--name-only', commit, 'stacks/'])
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((p) => p.replace(/^stacks\//, '')),
    has: (file) => listing(file).includes(file),
    extract(rel, dest) {
      fs.mkdirSync(dest, { recursive: true });
      const tar = git(root, ['archive', '--format=tar', commit, '--', rel]);
      execFileSync('tar', ['-x', '-C', dest], { input: tar });
    },
  };
}
