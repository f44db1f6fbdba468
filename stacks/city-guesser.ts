// City Guesser geography game, behind Authentik, parked by Sablier when idle. Tree: stacks/city-guesser.
import { IngressFactory, DnsType } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment } from '../constructs/blocks/workload';
import { Size } from '../lib/core/units';
import { homepage } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'city-guesser',
  description: 'City Guesser geography game, parked by Sablier when idle',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'city-guesser', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const app = new Deployment(stack, 'city-guesser', {
      namespace: ns,
      name: 'city-guesser',
      selector: { run: 'city-guesser' },
      sablier: {},
      containers: [
        {
          name: 'city-guesser',
          image: 'viktorbarzin/city-guesser:latest',
          ports: [80],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree deploys viktorbarzin/city-guesser:latest; Keel tracks the tag',
    );
    new IngressFactory(stack, 'ingress', {
      name: 'city-guesser',
      namespace: ns,
      service: app.exposeViaService({
        name: 'city-guesser',
        ports: [{ name: 'http', port: 80, targetPort: 80 }],
      }),
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage('City Guesser', 'Geography game', 'mdi-earth', 'Other'),
      legacyAddress: 'module.ingress',
    });
  },
});
