// fire-planner: the owner's FIRE (financial independence) planner, a ProjectionLab-style web app behind
// Authentik with an open /api/ path, monthly Monte Carlo recomputes, weekly cost-of-living and
// Reddit-examples refreshes, and its Postgres database as a Grafana datasource. Tree: stacks/fire-planner.
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import {
  type ContainerProps,
  CronJob,
  type CronJobProps,
  Deployment,
  Keel,
  Probe,
} from '../constructs/blocks/workload';
import { GRAFANA_DATASOURCE_LABEL, grafanaPostgresDatasource } from '../lib/conventions/grafana';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { yamlencode } from '../lib/terraform/yaml';

/** The tree's terragrunt input (`image_tag = "latest"`): CI rolls the Deployment, the CronJobs pull it. */
export const IMAGE = 'ghcr.io/viktorbarzin/fire-planner:latest';
const LATEST = 'tree parity: the tree runs ghcr.io/viktorbarzin/fire-planner:latest; Keel tracks the tag';
const LABELS = { app: 'fire-planner' };
/** Private ghcr image (Kyverno clones ghcr-credentials), plus the older registry's pull secret. */
const PULL_SECRETS = ['registry-credentials', 'ghcr-credentials'];
const APP = 'fire-planner-secrets';
const DB = 'fire-planner-db-creds';
const WEALTHFOLIO = 'wealthfolio-sync-db-creds';
const REDDIT = 'fire-planner-examples-reddit';
const CLAUDE = 'fire-planner-examples-claude';
/** The examples extractor: the local LLM first, claude-agent-service as the fallback (tree defaults). */
const EXAMPLES_ENV = {
  REDDIT_CLIENT_ID: { secretName: REDDIT, key: 'REDDIT_CLIENT_ID' },
  REDDIT_CLIENT_SECRET: { secretName: REDDIT, key: 'REDDIT_CLIENT_SECRET' },
  CLAUDE_AGENT_BEARER: { secretName: CLAUDE, key: 'CLAUDE_AGENT_BEARER' },
  REDDIT_USER_AGENT: 'fire-planner/0.1',
  LLAMA_CPP_BASE_URL: 'http://llama-swap.llama-cpp.svc.cluster.local:8080/v1/chat/completions',
  CLAUDE_AGENT_SERVICE_URL:
    'http://claude-agent-service.claude-agent.svc.cluster.local:8080/v1/chat/completions',
};

const cli = (...args: string[]) => ['python', '-m', 'fire_planner', ...args];
const envFrom = (...secrets: string[]) => secrets.map((secretName) => ({ secretName }));
const mem = (cpu: string, request: Size, limit: Size) => ({
  cpuRequest: cpu,
  memoryRequest: request,
  memoryLimit: limit,
});

