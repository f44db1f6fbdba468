// synth-diff: what a change does to the synthesized configuration, stack by stack — offline, with no
// Terraform, no state and no credentials (lib/review/synth-diff.ts does the comparing).
//
//   npm run --silent diff -- --base <git-ref> [--format markdown|json] [--out FILE] [--comment-dir DIR]
//                            [--allow-destroy] [--head-dir DIR]
//   npm run --silent diff -- --base-dir DIR --head-dir DIR ...      (two synth outputs already on disk)
//
// --base REF checks REF out in a temporary git worktree (detached), links this checkout's node_modules
// into it, and synthesizes it with ITS OWN code (`node tools/build.mjs && node dist/synth.js`), so the
// base is what that commit's app really produced. The working tree is synthesized the same way, unless
// --head-dir names an existing synth output (`npm run synth` already ran). The worktree and every
// temporary directory are removed whatever happens.
//
// Output: Markdown (default) or JSON (the lib/review/synth-diff.ts result plus `changedStacks`: stacks added or
// changed, i.e. the ones worth planning) on stdout or to --out FILE; --comment-dir DIR also writes the
// Markdown split into PR-comment-sized DIR/comment-N.md files.
//
// Exit: 0 no stateful destroy; 2 a stateful resource (lib/review/stateful.ts) would be destroyed without a moved
// block and --allow-destroy was not given; 1 anything else (bad usage, git or synth failure, bad input).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeCommentFiles } from '../../lib/review/comment-files';
import { readSynthOutput } from '../../lib/synth/synth-output';
import { stackMoveProblems } from '../../lib/review/address-lock';
import {
  type SynthDiffResult,
  diffSynth,
  exitCodeFor,
  renderSynthDiffComments,
  renderSynthDiffMarkdown,
} from '../../lib/review/synth-diff';
import { SynthJsonError } from '../../lib/terraform/tf-json';

const USAGE =
  'usage: npm run diff -- (--base REF | --base-dir DIR) [--head-dir DIR] [--format markdown|json] ' +
  '[--out FILE] [--comment-dir DIR] [--allow-destroy]';

/** An error with one message for the user; exit 1. */
class DiffError extends Error {}

interface Args {
  baseRef?: string;
  baseDir?: string;
  headDir?: string;
  format: 'markdown' | 'json';
  out?: string;
  commentDir?: string;
  allowDestroy: boolean;
}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { format: 'markdown', allowDestroy: false };
  const valued = ['--base', '--base-dir', '--head-dir', '--format', '--out', '--comment-dir'] as const;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--allow-destroy') {
      if (value !== undefined) throw new DiffError(`--allow-destroy takes no value (${USAGE})`);
      args.allowDestroy = true;
      continue;
    }
    if (!(valued as readonly string[]).includes(a)) {
      throw new DiffError(`${a.startsWith('-') ? 'unknown option' : 'unexpected argument'} ${a} (${USAGE})`);
    }
    if (value === undefined) value = argv[++i];
    if (value === undefined || value === '') throw new DiffError(`${a} needs a value (${USAGE})`);
    switch (a as (typeof valued)[number]) {
      case '--base':
        args.baseRef = value;
        break;
      case '--base-dir':
        args.baseDir = value;
        break;
      case '--head-dir':
        args.headDir = value;
        break;
      case '--format':
        if (value !== 'markdown' && value !== 'json') {
          throw new DiffError(`--format must be markdown or json, not ${JSON.stringify(value)}`);
        }
        args.format = value;
        break;
      case '--out':
        args.out = value;
        break;
      case '--comment-dir':
        args.commentDir = value;
        break;
    }
  }
  if (args.baseRef !== undefined && args.baseDir !== undefined) {
    throw new DiffError(`give --base REF or --base-dir DIR, not both (${USAGE})`);
  }
  if (args.baseRef === undefined && args.baseDir === undefined) {
    throw new DiffError(`no base: give --base REF or --base-dir DIR (${USAGE})`);
  }
  return args;
}

const say = (text: string) => process.stderr.write(`synth-diff: ${text}\n`);

function git(cwd: string, args: readonly string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new DiffError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) {
    throw new DiffError(
      `git ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim() || `exit ${r.status}`}`,
    );
  }
  return r.stdout.trim();
}

/** Runs `node <args>` in `cwd`; its output goes to our stderr (stdout is the diff). */
function node(cwd: string, args: readonly string[]): number {
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 2, 2] });
  if (r.error) throw new DiffError(`cannot run node: ${r.error.message}`);
  return r.status ?? 1;
}

