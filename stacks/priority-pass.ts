// Priority Pass: boarding-pass and lounge tracker (the owner's app). A frontend and an API
// backend share one pod; the backend keeps uploaded boarding-pass images on NFS. Tree: stacks/priority-pass.
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

/** Image tag of both images: the tree's terragrunt input (bumped by the app's CI; Keel owns the live tag). */
export const IMAGE_TAG = '63e118c3';

export default defineStack({
  name: 'priority-pass',
  description: 'Priority Pass boarding-pass and lounge tracker: frontend + API in one pod, uploads on NFS',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'priority-pass', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const uploadsNfs = new NfsVolume(stack, 'nfs_priority_pass', {
      name: 'priority-pass-uploads-nfs',
      namespace: ns,
      nfsPath: '/srv/nfs/priority-pass',
      storage: '10Gi',
      legacyAddress: 'module.nfs_priority_pass',
    });
    const uploads = Volume.fromPvc('uploads', uploadsNfs.claimName);
    const app = new Deployment(stack, 'priority-pass', {
      namespace: ns,
      name: 'priority-pass',
      selector: { run: 'priority-pass' },
      strategy: 'Recreate',
      imagePullSecrets: ['registry-credentials'],
      volumes: [uploads],
      containers: [
        {
          name: 'frontend',
          image: `docker.io/viktorbarzin/priority-pass-frontend:${IMAGE_TAG}`,
          ports: [3000],
          env: { BACKEND_URL: 'http://127.0.0.1:8000', ORIGIN: 'https://priority-pass.viktorbarzin.me' },
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(128),
          },
        },
        {
          name: 'backend',
          image: `docker.io/viktorbarzin/priority-pass-backend:${IMAGE_TAG}`,
          ports: [8000],
          env: { UPLOAD_DIR: '/data/uploads' },
          volumeMounts: [{ volume: uploads, mountPath: '/data/uploads' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'priority-pass',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 3000 }] }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      maxBodySize: '10m', // boarding-pass image uploads
      extraAnnotations: {
        'gethomepage.dev/description': 'Boarding pass and lounge tracker',
        'gethomepage.dev/icon': 'mdi-airplane',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
