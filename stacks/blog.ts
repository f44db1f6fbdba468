import { AnubisSite } from '../constructs/patterns/anubis-site';
import { DnsType } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment } from '../constructs/blocks/workload';
import { Size } from '../lib/core/units';
import { fixedMemory } from '../lib/conventions/resources';
import { homepage, prometheusScrape } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';
import { suppressRule } from '../lib/synth/rules';

export default defineStack({
  name: 'blog',
  description: 'Personal blog (static nginx site) at the apex domain, behind Anubis',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'website', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const blog = new Deployment(stack, 'blog', {
      namespace: ns,
      name: 'blog',
      selector: { run: 'blog' },
      containers: [
        {
          name: 'blog',
          image: 'viktorbarzin/blog:latest',
          ports: [80],
          resources: fixedMemory('10m', Size.mebibytes(64)),
        },
        {
          name: 'nginx-exporter',
          image: 'nginx/nginx-prometheus-exporter',
          args: ['-nginx.scrape-uri', 'http://127.0.0.1:8080/nginx_status'],
          ports: [9113],
        },
      ],
    });
    suppressRule(
      blog,
      'images-pinned',
      'tree parity: the tree deploys blog:latest and an untagged exporter; Keel owns both images (ignored)',
    );
    const svc = blog.exposeViaService({
      ports: [
        { name: 'http', port: 80 },
        { name: 'prometheus', port: 9113 },
      ],
      annotations: prometheusScrape(9113),
    });
    new AnubisSite(stack, 'anubis', {
      name: 'blog',
      namespace: ns,
      backend: svc,
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/10',
      ingress: {
        fullHost: 'viktorbarzin.me',
        dnsType: DnsType.PROXIED,
        extraMiddlewares: ['traefik-x402@kubernetescrd'],
        extraAnnotations: homepage('Blog', 'Personal blog', 'hugo.png', 'Other'),
        legacyAddress: 'module.ingress',
      },
      directPaths: ['/net-diag.sh'], // a curl|bash script: curl cannot solve the proof of work
      directIngress: { name: 'blog-net-diag', legacyAddress: 'module.ingress_net_diag' },
      legacyAddress: 'module.anubis',
    });
  },
});
