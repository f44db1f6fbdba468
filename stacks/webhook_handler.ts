// Webhook handler: the owner's webhook relay at webhook.viktorbarzin.me (chatbot callbacks, Forgejo/GitHub
// events, Woodpecker triggers, Authentik notifications). Third parties POST without a browser session, so
// there is no forward-auth; the app checks its own secrets. It patches deployments cluster-wide through the
// namespace's default ServiceAccount. Tree: stacks/webhook_handler.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { PlanTimeSecret } from '../constructs/blocks/plan-time-secret';
import { AccessRole, Subject } from '../constructs/blocks/rbac';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { vaultKvSecret } from '../lib/terraform/providers';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const APP_SECRETS = 'webhook-handler-secrets';

export default defineStack({
  name: 'webhook_handler',
  description: 'Webhook relay (chatbot, git events, CI triggers) at webhook, no forward-auth',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'webhook-handler', {
      tier: Tier.AUX,
      istioInjectionDisabled: false,
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    // The app rolls out deployments itself: cluster-wide rights for the namespace's default account.
    new AccessRole(stack, 'deployment_updater', {
      name: 'deployment-updater',
      rules: [
        {
          verbs: ['create', 'update', 'get', 'patch', 'list'],
          apiGroups: ['extensions', 'apps', ''],
          resources: ['deployments', 'namespaces', 'pods', 'services'],
        },
      ],
    }).grant('update_deployment_binding', {
      name: 'update-deployment-binding',
      subjects: [Subject.serviceAccount('default', ns.name)],
    });
    // The git deploy key, read from Vault at plan time.
    const vault = vaultKvSecret(stack, 'secrets', 'webhook-handler');
    new PlanTimeSecret(stack, 'ssh-key', {
      namespace: ns,
      name: 'ssh-key',
      annotations: { 'reloader.stakater.com/match': 'true' },
      type: 'generic',
      data: { id_rsa: vault.data.lookup('ssh_key') },
    });
    const idRsa = Volume.fromSecret('id-rsa', 'ssh-key');
    const secretEnv = (key: string) => ({ secretName: APP_SECRETS, key });
    const app = new Deployment(stack, 'webhook_handler', {
      namespace: ns,
      name: 'webhook-handler',
      annotations: reloader('auto'),
      containers: [
        {
          name: 'webhook-handler',
          image: 'viktorbarzin/webhook-handler:latest',
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(64),
          },
          ports: [80],
          volumeMounts: [{ volume: idRsa, mountPath: '/opt/id_rsa', subPath: 'id_rsa' }],
          env: {
            WEBHOOKSECRET: secretEnv('secret'),
            FB_APP_SECRET: secretEnv('fb_app_secret'),
            FB_VERIFY_TOKEN: secretEnv('fb_verify_token'),
            FB_PAGE_TOKEN: secretEnv('fb_page_token'),
            CONFIG: './chatbot/config/viktorwebservices.yaml',
            GIT_USER: secretEnv('git_user'),
            GIT_TOKEN: secretEnv('git_token'),
            SSH_KEY: '/opt/id_rsa',
            WOODPECKER_API_URL: 'https://ci.viktorbarzin.me',
            WOODPECKER_TOKEN: secretEnv('woodpecker_token'),
            WOODPECKER_INFRA_REPO_ID: secretEnv('woodpecker_infra_repo_id'),
            AUTHENTIK_WEBHOOK_SECRET: secretEnv('authentik_webhook_secret'),
          },
        },
      ],
      volumes: [idRsa],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs viktorbarzin/webhook-handler:latest; Keel tracks the tag',
    );
    new IngressFactory(stack, 'ingress', {
      name: 'webhook-handler',
      host: 'webhook',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ port: 80, targetPort: 3000 }] }),
      // auth = "none": webhook senders have no browser session; forward-auth would drop every delivery
      auth: IngressAuth.NONE,
      dnsType: DnsType.NON_PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Webhook Handler',
        'gethomepage.dev/description': 'Webhook relay',
        'gethomepage.dev/icon': 'webhook.png',
        'gethomepage.dev/group': 'Automation',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });
    // Every key of secret/webhook-handler; the namespace is named literally, as the tree.
    new ExternalSecret(stack, 'external_secret', {
      name: APP_SECRETS,
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      extractPaths: ['webhook-handler'],
      dependsOn: [ns.resource],
    });
  },
});
