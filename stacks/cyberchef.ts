import { AnubisSite } from '../constructs/patterns/anubis-site';
import { DnsType } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment } from '../constructs/blocks/workload';
import { Size } from '../lib/core/units';
import { fixedMemory } from '../lib/conventions/resources';
import { homepage, reloader } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'cyberchef',
  description: 'CyberChef data transformation toolkit, behind Anubis, parked by Sablier when idle',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'cyberchef', { tier: Tier.AUX, istioInjectionDisabled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const app = new Deployment(stack, 'cyberchef', {
      namespace: ns,
      name: 'cyberchef',
      strategy: 'RollingUpdate',
      sablier: {}, // group: the workload name
      annotations: reloader('search'),
      podAnnotations: { 'diun.enable': 'true', 'diun.include_tags': '^v\\d+\\.\\d+\\.\\d+$' },
      containers: [
        {
          name: 'cyberchef',
          image: 'mpepping/cyberchef:v9.55.0',
          ports: [8000],
          resources: fixedMemory('10m', Size.mebibytes(64)),
        },
      ],
    });
    const tile = homepage('CyberChef', 'Data transformation toolkit', 'cyberchef.png', 'Development & CI');
    new AnubisSite(stack, 'anubis', {
      name: 'cc',
      namespace: ns,
      backend: app.exposeViaService({ name: 'cc', ports: [{ name: 'http', port: 80, targetPort: 8000 }] }),
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/5',
      ingress: {
        dnsType: DnsType.PROXIED,
        extraMiddlewares: ['traefik-x402@kubernetescrd'],
        extraAnnotations: tile,
        legacyAddress: 'module.ingress',
      },
      legacyAddress: 'module.anubis',
    });
  },
});
