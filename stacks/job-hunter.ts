// job-hunter: the owner's job-market tracker. A cluster-internal API (webhooks from changedetection and
// n8n, the weekly digest) plus two Sunday CronJobs: the market scrape and, an hour later, the comp alert.
// Its Postgres database is also a Grafana datasource. Tree: stacks/job-hunter.
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import {
  type ContainerProps,
  CronJob,
  type CronJobProps,
  Deployment,
  Keel,
  Probe,
} from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { GRAFANA_DATASOURCE_LABEL, grafanaPostgresDatasource } from '../lib/conventions/grafana';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { yamlencode } from '../lib/terraform/yaml';

/** The tree's terragrunt input: CI rolls the Deployment to the build SHA; the CronJobs pull :latest each run. */
export const IMAGE = 'ghcr.io/viktorbarzin/job-hunter:latest';
const LATEST = 'tree parity: the tree runs ghcr.io/viktorbarzin/job-hunter:latest; Keel tracks the tag';
const LABELS = { app: 'job-hunter' };
/** The app's own keys and its rotating DB credentials, both synced by ESO. */
const ENV_FROM = [{ secretName: 'job-hunter-secrets' }, { secretName: 'job-hunter-db-creds' }];
/** registry-credentials, plus the ghcr pull secret Kyverno clones into the namespace (private image). */
const PULL_SECRETS = ['registry-credentials', 'ghcr-credentials'];

const cli = (...args: string[]) => ['python', '-m', 'job_hunter', ...args];

/** Schema migrations before the app (and before a scrape: its snapshot rows need the schema). */
const migrate = (pull?: 'Always'): ContainerProps => ({
  name: 'alembic-migrate',
  image: IMAGE,
  imagePullPolicy: pull,
  command: cli('migrate'),
  envFrom: ENV_FROM,
  resources: { cpuRequest: '50m', memoryRequest: Size.mebibytes(256), memoryLimit: Size.mebibytes(512) },
});

