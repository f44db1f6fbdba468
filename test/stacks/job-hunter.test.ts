// Parity of stacks/job-hunter with the tree's stacks/job-hunter (HEAD 0cd4afb6): every address the tree
// has is synthesized, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import jobHunter from '../../stacks/job-hunter';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(jobHunter);
const TREE_ADDRESSES = [
  'kubernetes_namespace.job_hunter',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_deployment.job_hunter',
  'kubernetes_service.job_hunter',
  'kubernetes_manifest.grafana_job_hunter_db_external_secret',
  'kubernetes_config_map.grafana_job_hunter_datasource',
  'kubernetes_cron_job_v1.job_hunter_refresh', // cronjob.tf
  'kubernetes_cron_job_v1.job_hunter_alert',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const IMAGE = 'ghcr.io/viktorbarzin/job-hunter:latest';
const ENV_FROM = [
  { secret_ref: { name: 'job-hunter-secrets' } },
  { secret_ref: { name: 'job-hunter-db-creds' } },
];
const SECRETS = ['kubernetes_manifest.external_secret', 'kubernetes_manifest.db_external_secret'];
const PULL = [{ name: 'registry-credentials' }, { name: 'ghcr-credentials' }];

describe('stack job-hunter', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state "job-hunter"', () => {
    expect(STACKS).toContain(jobHunter);
    expect(jobHunter.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'job-hunter' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('declares the Keel-enrolled aux namespace as the tree', () => {
    expect(comparable(at('kubernetes_namespace.job_hunter'))).toEqual({
      metadata: {
        name: 'job-hunter',
        labels: { 'istio-injection': 'disabled', tier: '4-aux', 'keel.sh/enrolled': 'true' },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
  });

  it('syncs the app keys from secret/job-hunter and the DSN from the rotating DB role', () => {
    const app = at('kubernetes_manifest.external_secret').manifest;
    expect(app.metadata).toEqual({ name: 'job-hunter-secrets', namespace: 'job-hunter' });
    expect(app.spec.refreshInterval).toBe('15m');
    expect(app.spec.secretStoreRef).toEqual({ name: 'vault-kv', kind: 'ClusterSecretStore' });
    expect(app.spec.target.template).toEqual({
      metadata: { annotations: { 'reloader.stakater.com/match': 'true' } },
    });
    expect(app.spec.data.map((d: Json) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual([
      ['WEBHOOK_BEARER_TOKEN', 'job-hunter', 'webhook_bearer_token'],
      ['CDIO_API_KEY', 'job-hunter', 'cdio_api_key'],
      ['SMTP_USERNAME', 'job-hunter', 'smtp_username'],
      ['SMTP_PASSWORD', 'job-hunter', 'smtp_password'],
      ['DIGEST_TO_ADDRESS', 'job-hunter', 'digest_to_address'],
      ['DIGEST_FROM_ADDRESS', 'job-hunter', 'digest_from_address'],
      ['SLACK_WEBHOOK_URL', 'job-hunter', 'slack_webhook_url'],
    ]);
    const db = at('kubernetes_manifest.db_external_secret').manifest;
    expect(db.metadata).toEqual({ name: 'job-hunter-db-creds', namespace: 'job-hunter' });
    expect(db.spec.secretStoreRef).toEqual({ name: 'vault-database', kind: 'ClusterSecretStore' });
    expect(db.spec.target.template.data).toEqual({
      DB_CONNECTION_STRING:
        'postgresql+asyncpg://job_hunter:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/job_hunter',
      DB_PASSWORD: '{{ .password }}',
    });
    expect(db.spec.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'static-creds/pg-job-hunter', property: 'password' } },
    ]);
  });

  it('runs the API after a migrate init container, with the tree probes and ignore_changes', () => {
    const d = comparable(at('kubernetes_deployment.job_hunter'));
    expect(d.metadata).toEqual({
      name: 'job-hunter',
      namespace: 'job-hunter',
      labels: { app: 'job-hunter', tier: '4-aux' },
      annotations: { 'reloader.stakater.com/search': 'true' },
    });
    expect(d.spec.replicas).toBe('1');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = d.spec.template.spec;
    expect(pod.image_pull_secrets).toEqual(PULL);
    expect(pod.init_container).toEqual([
      {
        name: 'alembic-migrate',
        image: IMAGE,
        command: ['python', '-m', 'job_hunter', 'migrate'],
        env_from: ENV_FROM,
        resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      },
    ]);
    const probe = {
      http_get: { path: '/healthz', port: '8080' },
      initial_delay_seconds: 5,
      period_seconds: 10,
    };
    expect(pod.container).toEqual([
      {
        name: 'job-hunter',
        image: IMAGE,
        port: [{ container_port: 8080 }],
        env: [
          { name: 'CDIO_BASE_URL', value: 'http://changedetection.changedetection.svc.cluster.local' },
          { name: 'SMTP_HOST', value: 'mailserver.mailserver.svc.cluster.local' },
          { name: 'SMTP_PORT', value: '587' },
          {
            name: 'JOB_HUNTER_WEBHOOK_URL',
            value: 'http://job-hunter.job-hunter.svc.cluster.local:8080/webhook/cdio',
          },
        ],
        env_from: ENV_FROM,
        readiness_probe: probe,
        liveness_probe: probe,
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '768Mi' } },
      },
    ]);
    expect(new Set(d.lifecycle.ignore_changes)).toEqual(
      new Set([
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].init_container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'spec[0].template[0].metadata[0].annotations["reloader.stakater.com/last-reloaded-from"]',
      ]),
    );
    expect(d.lifecycle.ignore_changes).toHaveLength(11);
    expect(at('kubernetes_deployment.job_hunter').depends_on).toEqual(SECRETS);
  });

  it('exposes the API on a ClusterIP Service only', () => {
    expect(comparable(at('kubernetes_service.job_hunter'))).toEqual({
      metadata: { name: 'job-hunter', namespace: 'job-hunter', labels: { app: 'job-hunter' } },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'job-hunter' },
        port: [{ name: 'http', port: 8080, target_port: '8080' }],
      },
    });
  });

  it.each([
    {
      address: 'kubernetes_cron_job_v1.job_hunter_refresh',
      name: 'job-hunter-refresh',
      schedule: '0 4 * * 0',
      backoff: 1,
      deadline: 1800,
      init: true,
      command: ['refresh', '--source', 'ats', '--source', 'hn', '--source', 'levels_fyi'],
      resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    },
    {
      address: 'kubernetes_cron_job_v1.job_hunter_alert',
      name: 'job-hunter-alert',
      schedule: '0 5 * * 0',
      backoff: 2,
      deadline: 300,
      init: false,
      command: ['alert', '--threshold', '500000', '--location', 'london', '--slack'],
      resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    },
  ])('$name runs weekly with an Always-pulled image, as the tree', (c) => {
    const cj = comparable(at(c.address));
    const labels = { app: 'job-hunter' };
    expect(cj.metadata).toEqual({ name: c.name, namespace: 'job-hunter', labels });
    const { job_template: jt, ...spec } = cj.spec;
    expect(spec).toEqual({
      schedule: c.schedule,
      concurrency_policy: 'Forbid',
      successful_jobs_history_limit: 3,
      failed_jobs_history_limit: 3,
      starting_deadline_seconds: 600,
    });
    expect(jt.metadata).toEqual({ labels });
    expect(jt.spec.backoff_limit).toBe(c.backoff);
    expect(jt.spec.active_deadline_seconds).toBe(c.deadline);
    expect(jt.spec.ttl_seconds_after_finished).toBe('86400');
    expect(jt.spec.template.metadata).toEqual({ labels });
    const pod = jt.spec.template.spec;
    expect(pod.restart_policy).toBe('OnFailure');
    expect(pod.image_pull_secrets).toEqual(PULL);
    expect(pod.init_container?.map((i: Json) => [i.name, i.image_pull_policy, i.command])).toEqual(
      c.init ? [['alembic-migrate', 'Always', ['python', '-m', 'job_hunter', 'migrate']]] : undefined,
    );
    expect(pod.container).toEqual([
      {
        name: c.name.replace('job-hunter-', ''),
        image: IMAGE,
        image_pull_policy: 'Always',
        command: ['python', '-m', 'job_hunter', ...c.command],
        env_from: ENV_FROM,
        resources: c.resources,
      },
    ]);
    expect(cj.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
    expect(at(c.address).depends_on).toEqual(SECRETS);
  });

  it('gives Grafana its own copy of the DB password and a labelled datasource ConfigMap', () => {
    const es = at('kubernetes_manifest.grafana_job_hunter_db_external_secret').manifest;
    expect(es.metadata).toEqual({ name: 'grafana-job-hunter-pg-creds', namespace: 'monitoring' });
    expect(es.spec.secretStoreRef.name).toBe('vault-database');
    expect(es.spec.target.template.data).toEqual({ JOB_HUNTER_PG_PASSWORD: '{{ .password }}' });
    const cm = comparable(at('kubernetes_config_map.grafana_job_hunter_datasource'));
    expect(cm.metadata).toEqual({
      name: 'grafana-job-hunter-datasource',
      namespace: 'monitoring',
      labels: { grafana_datasource: '1' },
    });
    expect(at('kubernetes_config_map.grafana_job_hunter_datasource').depends_on).toEqual([
      'kubernetes_manifest.grafana_job_hunter_db_external_secret',
    ]);
  });

  it("renders the datasource as Terraform's yamlencode of the tree's object", () => {
    const cm = at('kubernetes_config_map.grafana_job_hunter_datasource');
    expect(cm.data['job-hunter-datasource.yaml']).toBe(
      [
        '"apiVersion": 1',
        '"datasources":',
        '- "access": "proxy"',
        '  "editable": true',
        '  "jsonData":',
        '    "database": "job_hunter"',
        '    "postgresVersion": 1600',
        '    "sslmode": "disable"',
        '    "timescaledb": false',
        '  "name": "Job Hunter"',
        '  "secureJsonData":',
        '    "password": "$__env{JOB_HUNTER_PG_PASSWORD}"',
        '  "type": "postgres"',
        '  "uid": "job-hunter-pg"',
        '  "url": "pg-cluster-rw.dbaas.svc.cluster.local:5432"',
        '  "user": "job_hunter"',
        '',
      ].join('\n'),
    );
  });
});
