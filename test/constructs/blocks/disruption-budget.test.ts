import { describe, expect, it } from 'vitest';
import { DisruptionBudget } from '../../../constructs/blocks/disruption-budget';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Deployment } from '../../../constructs/blocks/workload';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const appIn = (s: ReturnType<typeof testStack>) =>
  new Deployment(s, 'app', {
    namespace: new TieredNamespace(s, 'ns', { name: 'apps', tier: Tier.AUX }),
    name: 'app',
    containers: [{ name: 'app', image: 'busybox:1.36' }],
  });

describe('DisruptionBudget', () => {
  it("covers the workload's pods by its selector, named after it", () => {
    const s = testStack();
    new DisruptionBudget(s, 'pdb', { workload: appIn(s), maxUnavailable: '1', addressName: 'app' });
    const r = resource(synth(s), 'kubernetes_pod_disruption_budget_v1', 'app');
    expect(r.metadata).toEqual({ name: 'app', namespace: '${kubernetes_namespace.ns.metadata[0].name}' });
    expect(r.spec).toEqual({ max_unavailable: '1', selector: { match_labels: { app: 'app' } } });
  });

  it('takes a percentage and its own name; refuses anything else', () => {
    const s = testStack();
    new DisruptionBudget(s, 'pdb', { workload: appIn(s), maxUnavailable: '25%', name: 'app-budget' });
    const r = resource(synth(s), 'kubernetes_pod_disruption_budget_v1', 'pdb');
    expect([r.metadata.name, r.spec.max_unavailable]).toEqual(['app-budget', '25%']);
    const bad = () => {
      const t = testStack();
      return new DisruptionBudget(t, 'pdb', { workload: appIn(t), maxUnavailable: 'one' });
    };
    expect(expectConfigError(bad).prop).toBe('maxUnavailable');
  });
});
