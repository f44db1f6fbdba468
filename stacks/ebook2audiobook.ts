// Book-to-audiobook converters on the GPU node: ebook2audiobook (retired in favour of audiblez), the
// audiblez CLI pod and the audiblez web UI, all scaled to zero in the tree (GPU node memory pressure).
// Each holds one GPU time-slice when running. Tree: stacks/ebook2audiobook.
import { DnsType, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { type ContainerProps, Deployment, type Toleration, Volume } from '../constructs/blocks/workload';
import { homepage } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's GPU placement: the GPU node's label and taint, one time-slice per container. */
const GPU_NODE = {
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
  ] as Toleration[],
};
const ONE_GPU = { gpu: 1 };
/** The NAS export host the tree pins for these volumes. */
const NFS_SERVER = '192.168.1.127';

export default defineStack({
  name: 'ebook2audiobook',
  description: 'Ebook-to-audiobook converters (ebook2audiobook, audiblez + web UI) on the GPU, scaled to 0',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'ebook2audiobook', { tier: Tier.GPU });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const nfsData = new NfsVolume(stack, 'nfs_data_host', {
      name: 'ebook2audiobook-data-host',
      namespace: ns,
      nfsServer: NFS_SERVER,
      nfsPath: '/srv/nfs/ebook2audiobook',
      legacyAddress: 'module.nfs_data_host',
    });
    const nfsAudiblez = new NfsVolume(stack, 'nfs_audiblez_data_host', {
      name: 'ebook2audiobook-audiblez-data-host',
      namespace: ns,
      nfsServer: NFS_SERVER,
      nfsPath: '/srv/nfs/audiblez',
      legacyAddress: 'module.nfs_audiblez_data_host',
    });
    const data = Volume.fromPvc('data', nfsData.claimName);
    const audiblezData = Volume.fromPvc('data', nfsAudiblez.claimName);

    // Every converter is parked at zero replicas: only one GPU job runs at a time, started by hand.
    const converter = (
      name: string,
      container: Omit<ContainerProps, 'name'>,
      volume: Volume,
      recreate = true,
    ) => {
      const d = new Deployment(stack, name, {
        namespace: ns,
        name,
        replicas: 0,
        ...(recreate ? { strategy: 'Recreate' as const } : {}),
        ...GPU_NODE,
        containers: [{ name, ...container, resources: ONE_GPU }],
        volumes: [volume],
      });
      return d;
    };

    const ebook = converter(
      'ebook2audiobook',
      {
        image: 'docker.io/athomasson2/ebook2audiobook:v25.12.30-cu128',
        tty: true, // its entrypoint is an interactive shell
        stdin: true,
        ports: [7860],
        // the CUDA runtime and cuDNN libraries live under the Python site-packages
        env: {
          LD_LIBRARY_PATH:
            '/usr/local/lib/python3.12/site-packages/nvidia/cuda_runtime/lib:/usr/local/lib/python3.12/site-packages/nvidia/cudnn/lib',
        },
        volumeMounts: [{ volume: data, mountPath: '/home/user' }],
      },
      data,
    );
    new IngressFactory(stack, 'ingress', {
      name: 'ebook2audiobook',
      namespace: ns,
      service: ebook.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 7860 }] }),
      dnsType: DnsType.NON_PROXIED,
      extraAnnotations: homepage(
        'Ebook2Audiobook',
        'Book to audio converter',
        'audiobookshelf.png',
        'AI & Data',
      ),
      legacyAddress: 'module.ingress',
    });

    const cli = converter(
      'audiblez',
      {
        image: 'viktorbarzin/audiblez:latest',
        command: ['/usr/bin/sleep', 'infinity'], // a shell to exec into
        volumeMounts: [{ volume: audiblezData, mountPath: '/mnt' }],
      },
      audiblezData,
      false,
    );
    suppressRule(
      cli,
      'images-pinned',
      'tree parity: the tree runs viktorbarzin/audiblez:latest; Keel tracks the tag',
    );

    const web = converter(
      'audiblez-web',
      {
        image: 'docker.io/viktorbarzin/audiblez-web:latest',
        imagePullPolicy: 'Always',
        ports: [8000],
        volumeMounts: [{ volume: audiblezData, mountPath: '/mnt' }],
      },
      audiblezData,
    );
    suppressRule(
      web,
      'images-pinned',
      'tree parity: the tree runs docker.io/viktorbarzin/audiblez-web:latest; Keel tracks the tag',
    );
    new IngressFactory(stack, 'audiblez-web-ingress', {
      name: 'audiblez-web',
      host: 'audiblez',
      namespace: ns,
      service: web.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8000 }] }),
      dnsType: DnsType.NON_PROXIED,
      maxBodySize: '500m', // EPUB uploads
      extraAnnotations: homepage('Audiblez', 'Book to audio converter', 'audiobookshelf.png', 'AI & Data'),
      legacyAddress: 'module.audiblez-web-ingress',
    });
  },
});
