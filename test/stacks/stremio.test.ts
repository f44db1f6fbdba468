// Parity of stacks/stremio with the tree's stacks/stremio (HEAD 0cd4afb6): every tree address is synthesized
// or moved, the literal values, GPU placement and ignore_changes are the tree's; the proxy's nginx config is
// the tree's file, read at plan time (never a copy).
import { describe, expect, it } from 'vitest';
import stremio, { CINEMETA_NGINX_CONF } from '../../stacks/stremio';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(stremio);
const TREE_ADDRESSES = [
  'kubernetes_namespace.stremio',
  'kubernetes_manifest.external_secret',
  'kubernetes_deployment.stremio',
  'kubernetes_service.stremio',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'kubernetes_config_map.cinemeta_proxy_nginx',
  'kubernetes_deployment.cinemeta_proxy',
  'kubernetes_service.cinemeta_proxy',
  'module.cinemeta_ingress.kubernetes_ingress_v1.proxied-ingress',
  'data.vault_kv_secret_v2.cf_platform', // Terragrunt's generated cloudflare_provider.tf
];
const at = (a: string): Json => atTreeAddress(json, a);
const PAYLOAD = '"${path.root}/../../../tree-payloads/stremio/cinemeta-nginx.conf"';

describe('stack stremio', () => {
  it('is in the registry, after platform, with pg state under schema "stremio"', () => {
    expect(STACKS).toContain(stremio);
    expect(stremio.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'stremio' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('the namespace is on the GPU tier', () => {
    expect(comparable(at('kubernetes_namespace.stremio')).metadata.labels.tier).toBe('2-gpu');
  });

  it('runs Stremio on the GPU node: selector, toleration, priority class, one time-slice', () => {
    const d = comparable(at('kubernetes_deployment.stremio'));
    expect(d.metadata.labels).toEqual({ app: 'stremio', tier: '2-gpu' });
    const pod = d.spec.template.spec;
    expect(pod.node_selector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.toleration).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ]);
    expect(pod.priority_class_name).toBe('gpu-workload');
    expect(pod.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
    expect(pod.volume).toEqual([{ name: 'data', empty_dir: { size_limit: '20Gi' } }]);
    const c = pod.container[0];
    expect(c.resources).toEqual({
      requests: { cpu: '100m', memory: '512Mi', 'ephemeral-storage': '2Gi' },
      limits: {
        memory: '2Gi',
        'ephemeral-storage': '20Gi',
        'nvidia.com/gpu': '1',
        'viktorbarzin.me/gpumem': '1500',
      },
    });
    expect(c.startup_probe).toEqual({
      http_get: { path: '/manifest.json', port: '8080' },
      period_seconds: 5,
      failure_threshold: 24,
    });
    expect(c.env.map((e: Json) => e.name)).toEqual([
      'USERNAME',
      'PASSWORD',
      'AUTO_SERVER_URL',
      'NO_CORS',
      'APP_PATH',
      'NVIDIA_DRIVER_CAPABILITIES',
    ]);
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
    expect(at('kubernetes_deployment.stremio').depends_on).toEqual(['kubernetes_manifest.external_secret']);
  });

  it('the Cinemeta proxy serves the tree nginx config (guarded, hashed) from two spread replicas', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([{ stack: 'stremio', file: CINEMETA_NGINX_CONF }]);
    const cm = at('kubernetes_config_map.cinemeta_proxy_nginx');
    expect(cm.data['default.conf']).toBe(`\${fileexists(${PAYLOAD}) ? file(${PAYLOAD}) : null}`);
    const raw = at('kubernetes_deployment.cinemeta_proxy');
    expect(raw.spec.template.metadata.annotations).toEqual({
      'checksum/config': `\${sha256(file(${PAYLOAD}))}`,
    });
    expect(raw.lifecycle.precondition[0].condition).toBe(`\${fileexists(${PAYLOAD})}`);
    const d = comparable(raw);
    expect(d.metadata.labels).toEqual({ app: 'cinemeta-proxy', tier: '2-gpu' });
    expect(d.spec.replicas).toBe('2');
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_surge: '1', max_unavailable: '0' },
    });
    expect(
      d.spec.template.spec.affinity.pod_anti_affinity.preferred_during_scheduling_ignored_during_execution[0]
        .weight,
    ).toBe(100);
    expect(d.spec.template.spec.container[0].volume_mount).toEqual([
      {
        name: 'nginx-conf',
        mount_path: '/etc/nginx/conf.d/default.conf',
        sub_path: 'default.conf',
        read_only: true,
      },
    ]);
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'spec[0].template[0].spec[0].container[0].image',
      ].sort(),
    );
  });

  it('both hosts are Authentik-free; cinemeta without the anti-AI pair', () => {
    const chain = (a: string) =>
      at(a).metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain('module.ingress.kubernetes_ingress_v1.proxied-ingress')).not.toContain('authentik');
    const cinemeta = chain('module.cinemeta_ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(cinemeta).not.toContain('authentik');
    expect(cinemeta).not.toContain('ai-bot');
  });
});
