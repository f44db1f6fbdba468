// Parity of stacks/goldmane-edge-aggregator with the tree's stack (HEAD 0cd4afb6): every address the tree
// has is synthesized, and the literal values and ignore_changes sets are the tree's. The DB-init script is
// the tree's inline heredoc, read at plan time (never copied).
import { describe, expect, it } from 'vitest';
import goldmane, { IMAGE } from '../../stacks/goldmane-edge-aggregator';
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

const json = synthDefinition(goldmane);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'kubernetes_namespace.goldmane_edge_aggregator',
  'data.kubernetes_secret.whisker_backend',
  'data.kubernetes_config_map.tigera_ca_bundle',
  'kubernetes_config_map.tigera_ca_bundle',
  'kubernetes_secret.goldmane_client_tls',
  'kubernetes_job.db_init',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_manifest.slack_external_secret',
  'kubernetes_deployment.aggregate',
  'kubernetes_cron_job_v1.digest',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const dataAt = (type: string, name: string): Json => json.data![type][name];
const NS = 'goldmane-edge-aggregator';
const HEREDOC = '"${path.root}/../../../tree-payloads/goldmane-edge-aggregator/_heredoc/main.tf/command/0"';
const DB_URL = { value_from: { secret_key_ref: { name: 'goldmane-edges-db-creds', key: 'DATABASE_URL' } } };
const RELOAD = { 'secret.reloader.stakater.com/reload': 'goldmane-edges-db-creds' };

