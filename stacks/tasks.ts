// Tasks: the owner's Reminders-style task PWA over Nextcloud CalDAV (FastAPI + SPA in one pod) on the
// shared PostgreSQL. The app has no login of its own and trusts the identity header Authentik injects,
// so the UI is Authentik-gated and a NetworkPolicy lets only Traefik (and the Prometheus scrape) reach
// the pod; only the PWA icons and manifest are public. The running image tag is set by the Woodpecker
// deploy (KEEL_IGNORE_IMAGE). Tree: stacks/tasks.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NamespaceIngressPolicy } from '../constructs/blocks/network-policy';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Probe } from '../constructs/blocks/workload';
import { prometheusScrape, reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The terragrunt input `image_tag`: only the (re)create base, the deploy pipeline owns the tag. */
export const IMAGE_TAG = 'latest';
/** The files OS icon fetchers load without a session: the only paths that bypass Authentik. */
export const PUBLIC_ICON_PATHS = [
  '/apple-touch-icon.png',
  '/favicon.png',
  '/pwa-192x192.png',
  '/pwa-512x512.png',
  '/manifest.webmanifest',
];

const RELOAD_ON_CHANGE = { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } };

export default defineStack({
  name: 'tasks',
  description: 'Tasks: Reminders-style PWA over Nextcloud CalDAV behind Authentik, on shared PostgreSQL',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'tasks', { tier: Tier.AUX });
    // The ExternalSecrets name the namespace literally (ordered by depends_on), as the tree.
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'tasks-secrets',
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      data: [{ secretKey: 'TASKS_FERNET_KEY', vault: { path: 'tasks', property: 'fernet_key' } }],
      template: RELOAD_ON_CHANGE,
      dependsOn: [ns.resource],
    });
    // The role password rotates weekly (Vault database engine); the DSN is rebuilt from it.
    const db = new ExternalSecret(stack, 'db_external_secret', {
      name: 'tasks-db-creds',
      namespace: ns.byLiteralName,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [{ secretKey: 'password', vault: { path: 'static-creds/pg-tasks', property: 'password' } }],
      template: {
        ...RELOAD_ON_CHANGE,
        data: {
          TASKS_DB_DSN: `postgresql+asyncpg://tasks:{{ .password }}@${site.postgresqlHost}:5432/tasks`,
          DB_PASSWORD: '{{ .password }}',
        },
      },
      dependsOn: [ns.resource],
    });
    const health = (initialDelay: number, period: number) =>
      Probe.httpGet('/healthz', 8000, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const app = new Deployment(stack, 'tasks', {
      namespace: ns,
      name: 'tasks',
      // the password is read at startup only: restart on rotation
      annotations: reloader('search'),
      strategy: 'Recreate', // one writer per CalDAV sync cursor
      podAnnotations: prometheusScrape(8000),
      imagePullSecrets: ['registry-credentials'],
      containers: [
        {
          name: 'tasks',
          image: `ghcr.io/viktorbarzin/tasks:${IMAGE_TAG}`,
          ports: [8000],
          envFrom: [{ secretName: 'tasks-secrets' }, { secretName: 'tasks-db-creds' }],
          env: { TASKS_LOCAL_TZ: 'Europe/Sofia' },
          readinessProbe: health(5, 10),
          livenessProbe: health(30, 30),
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(384),
            memoryLimit: Size.mebibytes(384),
          },
        },
      ],
      dependsOn: [secrets.resource, db.resource],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/tasks:latest; the Woodpecker deploy sets the tag',
    );
    const service = app.exposeViaService({
      ports: [{ name: 'http', port: 8000 }],
      annotations: prometheusScrape(8000),
      type: 'ClusterIP',
    });
    new IngressFactory(stack, 'ingress', {
      name: 'tasks',
      namespace: ns,
      port: 8000,
      auth: IngressAuth.REQUIRED, // the app trusts the Authentik identity header blindly
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/description': 'Reminders-style task PWA over Nextcloud CalDAV',
        'gethomepage.dev/icon': 'mdi-format-list-checks',
      },
      legacyAddress: 'module.ingress',
    });
    // Icon fetchers (Add to Dock / Home Screen) carry no session: these static files skip Authentik on
    // the main host (longer prefixes win over "/").
    new IngressFactory(stack, 'ingress_icons', {
      name: 'tasks-icons',
      namespace: ns,
      service,
      ingressPath: PUBLIC_ICON_PATHS,
      fullHost: `tasks.${site.rootDomain}`,
      auth: IngressAuth.NONE,
      dnsType: DnsType.NONE, // the record belongs to the main ingress
      antiAiScraping: false,
      homepageEnabled: false,
      legacyAddress: 'module.ingress_icons',
    });
    new NamespaceIngressPolicy(stack, 'tasks_ingress', {
      namespace: ns,
      name: 'tasks-ingress',
      podSelector: app.selector,
      allow: [
        { fromNamespace: 'traefik', ports: [8000] },
        { fromNamespace: 'monitoring', ports: [8000] },
      ],
    });
  },
});
