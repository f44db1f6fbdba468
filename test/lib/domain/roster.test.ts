import { describe, expect, it } from 'vitest';
import {
  allocatePorts,
  deriveDesiredState,
  deriveOsUser,
  parseAdminEmails,
  parseMembers,
  parsePorts,
  renderTtydUserMap,
  RosterError,
  rosterFromMembers,
  type Member,
} from '../../../lib/domain/roster';

const MEMBERS: Member[] = [
  { email: 'vbarzin@gmail.com', os_user: 'wizard' },
  { email: 'emil.barzin@gmail.com', os_user: 'emo' },
  { email: 'ancaelena98@gmail.com', os_user: 'ancamilea' },
];
const ADMINS = ['vbarzin@gmail.com'];

function err(fn: () => unknown): RosterError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RosterError);
    return e as RosterError;
  }
  throw new Error('expected a RosterError');
}

describe('deriveOsUser', () => {
  it('sanitizes the email local part (seed examples)', () => {
    expect(deriveOsUser('emil.barzin@gmail.com')).toBe('emil_barzin');
    expect(deriveOsUser('Weird.Name+tag@x.com')).toBe('weird_name_tag');
    expect(deriveOsUser('jane.doe@x.com', null)).toBe('jane_doe');
  });

  it('collapses a run of unsafe characters into one underscore and keeps - and _', () => {
    expect(deriveOsUser('a..+.b@x.com')).toBe('a_b');
    expect(deriveOsUser('a-b_c@x.com')).toBe('a-b_c');
    expect(deriveOsUser('a__b@x.com')).toBe('a__b');
  });

  it('trims leading and trailing underscores (incl. ones made from unsafe characters)', () => {
    expect(deriveOsUser('.john.@x.com')).toBe('john');
    expect(deriveOsUser('__john__@x.com')).toBe('john');
    expect(deriveOsUser('+!john%&@x.com')).toBe('john');
  });

  it('truncates a 40-character local part to 32', () => {
    expect(deriveOsUser(`${'a'.repeat(40)}@x.com`)).toBe('a'.repeat(32));
  });

  it('re-trims a trailing underscore exposed by the truncation', () => {
    // 31 letters, a dot, then more: the cut lands right after the '_' made from the dot.
    const local = `${'b'.repeat(31)}.cdef`;
    expect(deriveOsUser(`${local}@x.com`)).toBe('b'.repeat(31));
  });

  it('strips leading "-" and prefixes "u_" to a name starting with a digit', () => {
    expect(deriveOsUser('-bob@x.com')).toBe('bob');
    expect(deriveOsUser('-_-bob@x.com')).toBe('bob');
    expect(deriveOsUser('98anca@x.com')).toBe('u_98anca');
    expect(deriveOsUser('.42@x.com')).toBe('u_42');
    expect(deriveOsUser('-7up@x.com')).toBe('u_7up');
    // The prefix counts towards the 32 characters.
    expect(deriveOsUser(`${'1'.repeat(40)}@x.com`)).toBe(`u_${'1'.repeat(30)}`);
  });

  it('keeps a trailing "-" (valid in a Linux user name)', () => {
    expect(deriveOsUser('bob-@x.com')).toBe('bob-');
  });

  it('errors, naming the email, when nothing usable is left', () => {
    expect(err(() => deriveOsUser('...@x.com')).message).toContain('"...@x.com"');
    expect(err(() => deriveOsUser('--@x.com')).message).toMatch(/cannot derive.*os_user attribute/);
  });

  it('uses a non-blank os_user attribute, trimmed', () => {
    expect(deriveOsUser('emil.barzin@gmail.com', 'emo')).toBe('emo');
    expect(deriveOsUser('emil.barzin@gmail.com', '  emo\t')).toBe('emo');
  });

  it('ignores a blank or whitespace-only os_user attribute', () => {
    expect(deriveOsUser('emil.barzin@gmail.com', '')).toBe('emil_barzin');
    expect(deriveOsUser('emil.barzin@gmail.com', '   ')).toBe('emil_barzin');
    expect(deriveOsUser('emil.barzin@gmail.com', ' \t\n')).toBe('emil_barzin');
  });

  it('rejects an os_user attribute that is not a valid Linux user name, naming the email', () => {
    for (const bad of ['Emo', '1emo', '-emo', 'e.mo', 'e mo', 'a'.repeat(33), 'emo$']) {
      const e = err(() => deriveOsUser('emil.barzin@gmail.com', bad));
      expect(e.message).toContain('"emil.barzin@gmail.com"');
      expect(e.message).toContain('not a valid Linux user name');
    }
    expect(deriveOsUser('x@x.com', '_svc')).toBe('_svc');
    expect(deriveOsUser('x@x.com', 'a'.repeat(32))).toBe('a'.repeat(32));
  });

  it('rejects malformed emails', () => {
    for (const bad of [
      '',
      'no-at',
      '@x.com',
      'a@',
      'a@b@c',
      'a b@x.com',
      ' a@x.com',
      'a=b@x.com',
      '#a@x.com',
      'a@-x.com',
      'a@x..com',
    ]) {
      expect(err(() => deriveOsUser(bad)).message).toContain('invalid email');
    }
  });
});

