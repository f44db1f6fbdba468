// Parity of stacks/phpipam with the tree's stacks/phpipam (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's. The three job
// programs are the tree's heredocs (command #0, #1, #2 of main.tf), read at plan time.
import { describe, expect, it } from 'vitest';
import phpipam from '../../stacks/phpipam';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(phpipam);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'kubernetes_namespace.phpipam',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.external_secret_pfsense_ssh',
  'kubernetes_manifest.external_secret_admin',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.phpipam_web',
  'kubernetes_service.phpipam',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_cron_job_v1.phpipam_dns_sync',
  'kubernetes_cron_job_v1.phpipam_pfsense_import',
  'kubernetes_cron_job_v1.phpipam_remote_import',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const JOBS = [
  ['phpipam_dns_sync', '*/15 * * * *', '/bin/bash', 0],
  ['phpipam_pfsense_import', '0 * * * *', '/bin/sh', 1],
  ['phpipam_remote_import', '0 * * * *', '/bin/sh', 2],
] as const;

describe('stack phpipam', () => {
  it('is in the registry, after platform, with pg state', () => {
    expect(STACKS).toContain(phpipam);
    expect(phpipam.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'phpipam' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('reads the database password on the vault-database store, the SSH key and admin password from KV', () => {
    expect(at('kubernetes_manifest.external_secret').manifest.spec.secretStoreRef.name).toBe(
      'vault-database',
    );
    expect(at('kubernetes_manifest.external_secret_pfsense_ssh').manifest.spec).toMatchObject({
      refreshInterval: '1h',
      data: [{ secretKey: 'ssh_key', remoteRef: { key: 'viktor', property: 'phpipam_pfsense_ssh_key' } }],
    });
    expect(at('kubernetes_manifest.external_secret_admin').manifest.metadata.name).toBe(
      'phpipam-admin-password',
    );
  });

  it('runs phpIPAM on MySQL, selected by app=phpipam, with the tree lifecycle', () => {
    const raw = at('kubernetes_deployment.phpipam_web');
    const d = comparable(raw);
    expect(d.metadata.labels).toEqual({ app: 'phpipam', tier: '4-aux' });
    expect(d.spec.template.spec.container[0].env).toContainEqual({
      name: 'IPAM_DATABASE_HOST',
      value: 'mysql.dbaas.svc.cluster.local',
    });
    expect(raw.lifecycle.ignore_changes).toHaveLength(9);
    expect(comparable(at('kubernetes_service.phpipam')).metadata.name).toBe('phpipam');
  });

  it.each(JOBS)('%s runs the tree program %#', (id, schedule, shell, index) => {
    const raw = at(`kubernetes_cron_job_v1.${id}`);
    const cj = comparable(raw);
    expect(cj.metadata.labels).toBeUndefined();
    expect(cj.spec).toMatchObject({
      schedule,
      successful_jobs_history_limit: 1,
      failed_jobs_history_limit: 3,
      concurrency_policy: 'Forbid',
    });
    const [c] = cj.spec.job_template.spec.template.spec.container;
    expect(c.command.slice(0, 2)).toEqual([shell, '-c']);
    expect(c.command[2]).toContain(`tree-payloads/phpipam/_heredoc/main.tf/command/${index}`);
    expect(raw.lifecycle.precondition).toHaveLength(1);
    expect(raw.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });

  it('the DNS sync logs in to Technitium with the Vault password; the imports mount the SSH key read-only', () => {
    const sync = comparable(at('kubernetes_cron_job_v1.phpipam_dns_sync')).spec.job_template.spec.template
      .spec;
    expect(sync.container[0].env[0]).toEqual({
      name: 'TECH_PASS',
      value: '${data.vault_kv_secret_v2.secrets.data["technitium_password"]}',
    });
    const pf = comparable(at('kubernetes_cron_job_v1.phpipam_pfsense_import')).spec.job_template.spec;
    expect(pf.active_deadline_seconds).toBe(600);
    expect(pf.template.spec.volume).toEqual([
      { name: 'ssh-key', secret: { secret_name: 'phpipam-pfsense-ssh', default_mode: '0400' } },
    ]);
    expect(pf.template.spec.container[0].volume_mount).toEqual([
      { name: 'ssh-key', mount_path: '/ssh', read_only: true },
    ]);
  });
});
