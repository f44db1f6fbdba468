// Parity of stacks/diun with the tree's stacks/diun (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import diun from '../../stacks/diun';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(diun);
const TREE_ADDRESSES = [
  'kubernetes_namespace.diun',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_service_account.diun',
  'kubernetes_cluster_role.diun',
  'kubernetes_cluster_role_binding.diun',
  'kubernetes_persistent_volume_claim.data_proxmox',
  'kubernetes_deployment.diun',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack diun', () => {
  it('is in the registry, after platform and vault, with pg state under schema "diun"', () => {
    expect(STACKS).toContain(diun);
    expect(diun.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'diun' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('may read pods cluster-wide, nothing more, through its ServiceAccount', () => {
    expect(comparable(at('kubernetes_cluster_role.diun'))).toEqual({
      metadata: { name: 'diun' },
      rule: [{ api_groups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }],
    });
    expect(comparable(at('kubernetes_cluster_role_binding.diun'))).toEqual({
      metadata: { name: 'diun' },
      role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'diun' },
      subject: [{ kind: 'ServiceAccount', name: 'diun', namespace: 'diun' }],
    });
    expect(at('kubernetes_service_account.diun').metadata).toEqual({ name: 'diun', namespace: 'diun' });
  });

  it('runs diun serve with the tree env, the webhook URL from the ESO secret', () => {
    const d = comparable(at('kubernetes_deployment.diun'));
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true', 'diun.enable': 'true' });
    expect(d.spec.template.spec.service_account_name).toBe('diun');
    const [c] = d.spec.template.spec.container;
    expect(c.args).toEqual(['serve']);
    expect(c.env.map((e: Json) => e.name)).toEqual([
      'TZ',
      'DIUN_WATCH_WORKERS',
      'DIUN_WATCH_SCHEDULE',
      'DIUN_WATCH_JITTER',
      'DIUN_PROVIDERS_KUBERNETES',
      'DIUN_DEFAULTS_WATCHREPO',
      'DIUN_DEFAULTS_MAXTAGS',
      'DIUN_DEFAULTS_SORTTAGS',
      'DIUN_NOTIF_WEBHOOK_ENDPOINT',
      'DIUN_NOTIF_WEBHOOK_METHOD',
      'DIUN_NOTIF_WEBHOOK_HEADERS_CONTENT-TYPE',
      'LOG_LEVEL',
    ]);
    expect(c.env[8]).toEqual({
      name: 'DIUN_NOTIF_WEBHOOK_ENDPOINT',
      value_from: { secret_key_ref: { name: 'diun-secrets', key: 'n8n_webhook_url' } },
    });
    expect(d.spec.template.spec.volume).toEqual([
      { name: 'data', persistent_volume_claim: { claim_name: 'diun-data-proxmox' } },
    ]);
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
    expect(at('kubernetes_persistent_volume_claim.data_proxmox').spec.storage_class_name).toBe('proxmox-lvm');
  });
});