/** Builds and synthesizes the project in `projectDir` with its own code into `outDir`. */
function synthProject(projectDir: string, outDir: string, label: string): void {
  const noRunner = (why: string) =>
    new DiffError(
      `${label} has no synth runner (${why}); the synth diff needs tools/build.mjs and tools/cli/synth.ts ` +
        `(npm run synth) on both sides — diff against a newer base`,
    );
  // The build script moved from scripts/ to tools/; a base from before the move still has the old one.
  const build = ['tools', 'scripts']
    .map((dir) => path.join(dir, 'build.mjs'))
    .find((rel) => fs.existsSync(path.join(projectDir, rel)));
  if (build === undefined) throw noRunner('no tools/build.mjs');
  say(`synthesizing ${label}`);
  // The build's own output is captured: a failing esbuild prints a JavaScript stack trace after its
  // message, and only the message says anything about the base.
  const r = spawnSync(process.execPath, [build], {
    cwd: projectDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) throw new DiffError(`cannot run node: ${r.error.message}`);
  if (r.status !== 0) {
    throw new DiffError(
      `building ${label} failed (exit ${r.status ?? 1}): ${buildErrorSummary(`${r.stderr}\n${r.stdout}`)}`,
    );
  }
  if (!fs.existsSync(path.join(projectDir, 'dist', 'synth.js'))) {
    throw noRunner('tools/build.mjs wrote no dist/synth.js');
  }
  const synthed = node(projectDir, [path.join('dist', 'synth.js'), '--outdir', outDir]);
  if (synthed !== 0)
    throw new DiffError(`synthesizing ${label} failed (exit ${synthed}); its error is above`);
}

/** The error lines of a failed build, without stack frames or code excerpts (at most three). */
export function buildErrorSummary(output: string): string {
  const lines = output.split('\n').map((l) => l.trim());
  const esbuild = lines.filter((l) => l.startsWith('✘ [ERROR]')).map((l) => l.replace(/^✘ \[ERROR\]\s*/, ''));
  const errors = esbuild.length ? esbuild : lines.filter((l) => /^(error:|Error:)/.test(l));
  const picked = errors.length ? errors : lines.filter((l) => l !== '' && !/^at /.test(l)).slice(-1);
  return [...new Set(picked)].slice(0, 3).join('; ') || 'no output';
}

/** Cleanup steps to run whatever happens, most recent first. */
const cleanups: (() => void)[] = [];
function cleanup(): void {
  while (cleanups.length) {
    try {
      cleanups.pop()!();
    } catch {
      // Best effort: the remaining steps still run.
    }
  }
}

/** Checks `ref` out in a temporary worktree and synthesizes it there into `outDir`. */
function synthBase(cwd: string, ref: string, tmp: string, outDir: string): void {
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  const prefix = git(cwd, ['rev-parse', '--show-prefix']);
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new DiffError(`unknown base ref ${JSON.stringify(ref)} (not a commit here)`);
  const commit = r.stdout.trim();
  const modules = path.join(cwd, 'node_modules');
  if (!fs.existsSync(modules)) throw new DiffError('node_modules is missing here: run npm ci first');

  const worktree = path.join(tmp, 'base-worktree');
  git(top, ['worktree', 'add', '--detach', '--quiet', worktree, commit]);
  cleanups.push(() => {
    spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: top, stdio: 'ignore' });
    fs.rmSync(worktree, { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: top, stdio: 'ignore' });
  });
  const projectDir = path.join(worktree, prefix);
  if (!fs.existsSync(projectDir)) throw new DiffError(`base ${ref} has no directory ${prefix}`);
  const link = path.join(projectDir, 'node_modules');
  if (!fs.existsSync(link)) {
    fs.symlinkSync(modules, link, 'dir');
    // Unlink our symlink before anything deletes the worktree, so nothing can recurse into the real
    // node_modules through it.
    cleanups.push(() => fs.unlinkSync(link));
  }
  synthProject(projectDir, outDir, `base ${ref} (${commit.slice(0, 12)})`);
}

function summary(result: SynthDiffResult): string {
  const differ = result.stacks.filter((s) => s.status !== 'unchanged').length;
  const destroys = result.statefulDestroys.length;
  return (
    `${differ} of ${result.stacks.length} stacks differ` +
    (destroys ? `; ${destroys} stateful ${destroys === 1 ? 'resource' : 'resources'} would be destroyed` : '')
  );
}

export function main(argv: readonly string[]): number {
  let tmp: string | undefined;
  try {
    const args = parseArgs(argv);
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const cwd = process.cwd();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-diff-'));
    const tmpDir = tmp;
    cleanups.push(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

    let headDir = args.headDir;
    if (headDir === undefined) {
      headDir = path.join(tmp, 'head-out');
      synthProject(cwd, headDir, 'the working tree');
    }
    let baseDir = args.baseDir;
    if (baseDir === undefined) {
      baseDir = path.join(tmp, 'base-out');
      synthBase(cwd, args.baseRef as string, tmp, baseDir);
    }
    const head = readSynthOutput(headDir);
    // Synth refuses these already; a head output written otherwise (--head-dir) is checked here too.
    const badMoves = Object.entries(head).flatMap(([stack, json]) => stackMoveProblems(stack, json));
    if (badMoves.length) {
      throw new DiffError(`head has moved blocks Terraform would refuse:\n  ${badMoves.join('\n  ')}`);
    }
    const result = diffSynth(readSynthOutput(baseDir), head);
    const changedStacks = result.stacks
      .filter((s) => s.status === 'added' || s.status === 'changed')
      .map((s) => s.stack);
    const text =
      args.format === 'json'
        ? `${JSON.stringify({ ...result, changedStacks }, null, 2)}\n`
        : renderSynthDiffMarkdown(result);
    if (args.out !== undefined) fs.writeFileSync(args.out, text);
    else process.stdout.write(text);
    if (args.commentDir !== undefined) writeCommentFiles(args.commentDir, renderSynthDiffComments(result));

    const code = exitCodeFor(result, { allowDestroy: args.allowDestroy });
    say(summary(result));
    if (result.statefulDestroys.length > 0) {
      say(
        code === 2
          ? 'exit 2: stateful resources would be destroyed; add a moved block from each old address, ' +
              'or pass --allow-destroy if the destroy is deliberate'
          : 'stateful destroys allowed (--allow-destroy)',
      );
    }
    return code;
  } catch (err) {
    if (err instanceof DiffError || err instanceof SynthJsonError) say(err.message);
    else say(`${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    cleanup();
  }
}

function onSignal(signal: NodeJS.Signals, code: number): void {
  process.on(signal, () => {
    say(`${signal}: cleaning up`);
    cleanup();
    process.exit(code);
  });
}

if (require.main === module) {
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  process.exitCode = main(process.argv.slice(2));
}
