// Parity of stacks/osm_routing with the tree's stacks/osm_routing (HEAD 0cd4afb6): every address the tree
// has is synthesized or moved, and the literal values and ignore_changes sets are the tree's. One known
// difference: the refresh CronJob ignores the Kyverno-injected dns_config as every CronJob of the library
// does, where the tree's has no lifecycle block (no plan difference; it only stops a fight with Kyverno).
import { describe, expect, it } from 'vitest';
import osmRouting, { OSRM_IMAGE } from '../../stacks/osm_routing';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(osmRouting);
const TREE_ADDRESSES = [
  'kubernetes_namespace.osm-routing',
  'kubernetes_resource_quota_v1.osm_routing',
  'module.nfs_osrm_data_host.kubernetes_persistent_volume.this',
  'module.nfs_osrm_data_host.kubernetes_persistent_volume_claim.this',
  'module.nfs_otp_data_host.kubernetes_persistent_volume.this',
  'module.nfs_otp_data_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.osrm-foot',
  'kubernetes_service.osrm-foot',
  'kubernetes_deployment.osrm-bicycle',
  'kubernetes_service.osrm-bicycle',
  'kubernetes_deployment.otp',
  'kubernetes_service.otp',
  'kubernetes_cron_job_v1.osrm_refresh',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack osm_routing', () => {
  it('is in the registry, after platform, with pg state', () => {
    expect(STACKS).toContain(osmRouting);
    expect(osmRouting.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'osm_routing' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('has its own quota, without limits.cpu', () => {
    expect(comparable(at('kubernetes_namespace.osm-routing')).metadata.labels).toMatchObject({
      'resource-governance/custom-quota': 'true',
    });
    const quota = comparable(at('kubernetes_resource_quota_v1.osm_routing'));
    expect(quota.metadata.name).toBe('tier-quota');
    expect(quota.spec.hard).toEqual({
      'requests.cpu': '4',
      'requests.memory': '6Gi',
      'limits.memory': '16Gi',
      pods: '20',
    });
  });

  it('serves both OSRM profiles with the pinned image Terraform owns', () => {
    for (const profile of ['foot', 'bicycle']) {
      const raw = at(`kubernetes_deployment.osrm-${profile}`);
      const d = comparable(raw);
      expect(d.metadata.annotations).toEqual({ 'keel.sh/policy': 'never' });
      const [c] = d.spec.template.spec.container;
      expect(c.image).toBe(OSRM_IMAGE);
      expect(c.command).toEqual([
        'osrm-routed',
        '--algorithm',
        'MLD',
        `/data/${profile}/greater-london-latest.osrm`,
      ]);
      expect([...raw.lifecycle.ignore_changes].sort()).toEqual(
        [
          'spec[0].template[0].spec[0].dns_config',
          'metadata[0].annotations["keel.sh/trigger"]',
          'metadata[0].annotations["keel.sh/pollSchedule"]',
          'metadata[0].annotations["keel.sh/match-tag"]',
          'metadata[0].annotations["kubernetes.io/change-cause"]',
          'metadata[0].annotations["deployment.kubernetes.io/revision"]',
          'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        ].sort(),
      );
    }
  });

  it('keeps OTP parked at zero replicas with the enrolled lifecycle', () => {
    const raw = at('kubernetes_deployment.otp');
    expect(comparable(raw).spec.replicas).toBe('0');
    expect(raw.lifecycle.ignore_changes).toHaveLength(9);
    expect(raw.lifecycle.ignore_changes).toContain('spec[0].template[0].spec[0].container[0].image');
  });

  it('rebuilds the graphs monthly with the tree build script', () => {
    const raw = at('kubernetes_cron_job_v1.osrm_refresh');
    const cj = comparable(raw);
    expect(cj.spec.schedule).toBe('0 4 1 * *');
    expect(cj.spec.job_template.metadata).toEqual({ labels: { app: 'osrm-refresh' } });
    const [c] = cj.spec.job_template.spec.template.spec.container;
    expect(c.command).toEqual(['/bin/sh', '-c']);
    expect(c.args[0]).toContain('tree-payloads/osm_routing/_heredoc/main.tf/osrm_build_script/0');
    expect(raw.lifecycle.precondition).toHaveLength(1);
  });
});
