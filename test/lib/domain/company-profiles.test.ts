import { describe, expect, it } from 'vitest';
import {
  checkCompanyRegistry,
  planCompany,
  PROFILES,
  REGISTRY_SCOPE,
  type CompanySpec,
} from '../../../lib/domain/company-profiles';
import { formatValue } from '../../../lib/validation/errors';
import { DEFAULT_SITE } from '../../../lib/conventions/site';
import { expectConfigError } from '../../support/synth';

/** Asserts a ConfigError names path, prop, value and (part of) what is allowed. */
function expectGuard(fn: () => unknown, path: string, prop: string, value: unknown, allowed: string): void {
  const err = expectConfigError(fn);
  expect(err.constructPath).toBe(path);
  expect(err.prop).toBe(prop);
  expect(err.message.startsWith(`${path}: invalid ${prop} = ${formatValue(value)}; allowed: `)).toBe(true);
  expect(err.message).toContain(allowed);
}

const where = 'stack x/company';

describe('profiles', () => {
  it('has the documented sizes, vCPUs and published ports', () => {
    const table = Object.fromEntries(
      Object.entries(PROFILES).map(([n, p]) => [n, [p.memory, p.disk, p.cores, p.ports.join(',')]]),
    );
    expect(table).toEqual({
      production: ['12Gi', '40Gi', 6, 'http,https,ssh,test'],
      development: ['8Gi', '30Gi', 4, 'http,https,ssh,test'],
      demo: ['6Gi', '24Gi', 2, 'http,https,ssh,test'],
      dataPlane: ['4Gi', '40Gi', 2, 'ssh,postgres,redis'],
      appsPlane: ['8Gi', '30Gi', 4, 'http,https,ssh,test'],
    });
    expect(PROFILES.production.services).toEqual(expect.arrayContaining(['penpot', 'outline', 'n8n']));
    for (const p of ['development', 'demo', 'appsPlane', 'dataPlane'] as const) {
      expect(PROFILES[p].services).not.toEqual(expect.arrayContaining(['penpot']));
      expect(PROFILES[p].services).not.toContain('outline');
      expect(PROFILES[p].services).not.toContain('n8n');
    }
    expect(PROFILES.dataPlane.services).toEqual(['postgresql', 'redis']);
    expect(PROFILES.appsPlane.services).not.toContain('postgresql');
  });
});

