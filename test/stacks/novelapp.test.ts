// Parity of stacks/novelapp with the tree's stacks/novelapp (HEAD 0cd4afb6): every tree address is
// synthesized or moved, the literal values and ignore_changes are the tree's; the sealed-secret manifests
// iterate the tree's own file set (none at HEAD), keyed as the tree keys them.
import { describe, expect, it } from 'vitest';
import novelapp from '../../stacks/novelapp';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(novelapp);
const TREE_ADDRESSES = [
  'kubernetes_manifest.external_secret',
  'kubernetes_namespace.novelapp',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.novelapp-data',
  'kubernetes_deployment.novelapp',
  'kubernetes_service.novelapp',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'kubernetes_role_binding.novelapp_owner_vabbit81',
  'kubernetes_manifest.sealed_secrets', // for_each over the tree's sealed-*.yaml (none at HEAD)
  'data.vault_kv_secret_v2.cf_platform', // Terragrunt's generated cloudflare_provider.tf
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack novelapp', () => {
  it('is in the registry, after platform and vault, with pg state under schema "novelapp"', () => {
    expect(STACKS).toContain(novelapp);
    expect(novelapp.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'novelapp' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('syncs novelapp-secrets from Vault every 15m', () => {
    const es = at('kubernetes_manifest.external_secret');
    expect(es.field_manager).toEqual({ force_conflicts: true });
    expect(es.manifest.spec.refreshInterval).toBe('15m');
    expect(es.manifest.spec.dataFrom).toEqual([{ extract: { key: 'novelapp' } }]);
    expect(es.manifest.spec.target).toEqual({ name: 'novelapp-secrets' });
  });

  it('keeps SQLite on a 1Gi proxmox-lvm volume the resizer grows to 5Gi, wait_until_bound left unset', () => {
    const pvc = comparable(at('kubernetes_persistent_volume_claim.novelapp-data'));
    expect(pvc.wait_until_bound).toBeUndefined();
    expect(pvc.metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '10%',
      'resize.topolvm.io/increase': '100%',
      'resize.topolvm.io/storage_limit': '5Gi',
    });
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm');
    expect(pvc.lifecycle.ignore_changes).toEqual(['spec[0].resources[0].requests']);
  });

  it('runs always on with the Keel major policy Terraform owns and the tree ignore list', () => {
    const d = comparable(at('kubernetes_deployment.novelapp'));
    expect(d.metadata.labels).toEqual({ app: 'novelapp', tier: '4-aux' });
    expect(d.metadata.annotations).toEqual({
      'reloader.stakater.com/auto': 'true',
      'keel.sh/policy': 'major',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 1h',
    });
    expect(d.spec.replicas).toBe('1');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const c = d.spec.template.spec.container[0];
    expect(c.image).toBe('mghee/novelapp:v1.1.3');
    expect(c.image_pull_policy).toBe('IfNotPresent');
    expect(c.env.find((e: Json) => e.name === 'GOOGLE_CLIENT_SECRET')).toEqual({
      name: 'GOOGLE_CLIENT_SECRET',
      value_from: { secret_key_ref: { name: 'novelapp-secrets', key: 'google_client_secret' } },
    });
    expect(c.env).toHaveLength(10);
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '640Mi' }, limits: { memory: '640Mi' } });
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
  });

  it('serves its own login (no Authentik) on a non-proxied record', () => {
    expect(at('kubernetes_service.novelapp').spec.port).toEqual([
      { name: 'http', port: 80, target_port: '3000' },
    ]);
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
    expect(ingress.metadata.annotations['gethomepage.dev/name']).toBe('NovelApp');
  });

  it('makes the co-owner namespace admin, as OIDC user and dashboard ServiceAccount', () => {
    const rb = at('kubernetes_role_binding.novelapp_owner_vabbit81');
    expect(rb.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'admin',
    });
    expect(rb.subject).toEqual([
      { api_group: 'rbac.authorization.k8s.io', kind: 'User', name: 'vabbit81@gmail.com' },
      { api_group: '', kind: 'ServiceAccount', name: 'dashboard-vabbit81', namespace: 'vabbit81' },
    ]);
  });

  it('one sealed-secret manifest per tree sealed-*.yaml, keyed by file name', () => {
    const m = at('kubernetes_manifest.sealed_secrets');
    expect(m.for_each).toBe('${fileset("${path.root}/../../../tree-payloads/novelapp", "sealed-*.yaml")}');
    expect(m.manifest).toBe(
      '${yamldecode(file("${path.root}/../../../tree-payloads/novelapp/${each.value}"))}',
    );
  });
});
