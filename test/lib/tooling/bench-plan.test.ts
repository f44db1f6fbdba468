import { describe, expect, it } from 'vitest';
import { benchPlan, spread, TREE_STACK_COUNT, type BenchStackPlan } from '../../../lib/tooling/bench-plan';

const count = (plan: BenchStackPlan[], f: (p: BenchStackPlan) => boolean) => plan.filter(f).length;

describe('benchPlan: a synthetic app in the proportions of the tree', () => {
  it('154 stacks have exactly the tree counts (reference survey, section 0)', () => {
    const plan = benchPlan(TREE_STACK_COUNT);
    expect(plan).toHaveLength(154);
    expect(count(plan, (p) => p.ingress)).toBe(107);
    expect(count(plan, (p) => p.kind === 'anubis')).toBe(7);
    expect(count(plan, (p) => p.kind === 'gpu')).toBe(9);
    expect(count(plan, (p) => p.nfs)).toBe(43);
    expect(count(plan, (p) => p.tlsSecret)).toBe(97);
    expect(count(plan, (p) => p.namespace)).toBe(143);
    expect(count(plan, (p) => p.cronJob)).toBe(52);
  });

  it('names are unique DNS labels, zero-padded in order', () => {
    const names = benchPlan(154).map((p) => p.name);
    expect(new Set(names).size).toBe(154);
    expect(names.slice(0, 2)).toEqual(['bench-000', 'bench-001']);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(benchPlan(1001).at(-1)!.name).toBe('bench-1000');
  });

  it('smaller apps already mix every kind in proportion (the rare kinds are not bunched at the end)', () => {
    const kinds = (n: number) => new Set(benchPlan(n).map((p) => p.kind));
    expect([...kinds(40)].sort()).toEqual(['anubis', 'gpu', 'static', 'web']);
    const plan = benchPlan(40);
    expect(count(plan, (p) => p.kind === 'web')).toBeGreaterThanOrEqual(31);
    expect(count(plan, (p) => p.kind === 'web')).toBeLessThanOrEqual(34);
    // Twice the tree: twice each count.
    const twice = benchPlan(308);
    expect(count(twice, (p) => p.ingress)).toBe(214);
    expect(count(twice, (p) => p.kind === 'gpu')).toBe(18);
  });

  it('is deterministic: the same N gives the same plan', () => {
    expect(benchPlan(154)).toEqual(benchPlan(154));
  });

  it('refuses a stack count outside 1..9999', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 10000]) {
      expect(() => benchPlan(bad)).toThrow(
        `bench app: invalid stack count ${bad}; allowed: an integer from 1 to 9999`,
      );
    }
  });
});

describe('spread', () => {
  it('selects exactly count of every total consecutive indices, evenly', () => {
    const picks = Array.from({ length: 126 }, (_, i) => spread(i, 31, 126));
    expect(picks.filter(Boolean)).toHaveLength(31);
    // Never more than one pick per ceil(126 / 31) = 5 consecutive indices.
    for (let i = 0; i + 4 < 126; i++)
      expect(picks.slice(i, i + 4).filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(Array.from({ length: 10 }, (_, i) => spread(i, 0, 10)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 10 }, (_, i) => spread(i, 10, 10)).every(Boolean)).toBe(true);
  });
});