describe('planCompany', () => {
  it('single mode: development by default, settings override the profile', () => {
    const [vm] = planCompany(where, { name: 'acme', blockIndex: 3, memory: '10Gi', cores: 5 });
    expect(vm).toMatchObject({
      company: 'acme',
      vmName: 'acme',
      owner: 'acme',
      plane: undefined,
      profile: 'development',
      memory: '10Gi',
      disk: '30Gi',
      cores: 5,
      blockIndex: 3,
      running: true,
      roles: ['http', 'https', 'ssh', 'test'],
    });
  });

  it('split mode: a dataPlane then an appsPlane VM, each with its own block', () => {
    const vms = planCompany(where, {
      name: 'globex',
      planes: { data: { blockIndex: 1, disk: '100Gi' }, apps: { blockIndex: 2, running: false } },
    });
    expect(vms.map((v) => [v.vmName, v.owner, v.profile, v.blockIndex, v.disk, v.running])).toEqual([
      ['globex-data', 'globex/data', 'dataPlane', 1, '100Gi', true],
      ['globex-apps', 'globex/apps', 'appsPlane', 2, '30Gi', false],
    ]);
  });

  describe('guards', () => {
    const base: CompanySpec = { name: 'acme', blockIndex: 0 };
    const split = { data: { blockIndex: 1 }, apps: { blockIndex: 2 } };
    const label = 'a DNS-1123 label';
    it.each([
      ['Acme', label],
      ['acme_corp', label],
      ['-acme', label],
      ['a'.repeat(41), 'at most 40 characters'],
      ['', label],
    ])('name %j', (name, allowed) => {
      expectGuard(() => planCompany(where, { ...base, name }), where, 'name', name, allowed);
    });

    it('accepts a 40-character name', () => {
      expect(planCompany(where, { ...base, name: 'a'.repeat(40) })[0].vmName).toHaveLength(40);
    });

    it.each(['staging', 'dataPlane', 'appsPlane'])('profile %j (single mode)', (profile) => {
      expectGuard(
        () => planCompany(where, { ...base, profile: profile as 'demo' }),
        where,
        'profile',
        profile,
        'one of "production", "development", "demo"',
      );
    });

    it('profile together with planes', () => {
      expectGuard(
        () => planCompany(where, { name: 'g', profile: 'demo', planes: split }),
        where,
        'profile',
        'demo',
        'unset when planes is set',
      );
    });

    it('single-VM settings together with planes', () => {
      expectGuard(
        () => planCompany(where, { name: 'g', blockIndex: 4, planes: split }),
        where,
        'blockIndex',
        4,
        'give it per plane (planes.data.blockIndex, planes.apps.blockIndex)',
      );
    });

    it('unknown or missing planes', () => {
      const extra = { ...split, cache: { blockIndex: 3 } } as unknown as typeof split;
      expectGuard(
        () => planCompany(where, { name: 'g', planes: extra }),
        where,
        'planes.cache',
        { blockIndex: 3 },
        'only planes.data and planes.apps',
      );
      const missing = { data: { blockIndex: 1 } } as unknown as typeof split;
      expectGuard(
        () => planCompany(where, { name: 'g', planes: missing }),
        where,
        'planes.apps',
        undefined,
        'at least { blockIndex }',
      );
    });

    it.each([
      ['memory', '8'],
      ['memory', '0Gi'],
      ['memory', '8GB'],
      ['memory', '-1Gi'],
      ['disk', '30'],
      ['disk', 30],
    ])('%s %j', (prop, value) => {
      expectGuard(
        () => planCompany(where, { ...base, [prop]: value }),
        where,
        prop,
        value,
        'a positive size with a unit: Ki, Mi, Gi, Ti (or k, M, G, T), e.g. "8Gi"',
      );
    });

    it('sizes are checked per plane with the plane in the prop', () => {
      expectGuard(
        () => planCompany(where, { name: 'g', planes: { ...split, data: { blockIndex: 1, disk: '0Gi' } } }),
        where,
        'planes.data.disk',
        '0Gi',
        'a positive size with a unit',
      );
    });

    it.each([0, 65, 1.5])('cores %j', (cores) => {
      expectGuard(
        () => planCompany(where, { ...base, cores }),
        where,
        'cores',
        cores,
        'an integer from 1 to 64',
      );
    });

    it.each(['0', 'two', '1Gi'])('cpuRequest %j', (cpuRequest) => {
      expectGuard(
        () => planCompany(where, { ...base, cpuRequest }),
        where,
        'cpuRequest',
        cpuRequest,
        'a positive CPU quantity',
      );
    });

    it.each(['ftp://x/a.qcow2', 'file:///a.qcow2', 'a.qcow2'])('imageUrl %j', (imageUrl) => {
      expectGuard(
        () => planCompany(where, { ...base, imageUrl }),
        where,
        'imageUrl',
        imageUrl,
        'an http:// or https:// URL',
      );
    });

    it('running must be a boolean', () => {
      expectGuard(
        () => planCompany(where, { ...base, running: 'yes' as unknown as boolean }),
        where,
        'running',
        'yes',
        'true (runStrategy Always) or false (Halted)',
      );
    });

    it('blockIndex is required and in range', () => {
      expectGuard(
        () => planCompany(where, { name: 'acme' }),
        where,
        'blockIndex',
        undefined,
        'an explicit, stable integer from 0 to 5742',
      );
      expectGuard(
        () => planCompany(where, { ...base, blockIndex: 5743 }),
        where,
        'blockIndex',
        5743,
        'an integer from 0 to 5742',
      );
      expectGuard(
        () => planCompany(where, { ...base, blockIndex: -1 }),
        where,
        'blockIndex',
        -1,
        'an integer from 0 to 5742',
      );
      expectGuard(
        () => planCompany(where, { name: 'g', planes: { ...split, apps: {} } }),
        where,
        'planes.apps.blockIndex',
        undefined,
        'an explicit, stable integer',
      );
    });

    it('port overrides: range, role, and collisions between the planes of one company', () => {
      expectGuard(
        () => planCompany(where, { ...base, ports: { https: 443 } }),
        where,
        'ports.https',
        443,
        'an integer port from 1024 to 65535',
      );
      expectGuard(
        () => planCompany(where, { ...base, ports: { redis: 9000 } }),
        where,
        'ports.redis',
        9000,
        'a role this VM publishes: http, https, ssh, test',
      );
      expectGuard(
        () =>
          planCompany(where, {
            name: 'g',
            planes: { data: { blockIndex: 1, ports: { ssh: 8122 } }, apps: { blockIndex: 2 } },
          }),
        where,
        'planes.apps.ports.ssh',
        8122,
        '8122/TCP is already g/data ssh',
      );
    });
  });
});

