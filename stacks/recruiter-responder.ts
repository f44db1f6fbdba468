// Recruiter responder: triages recruiter mail from two mailboxes of the in-cluster mail server, drafts
// replies with the LLMs and asks the owner on Telegram. Switched off by the owner (zero replicas, kept
// so turning it back on is one line); the database, secrets and ingress stay. Only the /cb callback
// links are public, gated by HMAC-signed parameters in the app. Tree: stacks/recruiter-responder.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel, Probe } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';

/** The terragrunt input `image_tag` (the Woodpecker deploy moves it). */
export const IMAGE_TAG = '2162e09d';
const IMAGE = `ghcr.io/viktorbarzin/recruiter-responder:${IMAGE_TAG}`;
const SECRETS = 'recruiter-responder-secrets';
const DB_CREDS = 'recruiter-responder-db-creds';
const MAILSERVER = 'mailserver.mailserver.svc.cluster.local';
const RELOAD_ON_CHANGE = { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } };

/** Secret keys and their Vault properties under secret/recruiter-responder, in the tree's order. */
export const APP_SECRET_KEYS = [
  'WEBHOOK_BEARER_TOKEN',
  'IMAP_ME_USER',
  'IMAP_ME_PASS',
  'IMAP_SPAM_USER',
  'IMAP_SPAM_PASS',
  'SMTP_PASSWORD',
  'CLAUDE_AGENT_TOKEN',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_CHAT_ID',
  'GMAIL_IMAP_USER',
  'GMAIL_IMAP_PASS',
  'GPT_MINI_ENDPOINT',
  'GPT_MINI_API_KEY',
  'GPT_MINI_MODEL',
];

export default defineStack({
  name: 'recruiter-responder',
  description: 'Recruiter mail triage with LLM drafts and Telegram approval (switched off: 0 replicas)',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'recruiter_responder', {
      name: 'recruiter-responder',
      tier: Tier.AUX,
    });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      // each key is the lower-cased Vault property of the app's secret
      data: APP_SECRET_KEYS.map((secretKey) => ({
        secretKey,
        vault: { path: 'recruiter-responder', property: secretKey.toLowerCase() },
      })),
      template: RELOAD_ON_CHANGE,
      dependsOn: [ns.resource],
    });
    const db = new ExternalSecret(stack, 'db_external_secret', {
      name: DB_CREDS,
      namespace: ns.byLiteralName,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [
        {
          secretKey: 'password',
          vault: { path: 'static-creds/pg-recruiter-responder', property: 'password' },
        },
      ],
      template: {
        ...RELOAD_ON_CHANGE,
        data: {
          DB_CONNECTION_STRING: `postgresql+asyncpg://recruiter_responder:{{ .password }}@${site.postgresqlHost}:5432/recruiter_responder`,
          DB_PASSWORD: '{{ .password }}',
        },
      },
      dependsOn: [ns.resource],
    });
    const envFrom = [{ secretName: SECRETS }, { secretName: DB_CREDS }];
    const health = (initialDelay: number, period: number) =>
      Probe.httpGet('/healthz', 8080, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const app = new Deployment(stack, 'recruiter_responder', {
      namespace: ns,
      name: 'recruiter-responder',
      keel: Keel.enrolled({ initContainers: ['alembic-migrate'] }),
      annotations: reloader('search'),
      replicas: 0, // off by the owner's decision, not a temporary scale-down
      strategy: 'Recreate', // IMAP IDLE and the scheduler want one leader
      imagePullSecrets: ['registry-credentials', 'ghcr-credentials'],
      initContainers: [
        {
          name: 'alembic-migrate',
          image: IMAGE,
          command: ['alembic', 'upgrade', 'head'],
          envFrom,
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
      containers: [
        {
          name: 'recruiter-responder',
          image: IMAGE,
          ports: [8080],
          envFrom,
          env: {
            IMAP_MAILBOXES: 'me,spam',
            IMAP_ME_HOST: MAILSERVER,
            IMAP_SPAM_HOST: MAILSERVER,
            SMTP_HOST: MAILSERVER,
            SMTP_PORT: '587',
            SMTP_USER: 'me@viktorbarzin.me',
            SMTP_FROM_ADDR: 'me@viktorbarzin.me',
            SMTP_FROM_NAME: 'Viktor Barzin',
            LLAMA_SWAP_URL: 'http://llama-swap.llama-cpp.svc.cluster.local:8080',
            LLAMA_SWAP_MODEL: 'qwen3-8b',
            CLAUDE_AGENT_URL: 'http://claude-agent-service.claude-agent.svc.cluster.local:8080',
            // the Telegram buttons link back through the public ingress
            CALLBACK_BASE_URL: `https://recruiter-responder.${site.rootDomain}`,
          },
          readinessProbe: health(5, 10),
          livenessProbe: health(30, 30),
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(192),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      dependsOn: [secrets.resource, db.resource],
    });
    app.exposeViaService({ ports: [{ name: 'http', port: 8080 }], type: 'ClusterIP' });
    new IngressFactory(stack, 'ingress', {
      name: 'recruiter-responder',
      namespace: ns,
      port: 8080,
      ingressPath: ['/cb'],
      // auth = "none": HMAC + expiry gate /cb; a login would break Telegram's one-tap links
      auth: IngressAuth.NONE,
      antiAiScraping: false,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/description': 'Automated recruiter email triage',
        'gethomepage.dev/icon': 'mdi-email-fast',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
