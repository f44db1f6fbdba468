// IngressNetworkPolicy: which namespaces may reach a workload's pods (executor).
import { describe, expect, it } from 'vitest';
import { IngressNetworkPolicy } from '../../../constructs/blocks/network-policy';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const ns = { name: 'ns', tier: Tier.AUX };

describe('IngressNetworkPolicy', () => {
  it('renders one rule with a from per namespace and the ports (protocol TCP by default)', () => {
    const s = testStack('np');
    new IngressNetworkPolicy(s, 'allow', {
      namespace: ns,
      name: 'allow',
      podSelector: { app: 'x' },
      rules: [{ fromNamespaces: ['traefik', 'hermes-agent'], ports: [{ port: 4788 }] }],
    });
    expect(resource(synth(s), 'kubernetes_network_policy', 'allow')).toMatchObject({
      metadata: { name: 'allow', namespace: 'ns' },
      spec: {
        pod_selector: { match_labels: { app: 'x' } },
        policy_types: ['Ingress'],
        ingress: [
          {
            from: [
              { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'traefik' } } },
              { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'hermes-agent' } } },
            ],
            ports: [{ port: '4788', protocol: 'TCP' }],
          },
        ],
      },
    });
  });

  it('v1 renders kubernetes_network_policy_v1; refuses no rules, no selector, a bad port', () => {
    const s = testStack('np');
    new IngressNetworkPolicy(s, 'p', {
      namespace: ns,
      name: 'p',
      podSelector: { app: 'x' },
      rules: [{ fromNamespaces: ['monitoring'], ports: [{ port: 8000, protocol: 'TCP' }] }],
      v1: true,
    });
    expect(resource(synth(s), 'kubernetes_network_policy_v1', 'p').spec.ingress).toHaveLength(1);
    const build = (over: object) => () =>
      new IngressNetworkPolicy(testStack('np'), 'p', {
        namespace: ns,
        name: 'p',
        podSelector: { app: 'x' },
        rules: [{ fromNamespaces: ['a'], ports: [{ port: 80 }] }],
        ...over,
      });
    expect(expectConfigError(build({ rules: [] })).prop).toBe('rules');
    expect(expectConfigError(build({ podSelector: {} })).prop).toBe('podSelector');
    expect(expectConfigError(build({ rules: [{ fromNamespaces: ['a'], ports: [{ port: 0 }] }] })).prop).toBe(
      'rules[0].ports[0].port',
    );
  });
});
