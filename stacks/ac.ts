// agent-conductor web port: the cluster edge of ac.viktorbarzin.me. The app (acd daemon, per-user relays,
// acd-demux gateway, SPA static server) runs on the DevVM; this stack owns the Services/Endpoints that
// point at it, the admin-gated ingress for the SPA and the /ws route to the gateway, which Traefik feeds
// the X-Gateway-Auth shared secret (Vault secret/ac-gateway). Tree: stacks/ac.
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { OffClusterService } from '../constructs/blocks/external-service';
import { DnsType, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { homepage } from '../lib/conventions/metadata';
import { siteOf, tlsSecretNameValue } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { named } from '../lib/terraform/addresses';
import { vaultKvSecret } from '../lib/terraform/providers';
import { defineStack } from '../lib/synth/stack';

const DEVVM = '10.0.10.10';

export default defineStack({
  name: 'ac',
  description: 'agent-conductor web console edge: admin-gated SPA and gateway WebSocket on the DevVM',
  build(stack) {
    const ns = new TieredNamespace(stack, 'ac', { tier: Tier.AUX, tierLabel: false }); // the tree's has no tier
    // the wildcard certificate copied from the traefik namespace, not the files
    new TlsSecret(stack, 'tls', {
      namespace: ns,
      copyFrom: { namespace: 'traefik', dataSourceName: 'wildcard' },
    });
    // browser WebSocket -> per-user relay -> that user's acd; requires X-Gateway-Auth and the Authentik user
    new OffClusterService(stack, 'ac_demux', { name: 'ac-demux', namespace: ns.name, ip: DEVVM, port: 7690 });
    const spa = new OffClusterService(stack, 'ac_static', {
      name: 'ac-static',
      namespace: ns.name,
      ip: DEVVM,
      port: 7691,
    });

    // Traefik Middleware and IngressRoute (CRDs, one of each: no block) — the header is set, overwriting
    // any client copy, on the /ws route only.
    const gatewaySecret = vaultKvSecret(stack, 'ac_gateway', 'ac-gateway').data.lookup('gateway_secret');
    named(stack, Manifest, 'ac_gateway_secret_header', {
      manifest: {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: 'ac-gateway-secret', namespace: ns.name },
        spec: { headers: { customRequestHeaders: { 'X-Gateway-Auth': gatewaySecret } } },
      },
    });
    new IngressFactory(stack, 'ingress', {
      name: 'ac',
      namespace: ns,
      service: spa,
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage(
        'Agent Conductor',
        'Multi-agent web console (agent-conductor port)',
        'mdi-robot',
        'Infrastructure',
      ),
      legacyAddress: 'module.ingress',
    });
    // /ws beats the ingress's "/" on path specificity: forward-auth, then the gateway secret
    named(stack, Manifest, 'ac_ws_ingressroute', {
      manifest: {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRoute',
        metadata: { name: 'ac-ws', namespace: ns.name },
        spec: {
          entryPoints: ['websecure'],
          routes: [
            {
              match: 'Host(`ac.viktorbarzin.me`) && PathPrefix(`/ws`)',
              kind: 'Rule',
              middlewares: [
                { name: 'authentik-forward-auth', namespace: 'traefik' },
                { name: 'ac-gateway-secret', namespace: ns.name },
              ],
              services: [{ name: 'ac-demux', port: 80 }],
            },
          ],
          tls: { secretName: tlsSecretNameValue(stack, siteOf(stack).tlsSecretName) },
        },
      },
    });
  },
});
