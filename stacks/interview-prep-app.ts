// Interview preparation PWA (the owner's private ghcr build), behind Authentik. Tree: stacks/interview-prep-app.
import { IngressFactory, DnsType } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, KeelPolicy } from '../constructs/blocks/workload';
import { Size } from '../lib/core/units';
import { homepage } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'interview-prep-app',
  description: 'Interview preparation PWA (nginx), behind Authentik',
  build(stack) {
    const ns = new TieredNamespace(stack, 'interview-prep-app', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const app = new Deployment(stack, 'interview-prep-app', {
      namespace: ns,
      name: 'interview-prep-app',
      keel: Keel.policy(KeelPolicy.FORCE), // private ghcr :latest, rolled by digest
      strategy: 'Recreate',
      podAnnotations: { 'diun.enable': 'true', 'diun.include_tags': '^latest$' },
      imagePullSecrets: ['ghcr-credentials'], // cloned in by Kyverno (private-ghcr namespaces only)
      containers: [
        {
          name: 'interview-prep-app',
          image: 'ghcr.io/viktorbarzin/interview-prep-app:latest',
          imagePullPolicy: 'Always',
          ports: [80],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(32),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'interview-prep', // interview-prep.viktorbarzin.me; the service keeps the app's name
      namespace: ns,
      service: app.exposeViaService({
        name: 'interview-prep-app',
        ports: [{ name: 'http', port: 80, targetPort: 80 }],
      }),
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage(
        'Interview Prep',
        'Interview preparation PWA',
        'mdi-school',
        'Productivity',
        'app=interview-prep-app',
      ),
      legacyAddress: 'module.ingress',
    });
  },
});
