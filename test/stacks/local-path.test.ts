// Parity of stacks/local-path with the tree's stacks/local-path (HEAD 0cd4afb6): every tree address is
// synthesized, the literal values and ignore_changes are the tree's; the ConfigMap's hook is our
// guarded payloads/local-path-volume.sh (a reviewed difference, rehearsal/local-path.json).
import { describe, expect, it } from 'vitest';
import localPath from '../../stacks/local-path';
import { STACKS } from '../../stacks';
import { readScript } from '../../lib/core/paths';
import { terraformUnescape } from '../../lib/terraform/tf-literal';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(localPath);
const TREE_ADDRESSES = [
  'kubernetes_namespace.local_path_storage',
  'kubernetes_service_account.local_path_provisioner',
  'kubernetes_cluster_role.local_path_provisioner',
  'kubernetes_cluster_role_binding.local_path_provisioner',
  'kubernetes_config_map.local_path_config',
  'kubernetes_storage_class_v1.local_path',
  'kubernetes_deployment.local_path_provisioner',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack local-path', () => {
  it('is in the registry, after platform, with pg state under schema "local-path"', () => {
    expect(STACKS).toContain(localPath);
    expect(localPath.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'local-path' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('keeps the namespace unlabelled and the storage class the cluster default', () => {
    expect(comparable(at('kubernetes_namespace.local_path_storage'))).toEqual({
      metadata: { name: 'local-path-storage' },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
    expect(comparable(at('kubernetes_storage_class_v1.local_path'))).toEqual({
      metadata: {
        name: 'local-path',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      storage_provisioner: 'rancher.io/local-path',
      reclaim_policy: 'Delete',
      volume_binding_mode: 'WaitForFirstConsumer',
      allow_volume_expansion: false,
    });
  });

  it("configures one node path, the tree's helper pod and the guarded hook under setup and teardown", () => {
    const data = at('kubernetes_config_map.local_path_config').data;
    expect(JSON.parse(data['config.json'])).toEqual({
      nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: ['/opt/local-path-provisioner'] }],
    });
    // the tree owner's helper pod, read from its stack file at plan time
    expect(data['helperPod.yaml']).toContain('tree-payloads/local-path/_heredoc/main.tf/helperPod.yaml/0');
    expect(terraformUnescape(data.setup)).toBe(readScript('local-path-volume.sh'));
    expect(data.teardown).toBe(data.setup);
  });

  it('runs the provisioner with the tree labels, downward-API namespace and enrolled Keel ignores', () => {
    const d = comparable(at('kubernetes_deployment.local_path_provisioner'));
    expect(d.metadata).toEqual({
      name: 'local-path-provisioner',
      namespace: 'local-path-storage',
      labels: { tier: 'default', 'keel.sh/enrolled': 'true' },
    });
    const pod = d.spec.template.spec;
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.enable_service_links).toBe(false);
    expect(pod.container[0].env).toEqual([
      { name: 'POD_NAMESPACE', value_from: { field_ref: { field_path: 'metadata.namespace' } } },
      { name: 'CONFIG_MOUNT_PATH', value: '/etc/config/' },
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
      ].sort(),
    );
  });
});
