// TREK: self-hosted group-trip planner (mauriceboe/TREK), a trial deployment behind Authentik, parked by
// Sablier when idle. Pinned upstream tag, not Keel-enrolled. Its SQLite DB, the encryption key it generates
// and trip attachments live on two encrypted volumes. Tree: stacks/trek.
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { ProxmoxPvc, ProxmoxStorage } from '../constructs/blocks/proxmox-pvc';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { Duration, Size } from '../lib/core/units';
import { Ignore } from '../lib/conventions/lifecycle';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export const IMAGE_TAG = '3.0.22';
const URL = 'https://trek.viktorbarzin.me';

export default defineStack({
  name: 'trek',
  description:
    'TREK group-trip planner (trial) behind Authentik, parked by Sablier, data on encrypted volumes',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'trek', { tier: Tier.AUX, keelEnrolled: false });
    const encrypted = (id: string, name: string, storage: string, storageLimit: string) =>
      new ProxmoxPvc(stack, id, {
        name,
        namespace: ns.name,
        storageClass: ProxmoxStorage.LVM_ENCRYPTED,
        storage,
        autoresize: { storageLimit, increase: '100%' },
      });
    const data = Volume.fromPvc('data', encrypted('data', 'trek-data-encrypted', '2Gi', '5Gi').claimName);
    const uploads = Volume.fromPvc(
      'uploads',
      encrypted('uploads', 'trek-uploads-encrypted', '5Gi', '20Gi').claimName,
    );
    const socket = (timing: Parameters<typeof Probe.tcpSocket>[1]) => Probe.tcpSocket(3000, timing);
    const app = new Deployment(stack, 'trek', {
      namespace: ns,
      name: 'trek',
      // Pinned tag, no Keel; the tree still ignores the annotations Kyverno would inject and the image.
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.keelAnnotations, Ignore.keelImage(0)],
      sablier: {},
      strategy: 'Recreate', // ReadWriteOnce volumes
      containers: [
        {
          name: 'trek',
          image: `mauriceboe/trek:${IMAGE_TAG}`,
          imagePullPolicy: 'IfNotPresent',
          ports: [3000],
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.mebibytes(512),
          },
          env: { APP_URL: URL, ALLOWED_ORIGINS: URL, FORCE_HTTPS: 'true', TRUST_PROXY: '1' },
          volumeMounts: [
            { volume: data, mountPath: '/app/data' },
            { volume: uploads, mountPath: '/app/uploads' },
          ],
          // Socket checks (the app redirects to its login); a long startup budget for the first migration.
          startupProbe: socket({ period: Duration.seconds(5), failureThreshold: 30 }),
          readinessProbe: socket({ initialDelay: Duration.seconds(5), period: Duration.seconds(10) }),
          livenessProbe: socket({ period: Duration.seconds(30) }),
        },
      ],
      volumes: [data, uploads],
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    new IngressFactory(stack, 'ingress', {
      name: 'trek',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ port: 80, targetPort: 3000 }] }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      homepageGroup: 'Productivity',
      extraAnnotations: {
        'gethomepage.dev/description': 'Group trip planner (trial)',
        'gethomepage.dev/icon': 'mdi-bag-suitcase',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
