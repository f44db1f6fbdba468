// Self-hosted Apple anisette-data server for SideStore/AltStore sideloading, LAN-only at
// anisette.viktorbarzin.lan. Stateless: the provisioning-library cache is re-downloaded after a restart.
// Tree: stacks/anisette.
import { IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'anisette',
  description: 'Apple anisette-data server for SideStore sideloading, LAN-only',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'anisette', { tier: Tier.AUX, keelEnrolled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const cache = Volume.emptyDir('provisioning-cache');
    const app = new Deployment(stack, 'anisette', {
      namespace: ns,
      name: 'anisette',
      // pinned by digest (upstream ships only a mutable :latest); the tree still ignores the
      // Kyverno-injected Keel annotations and the image
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.keelAnnotations, Ignore.keelImage(0)],
      waitForRollout: false, // first start downloads Apple's provisioning library: slow, memory-spiky
      podAnnotations: { 'diun.enable': 'true', 'diun.watch_repo': 'false', 'diun.include_tags': '^latest$' },
      containers: [
        {
          name: 'anisette',
          // docker.io/ prefix: Kyverno's trusted-registries policy allows docker.io/*, not bare dadoum/*
          image:
            'docker.io/dadoum/anisette-v3-server@sha256:1e20384985d3c49965f444bef39d627768dacc39ea0dca91f2a535edb7591ba3',
          ports: [{ name: 'http', containerPort: 6969 }],
          volumeMounts: [{ volume: cache, mountPath: '/home/Alcoholic/.config/anisette-v3/lib' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(512), // the startup spike OOMs at 128Mi
          },
          readinessProbe: Probe.httpGet('/', 6969, {
            period: Duration.seconds(15),
            initialDelay: Duration.seconds(5),
          }),
          livenessProbe: Probe.httpGet('/', 6969, { period: Duration.seconds(30), failureThreshold: 6 }),
        },
      ],
      volumes: [cache],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'anisette',
      namespace: ns,
      service: app.exposeViaService({
        name: 'anisette',
        ports: [{ name: 'http', port: 80, targetPort: 6969 }],
      }),
      // SideStore is a native client: no forward-auth; LAN-only instead
      auth: IngressAuth.NONE,
      rootDomain: 'viktorbarzin.lan',
      allowLocalAccessOnly: true,
      extraAnnotations: { 'gethomepage.dev/enabled': 'false' },
      legacyAddress: 'module.ingress',
    });
  },
});
