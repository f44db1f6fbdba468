// npm run rehearse (tools/cli/rehearse.ts) as a subprocess on the fixture tree (test/support/rehearsal-fixture.ts).
// Usage and the missing-payload pre-flight need no terraform; the end-to-end cases (clean, reviewed,
// changed value, missing moved block, sensitivity-only) apply and plan with Terraform and the stub
// providers, and are skipped where there is no terraform binary.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/fakes';
import { writeFixture } from '../../support/rehearsal-fixture';

const root = path.resolve(__dirname, '..', '..', '..');
const tmp = tempDir('rehearse-');
afterAll(() => tmp.cleanup());

function rehearse(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'rehearse.js'), ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** As `rehearse`, without blocking: concurrent runs use both cores while this worker waits. */
function rehearseAsync(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'rehearse.js'), ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** The report section of one stack (from `== <stack>` to the next section). */
function section(out: string, stack: string): string {
  const start = out.indexOf(`\n== ${stack}\n`);
  expect(start, `no section for ${stack}`).toBeGreaterThanOrEqual(0);
  const end = out.indexOf('\n== ', start + 1);
  const summary = out.indexOf('\nsummary\n', start + 1);
  return out.slice(start + 1, end > 0 ? end : summary);
}

describe('rehearse usage', () => {
  it('--help exits 0', () => {
    const r = rehearse(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: npm run rehearse -- --tree/);
  });

  it('bad flags exit 2 with one line', async () => {
    // five independent CLI runs, at once
    const [bogus, positional, bare, nope, rev] = await Promise.all([
      rehearseAsync(['--bogus']),
      rehearseAsync(['blog']),
      rehearseAsync(['--tree']),
      rehearseAsync(['--tree', path.join(tmp.dir, 'nope')]),
      rehearseAsync(['--tree', tmp.dir, '--rev', 'HEAD']),
    ]);
    for (const r of [bogus, positional, bare]) {
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect(nope.err).toBe(`rehearse: --tree ${path.join(tmp.dir, 'nope')}: no such directory\n`);
    expect(rev.err).toMatch(/--rev needs a git tree/);
  });
});

describe('rehearse pre-flight', () => {
  it('a missing payload fails the stack, naming the stack and the file, before any terraform runs', () => {
    const f = writeFixture(path.join(tmp.dir, 'preflight'), ['nopayload']);
    const r = rehearse(['--tree', f.tree, '--ours', f.ours, '--reviewed', f.reviewed, 'nopayload']);
    expect(r.code).toBe(2);
    expect(section(r.out, 'nopayload')).toBe(
      '== nopayload\n  ERROR: stack nopayload: tree payload tree-payloads/nopayload/files/gone.sh is missing: the tree has no stacks/nopayload/files/gone.sh\n',
    );
    expect(r.out).not.toContain('terraform 1.');
    expect(r.out).toMatch(/nopayload +0 +0 +0 +0 +0 +0 +ERROR/);
  });
});

// Never skipped: the test preflight (test/support/global-setup.ts) fails the run in one line when
// terraform is missing.
describe('rehearse with terraform and the stub providers', () => {
  it('reports each case exactly and exits 2; clean alone exits 0', { timeout: 900_000 }, async () => {
    const f = writeFixture(path.join(tmp.dir, 'e2e'), [
      'clean',
      'reviewed',
      'changed',
      'unmoved',
      'sensitivity',
    ]);
    const common = ['--tree', f.tree, '--ours', f.ours, '--reviewed', f.reviewed];
    // The CLI rehearses its stacks in turn: three runs at once use both cores while this worker waits.
    // `clean` is rehearsed once, alone: its section and summary come from that run.
    const [a, b, ok] = await Promise.all([
      rehearseAsync([...common, 'changed', 'reviewed']),
      rehearseAsync([...common, 'sensitivity', 'unmoved']),
      rehearseAsync([...common, 'clean']),
    ]);
    expect(a.code, a.out + a.err).toBe(2);
    expect(b.code, b.out + b.err).toBe(2);
    const outOf = (stack: string) =>
      stack === 'clean' ? ok.out : ['sensitivity', 'unmoved'].includes(stack) ? b.out : a.out;
    const moved = [
      '  moved   module.site.kubernetes_config_map.settings -> kubernetes_config_map.site_settings',
      '  moved   kubernetes_config_map.window["down"] -> kubernetes_config_map.window_down',
      '  moved   kubernetes_config_map.window["up"] -> kubernetes_config_map.window_up',
    ];
    const rewrite =
      "  rewrite modules/site/main.tf:10: var.port == null || var.port > 0  =>  (var.port == null ? true : var.port > 0)  (`||` only short-circuits from Terraform 1.12 (the tree's CI runs 1.15))";
    const note =
      '  note: providers.tf: left out vault, cloudflare, authentik, kubectl, proxmox, helm (provider block) (not used by the stack)';
    const lines = (s: string) =>
      section(outOf(s), s)
        .trimEnd()
        .split('\n')
        .filter((l) => !/^ {2}\(terraform/.test(l));
    expect(lines('changed')).toEqual([
      '== changed',
      rewrite,
      note,
      ...moved,
      '  ~ update kubernetes_config_map.window_down (moved from kubernetes_config_map.window["down"])',
      '      data.direction: tree "down" | ours "DOWN"  [UNREVIEWED]',
      '  result: NOT CLEAN',
    ]);
    expect(lines('clean')).toEqual(['== clean', rewrite, note, ...moved, '  result: clean']);
    expect(lines('reviewed')).toEqual([
      '== reviewed',
      rewrite,
      note,
      ...moved,
      '  ~ update kubernetes_config_map.window_down (moved from kubernetes_config_map.window["down"])',
      '      data.direction: tree "down" | ours "DOWN"  [reviewed]',
      '      reviewed: fixture: upper-case direction is the intended improvement',
      '  result: clean (reviewed differences only)',
    ]);
    expect(lines('unmoved')).toEqual([
      '== unmoved',
      rewrite,
      note,
      moved[0],
      moved[1],
      '  - delete kubernetes_config_map.window["up"]',
      '      [UNREVIEWED] destroyed while kubernetes_config_map.window_up is created: missing moved block from kubernetes_config_map.window["up"]?',
      '  + create kubernetes_config_map.window_up',
      '      [UNREVIEWED] created while kubernetes_config_map.window["up"] is destroyed: missing moved block to kubernetes_config_map.window_up?',
      '  result: NOT CLEAN',
    ]);
    expect(lines('sensitivity')).toEqual([
      '== sensitivity',
      rewrite,
      note,
      ...moved,
      '  ~ update kubernetes_config_map.site_settings (moved from module.site.kubernetes_config_map.settings)',
      '      data.secret: value unchanged, sensitivity only (tree sensitive, ours not sensitive)  [UNREVIEWED]',
      '  result: NOT CLEAN',
    ]);
    expect(a.out + b.out).not.toContain('"tls-secret"');
    // Each run's summary, its columns padded to that run's longest stack name.
    const summary = (out: string) =>
      out
        .slice(out.indexOf('\nsummary\n'))
        .trim()
        .split('\n')
        .map((l) => l.trim().replace(/ {2,}/g, '  '));
    const header = 'stack  moves  changes  reviewed  unreviewed  sens-only  stale  result';
    expect(summary(a.out)).toEqual([
      'summary',
      header,
      'changed  3  1  0  1  0  0  NOT CLEAN',
      'reviewed  3  1  1  0  0  0  clean (reviewed differences only)',
    ]);
    expect(summary(b.out)).toEqual([
      'summary',
      header,
      'sensitivity  3  1  0  1  1  0  NOT CLEAN',
      'unmoved  2  2  0  2  0  0  NOT CLEAN',
    ]);
    expect(summary(ok.out)).toEqual(['summary', header, 'clean  3  0  0  0  0  0  clean']);
    expect(ok.code, ok.out + ok.err).toBe(0);
  });
});
