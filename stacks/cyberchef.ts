import { Deployment } from '@cdktf/provider-kubernetes/lib/deployment';
import { Service } from '@cdktf/provider-kubernetes/lib/service';
import { AnubisSite } from '../constructs/patterns/anubis-site';
import { DnsType } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { named } from '../lib/terraform/addresses';
import { Ignore, ignoreChanges, keelEnrolledWorkload } from '../lib/conventions/lifecycle';
import { homepage, reloader, sablierLabels } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'cyberchef',
  description: 'CyberChef data transformation toolkit, behind Anubis, parked by Sablier when idle',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'cyberchef', { tier: Tier.AUX, istioInjectionDisabled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns.name, legacyModuleAddress: 'module.tls_secret' });
    const app = { app: 'cyberchef' };
    const labels = { ...app, tier: Tier.AUX, ...sablierLabels('cyberchef') };
    const diun = { 'diun.enable': 'true', 'diun.include_tags': '^v\\d+\\.\\d+\\.\\d+$' };
    named(stack, Deployment, 'cyberchef', {
      metadata: { name: 'cyberchef', namespace: ns.name, labels, annotations: reloader('search') },
      spec: {
        replicas: '1',
        strategy: { type: 'RollingUpdate' },
        selector: { matchLabels: app },
        template: {
          metadata: { labels: app, annotations: diun },
          spec: {
            container: [
              {
                name: 'cyberchef',
                image: 'mpepping/cyberchef:v9.55.0',
                port: [{ containerPort: 8000 }],
                resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } },
              },
            ],
          },
        },
      },
      lifecycle: ignoreChanges(keelEnrolledWorkload([0]), Ignore.replicas), // Sablier scales it 0 <-> 1
    });
    const svc = named(stack, Service, 'cyberchef', {
      metadata: { name: 'cc', namespace: ns.name, labels: app },
      spec: { selector: app, port: [{ name: 'http', targetPort: '8000', port: 80 }] },
    });
    const tile = homepage('CyberChef', 'Data transformation toolkit', 'cyberchef.png', 'Development & CI');
    new AnubisSite(stack, 'anubis', {
      name: 'cc',
      namespace: ns.name,
      backend: { serviceName: svc.metadata.name },
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/5',
      ingress: {
        sablier: { group: 'cyberchef' },
        dnsType: DnsType.PROXIED,
        extraMiddlewares: ['traefik-x402@kubernetescrd'],
        extraAnnotations: tile,
        legacyModuleAddress: 'module.ingress',
      },
      legacyModuleAddress: 'module.anubis',
    });
  },
});
