// Dawarich location history (its own login; phones and the OwnTracks bridge post with an API key) on the
// shared PostgreSQL and Redis: the Rails web server and a Sidekiq worker in one pod, plus a daily check
// that pushes the age of the newest ingested point to the Pushgateway (its alert lives in monitoring).
// Tree: stacks/dawarich.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Probe } from '../constructs/blocks/workload';
import { homepage, reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

/** The tree's `image_version` default: web and worker run the same release. */
export const DAWARICH_VERSION = '1.7.11';
const IMAGE = `freikin/dawarich:${DAWARICH_VERSION}`;
const SECRETS = 'dawarich-secrets';

export default defineStack({
  name: 'dawarich',
  description: 'Dawarich location history (API-key clients) on shared PostgreSQL/Redis, ingestion check',
  after: ['platform', 'vault'],
  build(stack) {
    const site = siteOf(stack);
    // the tree's dawarich namespace is the one without the Goldilocks label ignore
    const ns = new TieredNamespace(stack, 'dawarich', { tier: Tier.EDGE, ignoreGoldilocksLabel: false });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns,
      extractPaths: ['dawarich'],
      refreshInterval: '15m',
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const secret = (key: string) => ({ secretName: secrets.secretName, key });
    // Web and worker share the database, locale and host settings; their env lists differ in the middle.
    const database = {
      REDIS_URL: `redis://${site.redisHost}:6379`,
      DATABASE_HOST: site.postgresqlHost,
      DATABASE_USERNAME: 'dawarich',
      DATABASE_PASSWORD: secret('db_password'),
      DATABASE_NAME: 'dawarich',
      MIN_MINUTES_SPENT_IN_CITY: '60',
      TIME_ZONE: 'Europe/London',
      DISTANCE_UNIT: 'km',
    };
    const hosts = { ENABLE_TELEMETRY: 'true', APPLICATION_HOSTS: 'dawarich.viktorbarzin.me' };
    const rails = {
      RAILS_ENV: 'production',
      SECRET_KEY_BASE: secret('secret_key_base'),
      RAILS_LOG_TO_STDOUT: 'true',
      SELF_HOSTED: 'true',
    };
    const sidekiqAlive = (timing: Parameters<typeof Probe.exec>[1]) =>
      Probe.exec(['/bin/sh', '-c', "pgrep -f 'bundle exec sidekiq' >/dev/null"], timing);
    const app = new Deployment(stack, 'dawarich', {
      namespace: ns,
      name: 'dawarich',
      strategy: 'Recreate',
      annotations: reloader('search'),
      podAnnotations: {
        'diun.enable': 'true',
        'diun.include_tags': '^v?\\d+\\.\\d+\\.\\d+$',
        'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432,redis-master.redis:6379',
      },
      terminationGracePeriod: Duration.seconds(60),
      containers: [
        {
          name: 'dawarich',
          image: IMAGE,
          ports: [
            { name: 'http', containerPort: 3000 },
            { name: 'prometheus', containerPort: 9394 },
          ],
          command: ['web-entrypoint.sh'],
          args: ['bin/rails', 'server', '-p', '3000', '-b', '::'],
          env: { ...database, ...hosts, ...rails },
          resources: {
            cpuRequest: '15m',
            memoryRequest: Size.mebibytes(896),
            memoryLimit: Size.mebibytes(896),
          },
        },
        {
          name: 'dawarich-sidekiq',
          image: IMAGE,
          command: ['sidekiq-entrypoint.sh'],
          args: ['bundle exec sidekiq'],
          env: {
            ...database,
            BACKGROUND_PROCESSING_CONCURRENCY: '2',
            ...hosts,
            PROMETHEUS_EXPORTER_ENABLED: 'false', // no exporter server to push to yet
            ...rails,
            GEOAPIFY_API_KEY: secret('geoapify_api_key'),
            MALLOC_ARENA_MAX: '2', // fewer glibc arenas keep the worker's RSS flat
          },
          // the limit leaves room for the hourly stats job's spike; the request stays at the plateau
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(768),
            memoryLimit: Size.gibibytes(2),
          },
          livenessProbe: sidekiqAlive({
            initialDelay: Duration.seconds(90),
            period: Duration.seconds(30),
            timeout: Duration.seconds(5),
            failureThreshold: 3,
          }),
          readinessProbe: sidekiqAlive({
            initialDelay: Duration.seconds(30),
            period: Duration.seconds(15),
            timeout: Duration.seconds(5),
          }),
        },
      ],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'dawarich',
      namespace: ns,
      service: app.exposeViaService({
        ports: [{ name: 'http', port: 80, targetPort: 3000, protocol: 'TCP' }],
      }),
      auth: IngressAuth.NONE, // mobile apps and the OwnTracks bridge authenticate with an API key
      dnsType: DnsType.PROXIED,
      // asset bursts and ingestion POSTs need the dedicated limiter, not the shared one
      skipDefaultRateLimit: true,
      extraMiddlewares: ['traefik-dawarich-rate-limit@kubernetescrd'],
      extraAnnotations: homepage('Dawarich', 'Location history', 'dawarich.png', 'Smart Home'),
      legacyAddress: 'module.ingress',
    });

    // The tree's freshness check script (a heredoc of its main.tf), templated with the DB host.
    const check = treeHeredoc(stack, 'command');
    const monitor = new CronJob(stack, 'ingestion_freshness_monitor', {
      namespace: ns,
      name: 'ingestion-freshness-monitor',
      schedule: '30 6 * * *',
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 1,
      startingDeadline: Duration.minutes(5),
      backoffLimit: 2,
      ttlAfterFinished: Duration.hours(1),
      containers: [
        {
          name: 'ingestion-freshness-monitor',
          image: 'docker.io/library/postgres:16-alpine',
          env: { PGPASSWORD: secret('db_password') },
          command: [
            '/bin/sh',
            '-c',
            check.template(`{ var = { postgresql_host = "${site.postgresqlHost}" } }`),
          ],
        },
      ],
    });
    check.guard(monitor);
  },
});
