// Parity of stacks/kms with the tree's stacks/kms (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's. The two Python
// programs are tree payloads (read at plan time, never copied).
import { describe, expect, it } from 'vitest';
import kms, { DIAG_COLLECTOR, KMS_IP, SLACK_NOTIFIER } from '../../stacks/kms';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import { comparable, treeAnubisInstance } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  SENSITIVE_TLS_SECRET_NAME,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(kms);
const TREE_ADDRESSES = [
  'kubernetes_namespace.kms',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.kms-web-page',
  'kubernetes_service.kms-web-page',
  'module.anubis.kubernetes_config_map.policy',
  'module.anubis.kubernetes_manifest.ed25519_secret',
  'module.anubis.kubernetes_deployment.anubis',
  'module.anubis.kubernetes_service.anubis',
  'module.anubis.kubernetes_pod_disruption_budget_v1.anubis',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.non_proxied_a[0]', // dns_type non-proxied
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'module.ingress_scripts.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_config_map.kms_diag_collector',
  'kubernetes_deployment.kms_diag',
  'kubernetes_service.kms_diag',
  'module.ingress_diag.kubernetes_ingress_v1.proxied-ingress',
  'cloudflare_record.vlmcs',
  'kubernetes_config_map.kms_slack_notifier',
  'kubernetes_manifest.kms_slack_external_secret',
  'kubernetes_deployment.windows_kms',
  'kubernetes_service.windows_kms',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const payload = (file: string) => `"\${path.root}/../../../tree-payloads/kms/${file}"`;
const KEEL_NOT_ENROLLED_IGNORES = [
  'spec[0].template[0].spec[0].dns_config',
  'spec[0].template[0].spec[0].container[0].image',
  'metadata[0].annotations["keel.sh/policy"]',
  'metadata[0].annotations["keel.sh/trigger"]',
  'metadata[0].annotations["keel.sh/pollSchedule"]',
  'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
].sort();

describe('stack kms', () => {
  it('is in the registry, after platform, with pg state under schema "kms"', () => {
    expect(STACKS).toContain(kms);
    expect(kms.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'kms' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('declares the namespace as the tree', () => {
    expect(comparable(at('kubernetes_namespace.kms'))).toEqual({
      metadata: {
        name: 'kms',
        labels: { 'istio-injection': 'disabled', tier: '4-aux', 'keel.sh/enrolled': 'true' },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
  });

  it('runs the website with the image CI sets, served as Service kms without a target port', () => {
    expect(comparable(at('kubernetes_deployment.kms-web-page'))).toEqual({
      metadata: {
        name: 'kms-web-page',
        namespace: 'kms',
        labels: { app: 'kms-web-page', 'kubernetes.io/cluster-service': 'true', tier: '4-aux' },
      },
      spec: {
        replicas: '1',
        selector: { match_labels: { app: 'kms-web-page' } },
        template: {
          metadata: { labels: { app: 'kms-web-page', 'kubernetes.io/cluster-service': 'true' } },
          spec: {
            image_pull_secrets: [{ name: 'registry-credentials' }],
            container: [
              {
                name: 'kms-web-page',
                image: 'ghcr.io/viktorbarzin/kms-website:latest',
                image_pull_policy: 'IfNotPresent',
                port: [{ container_port: 80, protocol: 'TCP' }],
                resources: { limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '64Mi' } },
              },
            ],
          },
        },
      },
      lifecycle: { ignore_changes: KEEL_NOT_ENROLLED_IGNORES },
    });
    expect(comparable(at('kubernetes_service.kms-web-page'))).toEqual({
      metadata: { name: 'kms', namespace: 'kms', labels: { app: 'kms-web-page' } },
      spec: { selector: { app: 'kms-web-page' }, port: [{ port: 80, protocol: 'TCP' }] },
    });
  });

  it('renders the anubis module resources as the tree (store DB 8, two replicas)', () => {
    const tree = treeAnubisInstance({
      name: 'kms',
      namespace: 'kms',
      targetUrl: 'http://kms.kms.svc.cluster.local',
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/8',
    });
    for (const [address, expected] of Object.entries(tree)) {
      expect(comparable(at(`module.anubis.${address}`)), address).toEqual(comparable(expected));
    }
  });

  it('routes kms through Anubis, non-proxied (A + AAAA), with the homepage tile', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toBe(
      [
        'traefik-real-ip@kubernetescrd',
        'traefik-retry@kubernetescrd',
        'traefik-error-pages@kubernetescrd',
        'traefik-rate-limit@kubernetescrd',
        'traefik-csp-headers@kubernetescrd',
        'traefik-x402@kubernetescrd',
      ].join(','),
    );
    expect(ingress.metadata.annotations['gethomepage.dev/name']).toBe('KMS');
    expect(ingress.metadata.annotations['cloudflare.viktorbarzin.me/dns-type']).toBe('non-proxied');
    expect(ingress.spec.rule[0].host).toBe('kms.viktorbarzin.me');
    expect(ingress.spec.rule[0].http.path[0].backend.service).toEqual({
      name: 'anubis-kms',
      port: { number: 8080 },
    });
    expect(at('module.ingress.cloudflare_record.non_proxied_a[0]')).toMatchObject({
      name: 'kms',
      type: 'A',
      content: '176.12.22.76',
      proxied: false,
    });
    expect(at('module.ingress.cloudflare_record.non_proxied_aaaa[0]').type).toBe('AAAA');
  });

  it.each([
    ['module.ingress_scripts', 'kms-scripts', ['/scripts', '/keys.json'], 'kms', 80],
    ['module.ingress_diag', 'kms-diag', ['/diag'], 'kms-diag', 9102],
  ])('%s carves %s out of Anubis on the same host, no DNS or tile', (module, name, paths, svc, port) => {
    const ingress = at(`${module}.kubernetes_ingress_v1.proxied-ingress`);
    expect(ingress.metadata).toEqual({
      name,
      namespace: 'kms',
      annotations: {
        'traefik.ingress.kubernetes.io/router.middlewares':
          'traefik-retry@kubernetescrd,traefik-error-pages@kubernetescrd,traefik-rate-limit@kubernetescrd,traefik-csp-headers@kubernetescrd',
        'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      },
    });
    expect(ingress.spec.tls).toEqual([
      { hosts: ['kms.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME },
    ]);
    expect(ingress.spec.rule[0].host).toBe('kms.viktorbarzin.me');
    expect(ingress.spec.rule[0].http.path).toEqual(
      (paths as string[]).map((path) => ({
        path,
        backend: { service: { name: svc, port: { number: port } } },
      })),
    );
  });

  it('reads both Python programs at plan time, guarded, into their ConfigMaps', () => {
    expect(declaredPayloads(JSON.stringify(json)).filter((p) => p.stack === 'kms')).toEqual([
      { stack: 'kms', file: DIAG_COLLECTOR },
      { stack: 'kms', file: SLACK_NOTIFIER },
    ]);
    for (const [address, key, file] of [
      ['kubernetes_config_map.kms_diag_collector', 'diag-collector.py', DIAG_COLLECTOR],
      ['kubernetes_config_map.kms_slack_notifier', 'notifier.py', SLACK_NOTIFIER],
    ]) {
      const cm = at(address);
      const p = payload(file);
      expect(cm.data).toEqual({ [key]: `\${fileexists(${p}) ? file(${p}) : null}` });
      expect(cm.lifecycle.precondition[0].condition).toBe(`\${fileexists(${p})}`);
    }
  });

  it('runs the diag collector with a checksum annotation that rolls it when the program changes', () => {
    const d = comparable(at('kubernetes_deployment.kms_diag'));
    const p = payload(DIAG_COLLECTOR);
    expect(d.metadata.labels).toEqual({ app: 'kms-diag', tier: '4-aux' });
    expect(d.spec.template.metadata.annotations).toEqual({
      'checksum/collector': `\${fileexists(${p}) ? sha1(file(${p})) : null}`,
    });
    expect(d.spec.template.spec.container).toEqual([
      {
        name: 'diag-collector',
        image: 'python:3.12-alpine',
        command: ['python3', '/app/diag-collector.py'],
        port: [{ container_port: 9102 }],
        resources: { limits: { memory: '64Mi' }, requests: { cpu: '5m', memory: '48Mi' } },
        volume_mount: [{ name: 'diag-collector-script', mount_path: '/app', read_only: true }],
      },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(KEEL_NOT_ENROLLED_IGNORES);
    expect(comparable(at('kubernetes_service.kms_diag'))).toEqual({
      metadata: { name: 'kms-diag', namespace: 'kms', labels: { app: 'kms-diag' } },
      spec: { selector: { app: 'kms-diag' }, port: [{ port: 9102, protocol: 'TCP' }] },
    });
  });

  it('publishes vlmcs as an unproxied A record only', () => {
    expect(comparable(at('cloudflare_record.vlmcs'))).toEqual({
      name: 'vlmcs',
      content: '176.12.22.76',
      proxied: false,
      ttl: 1,
      type: 'A',
      zone_id: 'fd2c5dd4efe8fe38958944e74d0ced6d',
      allow_overwrite: true,
    });
  });

  it('runs vlmcsd with the Slack notifier sidecar on a shared log volume, as the tree', () => {
    const d = comparable(at('kubernetes_deployment.windows_kms'));
    expect(d.metadata).toEqual({
      name: 'kms',
      namespace: 'kms',
      labels: { app: 'kms-service', tier: '4-aux' },
    });
    const p = payload(SLACK_NOTIFIER);
    expect(d.spec.template.metadata.annotations).toEqual({
      'checksum/notifier': `\${fileexists(${p}) ? sha1(file(${p})) : null}`,
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9101',
      'prometheus.io/path': '/metrics',
    });
    const pod = d.spec.template.spec;
    expect(pod.volume).toEqual([
      { name: 'vlmcsd-log', empty_dir: {} },
      { name: 'slack-notifier-script', config_map: { name: 'kms-slack-notifier' } },
    ]);
    expect(pod.container[0]).toEqual({
      name: 'windows-kms',
      image: 'kebe/vlmcsd:latest',
      command: ['/usr/bin/vlmcsd'],
      args: ['-D', '-v', '-l', '/var/log/vlmcsd/vlmcsd.log'],
      port: [{ container_port: 1688 }],
      readiness_probe: {
        tcp_socket: [{ port: '1688' }],
        initial_delay_seconds: 1,
        period_seconds: 5,
        failure_threshold: 3,
      },
      liveness_probe: {
        tcp_socket: [{ port: '1688' }],
        initial_delay_seconds: 5,
        period_seconds: 30,
        failure_threshold: 3,
      },
      resources: { limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '64Mi' } },
      volume_mount: [{ name: 'vlmcsd-log', mount_path: '/var/log/vlmcsd' }],
    });
    expect(pod.container[1].env).toEqual([
      { name: 'VLMCSD_LOG', value: '/var/log/vlmcsd/vlmcsd.log' },
      { name: 'SLACK_CHANNEL', value: '#alerts' },
      { name: 'DEDUP_WINDOW_SECONDS', value: '3600' },
      {
        name: 'SLACK_WEBHOOK_URL',
        value_from: { secret_key_ref: { name: 'kms-slack-webhook', key: 'url' } },
      },
    ]);
    expect(pod.container[1].port).toEqual([{ container_port: 9101, name: 'metrics' }]);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
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
    );
    expect(at('kubernetes_deployment.windows_kms').depends_on).toEqual([
      'kubernetes_manifest.kms_slack_external_secret',
    ]);
    const es = at('kubernetes_manifest.kms_slack_external_secret').manifest;
    expect(es.spec.target).toEqual({ name: 'kms-slack-webhook', creationPolicy: 'Owner' });
    expect(es.spec.data).toEqual([
      { secretKey: 'url', remoteRef: { key: 'kms', property: 'slack_webhook_url' } },
    ]);
  });

  it('exposes vlmcsd on its own MetalLB IP with Local traffic policy', () => {
    expect(comparable(at('kubernetes_service.windows_kms'))).toEqual({
      metadata: {
        name: 'windows-kms',
        namespace: 'kms',
        labels: { app: 'kms-service' },
        annotations: { 'metallb.io/loadBalancerIPs': KMS_IP },
      },
      spec: {
        type: 'LoadBalancer',
        external_traffic_policy: 'Local',
        selector: { app: 'kms-service' },
        port: [{ port: 1688 }],
      },
      lifecycle: { ignore_changes: ['metadata[0].annotations["metallb.io/ip-allocated-from-pool"]'] },
    });
  });
});
