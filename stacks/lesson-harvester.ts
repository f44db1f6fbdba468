// Lesson harvester: the owner's app that turns watched talks into workflow recommendations. A web
// service (Authentik-gated; /submit also checks a bearer token in the app) and an hourly poll of the
// "Learn Later" playlist share one image, the app's Vault secrets and a rotating DB login. CI rolls the
// Deployment to each build, so Terraform ignores the images. Tree: stacks/lesson-harvester.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { type ContainerProps, CronJob, Deployment, Keel, Probe } from '../constructs/blocks/workload';
import { prometheusScrape, reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's terragrunt input: CI builds :latest and sets the Deployment to each commit's tag. */
export const IMAGE_TAG = 'latest';
export const IMAGE = `ghcr.io/viktorbarzin/lesson-harvester:${IMAGE_TAG}`;

/** Static settings of both the web service and the poll (the app reads LH_-prefixed variables). */
export const APP_ENV = {
  LH_LLM_ENDPOINT: 'http://llama-swap.llama-cpp.svc.cluster.local:8080',
  LH_LLM_MODEL: 'qwen3-8b',
  LH_WHISPER_ENABLED: 'false', // the image has no speech recognition yet
};

const SECRETS = 'lesson-harvester-secrets';
const DB_CREDS = 'lesson-harvester-db-creds';
const LABELS = { app: 'lesson-harvester' };
const RELOAD_ON_CHANGE = { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } };

export default defineStack({
  name: 'lesson-harvester',
  description: 'Lesson harvester: talks to workflow recommendations, web app + hourly playlist poll',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'lesson_harvester', { name: 'lesson-harvester', tier: Tier.AUX });
    const kv = (secretKey: string, property: string) => ({
      secretKey,
      vault: { path: 'lesson-harvester', property },
    });
    const appSecret = new ExternalSecret(stack, 'app_external_secret', {
      name: SECRETS,
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      template: RELOAD_ON_CHANGE,
      data: [
        kv('LH_WEBHOOK_BEARER_TOKEN', 'webhook_bearer_token'),
        kv('LH_YOUTUBE_API_KEY', 'youtube_api_key'),
        kv('LH_LEARN_LATER_PLAYLIST_ID', 'learn_later_playlist_id'),
      ],
      dependsOn: [ns.resource],
    });
    // The database engine's static role rotates the password; ESO renders it into the asyncpg DSN.
    const dbSecret = new ExternalSecret(stack, 'db_external_secret', {
      name: DB_CREDS,
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      storeName: 'vault-database',
      template: {
        ...RELOAD_ON_CHANGE,
        data: {
          LH_DB_CONNECTION_STRING: `postgresql+asyncpg://lesson_harvester:{{ .password }}@${site.postgresqlHost}:5432/lesson_harvester`,
        },
      },
      data: [
        { secretKey: 'password', vault: { path: 'static-creds/pg-lesson-harvester', property: 'password' } },
      ],
      dependsOn: [ns.resource],
    });
    const secretsEnv = [{ secretName: SECRETS }, { secretName: DB_CREDS }];
    const migrate = (imagePullPolicy?: 'Always'): ContainerProps => ({
      name: 'alembic-migrate',
      image: IMAGE,
      imagePullPolicy,
      command: ['alembic', 'upgrade', 'head'],
      envFrom: secretsEnv,
      resources: { cpuRequest: '50m', memoryRequest: Size.mebibytes(256), memoryLimit: Size.mebibytes(512) },
    });
    const health = (initialDelay: number, period: number) =>
      Probe.httpGet('/healthz', 8080, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const pullSecrets = ['registry-credentials', 'ghcr-credentials'];
    const app = new Deployment(stack, 'lesson_harvester', {
      namespace: ns,
      name: 'lesson-harvester',
      keel: Keel.enrolled({ initContainers: ['alembic-migrate'] }), // CI's `set image` wins
      annotations: reloader('search'),
      strategy: 'Recreate',
      imagePullSecrets: pullSecrets,
      initContainers: [migrate()],
      containers: [
        {
          name: 'lesson-harvester',
          image: IMAGE,
          ports: [8080],
          envFrom: secretsEnv,
          env: APP_ENV,
          readinessProbe: health(5, 10),
          livenessProbe: health(30, 30),
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(768),
          },
        },
      ],
      dependsOn: [appSecret.resource, dbSecret.resource],
    });
    const poll = new CronJob(stack, 'poll', {
      namespace: ns,
      name: 'lesson-harvester-poll',
      schedule: '0 * * * *',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      startingDeadline: Duration.minutes(10),
      backoffLimit: 1,
      activeDeadline: Duration.minutes(30),
      ttlAfterFinished: Duration.days(1),
      labels: LABELS,
      labelJobs: true,
      imagePullSecrets: pullSecrets,
      initContainers: [migrate('Always')],
      containers: [
        {
          name: 'poll',
          image: IMAGE,
          imagePullPolicy: 'Always',
          command: ['python', '-m', 'lesson_harvester', 'poll'],
          envFrom: secretsEnv,
          env: APP_ENV,
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.gibibytes(1),
          },
        },
      ],
      dependsOn: [appSecret.resource, dbSecret.resource],
    });
    for (const workload of [app, poll])
      suppressRule(workload, 'images-pinned', `tree parity: the tree runs ${IMAGE}; Keel tracks the tag`);
    new IngressFactory(stack, 'ingress', {
      name: 'lesson-harvester',
      namespace: ns,
      service: app.exposeViaService({
        ports: [{ name: 'http', port: 8080 }],
        annotations: prometheusScrape(8080),
        type: 'ClusterIP',
      }),
      auth: IngressAuth.REQUIRED, // the backend has no login of its own
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/description': 'Turns watched talks into workflow recommendations',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
