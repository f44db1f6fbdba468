import { describe, expect, it } from 'vitest';
import {
  ALL_PORT_ROLES,
  blockBase,
  checkPortPlan,
  MAX_BLOCK_INDEX,
  MAX_PORT,
  PORT_ROLES,
  rolePort,
  type PortRequest,
  type PortRole,
} from '../../../lib/domain/port-allocation';
import { DEFAULT_SITE } from '../../../lib/conventions/site';

const WEB: PortRole[] = ['http', 'https', 'ssh', 'test'];
const DATA: PortRole[] = ['ssh', 'postgres', 'redis'];

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('port blocks', () => {
  it('block i starts at 8100 + 10*i with fixed role offsets', () => {
    expect(blockBase(0)).toBe(8100);
    expect(blockBase(7)).toBe(8170);
    expect(ALL_PORT_ROLES.map((r) => rolePort(3, r))).toEqual([8130, 8131, 8132, 8133, 8134, 8135]);
    expect(Object.fromEntries(ALL_PORT_ROLES.map((r) => [r, PORT_ROLES[r].targetPort]))).toEqual({
      http: 80,
      https: 443,
      ssh: 22,
      test: 8080,
      postgres: 5432,
      redis: 6379,
    });
  });

  it('MAX_BLOCK_INDEX is the last block that fits below 65536', () => {
    expect(blockBase(MAX_BLOCK_INDEX) + 9).toBeLessThanOrEqual(MAX_PORT);
    expect(blockBase(MAX_BLOCK_INDEX + 1) + 9).toBeGreaterThan(MAX_PORT);
  });

  it('proof by enumeration: the ports of all blocks and all roles are pairwise distinct', () => {
    const seen = new Set<number>();
    for (let i = 0; i <= MAX_BLOCK_INDEX; i++) {
      for (const role of ALL_PORT_ROLES) seen.add(rolePort(i, role));
      // Every port of block i lies strictly below block i+1.
      if (Math.max(...ALL_PORT_ROLES.map((r) => rolePort(i, r))) >= blockBase(i + 1)) {
        throw new Error(`block ${i} reaches into block ${i + 1}`);
      }
    }
    expect(seen.size).toBe((MAX_BLOCK_INDEX + 1) * ALL_PORT_ROLES.length);
  });

  it("RAVE's layout (HTTPS at +10) collides and the checker says where", () => {
    // RAVE: VM1 http 8100 / https 8110; VM2 http 8110. Reproduced with an override.
    const plan = checkPortPlan([
      { owner: 'vm1', blockIndex: 0, roles: WEB, overrides: { https: 8110 } },
      { owner: 'vm2', blockIndex: 1, roles: WEB },
    ]);
    expect(plan.issues).toEqual([
      {
        owner: 'vm2',
        prop: 'ports.http',
        value: 8110,
        allowed: 'a port free on the shared IP: 8110/TCP is already vm1 https (8110/TCP)',
      },
    ]);
  });
});