describe('rosterFromMembers', () => {
  it('maps the identity fields (authentik_user = local part as given, k8s_user = email)', () => {
    const r = rosterFromMembers(MEMBERS, ADMINS);
    expect(r.emo).toEqual({
      os_user: 'emo',
      authentik_user: 'emil.barzin',
      k8s_user: 'emil.barzin@gmail.com',
      tier: 'power-user',
      namespaces: [],
    });
    const mixed = rosterFromMembers([{ email: 'Jane.Doe@Example.com' }], []);
    expect(mixed.jane_doe.authentik_user).toBe('Jane.Doe');
    expect(mixed.jane_doe.k8s_user).toBe('Jane.Doe@Example.com');
  });

  it('makes admin emails admins, case-insensitively', () => {
    expect(rosterFromMembers(MEMBERS, ADMINS).wizard.tier).toBe('admin');
    expect(rosterFromMembers(MEMBERS, ['VBarzin@Gmail.COM']).wizard.tier).toBe('admin');
    expect(rosterFromMembers([{ email: 'VBARZIN@gmail.com', os_user: 'wizard' }], ADMINS).wizard.tier).toBe(
      'admin',
    );
    expect(rosterFromMembers(MEMBERS, []).wizard.tier).toBe('power-user');
  });

  it('makes members with namespaces namespace-owners (admin wins), sorted and de-duplicated', () => {
    const r = rosterFromMembers(
      [
        { email: 'jane@x.com', namespaces: ['web', 'api', 'web'] },
        { email: 'bob@x.com', namespaces: [] },
        { email: 'vbarzin@gmail.com', os_user: 'wizard', namespaces: ['ops'] },
      ],
      ADMINS,
    );
    expect(r.jane.tier).toBe('namespace-owner');
    expect(r.jane.namespaces).toEqual(['api', 'web']);
    expect(r.bob.tier).toBe('power-user');
    expect(r.wizard.tier).toBe('admin');
  });

  it('rejects an invalid namespace name', () => {
    expect(
      err(() => rosterFromMembers([{ email: 'jane@x.com', namespaces: ['Web_1'] }], [])).message,
    ).toMatch(/"jane@x\.com".*invalid namespace "Web_1"/);
  });

  it('errors on an os_user collision, naming both emails', () => {
    const e = err(() =>
      rosterFromMembers(
        [
          { email: 'a@x.com', os_user: 'dup' },
          { email: 'b@y.com', os_user: 'dup' },
        ],
        [],
      ),
    );
    expect(e.message).toMatch(/collision/);
    expect(e.message).toContain('"a@x.com"');
    expect(e.message).toContain('"b@y.com"');
  });

  it('errors when a derived name collides with another member (derived or attribute)', () => {
    const derived = err(() =>
      rosterFromMembers([{ email: 'jane.doe@x.com' }, { email: 'jane+doe@y.com' }], []),
    );
    expect(derived.message).toContain('"jane.doe@x.com"');
    expect(derived.message).toContain('"jane+doe@y.com"');
    const mixed = err(() =>
      rosterFromMembers([{ email: 'emo@x.com' }, { email: 'emil@x.com', os_user: 'emo' }], []),
    );
    expect(mixed.message).toContain('"emo@x.com"');
    expect(mixed.message).toContain('"emil@x.com"');
  });

  it('errors on duplicate emails, case-insensitively', () => {
    const e = err(() =>
      rosterFromMembers(
        [
          { email: 'a@x.com', os_user: 'a1' },
          { email: 'A@X.com', os_user: 'a2' },
        ],
        [],
      ),
    );
    expect(e.message).toMatch(/duplicate member email.*"a@x\.com".*"A@X\.com"/);
  });

  it('errors when two members share a dispatch key (same local part, other domain)', () => {
    const e = err(() =>
      rosterFromMembers(
        [
          { email: 'sam@x.com', os_user: 'sam1' },
          { email: 'Sam@y.com', os_user: 'sam2' },
        ],
        [],
      ),
    );
    expect(e.message).toMatch(/dispatch key collision.*"sam@x\.com".*"Sam@y\.com"/);
  });

  it('handles names that are special to JavaScript objects', () => {
    const r = rosterFromMembers([{ email: '__proto__@x.com', os_user: '__proto__' }], []);
    expect(Object.keys(r)).toEqual(['__proto__']);
    expect(Object.prototype.hasOwnProperty.call(r, '__proto__')).toBe(true);
    const ds = deriveDesiredState(
      [{ email: 'constructor@x.com' }, { email: '__proto__@x.com', os_user: '__proto__' }],
      [],
    );
    expect(ds.ports).toEqual(JSON.parse('{"__proto__":3773,"constructor":3774}'));
    expect(JSON.stringify(ds.dispatch)).toBe(
      '{"__proto__":{"os_user":"__proto__","port":3773},"constructor":{"os_user":"constructor","port":3774}}',
    );
  });

  it('rejects a malformed admin email', () => {
    expect(err(() => rosterFromMembers(MEMBERS, ['not-an-email'])).message).toContain('"not-an-email"');
  });
});

