// novelapp: a web-novel tracker (Next.js, its own Google sign-in) shared with a friend, who administers
// its namespace. Always on (not Sablier-parked: cold starts hurt its users); Keel climbs upstream semver
// by the `major` policy Terraform owns. SQLite on a Proxmox volume. Tree: stacks/novelapp.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { ProxmoxPvc, ProxmoxStorage } from '../constructs/blocks/proxmox-pvc';
import { RoleGrant, Subject } from '../constructs/blocks/rbac';
import { SealedSecrets } from '../constructs/blocks/sealed-secrets';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, KeelPolicy, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';

const SECRETS = 'novelapp-secrets';
const secret = (key: string) => ({ secretName: SECRETS, key });

export default defineStack({
  name: 'novelapp',
  description: 'NovelApp web-novel tracker (own Google sign-in), always on, namespace admin for its co-owner',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'novelapp', { tier: Tier.AUX });
    new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns,
      extractPaths: ['novelapp'],
      refreshInterval: '15m',
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const pvc = new ProxmoxPvc(stack, 'novelapp-data', {
      name: 'novelapp-data-proxmox',
      namespace: ns.name,
      storageClass: ProxmoxStorage.LVM,
      storage: '1Gi',
      autoresize: { storageLimit: '5Gi', increase: '100%' },
      waitUntilBound: true, // the tree leaves it to the provider
    });
    const data = Volume.fromPvc('data', pvc.claimName);
    const app = new Deployment(stack, 'novelapp', {
      namespace: ns,
      name: 'novelapp',
      // no match-tag: the semver policy must climb to higher tags (the tree leaves it unignored too)
      keel: Keel.owned(KeelPolicy.MAJOR, { pollEvery: Duration.hours(1), ignoreMatchTag: false }),
      annotations: { 'reloader.stakater.com/auto': 'true' },
      strategy: 'Recreate',
      containers: [
        {
          name: 'novelapp',
          image: 'mghee/novelapp:v1.1.3', // semver floor; Keel owns the live tag
          imagePullPolicy: 'IfNotPresent',
          env: {
            NODE_ENV: 'production',
            DB_PATH: '/app/data/novelapp.db',
            DISABLE_BROWSER_SCRAPING: 'true',
            PORT: '3000',
            AUTH_URL: 'https://novelapp.viktorbarzin.me',
            AUTH_SECRET: secret('auth_secret'),
            AUTH_TRUST_HOST: 'true',
            GOOGLE_CLIENT_ID: secret('google_client_id'),
            GOOGLE_CLIENT_SECRET: secret('google_client_secret'),
            ALLOWED_ORIGIN: 'https://novelapp.viktorbarzin.me',
          },
          volumeMounts: [{ volume: data, mountPath: '/app/data' }],
          ports: [3000],
          // sized for request-time SSR spikes, not the idle working set
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(640),
            memoryLimit: Size.mebibytes(640),
          },
        },
      ],
      volumes: [data],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'novelapp',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 3000 }] }),
      auth: IngressAuth.APP, // its own OAuth: forward-auth would break the mobile webviews
      dnsType: DnsType.NON_PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'NovelApp',
        'gethomepage.dev/description': 'Web novel tracker',
        'gethomepage.dev/icon': 'mdi-book-open-page-variant',
        'gethomepage.dev/group': 'Other',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });
    // The co-owner administers the namespace: as an OIDC user, and as his dashboard ServiceAccount (the
    // apiserver sees the account the dashboard injects, not the email).
    new RoleGrant(stack, 'novelapp_owner_vabbit81', {
      name: 'novelapp-owner-vabbit81',
      namespace: ns,
      role: { kind: 'ClusterRole', name: 'admin' },
      subjectApiGroups: true,
      subjects: [
        Subject.user('vabbit81@gmail.com'),
        Subject.serviceAccount('dashboard-vabbit81', 'vabbit81'),
      ],
    });
    new SealedSecrets(stack, 'sealed_secrets');
  },
});
