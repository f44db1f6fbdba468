// Parity of stacks/fire-planner with the tree's stacks/fire-planner (HEAD 0cd4afb6): every address the tree
// has is synthesized or moved, and the literal values and ignore_changes sets are the tree's. The bulk
// examples Job has count = 0 at HEAD (run_examples_bulk_ingest = false), so it has no address.
import { describe, expect, it } from 'vitest';
import firePlanner, { IMAGE } from '../../stacks/fire-planner';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  SENSITIVE_TLS_SECRET_NAME,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(firePlanner);
const TREE_ADDRESSES = [
  'kubernetes_namespace.fire_planner',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_manifest.wealthfolio_sync_db_external_secret',
  'kubernetes_deployment.fire_planner',
  'kubernetes_service.fire_planner',
  'kubernetes_cron_job_v1.fire_planner_recompute',
  'kubernetes_cron_job_v1.fire_planner_fire_targets',
  'kubernetes_cron_job_v1.fire_planner_col_refresh',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress', // proxied, not the apex: no record
  'module.ingress_api.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_manifest.grafana_fire_planner_pg_creds',
  'kubernetes_config_map.grafana_fire_planner_datasource',
  'kubernetes_manifest.external_secret_examples_reddit',
  'kubernetes_manifest.external_secret_examples_claude',
  'kubernetes_cron_job_v1.examples_weekly_delta',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const LABELS = { app: 'fire-planner' };
const PULL = [{ name: 'registry-credentials' }, { name: 'ghcr-credentials' }];
const ref = (...names: string[]) => names.map((name) => ({ secret_ref: { name } }));
const PG = 'pg-cluster-rw.dbaas.svc.cluster.local';

describe('stack fire-planner', () => {
  it('is in the registry, after platform, vault, external-secrets and dbaas, with pg state', () => {
    expect(STACKS).toContain(firePlanner);
    expect(firePlanner.after).toEqual(['platform', 'vault', 'external-secrets', 'dbaas']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'fire-planner' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('declares the namespace with the chrome-service client label', () => {
    expect(comparable(at('kubernetes_namespace.fire_planner'))).toEqual({
      metadata: {
        name: 'fire-planner',
        labels: {
          'istio-injection': 'disabled',
          tier: '4-aux',
          'keel.sh/enrolled': 'true',
          'chrome-service.viktorbarzin.me/client': 'true',
        },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
  });

  it('syncs the app keys and both rotating database DSNs', () => {
    const app = at('kubernetes_manifest.external_secret').manifest;
    expect(app.spec.data.map((d: Json) => d.secretKey)).toEqual([
      'RECOMPUTE_BEARER_TOKEN',
      'ACTUALBUDGET_API_URL',
      'ACTUALBUDGET_API_KEY',
      'ACTUALBUDGET_SYNC_ID',
      'ACTUALBUDGET_ANCA_API_URL',
      'ACTUALBUDGET_ANCA_API_KEY',
      'ACTUALBUDGET_ANCA_SYNC_ID',
    ]);
    expect(new Set(app.spec.data.map((d: Json) => d.remoteRef.key))).toEqual(new Set(['fire-planner']));
    expect(at('kubernetes_manifest.db_external_secret').manifest.spec.target.template.data).toEqual({
      DB_CONNECTION_STRING: `postgresql+asyncpg://fire_planner:{{ .password }}@${PG}:5432/fire_planner`,
      DB_PASSWORD: '{{ .password }}',
    });
    const wf = at('kubernetes_manifest.wealthfolio_sync_db_external_secret').manifest.spec;
    expect(wf.target.template.data).toEqual({
      WEALTHFOLIO_SYNC_DB_CONNECTION_STRING: `postgresql+asyncpg://wealthfolio_sync:{{ .password }}@${PG}:5432/wealthfolio_sync`,
    });
    expect(wf.data[0].remoteRef).toEqual({ key: 'static-creds/pg-wealthfolio-sync', property: 'password' });
    expect(at('kubernetes_manifest.external_secret_examples_reddit').manifest.spec.refreshInterval).toBe(
      '1h',
    );
    expect(at('kubernetes_manifest.external_secret_examples_claude').manifest.spec.data).toEqual([
      {
        secretKey: 'CLAUDE_AGENT_BEARER',
        remoteRef: { key: 'claude-agent-service', property: 'api_bearer_token' },
      },
    ]);
  });

  it('runs the app after its migrations, waiting for Postgres, with the tree ignore_changes', () => {
    const d = comparable(at('kubernetes_deployment.fire_planner'));
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.template.metadata).toEqual({
      labels: LABELS,
      annotations: { 'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432' },
    });
    const pod = d.spec.template.spec;
    expect(pod.image_pull_secrets).toEqual(PULL);
    expect(pod.init_container).toEqual([
      {
        name: 'alembic-migrate',
        image: IMAGE,
        command: ['python', '-m', 'fire_planner', 'migrate'],
        env_from: ref('fire-planner-db-creds'),
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
        name: 'fire-planner',
        image: IMAGE,
        command: ['python', '-m', 'fire_planner', 'serve'],
        port: [{ container_port: 8080 }],
        env_from: ref('fire-planner-secrets', 'fire-planner-db-creds', 'wealthfolio-sync-db-creds'),
        readiness_probe: probe,
        liveness_probe: probe,
        resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '320Mi' } },
      },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
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
      ].sort(),
    );
    expect(at('kubernetes_deployment.fire_planner').depends_on).toEqual([
      'kubernetes_manifest.external_secret',
      'kubernetes_manifest.db_external_secret',
    ]);
    expect(comparable(at('kubernetes_service.fire_planner')).spec).toEqual({
      type: 'ClusterIP',
      selector: LABELS,
      port: [{ name: 'http', port: 8080, target_port: '8080' }],
    });
  });

  it('serves the UI behind Authentik and /api/ on the same host without it', () => {
    const ui = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ui.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'traefik-authentik-forward-auth@kubernetescrd',
    );
    expect(ui.metadata.annotations['gethomepage.dev/name']).toBe('FIRE Planner');
    expect(ui.metadata.annotations['gethomepage.dev/pod-selector']).toBeUndefined();
    expect(ui.spec.rule[0].http.path[0].backend.service).toEqual({
      name: 'fire-planner',
      port: { number: 8080 },
    });
    const api = at('module.ingress_api.kubernetes_ingress_v1.proxied-ingress');
    expect(api.metadata.name).toBe('fire-planner-api');
    expect(api.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
    expect(api.spec).toEqual({
      ingress_class_name: 'traefik',
      tls: [{ hosts: ['fire-planner.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
      rule: [
        {
          host: 'fire-planner.viktorbarzin.me',
          http: {
            path: [{ path: '/api/', backend: { service: { name: 'fire-planner', port: { number: 8080 } } } }],
          },
        },
      ],
    });
  });

  it.each([
    ['fire_planner_recompute', 'fire-planner-recompute', '0 9 2 * *', 5, 600, 1, undefined],
    ['fire_planner_fire_targets', 'fire-planner-fire-targets', '0 10 2 * *', 5, 600, 1, 3600],
    ['fire_planner_col_refresh', 'fire-planner-col-refresh', '0 4 * * 0', 5, 600, 1, undefined],
    ['examples_weekly_delta', 'fire-planner-examples-weekly', '0 4 * * 0', 3, undefined, 0, undefined],
  ])(
    '%s: %s on %s, unlabelled CronJob, labelled Jobs and pods',
    (id, name, schedule, failed, start, backoff, deadline) => {
      const cj = comparable(at(`kubernetes_cron_job_v1.${id}`));
      expect(cj.metadata).toEqual({ name, namespace: 'fire-planner' });
      const { job_template: jt, ...spec } = cj.spec;
      expect(spec).toEqual({
        schedule,
        concurrency_policy: 'Forbid',
        successful_jobs_history_limit: 3,
        failed_jobs_history_limit: failed,
        ...(start === undefined ? {} : { starting_deadline_seconds: start }),
      });
      expect(jt.metadata).toEqual({ labels: LABELS });
      expect(jt.spec.backoff_limit).toBe(backoff);
      expect(jt.spec.ttl_seconds_after_finished).toBe('86400');
      expect(jt.spec.active_deadline_seconds).toBe(deadline);
      expect(jt.spec.template.metadata).toEqual({ labels: LABELS });
      expect(jt.spec.template.spec.restart_policy).toBe('OnFailure');
      expect(jt.spec.template.spec.image_pull_secrets).toEqual(PULL);
      expect(jt.spec.template.spec.container[0].image).toBe(IMAGE);
      expect(cj.lifecycle).toEqual({
        ignore_changes: ['spec[0].job_template[0].spec[0].template[0].spec[0].dns_config'],
      });
    },
  );

  it('runs the weekly examples ingest with the Reddit and agent credentials and the LLM endpoints', () => {
    const c = at('kubernetes_cron_job_v1.examples_weekly_delta').spec.job_template.spec.template.spec
      .container[0];
    expect(c.command).toEqual([
      'python',
      '-m',
      'fire_planner',
      'examples',
      'ingest',
      '--top=week',
      '--limit=200',
    ]);
    expect(c.resources).toBeUndefined();
    expect(c.env).toEqual([
      {
        name: 'REDDIT_CLIENT_ID',
        value_from: { secret_key_ref: { name: 'fire-planner-examples-reddit', key: 'REDDIT_CLIENT_ID' } },
      },
      {
        name: 'REDDIT_CLIENT_SECRET',
        value_from: { secret_key_ref: { name: 'fire-planner-examples-reddit', key: 'REDDIT_CLIENT_SECRET' } },
      },
      {
        name: 'CLAUDE_AGENT_BEARER',
        value_from: { secret_key_ref: { name: 'fire-planner-examples-claude', key: 'CLAUDE_AGENT_BEARER' } },
      },
      { name: 'REDDIT_USER_AGENT', value: 'fire-planner/0.1' },
      {
        name: 'LLAMA_CPP_BASE_URL',
        value: 'http://llama-swap.llama-cpp.svc.cluster.local:8080/v1/chat/completions',
      },
      {
        name: 'CLAUDE_AGENT_SERVICE_URL',
        value: 'http://claude-agent-service.claude-agent.svc.cluster.local:8080/v1/chat/completions',
      },
    ]);
    expect(at('kubernetes_cron_job_v1.examples_weekly_delta').depends_on).toHaveLength(5);
  });

  it('gives Grafana a datasource ConfigMap and its own password copy', () => {
    const cm = at('kubernetes_config_map.grafana_fire_planner_datasource');
    expect(cm.metadata).toEqual({
      name: 'grafana-fire-planner-datasource',
      namespace: 'monitoring',
      labels: { grafana_datasource: '1' },
    });
    expect(cm.data['fire-planner-datasource.yaml']).toContain('"name": "FirePlanner"');
    expect(cm.data['fire-planner-datasource.yaml']).toContain(
      '"password": "$__env{FIRE_PLANNER_PG_PASSWORD}"',
    );
    expect(cm.depends_on).toEqual(['kubernetes_manifest.grafana_fire_planner_pg_creds']);
  });
});
