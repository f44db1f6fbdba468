// AFFiNE knowledge base (its own workspace login and sync API) on the shared PostgreSQL and Redis, parked by
// Sablier when idle. A migration init container runs before the server; the SMTP password is the info@
// mailbox's, read back from the app's ESO secret. Tree: stacks/affine.
import { Fn } from 'cdktf';
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory, SablierStrategy } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { type ContainerProps, Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { homepage, reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';

/** One image for the migration and the server: they must agree on the schema. */
export const AFFINE_IMAGE = 'ghcr.io/toeverything/affine:0.26.6';
const MAILBOX = 'info@viktorbarzin.me';

export default defineStack({
  name: 'affine',
  description: 'AFFiNE knowledge base (own login, sync clients) on shared PostgreSQL/Redis, Sablier-parked',
  after: ['platform', 'vault'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'affine', { tier: Tier.AUX, istioInjectionDisabled: false });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'affine-secrets',
      namespace: ns,
      extractPaths: ['affine'],
      refreshInterval: '15m',
    });
    const mailboxes = Fn.jsondecode(secrets.syncedSecret('eso_secrets').data.lookup('mailserver_accounts'));
    const db = new ExternalSecret(stack, 'db_external_secret', {
      name: 'affine-db-creds',
      namespace: ns,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [{ secretKey: 'password', vault: { path: 'static-creds/pg-affine', property: 'password' } }],
      template: {
        data: { DATABASE_URL: `postgresql://affine:{{ .password }}@${site.postgresqlHost}:5432/affine` },
      },
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const dataPvc = new EncryptedPvc(stack, 'data_encrypted', {
      name: 'affine-data-encrypted',
      namespace: ns,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    const data = Volume.fromPvc('data', dataPvc.claimName);
    // Migration and server see the same environment and the same storage/config subdirectories.
    const shared: Pick<ContainerProps, 'image' | 'env' | 'volumeMounts' | 'resources'> = {
      image: AFFINE_IMAGE,
      env: {
        REDIS_SERVER_HOST: site.redisHost,
        AFFINE_INDEXER_ENABLED: 'false',
        NODE_OPTIONS: '--max-old-space-size=4096',
        AFFINE_SERVER_EXTERNAL_URL: 'https://affine.viktorbarzin.me',
        AFFINE_SERVER_HTTPS: 'true',
        MAILER_HOST: site.mailHost,
        MAILER_PORT: '587',
        MAILER_USER: MAILBOX,
        MAILER_PASSWORD: Fn.lookup(mailboxes, MAILBOX),
        MAILER_SENDER: `AFFiNE <${MAILBOX}>`,
        DATABASE_URL: { secretName: db.secretName, key: 'DATABASE_URL' },
      },
      volumeMounts: [
        { volume: data, mountPath: '/root/.affine/storage', subPath: 'storage' },
        { volume: data, mountPath: '/root/.affine/config', subPath: 'config' },
      ],
      resources: { cpuRequest: '50m', memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(512) },
    };
    const app = new Deployment(stack, 'affine', {
      namespace: ns,
      name: 'affine',
      keel: Keel.enrolled({ initContainers: ['migration'] }),
      sablier: {},
      strategy: 'Recreate',
      annotations: reloader('auto'),
      podAnnotations: {
        'diun.enable': 'true',
        'diun.include_tags': '^\\d+\\.\\d+\\.\\d+$',
        'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432,redis-master.redis:6379',
      },
      initContainers: [
        {
          name: 'migration',
          command: ['sh', '-c', 'npx prisma migrate deploy && SERVER_FLAVOR=script node ./dist/main.js run'],
          ...shared,
        },
      ],
      containers: [
        {
          name: 'affine',
          ports: [3010],
          ...shared,
          livenessProbe: Probe.httpGet('/info', 3010, {
            initialDelay: Duration.seconds(120),
            period: Duration.seconds(30),
            timeout: Duration.seconds(10),
          }),
          readinessProbe: Probe.httpGet('/info', 3010, {
            initialDelay: Duration.seconds(60),
            period: Duration.seconds(10),
            timeout: Duration.seconds(5),
          }),
        },
      ],
      volumes: [data],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'affine',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 3010 }] }),
      // sync clients call the API directly: a held request, never an HTML loading page
      sablier: { group: 'affine', strategy: SablierStrategy.BLOCKING },
      auth: IngressAuth.APP,
      dnsType: DnsType.NON_PROXIED,
      maxBodySize: '500m',
      extraAnnotations: homepage('Affine', 'Knowledge base', 'affine.png', 'Other'),
      legacyAddress: 'module.ingress',
    });
  },
});