describe('checkPortPlan', () => {
  it('property: 60 companies with random distinct block indexes never share a port', () => {
    const rand = prng(20240611);
    for (let round = 0; round < 50; round++) {
      const indexes = new Set<number>();
      while (indexes.size < 60) indexes.add(Math.floor(rand() * (MAX_BLOCK_INDEX + 1)));
      const requests: PortRequest[] = [...indexes].map((blockIndex, i) => ({
        owner: `company-${i}`,
        blockIndex,
        roles: rand() < 0.3 ? DATA : WEB,
      }));
      // Without the tree's reserved ports: the block arithmetic alone must be collision-free.
      const plan = checkPortPlan(requests);
      expect(plan.issues).toEqual([]);
      const all = [...plan.ports.values()].flatMap((p) => Object.values(p));
      expect(all.length).toBe(requests.reduce((a, r) => a + r.roles.length, 0));
      expect(new Set(all).size).toBe(all.length);
      expect(Math.min(...all)).toBeGreaterThanOrEqual(1024);
      expect(Math.max(...all)).toBeLessThanOrEqual(65535);
    }
  });

  it('property: random duplicate indexes are always reported, naming both VMs', () => {
    const rand = prng(7);
    for (let round = 0; round < 50; round++) {
      const a = Math.floor(rand() * 60);
      let b = Math.floor(rand() * 60);
      if (b === a) b = (a + 1) % 60;
      const requests: PortRequest[] = Array.from({ length: 60 }, (_, i) => ({
        owner: `c${i}`,
        blockIndex: i,
        roles: WEB,
      }));
      requests[b] = { ...requests[b], blockIndex: a };
      const issues = checkPortPlan(requests).issues;
      expect(issues).toHaveLength(1);
      const [first, second] = a < b ? [`c${a}`, `c${b}`] : [`c${b}`, `c${a}`];
      expect(issues[0]).toMatchObject({ owner: second, prop: 'blockIndex', value: a });
      expect(issues[0].allowed).toContain(`${a} is ${first}'s`);
    }
  });

  it('refuses block indexes out of range with the allowed range', () => {
    for (const bad of [-1, MAX_BLOCK_INDEX + 1, 1.5, Number.NaN]) {
      const [issue] = checkPortPlan([{ owner: 'x', blockIndex: bad, roles: WEB }]).issues;
      expect(issue).toMatchObject({ owner: 'x', prop: 'blockIndex' });
      expect(issue.allowed).toContain(`an integer from 0 to ${MAX_BLOCK_INDEX}`);
    }
  });

  it('refuses override ports outside 1024-65535 and overrides of unpublished roles', () => {
    for (const bad of [80, 1023, 65536, 8100.5]) {
      const [issue] = checkPortPlan([
        { owner: 'x', blockIndex: 0, roles: WEB, overrides: { http: bad } },
      ]).issues;
      expect(issue).toEqual({
        owner: 'x',
        prop: 'ports.http',
        value: bad,
        allowed: 'an integer port from 1024 to 65535',
      });
    }
    const [issue] = checkPortPlan([
      { owner: 'x', blockIndex: 0, roles: DATA, overrides: { https: 9000 } },
    ]).issues;
    expect(issue).toMatchObject({ prop: 'ports.https', value: 9000 });
    expect(issue.allowed).toContain('ssh, postgres, redis');
  });

  it('catches collisions inside one VM and with reserved ports of the same protocol only', () => {
    const inner = checkPortPlan([
      { owner: 'x', blockIndex: 0, roles: WEB, overrides: { test: 8100 } },
    ]).issues;
    expect(inner).toEqual([
      {
        owner: 'x',
        prop: 'ports.test',
        value: 8100,
        allowed: 'a port free on the shared IP: 8100/TCP is already x http (8100/TCP)',
      },
    ]);
    const reserved = [
      { port: 9001, protocol: 'UDP' as const, owner: 'udp-thing' },
      { port: 9000, protocol: 'TCP' as const, owner: 'tcp-thing' },
    ];
    const plan = checkPortPlan(
      [{ owner: 'x', blockIndex: 0, roles: WEB, overrides: { http: 9000, https: 9001 } }],
      reserved,
      '10.0.20.200',
    );
    expect(plan.issues).toEqual([
      {
        owner: 'x',
        prop: 'ports.http',
        value: 9000,
        allowed: 'a port free on 10.0.20.200: 9000/TCP is already tcp-thing (9000/TCP)',
      },
    ]);
  });

  it("block 4190's http port is the tree's qbittorrent 50000/TCP: the site's reserved list catches it", () => {
    expect(rolePort(4190, 'http')).toBe(50000);
    const [issue] = checkPortPlan(
      [{ owner: 'x', blockIndex: 4190, roles: WEB }],
      DEFAULT_SITE.sharedLbPorts,
    ).issues;
    expect(issue).toMatchObject({ prop: 'ports.http', value: 50000 });
    expect(issue.allowed).toContain('servarr/qbittorrent-torrenting (50000/TCP)');
  });

  it('reports a repeated owner once', () => {
    const issues = checkPortPlan([
      { owner: 'x', blockIndex: 0, roles: WEB },
      { owner: 'x', blockIndex: 1, roles: WEB },
    ]).issues;
    expect(issues).toEqual([
      { owner: 'x', prop: 'name', value: 'x', allowed: 'each company (and plane) once' },
    ]);
  });
});