describe('allocatePorts', () => {
  it('gives new users the lowest free ports from 3773, in os_user order', () => {
    expect(allocatePorts(['b', 'a'], {})).toEqual({ a: 3773, b: 3774 });
  });

  it('keeps sticky ports across add/remove and reuses a freed port', () => {
    const first = allocatePorts(
      ['A', 'B'].map((s) => s.toLowerCase()),
      {},
    );
    expect(first).toEqual({ a: 3773, b: 3774 });
    const removed = allocatePorts(['b'], first);
    expect(removed).toEqual({ b: 3774 });
    const added = allocatePorts(['b', 'c'], removed);
    expect(added).toEqual({ b: 3774, c: 3773 });
  });

  it('keeps existing ports even when a new user sorts first, and fills gaps lowest-first', () => {
    expect(allocatePorts(['aa', 'zz', 'mm'], { zz: 3773, mm: 3775 })).toEqual({
      aa: 3774,
      mm: 3775,
      zz: 3773,
    });
    expect(allocatePorts(['a', 'b', 'c'], { c: 3774 })).toEqual({ a: 3773, b: 3775, c: 3774 });
  });

  it('drops assignments for unknown users, freeing their ports', () => {
    expect(allocatePorts(['new'], { gone: 3773, other: 3780 })).toEqual({ new: 3773 });
  });

  it('keeps an existing port outside the allocation range and never hands it out twice', () => {
    expect(allocatePorts(['a', 'b'], { a: 3000 })).toEqual({ a: 3000, b: 3773 });
  });

  it('errors on a corrupt existing map with two users on one port', () => {
    const e = err(() => allocatePorts(['a'], { a: 3773, b: 3773 }));
    expect(e.message).toMatch(/corrupt.*"a".*"b".*3773/);
  });

  it('errors on an existing value that is not a port number', () => {
    for (const bad of [0, -1, 65536, 3773.5, Number.NaN]) {
      expect(err(() => allocatePorts(['a'], { a: bad })).message).toContain('"a"');
    }
  });

  it('errors when the range is exhausted', () => {
    const existing: Record<string, number> = {};
    const users: string[] = [];
    for (let p = 3773; p <= 65535; p++) {
      existing[`u${p}`] = p;
      users.push(`u${p}`);
    }
    expect(err(() => allocatePorts([...users, 'last'], existing)).message).toContain(
      'no free port left for "last"',
    );
  });
});

