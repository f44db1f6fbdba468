// Parity of stacks/broker-sync with the tree's stacks/broker-sync (HEAD 0cd4afb6): every address the tree
// has is synthesized, and the literal values and ignore_changes sets are the tree's. The backup and
// Fidelity staging scripts are the tree's inline heredocs, read at plan time (never copied).
import { describe, expect, it } from 'vitest';
import brokerSync, { IMAGE } from '../../stacks/broker-sync';
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

const json = synthDefinition(brokerSync);
const CRONS = [
  'version_probe',
  'trading212',
  'ibkr',
  'imap',
  'csv_drop',
  'fx_reconcile',
  'backup',
  'fidelity',
];
const TREE_ADDRESSES = [
  'kubernetes_namespace.broker_sync',
  'kubernetes_manifest.external_secret',
  'kubernetes_persistent_volume_claim.data_encrypted',
  ...CRONS.map((c) => `kubernetes_cron_job_v1.${c}`),
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const pod = (id: string): Json => at(`kubernetes_cron_job_v1.${id}`).spec.job_template.spec.template.spec;
const sec = (key: string) => ({ value_from: { secret_key_ref: { name: 'broker-sync-secrets', key } } });
const LOGIN = [
  { name: 'WF_BASE_URL', ...sec('wf_base_url') },
  { name: 'WF_USERNAME', ...sec('wf_username') },
  { name: 'WF_PASSWORD', ...sec('wf_password') },
];
const STATE = [
  { name: 'BROKER_SYNC_DATA_DIR', value: '/data' },
  { name: 'WF_SESSION_PATH', value: '/data/wealthfolio_session.json' },
];
const heredoc = (i: number) =>
  `"\${path.root}/../../../tree-payloads/broker-sync/_heredoc/main.tf/command/${i}"`;

describe('stack broker-sync', () => {
  it('is in the registry, after platform and vault, with pg state under schema "broker-sync"', () => {
    expect(STACKS).toContain(brokerSync);
    expect(brokerSync.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'broker-sync' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('syncs every key of secret/broker-sync and keeps state on an encrypted, resizable volume', () => {
    expect(at('kubernetes_manifest.external_secret').manifest.spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
      target: { name: 'broker-sync-secrets' },
      dataFrom: [{ extract: { key: 'broker-sync' } }],
    });
    expect(comparable(at('kubernetes_persistent_volume_claim.data_encrypted'))).toEqual({
      wait_until_bound: false,
      metadata: {
        name: 'broker-sync-data-encrypted',
        namespace: 'broker-sync',
        annotations: {
          'resize.topolvm.io/threshold': '10%',
          'resize.topolvm.io/increase': '100%',
          'resize.topolvm.io/storage_limit': '5Gi',
        },
      },
      spec: {
        access_modes: ['ReadWriteOnce'],
        storage_class_name: 'proxmox-lvm-encrypted',
        resources: { requests: { storage: '1Gi' } },
      },
      lifecycle: { ignore_changes: ['spec[0].resources[0].requests'] },
    });
  });

  it.each([
    ['version_probe', 'broker-sync-version', 'version-probe', '0 1 * * *', 1, 3, 1, undefined, undefined],
    ['trading212', 'broker-sync-trading212', 'trading212', '0 2 * * *', 3, 5, 2, 300, undefined],
    ['ibkr', 'broker-sync-ibkr', 'ibkr', '0 2 * * *', 3, 5, 2, 300, undefined],
    ['imap', 'broker-sync-imap', 'imap', '30 2 * * *', 3, 5, 2, undefined, false],
    ['csv_drop', 'broker-sync-csv', 'csv', '0 3 * * *', 3, 5, 1, undefined, true],
    ['fx_reconcile', 'broker-sync-fx-reconcile', 'fx-reconcile', '5 5 7 * *', 3, 5, 1, undefined, true],
    ['backup', 'broker-sync-backup', 'backup', '15 4 * * *', 3, 5, 1, undefined, undefined],
    ['fidelity', 'broker-sync-fidelity', 'fidelity', '0 5 20 * *', 3, 5, 1, undefined, false],
  ])(
    '%s: %s, schedule and history as the tree',
    (id, name, component, schedule, ok, failed, backoff, start, suspend) => {
      const cj = comparable(at(`kubernetes_cron_job_v1.${id}`));
      const labels = { app: 'broker-sync', component };
      expect(cj.metadata).toEqual({ name, namespace: 'broker-sync', labels });
      const { job_template: jt, ...spec } = cj.spec;
      expect(spec).toEqual({
        schedule,
        concurrency_policy: 'Forbid',
        successful_jobs_history_limit: ok,
        failed_jobs_history_limit: failed,
        ...(start === undefined ? {} : { starting_deadline_seconds: start }),
        ...(suspend === undefined ? {} : { suspend }),
      });
      expect(jt.metadata).toEqual({});
      expect(jt.spec.backoff_limit).toBe(backoff);
      expect(jt.spec.ttl_seconds_after_finished).toBe('86400');
      expect(jt.spec.template.metadata).toEqual({ labels });
      expect(jt.spec.template.spec.restart_policy).toBe('OnFailure');
      expect(jt.spec.template.spec.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
      expect(cj.lifecycle).toEqual({
        ignore_changes: ['spec[0].job_template[0].spec[0].template[0].spec[0].dns_config'],
      });
    },
  );

  it('pins every job but the version probe to the node of the volume; the API importers and imap set fsGroup', () => {
    expect(pod('version_probe').node_selector).toBeUndefined();
    expect(pod('version_probe').volume).toBeUndefined();
    for (const id of CRONS.slice(1))
      expect(pod(id).node_selector).toEqual({ 'kubernetes.io/hostname': 'k8s-node4' });
    for (const id of CRONS) {
      const fsGroup = ['trading212', 'ibkr', 'imap'].includes(id) ? { fs_group: '10001' } : undefined;
      expect(pod(id).security_context, id).toEqual(fsGroup);
    }
  });

  it('gives each importer the Wealthfolio login and its own broker keys, in the tree order', () => {
    expect(pod('trading212').container[0]).toEqual({
      name: 'broker-sync',
      image: IMAGE,
      command: ['broker-sync', 'trading212', '--mode', 'steady'],
      env: [...STATE, ...LOGIN, { name: 'T212_API_KEYS_JSON', ...sec('trading212_api_keys') }],
      volume_mount: [{ name: 'data', mount_path: '/data' }],
      resources: { requests: { cpu: '20m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    });
    expect(
      pod('ibkr')
        .container[0].env.slice(5)
        .map((e: Json) => e.name),
    ).toEqual(['IBKR_FLEX_TOKEN', 'IBKR_FLEX_QUERY_ID', 'IBKR_ACCOUNT_ID_UPSTREAM']);
    expect(
      pod('imap')
        .container[0].env.slice(5)
        .map((e: Json) => e.name),
    ).toEqual(['IMAP_HOST', 'IMAP_USER', 'IMAP_PASSWORD', 'IMAP_DIRECTORY']);
    expect(pod('csv_drop').container[0].env).toEqual([...STATE, ...LOGIN]);
    expect(pod('fidelity').container[0].env).toEqual([
      ...STATE,
      { name: 'FIDELITY_STORAGE_STATE_PATH', value: '/data/fidelity_storage_state.json' },
      { name: 'FIDELITY_PLAN_ID', ...sec('fidelity_plan_id') },
      ...LOGIN,
    ]);
  });

  it('runs the tree heredocs for the backup and the Fidelity session staging, guarded', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'broker-sync', file: '_heredoc/main.tf/command/0' },
      { stack: 'broker-sync', file: '_heredoc/main.tf/command/1' },
    ]);
    const script = (i: number) => `\${fileexists(${heredoc(i)}) ? templatefile(${heredoc(i)}, {}) : null}`;
    const backup = pod('backup');
    expect(backup.container[0]).toEqual({
      name: 'backup',
      image: 'alpine:3.20',
      command: ['/bin/sh', '-c', script(0)],
      volume_mount: [
        { name: 'data', mount_path: '/data', read_only: true },
        { name: 'backup', mount_path: '/backup' },
      ],
      resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { memory: '64Mi' } },
    });
    expect(backup.volume).toEqual([
      { name: 'data', persistent_volume_claim: { claim_name: 'broker-sync-data-encrypted' } },
      { name: 'backup', nfs: { server: '192.168.1.127', path: '/srv/nfs/broker-sync-backup' } },
    ]);
    const fidelity = pod('fidelity');
    expect(fidelity.init_container[0]).toMatchObject({
      name: 'stage-storage-state',
      image: 'busybox:1.36',
      command: ['/bin/sh', '-c', script(1)],
    });
    expect(fidelity.volume[0]).toEqual({
      name: 'secrets',
      secret: {
        secret_name: 'broker-sync-secrets',
        items: [{ key: 'fidelity_storage_state', path: 'fidelity_storage_state' }],
      },
    });
    expect(at('kubernetes_cron_job_v1.backup').lifecycle.precondition[0].condition).toBe(
      `\${fileexists(${heredoc(0)})}`,
    );
    expect(at('kubernetes_cron_job_v1.fidelity').lifecycle.precondition[0].condition).toBe(
      `\${fileexists(${heredoc(1)})}`,
    );
  });
});
