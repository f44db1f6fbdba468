// Every CLI: --help prints usage on stdout and exits 0 without doing anything (the README is not
// rewritten, no benchmark runs, nothing is synthesized); an unknown flag prints one line and exits 2
// (synth-diff: 1, because its exit 2 means "a stateful resource would be destroyed" to CI).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../lib/core/paths';
import { parseFlags, runCli, intFlag, UsageError } from '../../../lib/tooling/cli-args';
import { distCli, run, tempDir } from '../../support/fakes';
import { buildErrorSummary } from '../../../tools/cli/synth-diff';

const CLIS = [
  'synth',
  'docs-stacks',
  'bench-synth',
  'bench-scale',
  'plan-comment',
  't3-roster',
  'lock-update',
  'synth-diff',
] as const;

const tmp = tempDir('cli-usage-');
afterAll(() => tmp.cleanup());

describe.each(CLIS)('dist/%s.js', (name) => {
  const cli = distCli(name);
  it('--help: usage on stdout, exit 0, no side effect', async () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const r = await run([process.execPath, cli, '--help'], { cwd: tmp.dir, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: /);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).toBe(readme);
    expect(fs.readdirSync(tmp.dir)).toEqual([]);
  });
  it('an unknown flag: one line on stderr, exit 2 (synth-diff 1)', async () => {
    const r = await run([process.execPath, cli, '--bogus-flag'], { cwd: tmp.dir, timeoutMs: 60_000 });
    expect(r.code).toBe(name === 'synth-diff' ? 1 : 2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--bogus-flag');
    expect(r.stdout).toBe('');
  });
});

describe('bad values are refused before anything runs', () => {
  it('bench:synth --runs 0 / --stack "B!" and bench:scale --stacks x exit 2', async () => {
    const a = await run([process.execPath, distCli('bench-synth'), '--runs', '0'], { cwd: tmp.dir });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('invalid --runs "0"; allowed: an integer from 1 to 50');
    const s = await run([process.execPath, distCli('bench-synth'), '--stack', 'B!'], { cwd: tmp.dir });
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('invalid --stack "B!"; allowed: a stack name');
    const b = await run([process.execPath, distCli('bench-scale'), '--stacks', 'x'], { cwd: tmp.dir });
    expect(b.code).toBe(2);
  });
  it('synth --outdir with missing parents creates them (mkdir -p), never ENOENT', async () => {
    const out = path.join(tmp.dir, 'a', 'b', 'out');
    const r = await run([process.execPath, distCli('synth'), 'blog', '--outdir', out], {
      cwd: REPO_ROOT,
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(out, 'stacks', 'blog', 'cdk.tf.json'))).toBe(true);
    fs.rmSync(path.join(tmp.dir, 'a'), { recursive: true, force: true });
  });
});

describe('lib/tooling/cli-args', () => {
  it('parses switches, values (both spellings) and refuses unknown or valueless flags', () => {
    const spec = { '--runs': 'value', '--dry': 'switch' } as const;
    expect(parseFlags(['--runs', '3', '--dry'], spec)).toEqual({
      flags: { '--runs': '3', '--dry': true },
      positional: [],
    });
    expect(parseFlags(['--runs=4'], spec)).toEqual({ flags: { '--runs': '4' }, positional: [] });
    expect(parseFlags(['x', '--help'], spec)).toBe('help');
    expect(() => parseFlags(['--run', '3'], spec)).toThrow(UsageError);
    expect(() => parseFlags(['--runs'], spec)).toThrow('--runs needs a value');
    expect(() => parseFlags(['--dry=1'], spec)).toThrow('--dry takes no value');
    expect(() => parseFlags(['stray'], spec)).toThrow('unexpected argument stray');
  });
  it('runCli: help is 0 without calling main, a usage error is 2 with one line', () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
    let called = 0;
    expect(runCli('t', 'usage: t', ['--help'], {}, () => void called++, { io })).toBe(0);
    expect(runCli('t', 'usage: t', ['--x'], {}, () => void called++, { io })).toBe(2);
    expect(called).toBe(0);
    expect(out).toEqual(['usage: t\n', 't: unknown option --x (usage: t)\n']);
    const args = { flags: { '--n': '0' }, positional: [] };
    expect(() => intFlag(args, '--n', 1, 1, 9)).toThrow('invalid --n "0"; allowed: an integer from 1 to 9');
  });
});

describe('synth-diff: a base that cannot be built is reported in one line', () => {
  it("buildErrorSummary keeps esbuild's error lines and drops the stack trace", () => {
    const output = [
      '✘ [ERROR] Could not resolve "/tmp/x/base-worktree/main.ts"',
      '',
      '/work/node_modules/esbuild/lib/main.js:1752',
      '  let error = new Error(text);',
      'Error: Build failed with 1 error:',
      '    at failureErrorWithLog (/work/node_modules/esbuild/lib/main.js:1752:15)',
    ].join('\n');
    expect(buildErrorSummary(output)).toBe('Could not resolve "/tmp/x/base-worktree/main.ts"');
    expect(buildErrorSummary('Error: boom\n    at x (y.js:1:1)')).toBe('Error: boom');
    expect(buildErrorSummary('')).toBe('no output');
  });
});