export default defineStack({
  name: 'fire-planner',
  description: 'FIRE planner web app behind Authentik (open /api/), monthly recomputes, Grafana datasource',
  after: ['platform', 'vault', 'external-secrets', 'dbaas'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'fire_planner', {
      name: 'fire-planner',
      tier: Tier.AUX,
      // the in-cluster chrome-service admits this namespace (headless UI checks)
      labels: { 'chrome-service.viktorbarzin.me/client': 'true' },
    });
    const reloadMatch = { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } };
    const kv = (secretKey: string, property: string, path = 'fire-planner') => ({
      secretKey,
      vault: { path, property },
    });
    const appSecrets = new ExternalSecret(stack, 'external_secret', {
      name: APP,
      namespace: ns,
      refreshInterval: '15m',
      template: reloadMatch,
      data: [
        kv('RECOMPUTE_BEARER_TOKEN', 'recompute_bearer_token'),
        kv('ACTUALBUDGET_API_URL', 'actualbudget_api_url'),
        kv('ACTUALBUDGET_API_KEY', 'actualbudget_api_key'),
        kv('ACTUALBUDGET_SYNC_ID', 'actualbudget_sync_id'),
        // the second household member's own Actual Budget instance
        kv('ACTUALBUDGET_ANCA_API_URL', 'actualbudget_anca_api_url'),
        kv('ACTUALBUDGET_ANCA_API_KEY', 'actualbudget_anca_api_key'),
        kv('ACTUALBUDGET_ANCA_SYNC_ID', 'actualbudget_anca_sync_id'),
      ],
    });
    // Rotating database-engine credentials: the app's DSN, and a read-only one for the wealthfolio mirror.
    const dbPassword = (role: string) => [
      { secretKey: 'password', vault: { path: `static-creds/${role}`, property: 'password' } },
    ];
    const pg = (user: string) =>
      `postgresql+asyncpg://${user}:{{ .password }}@${site.postgresqlHost}:5432/${user}`;
    const dbSecrets = new ExternalSecret(stack, 'db_external_secret', {
      name: DB,
      namespace: ns,
      refreshInterval: '15m',
      storeName: 'vault-database',
      template: {
        ...reloadMatch,
        data: { DB_CONNECTION_STRING: pg('fire_planner'), DB_PASSWORD: '{{ .password }}' },
      },
      data: dbPassword('pg-fire-planner'),
    });
    const wealthfolio = new ExternalSecret(stack, 'wealthfolio_sync_db_external_secret', {
      name: WEALTHFOLIO,
      namespace: ns,
      refreshInterval: '15m',
      storeName: 'vault-database',
      template: { ...reloadMatch, data: { WEALTHFOLIO_SYNC_DB_CONNECTION_STRING: pg('wealthfolio_sync') } },
      data: dbPassword('pg-wealthfolio-sync'),
    });
    const reddit = new ExternalSecret(stack, 'external_secret_examples_reddit', {
      name: REDDIT,
      namespace: ns,
      data: [
        kv('REDDIT_CLIENT_ID', 'trading_bot_reddit_client_id', 'viktor'),
        kv('REDDIT_CLIENT_SECRET', 'trading_bot_reddit_client_secret', 'viktor'),
      ],
    });
    const claude = new ExternalSecret(stack, 'external_secret_examples_claude', {
      name: CLAUDE,
      namespace: ns,
      data: [kv('CLAUDE_AGENT_BEARER', 'api_bearer_token', 'claude-agent-service')],
    });

    const health = { initialDelay: Duration.seconds(5), period: Duration.seconds(10) };
    const app = new Deployment(stack, 'fire_planner', {
      namespace: ns,
      name: 'fire-planner',
      selector: LABELS,
      strategy: 'Recreate',
      annotations: reloader('search'),
      podAnnotations: { 'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432' },
      keel: Keel.enrolled({ initContainers: ['alembic-migrate'] }),
      imagePullSecrets: PULL_SECRETS,
      initContainers: [
        {
          name: 'alembic-migrate',
          image: IMAGE,
          command: cli('migrate'),
          envFrom: envFrom(DB),
          resources: mem('50m', Size.mebibytes(256), Size.mebibytes(512)),
        },
      ],
      containers: [
        {
          name: 'fire-planner',
          image: IMAGE,
          command: cli('serve'),
          ports: [8080],
          envFrom: envFrom(APP, DB, WEALTHFOLIO),
          readinessProbe: Probe.httpGet('/healthz', 8080, health),
          livenessProbe: Probe.httpGet('/healthz', 8080, health),
          resources: mem('100m', Size.mebibytes(192), Size.mebibytes(320)),
        },
      ],
      dependsOn: [appSecrets.resource, dbSecrets.resource],
    });
    suppressRule(app, 'images-pinned', LATEST);
    const service = app.exposeViaService({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
    });

    // The UI behind Authentik; /api/ on the same host without it (the app checks its own bearer token).
    new IngressFactory(stack, 'ingress', {
      name: 'fire-planner',
      namespace: ns,
      service,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'FIRE Planner',
        'gethomepage.dev/description': 'Risk-adjusted retirement projections (ProjectionLab clone)',
        'gethomepage.dev/icon': 'mdi-fire',
        'gethomepage.dev/group': 'Finance',
      },
      legacyAddress: 'module.ingress',
    });
    new IngressFactory(stack, 'ingress_api', {
      name: 'fire-planner-api',
      namespace: ns,
      host: 'fire-planner',
      serviceName: 'fire-planner',
      port: 8080,
      ingressPath: ['/api/'],
      auth: IngressAuth.NONE,
      dnsType: DnsType.NONE,
      homepageEnabled: false,
      legacyAddress: 'module.ingress_api',
    });

    // The batch jobs: no labels on the CronJobs themselves, the app label on their Jobs and pods.
    const batch = (
      schedule: string,
      container: Omit<ContainerProps, 'image'>,
      job: Partial<CronJobProps>,
      secrets: ExternalSecret[],
    ): CronJobProps => ({
      namespace: ns,
      name: `fire-planner-${container.name}`,
      schedule,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
      startingDeadline: Duration.minutes(10),
      backoffLimit: 1,
      ttlAfterFinished: Duration.days(1),
      podLabels: LABELS,
      jobMetadata: { labels: LABELS },
      imagePullSecrets: PULL_SECRETS,
      ...job,
      containers: [{ ...container, image: IMAGE }],
      dependsOn: secrets.map((s) => s.resource),
    });
    const pulled = 'tree parity: the tree runs ghcr.io/viktorbarzin/fire-planner:latest in its CronJobs';
    const crons = [
      // the 2nd of each month, 09:00 UTC: the Monte Carlo sweep
      new CronJob(
        stack,
        'fire_planner_recompute',
        batch(
          '0 9 2 * *',
          {
            name: 'recompute',
            command: cli('recompute-all'),
            envFrom: envFrom(APP, DB, WEALTHFOLIO),
            resources: mem('200m', Size.gibibytes(1), Size.gibibytes(2)),
          },
          {},
          [appSecrets, dbSecrets, wealthfolio],
        ),
      ),
      // an hour later: FIRE targets for every country, capped at an hour
      new CronJob(
        stack,
        'fire_planner_fire_targets',
        batch(
          '0 10 2 * *',
          {
            name: 'fire-targets',
            command: cli('recompute-fire-targets', '--countries', 'all', '--horizon', '72'),
            envFrom: envFrom(APP, DB),
            resources: mem('500m', Size.gibibytes(1), Size.gibibytes(2)),
          },
          { activeDeadline: Duration.hours(1) },
          [appSecrets, dbSecrets],
        ),
      ),
      // Sundays 04:00: refresh cost-of-living data older than a week
      new CronJob(
        stack,
        'fire_planner_col_refresh',
        batch(
          '0 4 * * 0',
          {
            name: 'col-refresh',
            command: cli('col-refresh-stale', '--within-days', '7'),
            envFrom: envFrom(DB),
            resources: mem('100m', Size.mebibytes(256), Size.mebibytes(512)),
          },
          {},
          [dbSecrets],
        ),
      ),
      // Sundays 04:00: the week's top Reddit FIRE examples
      new CronJob(
        stack,
        'examples_weekly_delta',
        batch(
          '0 4 * * 0',
          {
            name: 'ingest',
            command: cli('examples', 'ingest', '--top=week', '--limit=200'),
            envFrom: envFrom(APP, DB, WEALTHFOLIO),
            env: EXAMPLES_ENV,
          },
          {
            name: 'fire-planner-examples-weekly',
            failedJobsHistoryLimit: 3,
            startingDeadline: undefined,
            backoffLimit: 0,
          },
          [appSecrets, dbSecrets, wealthfolio, reddit, claude],
        ),
      ),
    ];
    for (const c of crons) suppressRule(c, 'images-pinned', pulled);
    // The one-off bulk examples Job exists only while the tree's run_examples_bulk_ingest input is true
    // (count = 0 at HEAD): nothing to declare.

    // Grafana (monitoring namespace) reads the database with its own copy of the rotating password.
    const monitoring = TieredNamespace.fromName(stack, 'monitoring', 'monitoring', Tier.CLUSTER);
    const grafanaCreds = new ExternalSecret(stack, 'grafana_fire_planner_pg_creds', {
      name: 'grafana-fire-planner-pg-creds',
      namespace: monitoring,
      refreshInterval: '15m',
      storeName: 'vault-database',
      template: { ...reloadMatch, data: { FIRE_PLANNER_PG_PASSWORD: '{{ .password }}' } },
      data: dbPassword('pg-fire-planner'),
    });
    const datasource = grafanaPostgresDatasource({
      name: 'FirePlanner',
      uid: 'fire-planner-pg',
      user: 'fire_planner',
      database: 'fire_planner',
      host: site.postgresqlHost,
      passwordEnv: 'FIRE_PLANNER_PG_PASSWORD',
    });
    new ConfigMap(stack, 'grafana_fire_planner_datasource', {
      namespace: monitoring,
      name: 'grafana-fire-planner-datasource',
      labels: GRAFANA_DATASOURCE_LABEL,
      data: { 'fire-planner-datasource.yaml': yamlencode(datasource) },
      dependsOn: [grafanaCreds.resource],
    });
  },
});
