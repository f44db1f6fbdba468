// Parity of stacks/ntfy with the tree's stacks/ntfy (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import ntfy from '../../stacks/ntfy';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(ntfy);
const TREE_ADDRESSES = [
  'kubernetes_namespace.ntfy',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_proxmox',
  'kubernetes_deployment.ntfy',
  'kubernetes_service.ntfy',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack ntfy', () => {
  it('is in the registry, after platform, with pg state', () => {
    expect(STACKS).toContain(ntfy);
    expect(ntfy.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'ntfy' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('namespace without the istio label; resizable proxmox-lvm user DB volume', () => {
    expect(comparable(at('kubernetes_namespace.ntfy')).metadata.labels).toEqual({
      tier: '4-aux',
      'keel.sh/enrolled': 'true',
    });
    const pvc = comparable(at('kubernetes_persistent_volume_claim.data_proxmox'));
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm');
    expect(pvc.metadata.annotations['resize.topolvm.io/storage_limit']).toBe('5Gi');
    expect(pvc.metadata.annotations['resize.topolvm.io/increase']).toBe('100%');
  });

  it('serves with login on, deny-all by default, health probes and metrics', () => {
    const d = comparable(at('kubernetes_deployment.ntfy'));
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    const [c] = d.spec.template.spec.container;
    expect(c.args).toEqual(['serve']);
    expect(c.env).toEqual([
      { name: 'NTFY_BASE_URL', value: 'https://ntfy.viktorbarzin.me' },
      { name: 'NTFY_UPSTREAM_BASE_URL', value: 'https://ntfy.sh' },
      { name: 'NTFY_BEHIND_PROXY', value: 'true' },
      { name: 'NTFY_ENABLE_LOGIN', value: 'true' },
      { name: 'NTFY_AUTH_FILE', value: '/var/lib/ntfy/user.db' },
      { name: 'NTFY_AUTH_DEFAULT_ACCESS', value: 'deny-all' },
      { name: 'NTFY_ENABLE_METRICS', value: 'true' },
    ]);
    expect(c.liveness_probe).toEqual({
      http_get: { path: '/v1/health', port: '80' },
      initial_delay_seconds: 15,
      period_seconds: 30,
      timeout_seconds: 5,
      failure_threshold: 5,
    });
    expect(c.readiness_probe).toEqual({
      http_get: { path: '/v1/health', port: '80' },
      initial_delay_seconds: 5,
      period_seconds: 30,
      timeout_seconds: 5,
      failure_threshold: 3,
    });
    expect(c.volume_mount).toEqual([{ name: 'data', mount_path: '/var/lib/ntfy/' }]);
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
    expect(comparable(at('kubernetes_service.ntfy')).metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/metrics',
      'prometheus.io/port': '80',
    });
  });

  it('leaves auth to the app, with the anti-AI middlewares', () => {
    const chain = at('module.ingress.kubernetes_ingress_v1.proxied-ingress').metadata.annotations[
      'traefik.ingress.kubernetes.io/router.middlewares'
    ] as string;
    expect(chain).not.toContain('authentik');
    expect(chain).toContain('traefik-ai-bot-block@kubernetescrd');
  });
});
