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

  it('fromNamespaces: several sources in one rule; legacyResourceType renders kubernetes_network_policy', () => {
    const s = testStack();
    new NamespaceIngressPolicy(s, 'executor_ingress', {
      namespace: namespaceNamed('executor'),
      name: 'executor-allow',
      podSelector: { app: 'executor' },
      allow: [{ fromNamespaces: ['traefik', 'hermes-agent'], ports: [4788] }],
      legacyResourceType: true,
    });
    expect(resource(synth(s), 'kubernetes_network_policy', 'executor_ingress').spec.ingress).toEqual([
      {
        from: [
          { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'traefik' } } },
          { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'hermes-agent' } } },
        ],
        ports: [{ port: '4788', protocol: 'TCP' }],
      },
    ]);
    const both = () =>
      new NamespaceIngressPolicy(testStack(), 'x', {
        namespace: namespaceNamed('a'),
        name: 'x',
        podSelector: { app: 'x' },
        allow: [{ fromNamespace: 'a', fromNamespaces: ['b'], ports: [80] }],
      });
    expect(expectConfigError(both).prop).toBe('allow[0]');
  });

  it('from: mixed sources in one rule, in order (a client label, names, CIDRs)', () => {
    const s = testStack();
    new NamespaceIngressPolicy(s, 'ws', {
      namespace: namespaceNamed('app'),
      name: 'ws',
      podSelector: { app: 'app' },
      allow: [
        {
          from: [{ namespaceLabels: { 'app.example/client': 'true' } }, { namespace: 'f1-stream' }],
          ports: [9222],
        },
        { from: [{ cidr: '10.0.0.0/8' }, { cidr: '100.64.0.0/10' }], ports: [59000], protocol: 'UDP' },
      ],
    });
    expect(resource(synth(s), 'kubernetes_network_policy_v1', 'ws').spec.ingress).toEqual([
      {
        from: [
          { namespace_selector: { match_labels: { 'app.example/client': 'true' } } },
          { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'f1-stream' } } },
        ],
        ports: [{ port: '9222', protocol: 'TCP' }],
      },
      {
        from: [{ ip_block: { cidr: '10.0.0.0/8' } }, { ip_block: { cidr: '100.64.0.0/10' } }],
        ports: [{ port: '59000', protocol: 'UDP' }],
      },
    ]);
  });

  it('refuses a bad CIDR, empty labels, two kinds in one source, or from beside fromNamespace', () => {
    const mk = (rule: object) => () =>
      new NamespaceIngressPolicy(testStack(), 'x', {
        namespace: namespaceNamed('a'),
        name: 'x',
        podSelector: { app: 'x' },
        allow: [{ ports: [80], ...rule }],
      });
    expect(expectConfigError(mk({ from: [{ cidr: '10.0.0.0/33' }] })).prop).toBe('allow[0].from[0].cidr');
    expect(expectConfigError(mk({ from: [{ cidr: '10.0.0/8' }] })).prop).toBe('allow[0].from[0].cidr');
    expect(expectConfigError(mk({ from: [{ namespaceLabels: {} }] })).prop).toBe(
      'allow[0].from[0].namespaceLabels',
    );
    expect(expectConfigError(mk({ from: [{ namespace: 'a', cidr: '10.0.0.0/8' }] })).prop).toBe(
      'allow[0].from[0]',
    );
    expect(expectConfigError(mk({ from: [{ namespace: 'a' }], fromNamespace: 'b' })).prop).toBe('allow[0]');
    expect(expectConfigError(mk({ from: [] })).prop).toBe('allow[0]');
  });
});
