// Networking Toolbox: browser-based network diagnostic tools (lissy93/networking-toolbox), parked by
// Sablier when idle, behind Authentik. Tree: stacks/networking-toolbox.
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment } from '../constructs/blocks/workload';
import { Size } from '../lib/core/units';
import { homepage } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'networking-toolbox',
  description: 'Networking Toolbox diagnostic web tools, parked by Sablier when idle',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'networking-toolbox', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const app = new Deployment(stack, 'networking-toolbox', {
      namespace: ns,
      name: 'networking-toolbox',
      sablier: {},
      podAnnotations: { 'diun.enable': 'true', 'diun.include_tags': '^\\d+\\.\\d+\\.\\d+$' },
      containers: [
        {
          name: 'networking-toolbox',
          image: 'lissy93/networking-toolbox:1.6.0',
          ports: [3000],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(128),
          },
        },
      ],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'networking-toolbox',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 3000 }] }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage(
        'Networking Toolbox',
        'Network diagnostic tools',
        'mdi-lan',
        'Development & CI',
      ),
      legacyAddress: 'module.ingress',
    });
  },
});
