// Parity of stacks/networking-toolbox with the tree's stacks/networking-toolbox (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import networkingToolbox from '../../stacks/networking-toolbox';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(networkingToolbox);
const TREE_ADDRESSES = [
  'kubernetes_namespace.networking-toolbox',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.networking-toolbox',
  'kubernetes_service.networking-toolbox',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack networking-toolbox', () => {
  it('is in the registry, after platform, with pg state', () => {
    expect(STACKS).toContain(networkingToolbox);
    expect(networkingToolbox.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'networking-toolbox' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('runs the pinned image, enrolled in Sablier, with the tree ignore list', () => {
    const d = comparable(at('kubernetes_deployment.networking-toolbox'));
    expect(d.metadata.labels).toEqual({
      app: 'networking-toolbox',
      tier: '4-aux',
      'sablier.enable': 'true',
      'sablier.group': 'networking-toolbox',
      'sablier.ready-after': '5s',
    });
    expect(d.metadata.annotations).toBeUndefined();
    expect(d.spec.strategy).toBeUndefined();
    expect(d.spec.template.metadata.annotations).toEqual({
      'diun.enable': 'true',
      'diun.include_tags': '^\\d+\\.\\d+\\.\\d+$',
    });
    expect(d.spec.template.spec.container).toEqual([
      {
        name: 'networking-toolbox',
        image: 'lissy93/networking-toolbox:1.6.0',
        port: [{ container_port: 3000 }],
        resources: { requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'spec[0].replicas',
      ].sort(),
    );
    expect(comparable(at('kubernetes_service.networking-toolbox')).spec.port).toEqual([
      { name: 'http', port: 80, target_port: '3000' },
    ]);
  });

  it('routes behind Authentik with the Sablier middleware after it', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const chain = (
      ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string
    ).split(',');
    expect(chain.slice(-2)).toEqual([
      'traefik-authentik-forward-auth@kubernetescrd',
      'networking-toolbox-sablier-networking-toolbox@kubernetescrd',
    ]);
    expect(ingress.metadata.annotations['gethomepage.dev/name']).toBe('Networking Toolbox');
    expect(ingress.metadata.annotations['gethomepage.dev/pod-selector']).toBe('');
    const sablier = at('module.ingress.kubectl_manifest.sablier[0]').yaml_body as string;
    expect(sablier).toContain('"group": "networking-toolbox"');
  });
});
