// Health: the owner's health dashboard (SvelteKit front, FastAPI API in one image) on the shared
// PostgreSQL, parked by Sablier when idle. Three hosts share the one pod: the Authentik-gated public UI, a
// LAN-only test host without SSO, and a public push-ingest path for iOS Shortcuts that the app guards
// with its own bearer tokens. Tree: stacks/health.
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory, SablierStrategy } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { homepage, reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The Vault kv properties of secret/health the app reads (each a key of health-kv-secrets). */
const KV_KEYS = ['secret_key', 'push_vapid_private_key', 'push_vapid_public_key', 'push_vapid_subject'];

export default defineStack({
  name: 'health',
  description: 'Health dashboard on shared PostgreSQL behind Authentik, LAN test host, token push-ingest API',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'health', { tier: Tier.AUX, istioInjectionDisabled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const uploadsPvc = new EncryptedPvc(stack, 'uploads_encrypted', {
      name: 'health-uploads-encrypted',
      namespace: ns,
      storage: '2Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    // The async driver URL is assembled by ESO from the rotating static role's password.
    const db = new ExternalSecret(stack, 'external_secret_db', {
      name: 'health-db-secrets',
      namespace: ns,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [{ secretKey: 'db_password', vault: { path: 'static-creds/pg-health', property: 'password' } }],
      template: {
        data: {
          DATABASE_URL:
            'postgresql+asyncpg://health:{{ .db_password }}@postgresql.dbaas.svc.cluster.local:5432/health',
        },
      },
    });
    const kv = new ExternalSecret(stack, 'external_secret_kv', {
      name: 'health-kv-secrets',
      namespace: ns,
      refreshInterval: '15m',
      data: KV_KEYS.map((key) => ({ secretKey: key, vault: { path: 'health', property: key } })),
    });
    const kvEnv = (key: string) => ({ secretName: kv.secretName, key });
    const uploads = Volume.fromPvc('uploads', uploadsPvc.claimName);
    const app = new Deployment(stack, 'health', {
      namespace: ns,
      name: 'health',
      sablier: {},
      strategy: 'Recreate',
      annotations: reloader('auto'),
      podAnnotations: { 'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432' },
      containers: [
        {
          name: 'health',
          image: 'viktorbarzin/health:latest',
          ports: [3000],
          env: {
            DATABASE_URL: { secretName: db.secretName, key: 'DATABASE_URL' },
            SECRET_KEY: kvEnv('secret_key'),
            UPLOAD_DIR: '/data/uploads',
            WEBAUTHN_RP_ID: 'health.viktorbarzin.me',
            WEBAUTHN_ORIGIN: 'https://health.viktorbarzin.me',
            COOKIE_SECURE: 'true',
            PUSH_VAPID_PRIVATE_KEY: kvEnv('push_vapid_private_key'),
            PUSH_VAPID_PUBLIC_KEY: kvEnv('push_vapid_public_key'),
            PUSH_VAPID_SUBJECT: kvEnv('push_vapid_subject'),
            // the identity of requests without the Authentik header: only the LAN test host has none
            DEV_AUTH_EMAIL: 'vbarzin@gmail.com',
          },
          volumeMounts: [{ volume: uploads, mountPath: '/data/uploads' }],
          resources: {
            cpuRequest: '15m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [uploads],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs viktorbarzin/health:latest; Keel tracks the tag',
    );
    const service = app.exposeViaService({
      ports: [
        { name: 'http', port: 80, targetPort: 3000 },
        // the API port, only for the ingest host (it bypasses the UI's CSRF guard)
        { name: 'api', port: 8000, targetPort: 8000 },
      ],
    });
    const sablier = { group: 'health' };
    const hidden = { 'gethomepage.dev/enabled': 'false' };
    new IngressFactory(stack, 'ingress', {
      name: 'health',
      namespace: ns,
      service,
      sablier,
      dnsType: DnsType.NON_PROXIED,
      maxBodySize: '100m',
      // the SPA's page-load burst exceeds the shared limiter: a health-specific one in the traefik namespace
      skipDefaultRateLimit: true,
      extraMiddlewares: ['traefik-health-rate-limit@kubernetescrd'],
      extraAnnotations: homepage('Health', 'Health dashboard', 'healthchecks.png', 'Core Platform'),
      legacyAddress: 'module.ingress',
    });
    new IngressFactory(stack, 'ingress_test', {
      name: 'health-test',
      namespace: ns,
      service,
      sablier,
      auth: IngressAuth.NONE, // LAN-only: no SSO, the app acts as DEV_AUTH_EMAIL
      rootDomain: 'viktorbarzin.lan',
      allowLocalAccessOnly: true,
      maxBodySize: '100m',
      antiAiScraping: false,
      extraAnnotations: hidden,
      legacyAddress: 'module.ingress_test',
    });
    new IngressFactory(stack, 'ingress_api', {
      name: 'health-api',
      namespace: ns,
      service,
      port: 8000,
      // an API client's POST must be held while the pod wakes, never answered with the loading page
      sablier: { ...sablier, strategy: SablierStrategy.BLOCKING },
      auth: IngressAuth.NONE, // bearer tokens checked by the app; spoofed auth headers are stripped
      dnsType: DnsType.NON_PROXIED,
      ingressPath: ['/api/ingest'],
      maxBodySize: '5m',
      extraMiddlewares: ['traefik-strip-auth-headers@kubernetescrd'],
      extraAnnotations: hidden,
      legacyAddress: 'module.ingress_api',
    });
  },
});
