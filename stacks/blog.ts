import { Deployment } from '@cdktf/provider-kubernetes/lib/deployment';
import { Service } from '@cdktf/provider-kubernetes/lib/service';
import { AnubisSite } from '../constructs/patterns/anubis-site';
import { DnsType } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { named } from '../lib/terraform/addresses';
import { homepage, prometheusScrape } from '../lib/conventions/metadata';
import { keelEnrolledWorkload } from '../lib/conventions/lifecycle';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';
import { suppressRule } from '../lib/synth/rules';

export default defineStack({
  name: 'blog',
  description: 'Personal blog (static nginx site) at the apex domain, behind Anubis',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'website', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns.name, legacyModuleAddress: 'module.tls_secret' });
    const run = { run: 'blog' };
    const blog = named(stack, Deployment, 'blog', {
      metadata: { name: 'blog', namespace: ns.name, labels: { ...run, tier: Tier.AUX } },
      spec: {
        replicas: '1',
        selector: { matchLabels: run },
        template: {
          metadata: { labels: run },
          spec: {
            container: [
              {
                name: 'blog',
                image: 'viktorbarzin/blog:latest',
                resources: { limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '64Mi' } },
                port: [{ containerPort: 80 }],
              },
              {
                name: 'nginx-exporter',
                image: 'nginx/nginx-prometheus-exporter',
                args: ['-nginx.scrape-uri', 'http://127.0.0.1:8080/nginx_status'],
                port: [{ containerPort: 9113 }],
              },
            ],
          },
        },
      },
      lifecycle: { ignoreChanges: keelEnrolledWorkload([0, 1]) },
    });
    suppressRule(
      blog,
      'images-pinned',
      'tree parity: the tree deploys blog:latest and an untagged exporter; Keel owns both images (ignored)',
    );
    const svc = named(stack, Service, 'blog', {
      metadata: { name: 'blog', namespace: ns.name, labels: run, annotations: prometheusScrape(9113) },
      spec: {
        selector: run,
        port: [
          { name: 'http', port: 80, targetPort: '80' },
          { name: 'prometheus', port: 9113, targetPort: '9113' },
        ],
      },
    });
    new AnubisSite(stack, 'anubis', {
      name: 'blog',
      namespace: ns.name,
      backend: { serviceName: svc.metadata.name },
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/10',
      ingress: {
        fullHost: 'viktorbarzin.me',
        dnsType: DnsType.PROXIED,
        extraMiddlewares: ['traefik-x402@kubernetescrd'],
        extraAnnotations: homepage('Blog', 'Personal blog', 'hugo.png', 'Other'),
        legacyModuleAddress: 'module.ingress',
      },
      directPaths: ['/net-diag.sh'], // a curl|bash script: curl cannot solve the proof of work
      directIngress: { name: 'blog-net-diag', legacyModuleAddress: 'module.ingress_net_diag' },
      legacyModuleAddress: 'module.anubis',
    });
  },
});
