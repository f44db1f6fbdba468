// Parity of stacks/chrome-service with the tree's stacks/chrome-service (main.tf, broker.tf, pool.tf,
// rbac.tf): every address the tree has is synthesized or moved, and the literal values and ignore_changes
// sets are the tree's. The programs, configs and heredoc scripts are the tree's, read at plan time.
import { describe, expect, it } from 'vitest';
import chromeService, {
  BROKER_FILES,
  MEDIA_LB_IP,
  NEKO_IMAGE,
  NEKO_UDPMUX,
  PYTHON_IMAGE,
  SCRIPT_FILES,
} from '../../stacks/chrome-service';
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

const json = synthDefinition(chromeService);
const TREE_ADDRESSES = [
  // main.tf
  'kubernetes_namespace.chrome_service',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.es_turn',
  'kubernetes_persistent_volume_claim.profile_encrypted',
  'module.nfs_chrome_service_backup_host.kubernetes_persistent_volume.this',
  'module.nfs_chrome_service_backup_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.chrome_service',
  'kubernetes_config_map_v1.snapshot_scripts',
  'kubernetes_config_map_v1.neko_conf',
  'kubernetes_service.chrome_service',
  'kubernetes_service.chrome_view',
  'kubernetes_service.chrome_media',
  'kubernetes_service.chrome_snapshot',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_snapshot.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_network_policy_v1.ws_ingress',
  'kubernetes_cron_job_v1.chrome_service_backup',
  'kubernetes_cron_job_v1.chrome_service_snapshot_harvester',
  // broker.tf
  'kubernetes_config_map_v1.broker_scripts',
  'kubernetes_deployment.broker',
  'kubernetes_service.broker',
  'module.ingress_fleet.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_resource_quota.pool',
  // pool.tf
  'kubernetes_deployment.worker_warm',
  // rbac.tf
  'kubernetes_service_account.emo_browser',
  'kubernetes_secret.emo_browser_token',
  'kubernetes_role.browser_portforward',
  'kubernetes_role_binding.emo_browser_portforward',
  'kubernetes_cluster_role_binding.emo_browser_readonly',
  'kubernetes_service_account.broker',
  'kubernetes_role.broker',
  'kubernetes_role_binding.broker',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const sorted = (xs: string[]) => [...xs].sort();

describe('stack chrome-service', () => {
  it('is in the registry, after platform, with pg state under schema "chrome-service"', () => {
    expect(STACKS).toContain(chromeService);
    expect(chromeService.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'chrome-service' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });
});
