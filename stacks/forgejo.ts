// forgejo: git hosting and the private OCI registry every image of the cluster is pulled from.
// Tree: stacks/forgejo (main.tf, cleanup.tf, turnstile.tf, email-secret.tf at HEAD). The registry volume
// sits at its autoresize ceiling, so package retention is what keeps it usable (docs/constructs/forgejo-registry.md).
import { forgejoSetting, ForgejoRegistry } from '../constructs/patterns/forgejo-registry';
import { defineStack } from '../lib/synth/stack';

export default defineStack({
  name: 'forgejo',
  description: 'Forgejo git hosting + private OCI registry, sign-up protection and package retention',
  after: ['platform', 'vault'],
  build(stack) {
    new ForgejoRegistry(stack, 'forgejo', {
      image: 'codeberg.org/forgejo/forgejo:11.0.14',
      settings: {
        // Open local sign-up next to OAuth2 login; bots are held off by Turnstile + mail confirmation.
        [forgejoSetting('service', 'DISABLE_REGISTRATION')]: 'false',
        [forgejoSetting('service', 'ALLOW_ONLY_EXTERNAL_REGISTRATION')]: 'false',
        [forgejoSetting('openid', 'ENABLE_OPENID_SIGNIN')]: 'false',
        // Webhooks to in-cluster services and to the public hosts (Woodpecker at ci.viktorbarzin.me).
        [forgejoSetting('webhook', 'ALLOWED_HOST_LIST')]:
          '*.svc.cluster.local,ci.viktorbarzin.me,*.viktorbarzin.me',
        [forgejoSetting('webhook', 'DELIVER_TIMEOUT')]: '30',
        [forgejoSetting('packages', 'ENABLED')]: 'true',
        // Crawlers fetching source archives cost 500s and CPU; clones, registry and API are unaffected.
        [forgejoSetting('repository', 'DISABLE_DOWNLOAD_SOURCE_ARCHIVES')]: 'true',
        // Slow enumeration over big repos must not abort mirrors/gc; a low gc.auto keeps repos packed.
        [forgejoSetting('git.timeout', 'DEFAULT')]: '3600',
        [forgejoSetting('git.timeout', 'MIRROR')]: '3600',
        [forgejoSetting('git.timeout', 'GC')]: '1800',
        [forgejoSetting('git.config', 'gc.auto')]: '1000',
      },
      signup: {
        turnstile: {},
        mailer: {
          // The public host: the mail server's certificate does not cover the Service name.
          smtpHost: 'mail.viktorbarzin.me',
          from: 'Forgejo <noreply@viktorbarzin.me>',
          user: 'noreply@viktorbarzin.me',
          password: { path: 'authentik', property: 'smtp_password' },
        },
        oauth2AutoRegistration: true,
      },
      storage: { size: '30Gi', limit: '50Gi', addressName: 'data_encrypted' },
      maxBodySize: '5g',
      retention: {
        owner: 'viktor',
        // viktor's own write:package token: container packages are per-owner, any other user gets 403.
        token: { path: 'viktor', property: 'forgejo_cleanup_token' },
        keepLastN: 10,
        schedule: '0 4 * * *',
        // Still dry at HEAD: the old script deleted index children. Read a dry run's list before flipping.
        dryRun: true,
      },
      // No integrityProbe: the tree runs it from stack monitoring, so this plan stays a no-op.

      // The tree still ignores image changes (a leftover of Keel management); kept for a no-op plan.
      ignoreImageChanges: true,
      legacyAddress: { ingress: 'module.ingress', tlsSecret: 'module.tls_secret' },
    });
  },
});
