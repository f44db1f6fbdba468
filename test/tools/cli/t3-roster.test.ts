// Runs the bundled CLI (dist/t3-roster.js, built by the global test setup) as a subprocess.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distCli, run, tempDir, type RunResult } from '../../support/fakes';

const CLI = distCli('t3-roster');
let tmp: { dir: string; cleanup(): void };

function file(name: string, content: unknown): string {
  const p = path.join(tmp.dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

function cli(...args: string[]): Promise<RunResult> {
  return run([process.execPath, CLI, ...args]);
}

/** Bad input: exit 2, nothing on stdout, exactly one line on stderr; returns that line. */
function expectBadInput(r: RunResult): string {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^t3-roster: /);
  return lines[0];
}

const MEMBERS = [
  { email: 'vbarzin@gmail.com', os_user: 'wizard' },
  { email: 'emil.barzin@gmail.com', os_user: 'emo' },
  { email: 'Weird.Name+tag@x.com', os_user: '  ' },
  { email: 'jane@x.com', namespaces: ['jane'] },
];

beforeAll(() => {
  tmp = tempDir('t3-roster-');
});
afterAll(() => tmp.cleanup());

describe('t3-roster derive', () => {
  it('prints the desired state as JSON', async () => {
    const members = file('members.json', MEMBERS);
    const ports = file('ports.json', { emo: 3774, gone: 3773 });
    const r = await cli(
      'derive',
      '--members',
      members,
      '--ports',
      ports,
      '--admin-emails',
      'VBARZIN@gmail.com,other@x.com',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['accounts', 'dispatch', 'ports', 'ttyd_user_map']);
    expect(out.accounts).toEqual({
      emo: { groups: [], os_user: 'emo', shell: '/bin/bash', tier: 'power-user' },
      jane: { groups: [], os_user: 'jane', shell: '/bin/bash', tier: 'namespace-owner' },
      weird_name_tag: { groups: [], os_user: 'weird_name_tag', shell: '/bin/bash', tier: 'power-user' },
      wizard: {
        groups: ['code-shared', 'docker', 'sudo'],
        os_user: 'wizard',
        shell: '/bin/bash',
        tier: 'admin',
      },
    });
    // emo keeps 3774; the unknown user's 3773 is freed; new users fill from 3773 in os_user order.
    expect(out.ports).toEqual({ emo: 3774, jane: 3773, weird_name_tag: 3775, wizard: 3776 });
    expect(out.dispatch).toEqual({
      'Weird.Name+tag': { os_user: 'weird_name_tag', port: 3775 },
      'emil.barzin': { os_user: 'emo', port: 3774 },
      jane: { os_user: 'jane', port: 3773 },
      vbarzin: { os_user: 'wizard', port: 3776 },
    });
    expect(out.ttyd_user_map).toBe(
      'Weird.Name+tag=weird_name_tag\nemil.barzin=emo\njane=jane\nvbarzin=wizard\n',
    );
    expect(r.stdout.endsWith('}\n')).toBe(true);
  });

  it('accepts {members: [...]}, --flag=value, no --ports and an empty admin list', async () => {
    const members = file('wrapped.json', { members: [{ email: 'b@x.com' }, { email: 'a@x.com' }] });
    const r = await cli('derive', `--members=${members}`, '--admin-emails=');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ports).toEqual({ a: 3773, b: 3774 });
    expect(out.accounts.a.tier).toBe('power-user');
  });

  it('feeds its own ports back: sticky across remove + add', async () => {
    const p1 = JSON.parse(
      (
        await cli(
          'derive',
          '--members',
          file('m1.json', [{ email: 'a@x.com' }, { email: 'b@x.com' }]),
          '--admin-emails',
          '',
        )
      ).stdout,
    ).ports;
    const p2 = JSON.parse(
      (
        await cli(
          'derive',
          '--members',
          file('m2.json', [{ email: 'b@x.com' }]),
          '--ports',
          file('p1.json', p1),
          '--admin-emails',
          '',
        )
      ).stdout,
    ).ports;
    const r3 = await cli(
      'derive',
      '--members',
      file('m3.json', [{ email: 'b@x.com' }, { email: 'c@x.com' }]),
      '--ports',
      file('p2.json', p2),
      '--admin-emails',
      '',
    );
    expect(p1).toEqual({ a: 3773, b: 3774 });
    expect(p2).toEqual({ b: 3774 });
    expect(JSON.parse(r3.stdout).ports).toEqual({ b: 3774, c: 3773 });
  });

  it('prints usage on --help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: t3-roster derive --members FILE/);
  });
});

