// t3code: the cluster edge of t3, the single-owner coding-agent GUI. Every person runs their own
// `t3 serve` on the DevVM; t3-dispatch (10.0.10.10:3780) routes t3.viktorbarzin.me by the Authentik
// identity. This stack owns the Authentik-gated ingress, the native-client carve-out (straight to the
// owner's t3-serve on :3773), and the in-cluster connectivity probe. The DevVM side (accounts, ports, the
// ttyd user map) comes from the roster engine (lib/domain/roster.ts, CLI tools/cli/t3-roster.ts).
// The TLS secret is cloned into the namespace by Kyverno (sync-tls-secret): no TlsSecret here.
import { T3Workstation } from '../constructs/patterns/t3-workstation';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 't3code',
  description: 't3 coding-agent GUI edge: Authentik-gated dispatch to the DevVM, native-client routes, probe',
  after: [],
  build(stack) {
    const ns = new TieredNamespace(stack, 't3code', { tier: Tier.AUX });
    new T3Workstation(stack, 't3', {
      namespace: ns,
      name: 't3',
      allowedGroups: ['T3 Users'],
      // The tree's names: the dispatcher Service/Endpoints are kubernetes_service|endpoints.t3code.
      dispatcherAddressName: 't3code',
      legacyAddress: { ingress: 'module.ingress', probeIngress: 'module.ingress_probe' },
      // Opt-in extras (per-user RBAC, provisioner AppRole) stay off: the plan of this stack is a no-op.
    });
  },
});
