// Parity of stacks/drone-logbook with the tree's stacks/drone-logbook (HEAD 0cd4afb6): every tree address
// is synthesized or moved and the literal values and ignore_changes are the tree's (rehearsal: clean).
import { describe, expect, it } from 'vitest';
import droneLogbook from '../../stacks/drone-logbook';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(droneLogbook);
const TREE_ADDRESSES = [
  'kubernetes_namespace.drone_logbook',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data',
  'module.nfs_sync_logs.kubernetes_persistent_volume.this',
  'module.nfs_sync_logs.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.drone_logbook',
  'kubernetes_service.drone_logbook',
  'module.nfs_backup.kubernetes_persistent_volume.this',
  'module.nfs_backup.kubernetes_persistent_volume_claim.this',
  'kubernetes_cron_job_v1.backup',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack drone-logbook', () => {
  it('is in the registry, after platform, with pg state under schema "drone-logbook"', () => {
    expect(STACKS).toContain(droneLogbook);
    expect(droneLogbook.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'drone-logbook' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('keeps DuckDB on an encrypted volume the resizer grows to 10Gi', () => {
    const pvc = comparable(at('kubernetes_persistent_volume_claim.data'));
    expect(pvc.metadata.name).toBe('drone-logbook-data-encrypted');
    expect(pvc.metadata.annotations['resize.topolvm.io/storage_limit']).toBe('10Gi');
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm-encrypted');
    expect(pvc.spec.resources.requests.storage).toBe('2Gi');
  });

  it('runs the app Sablier-enrolled with the tree labels, env and ignore list', () => {
    const d = at('kubernetes_deployment.drone_logbook');
    expect(d.metadata.labels).toEqual({
      app: 'drone-logbook',
      tier: '4-aux',
      'sablier.enable': 'true',
      'sablier.group': 'drone-logbook',
      'sablier.ready-after': '5s',
      'kubernetes.io/cluster-service': 'true',
    });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const c = d.spec.template.spec.container[0];
    expect(c.env.at(-1)).toEqual({
      name: 'PROFILE_CREATION_PASS',
      value_from: { secret_key_ref: { name: 'drone-logbook-secrets', key: 'profile_creation_pass' } },
    });
    expect(c.env.find((e: Json) => e.name === 'SYNC_INTERVAL').value).toBe('0 0 */8 * * *');
    expect(d.depends_on).toEqual(['kubernetes_manifest.external_secret']);
    expect(d.lifecycle.ignore_changes).toHaveLength(10);
    expect(d.lifecycle.ignore_changes).toContain('spec[0].replicas');
  });

  it('backs up nightly next to the app pod (preferred), with the tree script and no restart policy', () => {
    const cj = at('kubernetes_cron_job_v1.backup');
    expect(cj.spec.concurrency_policy).toBe('Replace');
    expect(cj.spec.schedule).toBe('30 1 * * *');
    expect(cj.spec.starting_deadline_seconds).toBe(300);
    const job = cj.spec.job_template.spec;
    expect(job.backoff_limit).toBe(3);
    expect(job.ttl_seconds_after_finished).toBe('10');
    const pod = job.template.spec;
    expect(pod.restart_policy).toBeUndefined();
    expect(pod.affinity).toEqual({
      pod_affinity: {
        preferred_during_scheduling_ignored_during_execution: [
          {
            weight: 100,
            pod_affinity_term: {
              label_selector: [{ match_labels: { app: 'drone-logbook' } }],
              topology_key: 'kubernetes.io/hostname',
            },
          },
        ],
      },
    });
    expect(pod.dns_config).toEqual({ option: [{ name: 'ndots', value: '2' }] });
    expect(pod.container[0].command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(pod.container[0].command[2]).toContain('tree-payloads/drone-logbook/_heredoc/main.tf/command/0');
    expect(cj.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });

  it('routes dronelog behind Authentik with the Sablier middleware', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.name).toBe('dronelog');
    expect(ingress.spec.rule[0].http.path[0].backend.service.name).toBe('drone-logbook');
    const chain = ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).toContain('authentik');
    expect(chain).toContain('sablier');
  });
});