describe('checkCompanyRegistry', () => {
  const reserved = DEFAULT_SITE.sharedLbPorts;
  it('plans every company and returns them by name', () => {
    const planned = checkCompanyRegistry(
      [
        { name: 'a', blockIndex: 0 },
        { name: 'b', planes: { data: { blockIndex: 1 }, apps: { blockIndex: 2 } } },
      ],
      reserved,
    );
    expect([...planned.keys()]).toEqual(['a', 'b']);
    expect(planned.get('b')!.map((v) => v.vmName)).toEqual(['b-data', 'b-apps']);
  });

  it('rejects a duplicate company name', () => {
    expectGuard(
      () =>
        checkCompanyRegistry([
          { name: 'a', blockIndex: 0 },
          { name: 'a', blockIndex: 1 },
        ]),
      `${REGISTRY_SCOPE} entry 1 "a"`,
      'name',
      'a',
      'each company name once',
    );
  });

  it("points an entry's own guard at the entry", () => {
    expectGuard(
      () =>
        checkCompanyRegistry([
          { name: 'a', blockIndex: 0 },
          { name: 'b', blockIndex: 1, memory: '4' },
        ]),
      `${REGISTRY_SCOPE} entry 1 "b"`,
      'memory',
      '4',
      'a positive size with a unit',
    );
  });

  it('rejects a block index shared by two companies (also across planes)', () => {
    expectGuard(
      () =>
        checkCompanyRegistry([
          { name: 'a', blockIndex: 2 },
          { name: 'b', planes: { data: { blockIndex: 1 }, apps: { blockIndex: 2 } } },
        ]),
      `${REGISTRY_SCOPE} company "b"`,
      'planes.apps.blockIndex',
      2,
      "a block index no other VM uses (2 is a's)",
    );
  });

  it("rejects a port of the tree's Services on the shared IP", () => {
    expectGuard(
      () =>
        checkCompanyRegistry([{ name: 'a', blockIndex: 0, ports: { ssh: 5432 } }], reserved, '10.0.20.200'),
      `${REGISTRY_SCOPE} company "a"`,
      'ports.ssh',
      5432,
      'a port free on 10.0.20.200: 5432/TCP is already dbaas/postgresql-lb (5432/TCP)',
    );
  });

  it('rejects an override landing in another company block', () => {
    expectGuard(
      () =>
        checkCompanyRegistry([
          { name: 'a', blockIndex: 0, ports: { test: 8110 } },
          { name: 'b', blockIndex: 1 },
        ]),
      `${REGISTRY_SCOPE} company "b"`,
      'ports.http',
      8110,
      '8110/TCP is already a test (8110/TCP)',
    );
  });
});