describe('t3-roster bad input (exit 2, one stderr line, empty stdout)', () => {
  const ok = (): string => file('ok.json', MEMBERS);

  it('no subcommand / unknown subcommand', async () => {
    expect(expectBadInput(await cli())).toMatch(/missing subcommand/);
    expect(expectBadInput(await cli('apply', '--members', ok()))).toMatch(/unknown subcommand "apply"/);
  });

  it('unknown flag, stray argument, missing value, repeated flag, missing required flag', async () => {
    expect(
      expectBadInput(await cli('derive', '--members', ok(), '--admin-emails', '', '--roster', 'x')),
    ).toMatch(/unknown flag "--roster"/);
    expect(expectBadInput(await cli('derive', '--members', ok(), '--admin-emails', '', 'extra'))).toMatch(
      /unexpected argument "extra"/,
    );
    expect(expectBadInput(await cli('derive', '--admin-emails', '', '--members'))).toMatch(
      /--members needs a value/,
    );
    expect(expectBadInput(await cli('derive', '--members', '--admin-emails', ''))).toMatch(
      /--members needs a value/,
    );
    expect(
      expectBadInput(await cli('derive', '--members', ok(), '--members', ok(), '--admin-emails', '')),
    ).toMatch(/--members given twice/);
    expect(expectBadInput(await cli('derive', '--admin-emails', ''))).toMatch(/--members is required/);
    expect(expectBadInput(await cli('derive', '--members', ok()))).toMatch(/--admin-emails is required/);
  });

  it('unreadable files (missing members, missing explicit ports, a directory)', async () => {
    const missing = path.join(tmp.dir, 'nope.json');
    expect(expectBadInput(await cli('derive', '--members', missing, '--admin-emails', ''))).toContain(
      `cannot read --members file "${missing}": ENOENT`,
    );
    expect(
      expectBadInput(await cli('derive', '--members', ok(), '--ports', missing, '--admin-emails', '')),
    ).toContain(`cannot read --ports file "${missing}": ENOENT`);
    expect(expectBadInput(await cli('derive', '--members', tmp.dir, '--admin-emails', ''))).toMatch(/EISDIR/);
  });

  it('invalid JSON (members and ports)', async () => {
    const bad = file('bad.json', '[{"email": "a@x.com",\n');
    expect(expectBadInput(await cli('derive', '--members', bad, '--admin-emails', ''))).toMatch(
      /--members file ".*bad\.json" is not valid JSON/,
    );
    expect(
      expectBadInput(await cli('derive', '--members', ok(), '--ports', bad, '--admin-emails', '')),
    ).toMatch(/--ports file ".*bad\.json" is not valid JSON/);
  });

  it('wrong shapes', async () => {
    const cases: [unknown, RegExp][] = [
      [{ email: 'a@x.com' }, /JSON array or an object with only a "members" array/],
      ['just a string', /got string/],
      [[{ email: 'a@x.com', os_user: 7 }], /os_user must be a string or null/],
      [[{ email: 'a@x.com', name: 'A' }], /unknown key "name"/],
    ];
    for (const [content, want] of cases) {
      const f = file('shape.json', JSON.stringify(content));
      expect(expectBadInput(await cli('derive', '--members', f, '--admin-emails', ''))).toMatch(want);
    }
    const ports = file('ports-arr.json', [3773]);
    expect(
      expectBadInput(await cli('derive', '--members', ok(), '--ports', ports, '--admin-emails', '')),
    ).toMatch(/ports must be a JSON object/);
  });

  it('missing email', async () => {
    const f = file('noemail.json', [{ email: 'a@x.com' }, { os_user: 'bob' }]);
    expect(expectBadInput(await cli('derive', '--members', f, '--admin-emails', ''))).toBe(
      't3-roster: members[1] is missing "email"',
    );
  });

  it('os_user collision names both emails', async () => {
    const f = file('coll.json', [
      { email: 'a@x.com', os_user: 'dup' },
      { email: 'b@y.com', os_user: 'dup' },
    ]);
    const line = expectBadInput(await cli('derive', '--members', f, '--admin-emails', ''));
    expect(line).toMatch(/collision/);
    expect(line).toContain('"a@x.com"');
    expect(line).toContain('"b@y.com"');
  });

  it('invalid os_user attribute, bad admin email, corrupt ports', async () => {
    const f = file('badattr.json', [{ email: 'a@x.com', os_user: 'Root User' }]);
    expect(expectBadInput(await cli('derive', '--members', f, '--admin-emails', ''))).toMatch(
      /"a@x\.com".*not a valid Linux user name/,
    );
    expect(expectBadInput(await cli('derive', '--members', ok(), '--admin-emails', 'vbarzin'))).toMatch(
      /invalid email "vbarzin"/,
    );
    const ports = file('corrupt.json', { emo: 3774, wizard: 3774 });
    expect(
      expectBadInput(await cli('derive', '--members', ok(), '--ports', ports, '--admin-emails', '')),
    ).toMatch(/corrupt.*"emo".*"wizard".*3774/);
  });
});