export default defineStack({
  name: 'job-hunter',
  description: 'Job-market tracker: internal API, weekly scrape and comp-alert CronJobs, Grafana datasource',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'job_hunter', { name: 'job-hunter', tier: Tier.AUX });
    const kv = (secretKey: string, property: string) => ({
      secretKey,
      vault: { path: 'job-hunter', property },
    });
    const reloadMatch = { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } };
    const appSecrets = new ExternalSecret(stack, 'external_secret', {
      name: 'job-hunter-secrets',
      namespace: ns,
      refreshInterval: '15m',
      template: reloadMatch,
      data: [
        kv('WEBHOOK_BEARER_TOKEN', 'webhook_bearer_token'),
        kv('CDIO_API_KEY', 'cdio_api_key'),
        kv('SMTP_USERNAME', 'smtp_username'),
        kv('SMTP_PASSWORD', 'smtp_password'),
        kv('DIGEST_TO_ADDRESS', 'digest_to_address'),
        kv('DIGEST_FROM_ADDRESS', 'digest_from_address'),
        kv('SLACK_WEBHOOK_URL', 'slack_webhook_url'),
      ],
    });
    // The Vault database engine rotates the password; the template builds the app's asyncpg DSN.
    const dbPassword = [
      { secretKey: 'password', vault: { path: 'static-creds/pg-job-hunter', property: 'password' } },
    ];
    const dbSecrets = new ExternalSecret(stack, 'db_external_secret', {
      name: 'job-hunter-db-creds',
      namespace: ns,
      refreshInterval: '15m',
      storeName: 'vault-database',
      template: {
        ...reloadMatch,
        data: {
          DB_CONNECTION_STRING: `postgresql+asyncpg://job_hunter:{{ .password }}@${site.postgresqlHost}:5432/job_hunter`,
          DB_PASSWORD: '{{ .password }}',
        },
      },
      data: dbPassword,
    });
    const secrets = [appSecrets.resource, dbSecrets.resource];

    const app = new Deployment(stack, 'job_hunter', {
      namespace: ns,
      name: 'job-hunter',
      selector: LABELS,
      strategy: 'Recreate',
      annotations: reloader('search'),
      keel: Keel.enrolled({ initContainers: ['alembic-migrate'] }),
      ignoreChanges: [Ignore.reloaderLastReloaded],
      imagePullSecrets: PULL_SECRETS,
      initContainers: [migrate()],
      containers: [
        {
          name: 'job-hunter',
          image: IMAGE,
          ports: [8080],
          envFrom: ENV_FROM,
          env: {
            CDIO_BASE_URL: 'http://changedetection.changedetection.svc.cluster.local',
            SMTP_HOST: 'mailserver.mailserver.svc.cluster.local',
            SMTP_PORT: '587',
            JOB_HUNTER_WEBHOOK_URL: 'http://job-hunter.job-hunter.svc.cluster.local:8080/webhook/cdio',
          },
          readinessProbe: Probe.httpGet('/healthz', 8080, health),
          livenessProbe: Probe.httpGet('/healthz', 8080, health),
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(768),
          },
        },
      ],
      dependsOn: secrets,
    });
    suppressRule(app, 'images-pinned', LATEST);
    // No ingress: every caller (n8n, changedetection, the CronJobs) is in the cluster.
    app.exposeViaService({ type: 'ClusterIP', ports: [{ name: 'http', port: 8080, targetPort: 8080 }] });

    // A fresh pod per run with Always pull: each run executes the newest build, no rollout needed.
    const weekly = (
      schedule: string,
      job: Pick<CronJobProps, 'backoffLimit' | 'activeDeadline' | 'initContainers'>,
      container: Omit<ContainerProps, 'image' | 'imagePullPolicy' | 'envFrom'>,
    ): CronJobProps => ({
      namespace: ns,
      name: `job-hunter-${container.name}`,
      schedule,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      startingDeadline: Duration.minutes(10),
      ttlAfterFinished: Duration.days(1),
      labels: LABELS,
      labelJobs: true,
      imagePullSecrets: PULL_SECRETS,
      ...job,
      containers: [{ ...container, image: IMAGE, imagePullPolicy: 'Always', envFrom: ENV_FROM }],
      dependsOn: secrets,
    });
    // Sunday 04:00 UTC: scrape ATS boards, HN and levels.fyi into the trend tables.
    const refresh = new CronJob(
      stack,
      'job_hunter_refresh',
      weekly(
        '0 4 * * 0',
        { backoffLimit: 1, activeDeadline: Duration.minutes(30), initContainers: [migrate('Always')] },
        {
          name: 'refresh',
          command: cli('refresh', '--source', 'ats', '--source', 'hn', '--source', 'levels_fyi'),
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.gibibytes(1),
          },
        },
      ),
    );
    // An hour later, on the fresh data: post to Slack the London companies at or above the target comp.
    const alert = new CronJob(
      stack,
      'job_hunter_alert',
      weekly(
        '0 5 * * 0',
        { backoffLimit: 2, activeDeadline: Duration.minutes(5) },
        {
          name: 'alert',
          command: cli('alert', '--threshold', '500000', '--location', 'london', '--slack'),
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ),
    );
    const pulled = 'tree parity: the tree runs ghcr.io/viktorbarzin/job-hunter:latest, pulled on every run';
    suppressRule(refresh, 'images-pinned', pulled);
    suppressRule(alert, 'images-pinned', pulled);

    // Grafana (monitoring namespace) reads the same database: its own copy of the rotating password,
    // and a datasource ConfigMap the Grafana sidecar picks up by label.
    const monitoring = TieredNamespace.fromName(stack, 'monitoring', 'monitoring', Tier.CLUSTER);
    const grafanaCreds = new ExternalSecret(stack, 'grafana_job_hunter_db_external_secret', {
      name: 'grafana-job-hunter-pg-creds',
      namespace: monitoring,
      refreshInterval: '15m',
      storeName: 'vault-database',
      template: { ...reloadMatch, data: { JOB_HUNTER_PG_PASSWORD: '{{ .password }}' } },
      data: dbPassword,
    });
    new ConfigMap(stack, 'grafana_job_hunter_datasource', {
      namespace: monitoring,
      name: 'grafana-job-hunter-datasource',
      labels: GRAFANA_DATASOURCE_LABEL,
      data: {
        'job-hunter-datasource.yaml': yamlencode(
          grafanaPostgresDatasource({
            name: 'Job Hunter',
            uid: 'job-hunter-pg',
            user: 'job_hunter',
            database: 'job_hunter',
            host: site.postgresqlHost,
            passwordEnv: 'JOB_HUNTER_PG_PASSWORD',
          }),
        ),
      },
      dependsOn: [grafanaCreds.resource],
    });
  },
});

const health = { initialDelay: Duration.seconds(5), period: Duration.seconds(10) };
