// Parity of stacks/blog with the tree's stacks/blog (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { SENSITIVE_TLS_SECRET_NAME } from '../support/synth';
import { describe, expect, it } from 'vitest';
import blog from '../../stacks/blog';
import { STACKS } from '../../stacks';
import { comparable, treeAnubisInstance } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  moves,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(blog);
const TREE_ADDRESSES = [
  'kubernetes_namespace.website',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.blog',
  'kubernetes_service.blog',
  'module.anubis.kubernetes_config_map.policy',
  'module.anubis.kubernetes_manifest.ed25519_secret',
  'module.anubis.kubernetes_deployment.anubis',
  'module.anubis.kubernetes_service.anubis',
  'module.anubis.kubernetes_pod_disruption_budget_v1.anubis',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.proxied[0]', // dns_type proxied on the zone apex
  'module.ingress_net_diag.kubernetes_ingress_v1.proxied-ingress',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];

const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack blog', () => {
  it('is in the registry, after platform, with pg state under schema "blog"', () => {
    expect(STACKS).toContain(blog);
    expect(blog.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'blog' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('declares the namespace and TLS secret as the tree', () => {
    expect(comparable(at('kubernetes_namespace.website'))).toEqual({
      metadata: {
        name: 'website',
        labels: { 'istio-injection': 'disabled', tier: '4-aux', 'keel.sh/enrolled': 'true' },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
    const tls = at('module.tls_secret.kubernetes_secret.tls_secret');
    expect(tls.metadata).toEqual({ name: SENSITIVE_TLS_SECRET_NAME, namespace: 'website' });
    expect(tls.type).toBe('kubernetes.io/tls');
  });

  it('runs the blog and its nginx exporter sidecar as the tree', () => {
    expect(comparable(at('kubernetes_deployment.blog'))).toEqual({
      metadata: { name: 'blog', namespace: 'website', labels: { run: 'blog', tier: '4-aux' } },
      spec: {
        replicas: '1',
        selector: { match_labels: { run: 'blog' } },
        template: {
          metadata: { labels: { run: 'blog' } },
          spec: {
            container: [
              {
                image: 'viktorbarzin/blog:latest',
                name: 'blog',
                resources: { limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '64Mi' } },
                port: [{ container_port: 80 }],
              },
              {
                image: 'nginx/nginx-prometheus-exporter',
                name: 'nginx-exporter',
                args: ['-nginx.scrape-uri', 'http://127.0.0.1:8080/nginx_status'],
                port: [{ container_port: 9113 }],
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
          'spec[0].template[0].spec[0].container[1].image',
          'metadata[0].annotations["kubernetes.io/change-cause"]',
          'metadata[0].annotations["deployment.kubernetes.io/revision"]',
          'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        ].sort(),
      },
    });
    expect(comparable(at('kubernetes_service.blog'))).toEqual({
      metadata: {
        name: 'blog',
        namespace: 'website',
        labels: { run: 'blog' },
        annotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/path': '/metrics',
          'prometheus.io/port': '9113',
        },
      },
      spec: {
        selector: { run: 'blog' },
        port: [
          { name: 'http', port: 80, target_port: '80' },
          { name: 'prometheus', port: 9113, target_port: '9113' },
        ],
      },
    });
  });

  it('renders the anubis module resources as the tree (store DB 10, two replicas)', () => {
    const tree = treeAnubisInstance({
      name: 'blog',
      namespace: 'website',
      targetUrl: 'http://blog.website.svc.cluster.local',
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/10',
    });
    for (const [address, expected] of Object.entries(tree)) {
      expect(comparable(at(`module.anubis.${address}`)), address).toEqual(comparable(expected));
    }
    expect(json.resource!.kubernetes_deployment.anubis.depends_on).toEqual([
      moves(json).get('module.anubis.kubernetes_manifest.ed25519_secret'),
    ]);
  });

  it('routes the apex through Anubis with the tree annotations, middlewares and apex record', () => {
    expect(at('module.ingress.kubernetes_ingress_v1.proxied-ingress')).toEqual({
      metadata: {
        name: 'blog',
        namespace: 'website',
        annotations: {
          'traefik.ingress.kubernetes.io/router.middlewares': [
            'traefik-real-ip@kubernetescrd',
            'traefik-retry@kubernetescrd',
            'traefik-error-pages@kubernetescrd',
            'traefik-rate-limit@kubernetescrd',
            'traefik-csp-headers@kubernetescrd',
            'traefik-x402@kubernetescrd',
          ].join(','),
          'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
          'gethomepage.dev/enabled': 'true',
          'gethomepage.dev/name': 'Blog',
          'gethomepage.dev/description': 'Personal blog',
          'gethomepage.dev/icon': 'hugo.png',
          'gethomepage.dev/group': 'Other',
          'gethomepage.dev/pod-selector': '',
          'gethomepage.dev/href': 'https://viktorbarzin.me',
          'cloudflare.viktorbarzin.me/dns-type': 'proxied',
          'uptime.viktorbarzin.me/external-monitor': 'true',
        },
      },
      spec: {
        ingress_class_name: 'traefik',
        tls: [{ hosts: ['viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
        rule: [
          {
            host: 'viktorbarzin.me',
            http: {
              path: [{ path: '/', backend: { service: { name: 'anubis-blog', port: { number: 8080 } } } }],
            },
          },
        ],
      },
    });
    expect(at('module.ingress.cloudflare_record.proxied[0]')).toEqual({
      name: '@',
      content: '75182cd7-bb91-4310-b961-5d8967da8b41.cfargotunnel.com',
      proxied: true,
      ttl: 1,
      type: 'CNAME',
      zone_id: 'fd2c5dd4efe8fe38958944e74d0ced6d',
      allow_overwrite: true,
    });
  });

  it('carves /net-diag.sh out to the bare blog service, without DNS or homepage tile', () => {
    expect(at('module.ingress_net_diag.kubernetes_ingress_v1.proxied-ingress')).toEqual({
      metadata: {
        name: 'blog-net-diag',
        namespace: 'website',
        annotations: {
          'traefik.ingress.kubernetes.io/router.middlewares':
            'traefik-retry@kubernetescrd,traefik-error-pages@kubernetescrd,traefik-rate-limit@kubernetescrd,traefik-csp-headers@kubernetescrd',
          'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
        },
      },
      spec: {
        ingress_class_name: 'traefik',
        tls: [{ hosts: ['viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
        rule: [
          {
            host: 'viktorbarzin.me',
            http: {
              path: [{ path: '/net-diag.sh', backend: { service: { name: 'blog', port: { number: 80 } } } }],
            },
          },
        ],
      },
    });
  });

  it('synthesizes no key material', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/-----BEGIN|PRIVATE KEY-----/);
    expect(text).not.toMatch(/"ED25519_PRIVATE_KEY_HEX"/);
    expect(text).not.toMatch(/[0-9a-f]{128}/);
  });
});
