import { describe, expect, it } from 'vitest';
import { NamespaceIngressPolicy } from '../../../constructs/blocks/network-policy';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

describe('NamespaceIngressPolicy', () => {
  it('one ingress rule per allowed namespace, ports as strings, TCP by default', () => {
    const s = testStack();
    new NamespaceIngressPolicy(s, 'app_ingress', {
      namespace: namespaceNamed('app'),
      name: 'app-ingress',
      podSelector: { app: 'app' },
      allow: [
        { fromNamespace: 'traefik', ports: [8000] },
        { fromNamespace: 'monitoring', ports: [9090, 9091], protocol: 'UDP' },
      ],
    });
    expect(resource(synth(s), 'kubernetes_network_policy_v1', 'app_ingress')).toEqual({
      metadata: { name: 'app-ingress', namespace: 'app' },
      spec: {
        pod_selector: { match_labels: { app: 'app' } },
        policy_types: ['Ingress'],
        ingress: [
          {
            from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'traefik' } } }],
            ports: [{ port: '8000', protocol: 'TCP' }],
          },
          {
            from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
            ports: [
              { port: '9090', protocol: 'UDP' },
              { port: '9091', protocol: 'UDP' },
            ],
          },
        ],
      },
    });
  });

  it('refuses an empty selector, no rules, a rule without ports, a bad port or an unknown key', () => {
    const mk = (p: object) => () =>
      new NamespaceIngressPolicy(testStack(), 'x', {
        namespace: namespaceNamed('a'),
        name: 'x',
        podSelector: { app: 'x' },
        allow: [{ fromNamespace: 'traefik', ports: [80] }],
        ...p,
      });
    expect(expectConfigError(mk({ podSelector: {} })).prop).toBe('podSelector');
    expect(expectConfigError(mk({ allow: [] })).prop).toBe('allow');
    expect(expectConfigError(mk({ allow: [{ fromNamespace: 'traefik', ports: [] }] })).prop).toBe(
      'allow[0].ports',
    );
    expect(expectConfigError(mk({ allow: [{ fromNamespace: 'traefik', ports: [0] }] })).prop).toBe(
      'allow[0].ports[0]',
    );
    expect(expectConfigError(mk({ allow: [{ fromNamespace: 'traefik', ports: [80], port: 1 }] })).prop).toBe(
      'allow[0].port',
    );
  });
});
