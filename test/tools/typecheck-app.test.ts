// `cdktf synth|diff|deploy` run the cdktf.json app command, which type-checks the app before bundling it:
// esbuild strips types, so without the check a misspelled prop is dropped silently and synth exits 0.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/core/paths';
import { copyRepo } from '../support/repo-copy';

const app = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdktf.json'), 'utf8')) as { app: string }).app;
const copies: string[] = [];
afterAll(() => copies.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Runs the cdktf.json app command in `dir` the way cdktf does (a shell, CDKTF_OUTDIR set). */
function runApp(dir: string) {
  return spawnSync('sh', ['-c', app], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CDKTF_OUTDIR: path.join(dir, 'cdktf.out') },
  });
}

describe('the cdktf app command type-checks', () => {
  it('is `node tools/build.mjs --typecheck && node dist/main.js`', () => {
    expect(app).toBe('node tools/build.mjs --typecheck && node dist/main.js');
  });

  it("a misspelled prop fails with tsc's message before anything is synthesized; fixed, it synthesizes", () => {
    const dir = copyRepo('typecheck-');
    copies.push(dir);
    const blog = path.join(dir, 'stacks', 'blog.ts');
    const good = fs.readFileSync(blog, 'utf8');
    expect(good).toContain('dnsType: DnsType.PROXIED');
    fs.writeFileSync(blog, good.replace('dnsType: DnsType.PROXIED', 'dnstype: DnsType.PROXIED'));

    const bad = runApp(dir);
    expect(bad.status).toBe(1);
    // The line of the misspelling, wherever blog.ts has it.
    const line = good.split('\n').findIndex((l) => l.includes('dnsType: DnsType.PROXIED')) + 1;
    expect(bad.stderr).toContain(
      `stacks/blog.ts(${line},9): error TS2561: Object literal may only specify known properties, but 'dnstype' does not exist`,
    );
    expect(bad.stderr).toContain(
      'build: type errors (tsc -p tsconfig.app.json, exit 2): nothing was synthesized',
    );
    expect(fs.existsSync(path.join(dir, 'cdktf.out'))).toBe(false);

    fs.writeFileSync(blog, good);
    const ok = runApp(dir);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'blog', 'cdk.tf.json'))).toBe(true);
    // The stamp of the clean check skips tsc next time (same inputs).
    expect(fs.existsSync(path.join(dir, 'dist', '.typecheck', 'app.stamp'))).toBe(true);
  }, 90_000);
});
