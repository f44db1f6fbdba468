// changedetection.io website change monitor with its sockpuppetbrowser (headless Chrome) sidecar, behind
// Authentik; the homepage widget key comes from the app's Vault secret through ESO. Tree: stacks/changedetection.
import { Fn } from 'cdktf';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { homepage } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

export default defineStack({
  name: 'changedetection',
  description: 'changedetection.io website change monitor with a headless-browser sidecar, behind Authentik',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'changedetection', { tier: Tier.AUX });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'changedetection-secrets',
      namespace: ns,
      extractPaths: ['changedetection'],
      refreshInterval: '15m',
    });
    const credentials = secrets.syncedSecret('eso_secrets').data.lookup('homepage_credentials');
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const nfs = new NfsVolume(stack, 'nfs_changedetection', {
      name: 'changedetection-data-nfs',
      namespace: ns,
      nfsPath: '/srv/nfs/changedetection',
      storage: '8Gi',
      legacyAddress: 'module.nfs_changedetection',
    });
    const data = Volume.fromPvc('data', nfs.claimName);
    const app = new Deployment(stack, 'changedetection', {
      namespace: ns,
      name: 'changedetection',
      strategy: 'Recreate',
      containers: [
        {
          name: 'sockpuppetbrowser',
          image: 'dgtlmoon/sockpuppetbrowser:latest',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'ws', containerPort: 3000, protocol: 'TCP' }],
          securityContext: { addCapabilities: ['SYS_ADMIN'] }, // Chrome's sandbox
          resources: {
            cpuRequest: '25m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(128),
          },
        },
        {
          name: 'changedetection',
          image: 'ghcr.io/dgtlmoon/changedetection.io:latest',
          env: {
            PLAYWRIGHT_DRIVER_URL: 'ws://localhost:3000',
            BASE_URL: 'https://changedetection.viktorbarzin.me',
            LOGGER_LEVEL: 'WARNING',
            TZ: 'Europe/Sofia',
          },
          volumeMounts: [{ volume: data, mountPath: '/datastore' }],
          ports: [{ name: 'http', containerPort: 5000, protocol: 'TCP' }],
          resources: {
            cpuRequest: '15m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
      volumes: [data],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs dgtlmoon/sockpuppetbrowser:latest; Keel tracks the tag',
    );
    new IngressFactory(stack, 'ingress', {
      name: 'changedetection',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ port: 80, targetPort: 5000 }] }),
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        ...homepage('Changedetection', 'Website change monitor', 'changedetection.png', 'Automation'),
        'gethomepage.dev/widget.type': 'changedetectionio',
        'gethomepage.dev/widget.url': 'http://changedetection.changedetection.svc.cluster.local',
        'gethomepage.dev/widget.key': Fn.lookupNested(Fn.jsondecode(credentials), [
          'changedetection',
          'api_key',
        ]),
      },
      legacyAddress: 'module.ingress',
    });
  },
});
