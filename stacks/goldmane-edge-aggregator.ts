// goldmane-edge-aggregator: the durable who-talks-to-whom audit trail. A small service streams Calico
// Goldmane's flow API over mutual TLS and upserts the service-to-service edge set into Postgres; a daily
// CronJob posts first-seen edges to Slack. The mTLS client pair and the CA bundle are copies of what the
// Calico operator keeps in calico-system. The DB-init Job's script is the tree owner's inline heredoc,
// read at plan time. Tree: stacks/goldmane-edge-aggregator.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { CopiedConfigMap, CopiedSecret } from '../constructs/blocks/namespace-copy';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { CronJob, Deployment, Job, Volume } from '../constructs/blocks/workload';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { vaultKvSecret } from '../lib/terraform/providers';
import { treeHeredoc } from '../lib/terraform/tree-payload';

const NAME = 'goldmane-edge-aggregator';
/** Private ghcr image: Kyverno clones the ghcr pull secret into allow-listed namespaces. */
export const IMAGE = 'ghcr.io/viktorbarzin/goldmane-edge-aggregator:latest';
const DB_SECRET = 'goldmane-edges-db-creds';
const SLACK_SECRET = 'goldmane-edges-slack';
const small = { cpuRequest: '10m', memoryRequest: Size.mebibytes(64), memoryLimit: Size.mebibytes(64) };

export default defineStack({
  name: NAME,
  description: 'Goldmane flow edges to Postgres (durable service-to-service audit trail), daily Slack digest',
  after: ['platform', 'vault'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'goldmane_edge_aggregator', {
      name: NAME,
      tier: Tier.AUX,
      istioInjectionDisabled: false,
      labels: { name: NAME },
    });

    // Goldmane only checks that the client certificate chains to the Tigera CA, so the operator's own
    // client pair (whisker-backend) serves, and the CA key is never touched.
    const clientTls = new CopiedSecret(stack, 'goldmane_client_tls', {
      namespace: ns,
      name: 'goldmane-client-tls',
      from: {
        namespace: 'calico-system',
        name: 'whisker-backend-key-pair',
        dataSourceName: 'whisker_backend',
      },
      keys: ['tls.crt', 'tls.key'],
    });
    const caBundle = new CopiedConfigMap(stack, 'tigera_ca_bundle', {
      namespace: ns,
      from: { namespace: 'calico-system', name: 'tigera-ca-bundle', dataSourceName: 'tigera_ca_bundle' },
    });

    // Idempotent role + database creation with the CNPG root credentials (read at plan time from Vault);
    // the service creates its table itself.
    const secrets = vaultKvSecret(stack, 'secrets', NAME);
    const dbInitHeredoc = treeHeredoc(stack, 'command');
    const dbInitScript = dbInitHeredoc.template(
      `{ data = { vault_kv_secret_v2 = { secrets = { data = data.vault_kv_secret_v2.${secrets.friendlyUniqueId}.data } } }, var = { postgresql_host = "${site.postgresqlHost}" } }`,
    );
    const dbInit = new Job(stack, 'db_init', {
      namespace: ns,
      name: 'goldmane-edges-db-init',
      backoffLimit: 3,
      waitForCompletion: true,
      createTimeout: Duration.minutes(2),
      containers: [{ name: 'db-init', image: 'postgres:16-alpine', command: ['sh', '-c', dbInitScript] }],
    });
    dbInitHeredoc.guard(dbInit);

    const db = new ExternalSecret(stack, 'db_external_secret', {
      name: DB_SECRET,
      namespace: ns,
      refreshInterval: '15m',
      storeName: 'vault-database',
      template: {
        data: {
          DATABASE_URL: `postgresql://goldmane_edges:{{ .password }}@${site.postgresqlHost}:5432/goldmane_edges`,
        },
      },
      data: [
        { secretKey: 'password', vault: { path: 'static-creds/pg-goldmane-edges', property: 'password' } },
      ],
    });
    // The shared alert-digest Slack webhook, projected into this namespace.
    const slack = new ExternalSecret(stack, 'slack_external_secret', {
      name: SLACK_SECRET,
      namespace: ns,
      data: [
        { secretKey: 'SLACK_WEBHOOK_URL', vault: { path: 'viktor', property: 'alertmanager_slack_api_url' } },
      ],
    });
    const databaseUrl = { secretName: DB_SECRET, key: 'DATABASE_URL' };
    // The password rotates every 7 days and is read at start only: Reloader bounces the pods.
    const reloadOnRotation = { 'secret.reloader.stakater.com/reload': DB_SECRET };

    const clientTlsVolume = Volume.fromSecret('goldmane-client-tls', clientTls.name);
    const caVolume = Volume.fromConfigMap('tigera-ca', caBundle.name);
    // One replica: the edge set is a global upsert, a second stream would only double the writes.
    const aggregate = new Deployment(stack, 'aggregate', {
      namespace: ns,
      name: NAME,
      annotations: reloadOnRotation,
      imagePullSecrets: ['ghcr-credentials'],
      containers: [
        {
          name: 'aggregate',
          image: IMAGE,
          args: ['aggregate'],
          // the default TLS server name (the host without port) is a SAN of Goldmane's serving cert
          env: { GOLDMANE_HOST: 'goldmane.calico-system.svc.cluster.local:7443', DATABASE_URL: databaseUrl },
          // the image's default certificate and CA paths
          volumeMounts: [
            { volume: clientTlsVolume, mountPath: '/etc/goldmane-client-tls', readOnly: true },
            { volume: caVolume, mountPath: '/etc/tigera-ca', readOnly: true },
          ],
          resources: small,
        },
      ],
      volumes: [clientTlsVolume, caVolume],
      dependsOn: [dbInit, db.resource],
    });
    suppressRule(aggregate, 'images-pinned', 'tree parity: the tree runs :latest; CI sets the live tag');

    // Daily 08:00 London: first-seen edges to #alerts.
    const digest = new CronJob(stack, 'digest', {
      namespace: ns,
      name: 'goldmane-edges-digest',
      schedule: '0 8 * * *',
      timeZone: 'Europe/London',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      startingDeadline: Duration.minutes(10),
      backoffLimit: 2,
      activeDeadline: Duration.minutes(5),
      ttlAfterFinished: Duration.days(1),
      labels: { app: NAME, tier: ns.tier },
      podLabels: { app: NAME },
      jobMetadata: { labels: { app: NAME }, annotations: reloadOnRotation },
      imagePullSecrets: ['ghcr-credentials'],
      containers: [
        {
          name: 'digest',
          image: IMAGE,
          imagePullPolicy: 'Always',
          args: ['digest'],
          env: {
            DATABASE_URL: databaseUrl,
            SLACK_WEBHOOK_URL: { secretName: SLACK_SECRET, key: 'SLACK_WEBHOOK_URL' },
            SLACK_CHANNEL: '#alerts',
          },
          resources: small,
        },
      ],
      dependsOn: [dbInit, db.resource, slack.resource],
    });
    suppressRule(digest, 'images-pinned', 'tree parity: the tree runs :latest, pulled on every run');
  },
});
