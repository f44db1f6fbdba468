// Parity of stacks/isponsorblocktv with the tree's stacks/isponsorblocktv (HEAD 0cd4afb6): every address
// the tree has is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import isponsorblocktv from '../../stacks/isponsorblocktv';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(isponsorblocktv);
const TREE_ADDRESSES = [
  'kubernetes_namespace.isponsorblocktv',
  'module.nfs_data.kubernetes_persistent_volume.this',
  'module.nfs_data.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.isponsorblocktv-vermont',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack isponsorblocktv', () => {
  it('is in the registry, after platform, with pg state under schema "isponsorblocktv"', () => {
    expect(STACKS).toContain(isponsorblocktv);
    expect(isponsorblocktv.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'isponsorblocktv' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(json.provider?.cloudflare).toBeUndefined();
  });

  it('keeps its config on the NFS export, in an edge-tier namespace', () => {
    expect(at('kubernetes_namespace.isponsorblocktv').metadata.labels.tier).toBe('3-edge');
    const pvc = at('module.nfs_data.kubernetes_persistent_volume_claim.this');
    expect(pvc.metadata).toEqual({ name: 'isponsorblocktv-data', namespace: 'isponsorblocktv' });
    expect(pvc.spec.resources).toEqual({ requests: { storage: '1Gi' } });
    const pv = at('module.nfs_data.kubernetes_persistent_volume.this');
    expect(pv.spec[0].persistent_volume_source.csi.volume_attributes.share).toBe('/srv/nfs/isponsorblocktv');
  });

  it('runs one Keel-enrolled container for the vermont TV, as the tree', () => {
    expect(comparable(at('kubernetes_deployment.isponsorblocktv-vermont'))).toEqual({
      metadata: {
        name: 'isponsorblocktv-vermont',
        namespace: 'isponsorblocktv',
        labels: { app: 'isponsorblocktv-vermont', tier: '3-edge' },
      },
      spec: {
        replicas: '1',
        strategy: { type: 'Recreate' },
        selector: { match_labels: { app: 'isponsorblocktv-vermont' } },
        template: {
          metadata: { labels: { app: 'isponsorblocktv-vermont' } },
          spec: {
            container: [
              {
                image: 'ghcr.io/dmunozv04/isponsorblocktv',
                name: 'isponsorblocktv-vermont',
                volume_mount: [{ name: 'data', mount_path: '/app/data' }],
                resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } },
              },
            ],
            volume: [{ name: 'data', persistent_volume_claim: { claim_name: 'isponsorblocktv-data' } }],
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
          'metadata[0].annotations["kubernetes.io/change-cause"]',
          'metadata[0].annotations["deployment.kubernetes.io/revision"]',
          'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        ].sort(),
      },
    });
  });
});