describe('stack goldmane-edge-aggregator', () => {
  it('is in the registry, after platform and vault, with pg state under its name', () => {
    expect(STACKS).toContain(goldmane);
    expect(goldmane.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'goldmane-edge-aggregator' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('declares the namespace with its name label and without the istio label', () => {
    expect(comparable(at('kubernetes_namespace.goldmane_edge_aggregator'))).toEqual({
      metadata: {
        name: 'goldmane-edge-aggregator',
        labels: { name: 'goldmane-edge-aggregator', tier: '4-aux', 'keel.sh/enrolled': 'true' },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
  });

  it('copies the Calico client pair and CA bundle from calico-system by reference only', () => {
    expect(dataAt('kubernetes_secret', 'whisker_backend').metadata).toEqual({
      name: 'whisker-backend-key-pair',
      namespace: 'calico-system',
    });
    expect(comparable(at('kubernetes_secret.goldmane_client_tls'))).toEqual({
      metadata: { name: 'goldmane-client-tls', namespace: NS },
      type: 'Opaque',
      data: {
        'tls.crt': '${data.kubernetes_secret.whisker_backend.data["tls.crt"]}',
        'tls.key': '${data.kubernetes_secret.whisker_backend.data["tls.key"]}',
      },
    });
    expect(dataAt('kubernetes_config_map', 'tigera_ca_bundle').metadata).toEqual({
      name: 'tigera-ca-bundle',
      namespace: 'calico-system',
    });
    expect(comparable(at('kubernetes_config_map.tigera_ca_bundle'))).toEqual({
      metadata: { name: 'tigera-ca-bundle', namespace: NS },
      data: '${data.kubernetes_config_map.tigera_ca_bundle.data}',
    });
    expect(JSON.stringify(json)).not.toMatch(/-----BEGIN/);
  });

  it('runs the tree DB-init heredoc with the Vault root credentials, guarded, once (waits, 2m)', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'goldmane-edge-aggregator', file: '_heredoc/main.tf/command/0' },
    ]);
    expect(dataAt('vault_kv_secret_v2', 'secrets')).toMatchObject({
      mount: 'secret',
      name: 'goldmane-edge-aggregator',
    });
    const job = comparable(at('kubernetes_job.db_init'));
    expect(job.metadata).toEqual({ name: 'goldmane-edges-db-init', namespace: NS });
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts).toEqual({ create: '2m' });
    expect(job.spec.backoff_limit).toBe(3);
    expect(job.spec.template.metadata).toEqual({});
    expect(job.spec.template.spec.restart_policy).toBe('Never');
    const vars =
      '{ data = { vault_kv_secret_v2 = { secrets = { data = data.vault_kv_secret_v2.secrets.data } } }, var = { postgresql_host = "pg-cluster-rw.dbaas.svc.cluster.local" } }';
    expect(job.spec.template.spec.container).toEqual([
      {
        name: 'db-init',
        image: 'postgres:16-alpine',
        command: ['sh', '-c', `\${fileexists(${HEREDOC}) ? templatefile(${HEREDOC}, ${vars}) : null}`],
      },
    ]);
    expect(job.lifecycle).toEqual({ ignore_changes: ['spec[0].template[0].spec[0].dns_config'] });
    expect(at('kubernetes_job.db_init').lifecycle.precondition[0].condition).toBe(
      `\${fileexists(${HEREDOC})}`,
    );
  });

  it('syncs DATABASE_URL from the rotating role and the shared Slack webhook', () => {
    const db = at('kubernetes_manifest.db_external_secret').manifest;
    expect(db.metadata).toEqual({ name: 'goldmane-edges-db-creds', namespace: NS });
    expect(db.spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { name: 'vault-database', kind: 'ClusterSecretStore' },
      target: {
        name: 'goldmane-edges-db-creds',
        template: {
          data: {
            DATABASE_URL:
              'postgresql://goldmane_edges:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/goldmane_edges',
          },
        },
      },
      data: [
        { secretKey: 'password', remoteRef: { key: 'static-creds/pg-goldmane-edges', property: 'password' } },
      ],
    });
    expect(at('kubernetes_manifest.slack_external_secret').manifest.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
      target: { name: 'goldmane-edges-slack' },
      data: [
        {
          secretKey: 'SLACK_WEBHOOK_URL',
          remoteRef: { key: 'viktor', property: 'alertmanager_slack_api_url' },
        },
      ],
    });
  });

  it('runs the aggregator with the mTLS mounts, Reloader on rotation and the tree ignore_changes', () => {
    const d = comparable(at('kubernetes_deployment.aggregate'));
    expect(d.metadata).toEqual({
      name: 'goldmane-edge-aggregator',
      namespace: NS,
      labels: { app: 'goldmane-edge-aggregator', tier: '4-aux' },
      annotations: RELOAD,
    });
    expect(d.spec.replicas).toBe('1');
    expect(d.spec.strategy).toBeUndefined();
    const pod = d.spec.template.spec;
    expect(pod.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
    expect(pod.container).toEqual([
      {
        name: 'aggregate',
        image: IMAGE,
        args: ['aggregate'],
        env: [
          { name: 'GOLDMANE_HOST', value: 'goldmane.calico-system.svc.cluster.local:7443' },
          { name: 'DATABASE_URL', ...DB_URL },
        ],
        volume_mount: [
          { name: 'goldmane-client-tls', mount_path: '/etc/goldmane-client-tls', read_only: true },
          { name: 'tigera-ca', mount_path: '/etc/tigera-ca', read_only: true },
        ],
        resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      },
    ]);
    expect(pod.volume).toEqual([
      {
        name: 'goldmane-client-tls',
        secret: { secret_name: 'goldmane-client-tls' },
      },
      {
        name: 'tigera-ca',
        config_map: { name: 'tigera-ca-bundle' },
      },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
    expect(at('kubernetes_deployment.aggregate').depends_on).toEqual([
      'kubernetes_job.db_init',
      'kubernetes_manifest.db_external_secret',
    ]);
  });

  it('posts the daily digest at 08:00 London, tier on the CronJob only, Reloader on the Jobs', () => {
    const cj = comparable(at('kubernetes_cron_job_v1.digest'));
    const app = { app: 'goldmane-edge-aggregator' };
    expect(cj.metadata).toEqual({
      name: 'goldmane-edges-digest',
      namespace: NS,
      labels: { ...app, tier: '4-aux' },
    });
    const { job_template: jt, ...spec } = cj.spec;
    expect(spec).toEqual({
      schedule: '0 8 * * *',
      timezone: 'Europe/London',
      concurrency_policy: 'Forbid',
      successful_jobs_history_limit: 3,
      failed_jobs_history_limit: 3,
      starting_deadline_seconds: 600,
    });
    expect(jt.metadata).toEqual({ labels: app, annotations: RELOAD });
    expect(jt.spec).toMatchObject({
      backoff_limit: 2,
      active_deadline_seconds: 300,
      ttl_seconds_after_finished: '86400',
    });
    expect(jt.spec.template.metadata).toEqual({ labels: app });
    expect(jt.spec.template.spec.restart_policy).toBe('OnFailure');
    expect(jt.spec.template.spec.container[0]).toEqual({
      name: 'digest',
      image: IMAGE,
      image_pull_policy: 'Always',
      args: ['digest'],
      env: [
        { name: 'DATABASE_URL', ...DB_URL },
        {
          name: 'SLACK_WEBHOOK_URL',
          value_from: { secret_key_ref: { name: 'goldmane-edges-slack', key: 'SLACK_WEBHOOK_URL' } },
        },
        { name: 'SLACK_CHANNEL', value: '#alerts' },
      ],
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } },
    });
    expect(cj.lifecycle).toEqual({
      ignore_changes: ['spec[0].job_template[0].spec[0].template[0].spec[0].dns_config'],
    });
    expect(at('kubernetes_cron_job_v1.digest').depends_on).toEqual([
      'kubernetes_job.db_init',
      'kubernetes_manifest.db_external_secret',
      'kubernetes_manifest.slack_external_secret',
    ]);
  });
});
