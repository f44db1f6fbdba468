// n8n: workflow automation at n8n.viktorbarzin.me on the shared PostgreSQL. Its webhooks are called by
// outside services, so no Authentik (n8n has its own login and per-webhook auth). It may exec into the
// OpenClaw pods to run tasks; the Instagram pipeline workflows read their tokens from env. Tree: stacks/n8n.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { AccessRole, Subject } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';

const SOFIA = 'Europe/Sofia';
const URL = 'https://n8n.viktorbarzin.me';

export default defineStack({
  name: 'n8n',
  description: 'n8n workflow automation (own login, public webhooks) on the shared PostgreSQL',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'n8n', { tier: Tier.AUX, istioInjectionDisabled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    new ExternalSecret(stack, 'external_secret', {
      name: 'n8n-secrets',
      namespace: ns,
      extractPaths: ['n8n'],
      refreshInterval: '15m',
    });
    new ExternalSecret(stack, 'external_secret_claude_agent', {
      name: 'claude-agent-token',
      namespace: ns,
      refreshInterval: '15m',
      data: [
        {
          secretKey: 'api_bearer_token',
          vault: { path: 'claude-agent-service', property: 'api_bearer_token' },
        },
      ],
    });
    // tokens of the Immich -> Telegram -> Postiz Instagram pipeline
    new ExternalSecret(stack, 'external_secret_instagram_pipeline', {
      name: 'instagram-pipeline-secrets',
      namespace: ns,
      refreshInterval: '15m',
      data: ['telegram_bot_token', 'telegram_chat_id', 'immich_api_key'].map((key) => ({
        secretKey: key,
        vault: { path: 'instagram-poster', property: key },
      })),
    });
    const pvc = new EncryptedPvc(stack, 'data_encrypted', {
      name: 'n8n-data-encrypted',
      namespace: ns,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });

    // n8n runs tasks inside the OpenClaw pods: list them and exec, in that namespace only.
    const sa = new ServiceAccount(stack, 'n8n_service_account', {
      namespace: ns,
      name: 'n8n',
      addressName: 'n8n', // the tree's address (the namespace has the id)
    });
    new AccessRole(stack, 'n8n_openclaw_exec', {
      name: 'n8n-openclaw-exec',
      namespace: TieredNamespace.fromName(stack, 'openclaw', 'openclaw', Tier.AUX),
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      ],
    }).grant('n8n_openclaw_exec', {
      name: 'n8n-openclaw-exec',
      subjects: [Subject.serviceAccount(sa.name, ns.name)],
    });

    const data = Volume.fromPvc('data', pvc.claimName);
    const secretRef = (secretName: string, key: string) => ({ secretName, key });
    const app = new Deployment(stack, 'n8n', {
      namespace: ns,
      name: 'n8n',
      strategy: 'Recreate',
      annotations: { 'reloader.stakater.com/auto': 'true' },
      podAnnotations: {
        'diun.enable': 'true',
        'diun.include_tags': '^\\d+\\.\\d+\\.\\d+$',
        'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432',
      },
      serviceAccountName: sa.name,
      containers: [
        {
          name: 'n8n',
          image: 'docker.n8n.io/n8nio/n8n:1.80.5',
          env: {
            N8N_PORT: '5678',
            DB_TYPE: 'postgresdb',
            DB_POSTGRESDB_DATABASE: 'n8n',
            DB_POSTGRESDB_HOST: siteOf(stack).postgresqlHost,
            DB_POSTGRESDB_PORT: '5432',
            DB_POSTGRESDB_USER: 'n8n',
            DB_POSTGRESDB_PASSWORD: secretRef('n8n-secrets', 'db_password'),
            GENERIC_TIMEZONE: SOFIA,
            TZ: SOFIA,
            DOMAIN_NAME: 'n8n',
            N8N_EDITOR_BASE_URL: URL,
            WEBHOOK_URL: URL,
            CLAUDE_AGENT_API_TOKEN: secretRef('claude-agent-token', 'api_bearer_token'),
            N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false', // workflows read the pipeline tokens from env
            TELEGRAM_BOT_TOKEN: secretRef('instagram-pipeline-secrets', 'telegram_bot_token'),
            TELEGRAM_CHAT_ID: secretRef('instagram-pipeline-secrets', 'telegram_chat_id'),
            IMMICH_API_KEY: secretRef('instagram-pipeline-secrets', 'immich_api_key'),
            IMMICH_BASE_URL: 'https://immich.viktorbarzin.me',
            INSTAGRAM_POSTER_INTERNAL_URL: 'http://instagram-poster.instagram-poster.svc.cluster.local',
            PUBLIC_INSTAGRAM_POSTER_URL: 'https://instagram-poster.viktorbarzin.me',
          },
          volumeMounts: [{ volume: data, mountPath: '/home/node/.n8n' }],
          ports: [{ name: 'http', containerPort: 5678, protocol: 'TCP' }],
          resources: {
            cpuRequest: '25m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
      volumes: [data],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'n8n',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ port: 80, targetPort: 5678 }] }),
      auth: IngressAuth.NONE, // public webhooks
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'n8n',
        'gethomepage.dev/description': 'Workflow automation',
        'gethomepage.dev/icon': 'n8n.png',
        'gethomepage.dev/group': 'Automation',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
