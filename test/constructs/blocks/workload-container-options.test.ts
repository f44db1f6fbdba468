// Container options of the workload block that few tree stacks use: an interactive terminal (tty/stdin,
// ebook2audiobook's entrypoint), the pod's termination grace period (dawarich) and one-per-node
// anti-affinity (claude-memory).
import { describe, expect, it } from 'vitest';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Deployment } from '../../../constructs/blocks/workload';
import { Tier } from '../../../lib/conventions/tiers';
import { Duration } from '../../../lib/core/units';
import { resource, synth, testStack } from '../../support/synth';

describe('container tty and stdin', () => {
  it('renders tty and stdin when asked, and leaves them out otherwise', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'gpu', { tier: Tier.GPU });
    new Deployment(s, 'tts', {
      namespace: ns,
      name: 'tts',
      containers: [
        { name: 'tts', image: 'tts:1', tty: true, stdin: true },
        { name: 'side', image: 'side:1' },
      ],
    });
    const [tts, side] = resource(synth(s), 'kubernetes_deployment', 'tts').spec.template.spec.container;
    expect(tts.tty).toBe(true);
    expect(tts.stdin).toBe(true);
    expect(side.tty).toBeUndefined();
    expect(side.stdin).toBeUndefined();
  });
});

describe('terminationGracePeriod', () => {
  it('renders the pod grace period in whole seconds, and nothing when unset', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'app', { tier: Tier.EDGE });
    new Deployment(s, 'slow', {
      namespace: ns,
      name: 'slow',
      terminationGracePeriod: Duration.minutes(1),
      containers: [{ name: 'slow', image: 'slow:1' }],
    });
    new Deployment(s, 'fast', {
      namespace: ns,
      name: 'fast',
      containers: [{ name: 'fast', image: 'fast:1' }],
    });
    const json = synth(s);
    expect(
      resource(json, 'kubernetes_deployment', 'slow').spec.template.spec.termination_grace_period_seconds,
    ).toBe(60);
    expect(
      resource(json, 'kubernetes_deployment', 'fast').spec.template.spec.termination_grace_period_seconds,
    ).toBeUndefined();
  });
});

describe('antiAffinity', () => {
  it('renders required anti-affinity against the workload selector, nothing when unset', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    new Deployment(s, 'spread', {
      namespace: ns,
      name: 'spread',
      antiAffinity: { topologyKey: 'kubernetes.io/hostname' },
      containers: [{ name: 'spread', image: 'spread:1' }],
    });
    new Deployment(s, 'plain', {
      namespace: ns,
      name: 'plain',
      containers: [{ name: 'plain', image: 'p:1' }],
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_deployment', 'spread').spec.template.spec.affinity).toEqual({
      pod_anti_affinity: {
        required_during_scheduling_ignored_during_execution: [
          { label_selector: [{ match_labels: { app: 'spread' } }], topology_key: 'kubernetes.io/hostname' },
        ],
      },
    });
    expect(resource(json, 'kubernetes_deployment', 'plain').spec.template.spec.affinity).toBeUndefined();
  });
});
