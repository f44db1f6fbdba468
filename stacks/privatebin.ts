// PrivateBin: public pastebin with client-side encryption on pb.viktorbarzin.me, parked by Sablier when
// idle. No Anubis: pastes are created by an XHR POST that a challenge page would break, and the encrypted
// pastes are worthless to scrapers (the anti-AI middlewares front it). Tree: stacks/privatebin.
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { ProxmoxPvc, ProxmoxStorage } from '../constructs/blocks/proxmox-pvc';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { Size } from '../lib/core/units';
import { homepage } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'privatebin',
  description: 'PrivateBin client-side encrypted pastebin on pb.*, parked by Sablier when idle',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'privatebin', { tier: Tier.EDGE });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const pastes = new ProxmoxPvc(stack, 'data_proxmox', {
      name: 'privatebin-data-proxmox',
      namespace: ns.name,
      storageClass: ProxmoxStorage.LVM, // pastes are encrypted client-side
      storage: '1Gi',
      autoresize: { storageLimit: '5Gi', increase: '100%' },
    });
    const data = Volume.fromPvc('data', pastes.claimName);
    const app = new Deployment(stack, 'privatebin', {
      namespace: ns,
      name: 'privatebin',
      sablier: {},
      strategy: 'Recreate',
      containers: [
        {
          name: 'privatebin',
          image: 'privatebin/nginx-fpm-alpine',
          imagePullPolicy: 'IfNotPresent',
          ports: [8080],
          volumeMounts: [{ volume: data, mountPath: '/srv/data', subPath: 'data' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(128),
          },
        },
      ],
      volumes: [data],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs privatebin/nginx-fpm-alpine; Keel tracks the tag',
    );
    new IngressFactory(stack, 'ingress', {
      name: 'privatebin',
      host: 'pb',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] }),
      // auth = "none": a public pastebin; pastes are encrypted in the browser, the anti-AI middlewares front it.
      auth: IngressAuth.NONE,
      dnsType: DnsType.PROXIED,
      extraMiddlewares: ['traefik-x402@kubernetescrd'],
      // The client encrypts in the browser (WebAssembly, eval).
      customContentSecurityPolicy: "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'",
      extraAnnotations: homepage('PrivateBin', 'Encrypted pastebin', 'privatebin.png', 'Development & CI'),
      legacyAddress: 'module.ingress',
    });
  },
});
