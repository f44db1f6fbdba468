// Parity of stacks/status-page with the tree's stacks/status-page (HEAD 0cd4afb6). The tree's pusher
// CronJob is commented out, so there is no CronJob (and no heredoc) to port.
import { describe, expect, it } from 'vitest';
import statusPage, { INDEX_HTML } from '../../stacks/status-page';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(statusPage);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.viktor',
  'kubernetes_namespace_v1.status_page',
  'kubernetes_config_map_v1.status_page_template',
  'kubernetes_service_account_v1.status_page',
  'kubernetes_cluster_role_v1.ingress_reader',
  'kubernetes_cluster_role_binding_v1.ingress_reader',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack status-page', () => {
  it('is in the registry, after infra, with pg state', () => {
    expect(STACKS).toContain(statusPage);
    expect(statusPage.after).toEqual(['infra']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'status-page' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('a v1 namespace with only the tier label and no lifecycle', () => {
    const ns = comparable(at('kubernetes_namespace_v1.status_page'));
    expect(ns.metadata).toEqual({ name: 'status-page', labels: { tier: '4-aux' } });
    expect(ns.lifecycle).toBeUndefined();
  });

  it("carries the tree owner's index.html and the Pages domain", () => {
    const cm = at('kubernetes_config_map_v1.status_page_template');
    expect(cm.metadata.name).toBe('status-page-template');
    expect(cm.data[INDEX_HTML]).toContain('tree-payloads/status-page/index.html');
    expect(cm.data.CNAME).toBe('status.viktorbarzin.me');
    expect(cm.lifecycle.precondition).toHaveLength(1);
  });

  it('the pusher account may list ingresses cluster-wide, nothing else', () => {
    expect(comparable(at('kubernetes_service_account_v1.status_page')).metadata).toEqual({
      name: 'status-page-pusher',
      namespace: 'status-page',
    });
    expect(comparable(at('kubernetes_cluster_role_v1.ingress_reader'))).toEqual({
      metadata: { name: 'status-page-ingress-reader' },
      rule: [{ api_groups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['list'] }],
    });
    const binding = comparable(at('kubernetes_cluster_role_binding_v1.ingress_reader'));
    expect(binding.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'status-page-ingress-reader',
    });
    expect(binding.subject).toEqual([
      { kind: 'ServiceAccount', name: 'status-page-pusher', namespace: 'status-page' },
    ]);
  });

  it('still reads the secret/viktor Vault entry, as the tree', () => {
    expect(json.data?.vault_kv_secret_v2?.viktor).toMatchObject({ mount: 'secret', name: 'viktor' });
  });
});
