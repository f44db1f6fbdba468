// disruptionBudget: a PDB beside the workload selecting its pods, one of maxUnavailable/minAvailable.
import { describe, expect, it } from 'vitest';
import { disruptionBudget } from '../../../constructs/blocks/disruption-budget';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Deployment } from '../../../constructs/blocks/workload';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const app = () => {
  const s = testStack('pdb');
  const ns = new TieredNamespace(s, 'mem', { tier: Tier.AUX });
  const d = new Deployment(s, 'mem', {
    namespace: ns,
    name: 'mem',
    selector: { run: 'mem' },
    containers: [{ name: 'mem', image: 'mem:1' }],
  });
  return { s, d };
};

describe('disruptionBudget', () => {
  it('selects the workload pods under its name and address', () => {
    const { s, d } = app();
    disruptionBudget(d, { maxUnavailable: '1' });
    const pdb = resource(synth(s), 'kubernetes_pod_disruption_budget_v1', 'mem');
    expect(pdb.metadata).toEqual({ name: 'mem', namespace: '${kubernetes_namespace.mem.metadata[0].name}' });
    expect(pdb.spec).toEqual({ max_unavailable: '1', selector: { match_labels: { run: 'mem' } } });
  });

  it('takes minAvailable as a percentage and a name of its own', () => {
    const { s, d } = app();
    disruptionBudget(d, { minAvailable: '50%', name: 'mem-pdb', addressName: 'mem_pdb' });
    const pdb = resource(synth(s), 'kubernetes_pod_disruption_budget_v1', 'mem_pdb');
    expect(pdb.metadata.name).toBe('mem-pdb');
    expect(pdb.spec.min_available).toBe('50%');
    expect(pdb.spec.max_unavailable).toBeUndefined();
  });

  it('refuses both or neither bound, a bad count and an unknown prop', () => {
    expect(expectConfigError(() => disruptionBudget(app().d, {})).message).toMatch(/exactly one of/);
    expect(
      expectConfigError(() => disruptionBudget(app().d, { maxUnavailable: '1', minAvailable: '1' })).message,
    ).toMatch(/exactly one of/);
    expect(expectConfigError(() => disruptionBudget(app().d, { maxUnavailable: 'one' })).prop).toBe(
      'disruptionBudget.maxUnavailable',
    );
    expect(() => disruptionBudget(app().d, { maxUnavailable: '1', max: '1' } as never)).toThrow(/max/);
  });
});
