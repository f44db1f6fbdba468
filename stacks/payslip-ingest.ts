// Payslip ingest: paperless-ngx posts new payslips to this cluster-internal FastAPI webhook, which parses
// them (through the Claude agent service) into its own PostgreSQL database; a nightly CronJob overlays
// the Meta payroll deposits from ActualBudget. Grafana reads the database through a datasource this
// stack publishes in the monitoring namespace. The running Deployment tag is set by the Woodpecker deploy
// (KEEL_IGNORE_IMAGE); the CronJob re-pulls :latest. Tree: stacks/payslip-ingest.
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { CronJob, Deployment, Keel, Probe, type ContainerProps } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { yamlencode } from '../lib/terraform/yaml';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The terragrunt input `image_tag`. */
export const IMAGE_TAG = 'latest';
const IMAGE = `ghcr.io/viktorbarzin/payslip-ingest:${IMAGE_TAG}`;
const SECRETS = 'payslip-ingest-secrets';
const DB_CREDS = 'payslip-ingest-db-creds';
const DB_ROLE = 'static-creds/pg-payslip-ingest';
const RELOAD_ON_CHANGE = { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } };
// the private ghcr image: Kyverno clones ghcr-credentials into the namespace
const PULL_SECRETS = ['registry-credentials', 'ghcr-credentials'];

