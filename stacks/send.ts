// Send: end-to-end encrypted file sharing (timvisee/send) on send.viktorbarzin.me. PARKED by the owner:
// zero replicas (its WebSocket upload cannot wake through Sablier), so share links are dead until it is
// revived (replicas 1, external monitor back on). Blobs on NFS, metadata in the shared Redis. Tree: stacks/send.
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Probe, Volume } from '../constructs/blocks/workload';
import { Duration, Size } from '../lib/core/units';
import { homepage, reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { Tier } from '../lib/conventions/tiers';

/** Upload cap: 5 GiB, in bytes as Send reads it. */
export const MAX_FILE_SIZE = Size.gibibytes(5);
/** Longest expiry a sender may pick. */
export const MAX_EXPIRE = Duration.days(7);

export default defineStack({
  name: 'send',
  description: 'Send encrypted file sharing (parked: zero replicas), blobs on NFS, metadata in Redis',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'send', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const blobs = new NfsVolume(stack, 'nfs_send', {
      name: 'send-data-nfs',
      namespace: ns,
      nfsPath: '/srv/nfs/send',
      storage: '5Gi',
      legacyAddress: 'module.nfs_send',
    });
    const data = Volume.fromPvc('data', blobs.claimName);
    const app = new Deployment(stack, 'send', {
      namespace: ns,
      name: 'send',
      replicas: 0, // parked
      strategy: 'Recreate',
      annotations: reloader('search'),
      containers: [
        {
          name: 'send',
          image: 'registry.gitlab.com/timvisee/send:latest',
          ports: [1443],
          env: {
            FILE_DIR: '/uploads',
            BASE_URL: 'https://send.viktorbarzin.me',
            MAX_FILE_SIZE: String(MAX_FILE_SIZE.toBytes()),
            MAX_DOWNLOADS: '10', // keeps abuse down
            MAX_EXPIRE_SECONDS: String(MAX_EXPIRE.toSeconds()),
            REDIS_HOST: siteOf(stack).redisHost,
          },
          livenessProbe: Probe.httpGet('/__version__', 1443, {
            initialDelay: Duration.seconds(10),
            period: Duration.seconds(30),
            failureThreshold: 3,
          }),
          volumeMounts: [{ volume: data, mountPath: '/uploads' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [data],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs registry.gitlab.com/timvisee/send:latest; Keel tracks the tag',
    );
    new IngressFactory(stack, 'ingress', {
      name: 'send',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 1443, writeTargetPort: false }] }),
      // auth = "none": recipients open share links anonymously; the files are end-to-end encrypted.
      auth: IngressAuth.NONE,
      dnsType: DnsType.NON_PROXIED,
      externalMonitor: false, // parked: no permanently red external monitor
      extraAnnotations: homepage('Send', 'Encrypted file sharing', 'firefox-send.png', 'Productivity'),
      legacyAddress: 'module.ingress',
    });
  },
});
