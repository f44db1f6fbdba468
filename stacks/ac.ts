// agent-conductor web port: the cluster edge of ac.viktorbarzin.me. The app (acd daemon, per-user relays,
// acd-demux gateway, SPA static server) runs on the DevVM; this stack owns the Services/Endpoints that
// point at it, the admin-gated ingress for the SPA and the /ws route to the gateway, which Traefik feeds
// the X-Gateway-Auth shared secret (Vault secret/ac-gateway). Tree: stacks/ac.
import { OffClusterService } from '../constructs/blocks/external-service';
import { DnsType, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { IngressRoute, SharedMiddleware, TraefikMiddleware } from '../constructs/blocks/traefik';
import { homepage } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
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

    // the gateway's shared secret, set (overwriting any client copy) on the /ws route only
    const gatewaySecret = vaultKvSecret(stack, 'ac_gateway', 'ac-gateway').data.lookup('gateway_secret');
    const gatewayHeader = new TraefikMiddleware(stack, 'ac_gateway_secret_header', {
      namespace: ns,
      name: 'ac-gateway-secret',
      requestHeaders: { 'X-Gateway-Auth': gatewaySecret },
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
    new IngressRoute(stack, 'ac_ws_ingressroute', {
      namespace: ns,
      name: 'ac-ws',
      routes: [
        {
          host: 'ac.viktorbarzin.me',
          pathPrefix: '/ws',
          middlewares: [SharedMiddleware.AUTHENTIK_FORWARD_AUTH, gatewayHeader.ref],
          services: [{ name: 'ac-demux', port: 80 }],
        },
      ],
    });
  },
});
