// Parity of stacks/cyberchef with the tree's stacks/cyberchef (HEAD 0cd4afb6): every address the tree has
// is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { SENSITIVE_TLS_SECRET_NAME } from '../support/synth';
import { describe, expect, it } from 'vitest';
import cyberchef from '../../stacks/cyberchef';
import { STACKS } from '../../stacks';
import { comparable, treeAnubisInstance } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(cyberchef);
const TREE_ADDRESSES = [
  'kubernetes_namespace.cyberchef',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.cyberchef',
  'kubernetes_service.cyberchef',
  'module.anubis.kubernetes_config_map.policy',
  'module.anubis.kubernetes_manifest.ed25519_secret',
  'module.anubis.kubernetes_deployment.anubis',
  'module.anubis.kubernetes_service.anubis',
  'module.anubis.kubernetes_pod_disruption_budget_v1.anubis',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]', // sablier set
  // no cloudflare_record: cc.viktorbarzin.me is not the apex, it rides the `*` wildcard CNAME
];

const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack cyberchef', () => {
  it('is in the registry, after platform, with pg state under schema "cyberchef"', () => {
    expect(STACKS).toContain(cyberchef);
    expect(cyberchef.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'cyberchef' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(json.provider?.cloudflare).toBeUndefined();
  });

  it('declares the namespace without the istio label, as the tree', () => {
    expect(comparable(at('kubernetes_namespace.cyberchef'))).toEqual({
      metadata: { name: 'cyberchef', labels: { tier: '4-aux', 'keel.sh/enrolled': 'true' } },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
    expect(at('module.tls_secret.kubernetes_secret.tls_secret').metadata).toEqual({
      name: SENSITIVE_TLS_SECRET_NAME,
      namespace: 'cyberchef',
    });
  });

  it('runs CyberChef Sablier-enrolled as the tree', () => {
    expect(comparable(at('kubernetes_deployment.cyberchef'))).toEqual({
      metadata: {
        name: 'cyberchef',
        namespace: 'cyberchef',
        labels: {
          app: 'cyberchef',
          tier: '4-aux',
          'sablier.enable': 'true',
          'sablier.group': 'cyberchef',
          'sablier.ready-after': '5s',
        },
        annotations: { 'reloader.stakater.com/search': 'true' },
      },
      spec: {
        replicas: '1',
        strategy: { type: 'RollingUpdate' },
        selector: { match_labels: { app: 'cyberchef' } },
        template: {
          metadata: {
            labels: { app: 'cyberchef' },
            annotations: { 'diun.enable': 'true', 'diun.include_tags': '^v\\d+\\.\\d+\\.\\d+$' },
          },
          spec: {
            container: [
              {
                image: 'mpepping/cyberchef:v9.55.0',
                name: 'cyberchef',
                port: [{ container_port: 8000 }],
                resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } },
              },
            ],
          },
        },
      },
      lifecycle: {
        ignore_changes: [
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
      },
    });
    expect(comparable(at('kubernetes_service.cyberchef'))).toEqual({
      metadata: { name: 'cc', namespace: 'cyberchef', labels: { app: 'cyberchef' } },
      spec: { selector: { app: 'cyberchef' }, port: [{ name: 'http', target_port: '8000', port: 80 }] },
    });
  });

  it('renders the anubis module resources as the tree (name cc, store DB 5)', () => {
    const tree = treeAnubisInstance({
      name: 'cc',
      namespace: 'cyberchef',
      targetUrl: 'http://cc.cyberchef.svc.cluster.local',
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/5',
    });
    for (const [address, expected] of Object.entries(tree)) {
      expect(comparable(at(`module.anubis.${address}`)), address).toEqual(comparable(expected));
    }
  });

  it('routes cc through Anubis with the Sablier middleware after the defaults, as the tree', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata).toEqual({
      name: 'cc',
      namespace: 'cyberchef',
      annotations: {
        'traefik.ingress.kubernetes.io/router.middlewares': [
          'traefik-real-ip@kubernetescrd',
          'traefik-retry@kubernetescrd',
          'traefik-error-pages@kubernetescrd',
          'traefik-rate-limit@kubernetescrd',
          'traefik-csp-headers@kubernetescrd',
          'cyberchef-sablier-cc@kubernetescrd',
          'traefik-x402@kubernetescrd',
        ].join(','),
        'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'CyberChef',
        'gethomepage.dev/description': 'Data transformation toolkit',
        'gethomepage.dev/icon': 'cyberchef.png',
        'gethomepage.dev/group': 'Development & CI',
        'gethomepage.dev/pod-selector': '',
        'gethomepage.dev/href': 'https://cc.viktorbarzin.me',
        'cloudflare.viktorbarzin.me/dns-type': 'proxied',
        'uptime.viktorbarzin.me/external-monitor': 'true',
      },
    });
    expect(ingress.spec).toEqual({
      ingress_class_name: 'traefik',
      tls: [{ hosts: ['cc.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
      rule: [
        {
          host: 'cc.viktorbarzin.me',
          http: {
            path: [{ path: '/', backend: { service: { name: 'anubis-cc', port: { number: 8080 } } } }],
          },
        },
      ],
    });
    const sablier = at('module.ingress.kubectl_manifest.sablier[0]').yaml_body as string;
    expect(sablier).toContain('"name": "sablier-cc"');
    expect(sablier).toContain('"group": "cyberchef"');
    expect(sablier).toContain('"sessionDuration": "3h"');
  });

  it('synthesizes no key material', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/-----BEGIN|PRIVATE KEY-----/);
    expect(text).not.toMatch(/[0-9a-f]{128}/);
  });
});