describe('deriveDesiredState', () => {
  it('derives accounts, ports, dispatch and the ttyd user map (seed example)', () => {
    const ds = deriveDesiredState(MEMBERS, ADMINS, { wizard: 3773, emo: 3774, ancamilea: 3775 });
    expect(ds.dispatch['emil.barzin']).toEqual({ os_user: 'emo', port: 3774 });
    expect(ds.accounts.wizard).toEqual({
      groups: ['code-shared', 'docker', 'sudo'],
      os_user: 'wizard',
      shell: '/bin/bash',
      tier: 'admin',
    });
    expect(ds.accounts.emo).toEqual({ groups: [], os_user: 'emo', shell: '/bin/bash', tier: 'power-user' });
    expect(ds.ports).toEqual({ ancamilea: 3775, emo: 3774, wizard: 3773 });
    expect(ds.ttyd_user_map).toBe('ancaelena98=ancamilea\nemil.barzin=emo\nvbarzin=wizard\n');
  });

  it('gives namespace-owners no extra groups', () => {
    const ds = deriveDesiredState([{ email: 'jane@x.com', namespaces: ['jane'] }], []);
    expect(ds.accounts.jane).toEqual({
      groups: [],
      os_user: 'jane',
      shell: '/bin/bash',
      tier: 'namespace-owner',
    });
    expect(ds.users.jane.namespaces).toEqual(['jane']);
  });

  it('sticky ports across membership changes: add A,B; remove A; add C', () => {
    const a = { email: 'a@x.com' };
    const b = { email: 'b@x.com' };
    const c = { email: 'c@x.com' };
    const s1 = deriveDesiredState([a, b], []);
    expect(s1.ports).toEqual({ a: 3773, b: 3774 });
    const s2 = deriveDesiredState([b], [], s1.ports);
    expect(s2.ports).toEqual({ b: 3774 });
    expect(s2.dispatch).toEqual({ b: { os_user: 'b', port: 3774 } });
    expect(s2.ttyd_user_map).toBe('b=b\n');
    const s3 = deriveDesiredState([b, c], [], s2.ports);
    expect(s3.ports).toEqual({ b: 3774, c: 3773 });
    expect(s3.dispatch.c).toEqual({ os_user: 'c', port: 3773 });
  });

  it('is independent of member order and emits sorted keys', () => {
    const members: Member[] = [
      { email: 'zed@x.com' },
      { email: 'Amy@x.com' },
      { email: 'mo@x.com', os_user: 'b_mo' },
    ];
    const one = deriveDesiredState(members, []);
    const two = deriveDesiredState([...members].reverse(), []);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(Object.keys(one.accounts)).toEqual(['amy', 'b_mo', 'zed']);
    expect(Object.keys(one.ports)).toEqual(['amy', 'b_mo', 'zed']);
    expect(Object.keys(one.dispatch)).toEqual(['Amy', 'mo', 'zed']);
    expect(one.ttyd_user_map).toBe('Amy=amy\nmo=b_mo\nzed=zed\n');
    expect(one.ports).toEqual({ amy: 3773, b_mo: 3774, zed: 3775 });
  });

  it('renders an empty map for no members', () => {
    const ds = deriveDesiredState([], ADMINS, { old: 3773 });
    expect(ds).toEqual({ accounts: {}, dispatch: {}, ports: {}, ttyd_user_map: '', users: {} });
    expect(renderTtydUserMap([])).toBe('');
  });
});

describe('input shape', () => {
  it('accepts an array or {members: [...]}', () => {
    const list = [
      { email: 'a@x.com', os_user: null },
      { email: 'b@x.com', os_user: 'bee', namespaces: ['b'] },
    ];
    const want = [{ email: 'a@x.com' }, { email: 'b@x.com', os_user: 'bee', namespaces: ['b'] }];
    expect(parseMembers(list)).toEqual(want);
    expect(parseMembers({ members: list })).toEqual(want);
  });

  it('rejects wrong shapes with a message saying where', () => {
    expect(err(() => parseMembers('x')).message).toMatch(/JSON array/);
    expect(err(() => parseMembers({ users: [] })).message).toMatch(/"members" array/);
    expect(err(() => parseMembers({ members: [], extra: 1 })).message).toMatch(/"members" array/);
    expect(err(() => parseMembers({ members: {} })).message).toMatch(/got object/);
    expect(err(() => parseMembers([1])).message).toBe('members[0] must be an object, got number');
    expect(err(() => parseMembers([{ os_user: 'x' }])).message).toBe('members[0] is missing "email"');
    expect(err(() => parseMembers([{ email: 5 }])).message).toBe(
      'members[0].email must be a string, got number',
    );
    expect(err(() => parseMembers([{ email: 'a@x.com', os_user: 5 }])).message).toMatch(
      /os_user must be a string/,
    );
    expect(err(() => parseMembers([{ email: 'a@x.com', namespaces: 'ns' }])).message).toMatch(
      /namespaces must be an array/,
    );
    expect(err(() => parseMembers([{ email: 'a@x.com', 'os-user': 'x' }])).message).toMatch(
      /unknown key "os-user"/,
    );
  });

  it('checks the ports map shape', () => {
    expect(parsePorts({ a: 3773 })).toEqual({ a: 3773 });
    expect(err(() => parsePorts([3773])).message).toMatch(/must be a JSON object/);
    expect(err(() => parsePorts({ a: '3773' })).message).toBe('ports["a"] must be a number, got string');
  });

  it('parses the admin email list, ignoring blanks', () => {
    expect(parseAdminEmails(' a@x.com, ,b@y.com,')).toEqual(['a@x.com', 'b@y.com']);
    expect(parseAdminEmails('')).toEqual([]);
    expect(err(() => parseAdminEmails('a@x.com,oops')).message).toContain('"oops"');
  });
});
