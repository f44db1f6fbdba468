// npm run payloads (tools/cli/payloads.ts): copies the tree payloads our synthesized stacks declare from a
// tree, writes deterministic stand-ins for CI, and checks for missing ones, naming stack and file.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/fakes';
import { writeFixture } from '../../support/rehearsal-fixture';

const root = path.resolve(__dirname, '..', '..', '..');
const tmp = tempDir('payloads-');
afterAll(() => tmp.cleanup());

const payloads = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'payloads.js'), ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('payloads', () => {
  const f = writeFixture(path.join(tmp.dir, 'fx'), ['clean', 'nopayload']);
  const dest = path.join(tmp.dir, 'repo');
  fs.mkdirSync(dest);
  const common = ['--ours', f.ours, '--dest', dest];

  it('--check lists the declared payloads that are missing and exits 2', () => {
    const r = payloads(['--check', ...common]);
    expect(r.code).toBe(2);
    expect(r.out).toBe(
      [
        'missing: stack clean needs tree-payloads/clean/_heredoc/main.tf/motd.sh/0',
        'missing: stack clean needs tree-payloads/clean/files/run.sh',
        'missing: stack nopayload needs tree-payloads/nopayload/_heredoc/main.tf/motd.sh/0',
        'missing: stack nopayload needs tree-payloads/nopayload/files/gone.sh',
        '4 declared, 4 missing',
        '',
      ].join('\n'),
    );
  });

  it('--from copies the tree files; one the tree lacks is named and exits 2', () => {
    const r = payloads(['--from', f.tree, ...common]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('copied stacks/clean/files/run.sh -> tree-payloads/clean/files/run.sh');
    expect(r.out).toContain(
      'missing: stack nopayload declares tree-payloads/nopayload/files/gone.sh, but the tree has no stacks/nopayload/files/gone.sh',
    );
    expect(fs.readFileSync(path.join(dest, 'tree-payloads/clean/files/run.sh'), 'utf8')).toBe(
      fs.readFileSync(path.join(f.tree, 'stacks/clean/files/run.sh'), 'utf8'),
    );
    // a heredoc of the stack's .tf file, extracted as Terraform reads its template source
    expect(r.out).toContain(
      'copied stacks/clean/main.tf (heredoc #0 with key motd.sh) -> tree-payloads/clean/_heredoc/main.tf/motd.sh/0',
    );
    expect(
      fs.readFileSync(path.join(dest, 'tree-payloads/clean/_heredoc/main.tf/motd.sh/0'), 'utf8'),
    ).toMatch(
      /^#!\/bin\/sh\n# fixture heredoc: tier \$\{local\.tiers\.aux\}\ncat <<EOF\n  home \$\$\{HOME\}\nEOF\n$/,
    );
  });

  it('--stand-ins fills only what is missing, deterministically', () => {
    const r = payloads(['--stand-ins', ...common]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('4 declared, 1 stand-ins written\n');
    expect(fs.readFileSync(path.join(dest, 'tree-payloads/nopayload/files/gone.sh'), 'utf8')).toMatch(
      /^# stand-in for the tree's stacks\/nopayload\/files\/gone\.sh/,
    );
    expect(payloads(['--check', ...common]).code).toBe(0);
  });

  it('usage: --help 0, bad flags 2 with one line', () => {
    expect(payloads(['--help']).code).toBe(0);
    const r = payloads(['--nope']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('payloads: unknown argument --nope (--help for usage)\n');
  });
});
