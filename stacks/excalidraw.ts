// Excalidraw whiteboard (the owner's library build), parked by Sablier when idle. Tree: stacks/excalidraw.
import { IngressFactory, DnsType } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { AccessRole, Subject } from '../constructs/blocks/rbac';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, KeelPolicy, Volume } from '../constructs/blocks/workload';
import { Size } from '../lib/core/units';
import { fixedMemory } from '../lib/conventions/resources';
import { homepage } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'excalidraw',
  description: 'Excalidraw collaborative whiteboard, parked by Sablier when idle',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'excalidraw', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const hostData = new NfsVolume(stack, 'nfs_data_host', {
      name: 'excalidraw-data-host',
      namespace: ns,
      nfsPath: '/srv/nfs/excalidraw',
      storage: '1Gi',
      accessModes: ['ReadWriteOnce'],
      legacyAddress: 'module.nfs_data_host',
    });
    const data = Volume.fromPvc('data', hostData.claimName);
    const app = new Deployment(stack, 'excalidraw', {
      namespace: ns,
      name: 'excalidraw',
      keel: Keel.policy(KeelPolicy.FORCE), // private ghcr :latest, rolled by digest
      sablier: {},
      strategy: 'Recreate',
      podAnnotations: { 'diun.enable': 'true', 'diun.include_tags': '^latest$' },
      imagePullSecrets: ['ghcr-credentials'], // cloned in by Kyverno (private-ghcr namespaces only)
      containers: [
        {
          name: 'excalidraw',
          image: 'ghcr.io/viktorbarzin/excalidraw-library:latest',
          imagePullPolicy: 'Always',
          ports: [8080],
          env: { DATA_DIR: '/data', PORT: '8080' },
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          resources: fixedMemory('10m', Size.mebibytes(64)),
        },
      ],
      volumes: [data],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'draw',
      namespace: ns,
      service: app.exposeViaService({
        name: 'draw',
        addressName: 'draw',
        ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      }),
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage(
        'Excalidraw',
        'Collaborative whiteboard',
        'excalidraw.png',
        'Development & CI',
      ),
      legacyAddress: 'module.ingress',
    });
    // emo's browser agent uploads drawings through `kubectl port-forward svc/draw`: its ServiceAccount
    // (chrome-service stack) may port-forward into this namespace only.
    new AccessRole(stack, 'portforward', {
      name: 'excalidraw-portforward',
      namespace: ns,
      rules: [{ apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }],
    }).grant('emo_browser_portforward', {
      name: 'emo-browser-portforward',
      subjects: [Subject.serviceAccount('emo-browser', 'chrome-service')],
    });
  },
});
