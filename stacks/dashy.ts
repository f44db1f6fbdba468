// dashy: the old service dashboard (superseded by homepage, kept behind Authentik), parked by Sablier when
// idle. Its conf.yml is the tree owner's (stacks/dashy/conf.yml), read at plan time as a tree payload,
// never copied. Tree: stacks/dashy.
import { ConfigMap } from '../constructs/blocks/config-map';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's dashboard config (path in the tree's stack directory). */
export const DASHY_CONFIG = 'conf.yml';

export default defineStack({
  name: 'dashy',
  description: 'Dashy service dashboard (legacy, behind Authentik), parked by Sablier when idle',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'dashy', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const conf = treePayload(stack, DASHY_CONFIG);
    // The dashboard config: a one-off ConfigMap; Reloader restarts dashy when it changes.
    const config = new ConfigMap(stack, 'config', {
      namespace: ns,
      name: 'config',
      annotations: { 'reloader.stakater.com/match': 'true' },
      data: { 'conf.yml': conf.content },
      payloads: [conf],
    });
    const userData = Volume.fromConfigMap('config', 'config');
    const dashy = new Deployment(stack, 'dashy', {
      namespace: ns,
      name: 'dashy',
      keel: Keel.enrolled(),
      sablier: {},
      replicas: 0, // Sablier wakes it (the replica count is ignored)
      annotations: reloader('search'),
      emptyPodAnnotations: true, // the tree's empty pod annotations block, {} in its state
      containers: [
        {
          name: 'dashy',
          image: 'lissy93/dashy:latest',
          resources: { cpuRequest: '250m', memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(1) },
          ports: [8080],
          volumeMounts: [{ volume: userData, mountPath: '/app/user-data/' }],
        },
      ],
      volumes: [userData],
      dependsOn: [config.resource],
    });
    suppressRule(
      dashy,
      'images-pinned',
      'tree parity: the tree runs lissy93/dashy:latest; Keel tracks the tag',
    );
    new IngressFactory(stack, 'ingress', {
      name: 'dashy',
      namespace: ns,
      service: dashy.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
      dnsType: DnsType.PROXIED,
      auth: IngressAuth.REQUIRED, // hidden: homepage is the dashboard now
      extraAnnotations: { 'gethomepage.dev/description': 'Alternative service dashboard' },
      legacyAddress: 'module.ingress',
    });
  },
});
