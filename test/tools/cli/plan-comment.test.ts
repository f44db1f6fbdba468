// Runs the bundled CLI (dist/plan-comment.js) as `npm run plan-comment` does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_LIMIT } from '../../../lib/core/markdown';
import { PLAN_COMMENT_MARKER } from '../../../lib/review/plan-render';
import { FIXTURE_SECRETS, bigPlan, mixedPlan, plan } from '../../fixtures/plans/plans';
import { distCli, run, tempDir } from '../../support/fakes';

const cli = distCli('plan-comment');
let tmp: { dir: string; cleanup(): void };
const file = (name: string): string => path.join(tmp.dir, name);
const planComment = (...args: string[]) => run([process.execPath, cli, ...args], { cwd: tmp.dir });

beforeAll(() => {
  tmp = tempDir('plan-comment-');
  fs.writeFileSync(file('tts.json'), JSON.stringify(mixedPlan()));
  fs.writeFileSync(file('empty.json'), JSON.stringify(plan([])));
  fs.writeFileSync(file('big.json'), JSON.stringify(bigPlan(700, 2, 'big')));
  fs.writeFileSync(file('plan.out.json'), JSON.stringify(plan([])));
  fs.writeFileSync(file('broken.json'), '{"format_version": "1.2", "resource_changes": [');
  fs.writeFileSync(file('v2.json'), JSON.stringify({ format_version: '2.0', resource_changes: [] }));
});
afterAll(() => tmp.cleanup());

describe('plan-comment CLI', () => {
  it('prints one comment to stdout, naming stacks after their files', async () => {
    const r = await planComment(file('tts.json'), file('empty.json'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(PLAN_COMMENT_MARKER);
    expect(r.stdout).toContain('| `tts` | 1 | 3 | 1 | 2 | 1 | 1 |');
    expect(r.stdout).toContain('#### `empty`\n\nNo changes.');
    for (const s of FIXTURE_SECRETS) expect(r.stdout).not.toContain(s);
  });

  it('--stack names the next file', async () => {
    const r = await planComment(
      '--stack',
      'monitoring',
      file('plan.out.json'),
      '--stack=dbaas',
      file('tts.json'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| `monitoring` | 0 |');
    expect(r.stdout).toContain('| `dbaas` | 1 | 3 |');
    expect(r.stdout).not.toContain('plan.out');
  });

  it('--out-dir writes comment-N.md files of at most 65,535 characters and lists them', async () => {
    const out = file('out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'comment-9.md'), 'stale');
    fs.writeFileSync(path.join(out, 'keep.txt'), 'not ours');
    const r = await planComment('--out-dir', out, file('tts.json'), file('big.json'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const written = r.stdout.trim().split('\n');
    expect(written.length).toBeGreaterThanOrEqual(3);
    expect(written).toEqual(written.map((_, i) => path.join(out, `comment-${i + 1}.md`)));
    expect(fs.readdirSync(out).sort()).toEqual([...written.map((f) => path.basename(f)), 'keep.txt'].sort());
    const bodies = written.map((f) => fs.readFileSync(f, 'utf8'));
    bodies.forEach((b, i) => {
      expect(b.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(b.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true);
      if (i > 0) expect(b).toContain(`### Terraform plan (part ${i + 1}/${bodies.length})`);
    });
    expect(bodies[0]).toContain('| **Total** |');
    expect(bodies[0]).toContain('**destroy** `kubernetes_persistent_volume_claim.big_data_1` in `big`');
    expect(bodies[0]).toContain(
      '**replace** (destroy-before-create) `kubernetes_persistent_volume_claim.models` in `tts`',
    );
  });

  it('--out-dir creates the directory and writes one file when the comment fits', async () => {
    const out = file('nested/dir');
    const r = await planComment(`--out-dir=${out}`, file('tts.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${path.join(out, 'comment-1.md')}\n`);
    expect(fs.readFileSync(path.join(out, 'comment-1.md'), 'utf8')).toContain('### Terraform plan\n');
  });

  it('exits 2 with one message on invalid JSON', async () => {
    const r = await planComment(file('tts.json'), file('broken.json'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`plan-comment: ${file('broken.json')}: invalid JSON`);
  });

  it('exits 2 on a missing file', async () => {
    const r = await planComment(file('nope.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`plan-comment: ${file('nope.json')}: cannot read plan file (no such file)\n`);
  });

  it('exits 2 on an unknown format_version major', async () => {
    const r = await planComment(file('v2.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `plan-comment: ${file('v2.json')}: unsupported format_version "2.0" (this tool reads 1.x)\n`,
    );
  });

  it('exits 2 on bad usage', async () => {
    for (const [args, msg] of [
      [[], 'no plan files given'],
      [['--bogus', file('tts.json')], 'unknown option --bogus'],
      [[file('tts.json'), '--stack', 'x'], '--stack x is not followed by a plan file'],
      [['--out-dir'], '--out-dir needs a value'],
      [[file('tts.json'), file('tts.json')], 'stack tts is given twice'],
    ] as const) {
      const r = await planComment(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`plan-comment: ${msg}`);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('--help prints the usage', async () => {
    const r = await planComment('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: plan-comment [--out-dir DIR] [--stack NAME] <plan.json>...');
  });
});
