// FreshRSS feed reader (its own login) at rss.viktorbarzin.me; the homepage widget logs in with the
// credentials of the app's Vault secret, read back through ESO. Tree: stacks/freshrss.
import { Fn } from 'cdktf';
import { EncryptedPvc, PLAIN_STORAGE_CLASS } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { homepage } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const CLUSTER_SERVICE = { 'kubernetes.io/cluster-service': 'true' };

export default defineStack({
  name: 'freshrss',
  description: 'FreshRSS feed reader (own login) at rss',
  after: ['platform'],
  build(stack) {
    // the tree's resource is named "immich" (a copy-paste origin); the address is the state key
    const ns = new TieredNamespace(stack, 'immich', {
      name: 'freshrss',
      tier: Tier.AUX,
      istioInjectionDisabled: false,
    });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'freshrss-secrets',
      namespace: ns,
      extractPaths: ['freshrss'],
      refreshInterval: '15m',
    });
    const credentials = Fn.jsondecode(
      secrets.syncedSecret('eso_secrets').data.lookup('homepage_credentials'),
    );
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const dataPvc = new EncryptedPvc(stack, 'data_proxmox', {
      name: 'freshrss-data-proxmox',
      namespace: ns,
      storageClassName: PLAIN_STORAGE_CLASS,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    const nfsExtensions = new NfsVolume(stack, 'nfs_extensions', {
      name: 'freshrss-extensions',
      namespace: ns,
      nfsPath: '/srv/nfs/freshrss/extensions',
      storage: '1Gi',
      legacyAddress: 'module.nfs_extensions',
    });
    const data = Volume.fromPvc('data', dataPvc.claimName);
    const extensions = Volume.fromPvc('extensions', nfsExtensions.claimName);
    const app = new Deployment(stack, 'freshrss', {
      namespace: ns,
      name: 'freshrss',
      strategy: 'Recreate',
      labels: CLUSTER_SERVICE,
      podLabels: CLUSTER_SERVICE,
      containers: [
        {
          name: 'freshrss',
          image: 'freshrss/freshrss',
          env: { CRON_MIN: '0,30', BASE_URL: 'https://rss.viktorbarzin.me', PUBLISHED_PORT: '80' },
          volumeMounts: [
            { volume: data, mountPath: '/var/www/FreshRSS/data' },
            { volume: extensions, mountPath: '/var/www/FreshRSS/extensions' },
          ],
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          resources: {
            cpuRequest: '15m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [data, extensions],
    });
    suppressRule(app, 'images-pinned', 'tree parity: the tree runs freshrss/freshrss; Keel tracks the tag');
    new IngressFactory(stack, 'ingress', {
      name: 'rss',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ port: 80, targetPort: 80 }] }),
      auth: IngressAuth.APP,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        ...homepage('FreshRSS', 'RSS feed reader', 'freshrss.png', 'Productivity'),
        'gethomepage.dev/widget.type': 'freshrss',
        'gethomepage.dev/widget.url': 'http://freshrss.freshrss.svc.cluster.local',
        'gethomepage.dev/widget.username': Fn.lookupNested(credentials, ['freshrss', 'username']),
        'gethomepage.dev/widget.password': Fn.lookupNested(credentials, ['freshrss', 'password']),
      },
      legacyAddress: 'module.ingress',
    });
  },
});
