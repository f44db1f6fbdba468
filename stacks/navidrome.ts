// navidrome: music streaming over the NAS library (plus the Lidarr and Freedify download folders, read-only),
// its own login (auth APP), and a homepage widget fed from the ESO-managed Secret. Tree: stacks/navidrome.
import { Fn } from 'cdktf';
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { homepage } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The Synology NAS holding the music library (not the site NFS server). */
const NAS = '192.168.1.13';
/** The Proxmox host NFS export of the download folders. */
const PROXMOX_NFS = '192.168.1.127';

export default defineStack({
  name: 'navidrome',
  description: 'Navidrome music streaming over the NAS library, own login, homepage widget',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'navidrome', { tier: Tier.AUX });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'navidrome-secrets',
      namespace: ns.byLiteralName,
      extractPaths: ['navidrome'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    // The synced Secret read back at plan time for the homepage widget credentials.
    const synced = secrets.syncedSecret('eso_secrets', { namespace: ns });
    const credentials = Fn.jsondecode(synced.data.lookup('homepage_credentials'));
    const widget = (field: string) => Fn.lookupNested(credentials, ['navidrome', field]) as string;
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });

    const dataPvc = new EncryptedPvc(stack, 'data_proxmox', {
      name: 'navidrome-data-proxmox',
      namespace: ns,
      storageClassName: 'proxmox-lvm',
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    const nfs = (id: string, name: string, server: string, nfsPath: string) =>
      new NfsVolume(stack, id, {
        name,
        namespace: ns,
        nfsServer: server,
        nfsPath,
        legacyAddress: `module.${id}`,
      });
    const music = nfs('nfs_music', 'navidrome-music', NAS, '/volume1/music');
    const lidarr = nfs('nfs_lidarr_host', 'navidrome-lidarr-host', PROXMOX_NFS, '/srv/nfs/servarr/lidarr');
    const freedify = nfs(
      'nfs_freedify_host',
      'navidrome-freedify-host',
      PROXMOX_NFS,
      '/srv/nfs/freedify-music',
    );

    const volumes = [
      Volume.fromPvc('data', dataPvc.claimName),
      Volume.fromPvc('music', music.claimName),
      Volume.fromPvc('lidarr', lidarr.claimName),
      Volume.fromPvc('freedify', freedify.claimName),
    ];
    const [data, musicVol, lidarrVol, freedifyVol] = volumes;
    const app = new Deployment(stack, 'navidrome', {
      namespace: ns,
      name: 'navidrome',
      keel: Keel.enrolled(),
      strategy: 'Recreate', // the RWO data volume
      containers: [
        {
          name: 'navidrome',
          image: 'deluan/navidrome:latest',
          volumeMounts: [
            { volume: data!, mountPath: '/data' },
            { volume: musicVol!, mountPath: '/music', readOnly: true },
            { volume: lidarrVol!, mountPath: '/lidarr', readOnly: true },
            { volume: freedifyVol!, mountPath: '/freedify-music', readOnly: true },
          ],
          env: { ND_SCANSCHEDULE: '0' }, // no periodic scan: the library is rescanned on demand
          ports: [{ name: 'http', containerPort: 4533, protocol: 'TCP' }],
          resources: {
            cpuRequest: '15m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(384),
          },
        },
      ],
      volumes,
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs deluan/navidrome:latest; Keel tracks the tag',
    );
    new IngressFactory(stack, 'ingress', {
      name: 'navidrome',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ port: 80, targetPort: 4533 }] }),
      // auth APP: Subsonic clients log in to Navidrome itself.
      auth: IngressAuth.APP,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        ...homepage('Navidrome', 'Music streaming', 'navidrome.png', 'Media & Entertainment'),
        'gethomepage.dev/widget.type': 'navidrome',
        'gethomepage.dev/widget.url': 'http://navidrome.navidrome.svc.cluster.local',
        'gethomepage.dev/widget.user': widget('user'),
        'gethomepage.dev/widget.token': widget('token'),
        'gethomepage.dev/widget.salt': widget('salt'),
      },
      legacyAddress: 'module.ingress',
    });
  },
});