export default defineStack({
  name: 'payslip-ingest',
  description: 'Payslip ingest webhook for paperless-ngx (FastAPI on PostgreSQL), Grafana datasource',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'payslip_ingest', { name: 'payslip-ingest', tier: Tier.AUX });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      // No ACTUALBUDGET_ENCRYPTION_PASSWORD: the budgets are not encrypted and the header alone forces
      // the slow full-download path.
      data: [
        { secretKey: 'PAPERLESS_API_TOKEN', vault: { path: 'paperless-ngx', property: 'api_token' } },
        {
          secretKey: 'CLAUDE_AGENT_BEARER_TOKEN',
          vault: { path: 'claude-agent-service', property: 'api_bearer_token' },
        },
        {
          secretKey: 'WEBHOOK_BEARER_TOKEN',
          vault: { path: 'payslip-ingest', property: 'webhook_bearer_token' },
        },
        {
          secretKey: 'ACTUALBUDGET_API_KEY',
          vault: { path: 'payslip-ingest', property: 'actualbudget_api_key' },
        },
        {
          secretKey: 'ACTUALBUDGET_BUDGET_SYNC_ID',
          vault: { path: 'payslip-ingest', property: 'actualbudget_budget_sync_id' },
        },
      ],
      template: RELOAD_ON_CHANGE,
      dependsOn: [ns.resource],
    });
    // The role password rotates weekly (Vault database engine); the DSN is rebuilt from it.
    const db = new ExternalSecret(stack, 'db_external_secret', {
      name: DB_CREDS,
      namespace: ns.byLiteralName,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [{ secretKey: 'password', vault: { path: DB_ROLE, property: 'password' } }],
      template: {
        ...RELOAD_ON_CHANGE,
        data: {
          DB_CONNECTION_STRING: `postgresql+asyncpg://payslip_ingest:{{ .password }}@${site.postgresqlHost}:5432/payslip_ingest`,
          DB_PASSWORD: '{{ .password }}',
        },
      },
      dependsOn: [ns.resource],
    });
    const appEnv = {
      PAPERLESS_URL: 'http://paperless-ngx.paperless-ngx.svc.cluster.local',
      CLAUDE_AGENT_URL: 'http://claude-agent-service.claude-agent.svc.cluster.local:8080',
    };
    const envFrom = [{ secretName: SECRETS }, { secretName: DB_CREDS }];
    const resources: ContainerProps['resources'] = {
      cpuRequest: '50m',
      memoryRequest: Size.mebibytes(256),
      memoryLimit: Size.mebibytes(512),
    };
    const health = Probe.httpGet('/healthz', 8080, {
      initialDelay: Duration.seconds(5),
      period: Duration.seconds(10),
    });
    const app = new Deployment(stack, 'payslip_ingest', {
      namespace: ns,
      name: 'payslip-ingest',
      keel: Keel.enrolled({ initContainers: ['alembic-migrate'] }),
      annotations: reloader('search'),
      strategy: 'Recreate',
      podAnnotations: { 'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432' },
      imagePullSecrets: PULL_SECRETS,
      initContainers: [
        {
          name: 'alembic-migrate',
          image: IMAGE,
          command: ['python', '-m', 'payslip_ingest', 'migrate'],
          envFrom,
          env: appEnv,
          resources,
        },
      ],
      containers: [
        {
          name: 'payslip-ingest',
          image: IMAGE,
          ports: [8080],
          envFrom,
          env: appEnv,
          readinessProbe: health,
          livenessProbe: health,
          resources,
        },
      ],
      dependsOn: [secrets.resource, db.resource],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/payslip-ingest:latest; the Woodpecker deploy sets the tag',
    );
    // cluster-internal only: paperless-ngx calls the webhook, no ingress
    app.exposeViaService({ ports: [{ name: 'http', port: 8080 }], type: 'ClusterIP' });
    const sync = new CronJob(stack, 'actualbudget_payroll_sync', {
      namespace: ns,
      name: 'actualbudget-payroll-sync',
      schedule: '0 2 * * *',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
      startingDeadline: Duration.seconds(300),
      backoffLimit: 1,
      ttlAfterFinished: Duration.days(1),
      labels: app.selector,
      labelJobs: true,
      labelCronJob: false, // the tree labels the Jobs and pods, not the CronJob
      imagePullSecrets: PULL_SECRETS,
      containers: [
        {
          name: 'sync',
          image: IMAGE,
          imagePullPolicy: 'Always', // owned-app CronJobs track :latest
          command: ['python', '-m', 'payslip_ingest', 'sync-meta-deposits'],
          envFrom,
          env: { ACTUALBUDGET_HTTP_API_URL: 'http://budget-http-api-viktor.actualbudget.svc.cluster.local' },
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      dependsOn: [secrets.resource, db.resource],
    });
    suppressRule(
      sync,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/payslip-ingest:latest with pull policy Always',
    );

    // Grafana (monitoring namespace) reads the database with the same rotating password, injected as
    // $__env{PAYSLIPS_PG_PASSWORD}; its sidecar picks up the datasource by label.
    const monitoring = TieredNamespace.fromName(stack, 'monitoring', 'monitoring', Tier.CLUSTER);
    const grafanaCreds = new ExternalSecret(stack, 'grafana_payslips_db_external_secret', {
      name: 'grafana-payslips-pg-creds',
      namespace: monitoring,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [{ secretKey: 'password', vault: { path: DB_ROLE, property: 'password' } }],
      template: { ...RELOAD_ON_CHANGE, data: { PAYSLIPS_PG_PASSWORD: '{{ .password }}' } },
    });
    new ConfigMap(stack, 'grafana_payslips_datasource', {
      namespace: monitoring,
      name: 'grafana-payslips-datasource',
      labels: { grafana_datasource: '1' },
      data: {
        'payslips-datasource.yaml': yamlencode({
          apiVersion: 1,
          datasources: [
            {
              name: 'Payslips',
              type: 'postgres',
              access: 'proxy',
              url: `${site.postgresqlHost}:5432`,
              user: 'payslip_ingest',
              uid: 'payslips-pg',
              // Grafana 11.2+ reads the database name from jsonData only
              jsonData: {
                database: 'payslip_ingest',
                sslmode: 'disable',
                postgresVersion: 1600,
                timescaledb: false,
              },
              secureJsonData: { password: '$__env{PAYSLIPS_PG_PASSWORD}' },
              editable: true,
            },
          ],
        }),
      },
      dependsOn: [grafanaCreds.resource],
    });
  },
});
