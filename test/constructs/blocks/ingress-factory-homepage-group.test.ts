// The homepage group an ingress derives from its namespace: looked up by the namespace's literal name,
// also when the namespace is a TieredNamespace (whose `name` is a reference), as the tree's module does.
import { describe, expect, it } from 'vitest';
import { IngressFactory } from '../../../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import { resource, synth, testStack } from '../../support/synth';

const group = (ns: (s: ReturnType<typeof testStack>) => TieredNamespace | { name: string; tier: Tier }) => {
  const s = testStack('hp');
  new IngressFactory(s, 'ingress', { name: 'cam', namespace: ns(s) });
  return resource(synth(s), 'kubernetes_ingress_v1', 'ingress').metadata.annotations['gethomepage.dev/group'];
};

describe('IngressFactory homepage group', () => {
  it('maps a TieredNamespace by its literal name', () => {
    expect(group((s) => new TieredNamespace(s, 'frigate', { tier: Tier.GPU }))).toBe('Smart Home');
  });

  it('maps a namespace by name, and falls back to Other', () => {
    expect(group(() => ({ name: 'frigate', tier: Tier.GPU }))).toBe('Smart Home');
    expect(group((s) => new TieredNamespace(s, 'health', { tier: Tier.AUX }))).toBe('Other');
  });
});
