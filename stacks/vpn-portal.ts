// VPN portal: self-service VPN configuration for the owner's users on vpn.viktorbarzin.me (the owner's
// app). The UI sits behind Authentik; /sub is the token-checked subscription endpoint VPN clients poll.
// The app reads and writes its state in Vault (secret/vpn-portal) with its ServiceAccount's token.
// Tree: stacks/vpn-portal.
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Probe } from '../constructs/blocks/workload';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'vpn-portal',
  description: 'Self-service VPN config portal (Authentik UI + token-checked subscription endpoint)',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'vpn_portal', {
      name: 'vpn-portal',
      tier: Tier.AUX,
      istioInjectionDisabled: false,
    });
    // Nothing is granted to it in Kubernetes: the Vault kubernetes-auth role `vpn-portal` binds
    // system:serviceaccount:vpn-portal:vpn-portal.
    const sa = new ServiceAccount(stack, 'service_account', {
      namespace: ns,
      name: 'vpn-portal',
      addressName: 'vpn_portal',
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const probe = (initialDelay: number, period: number) =>
      Probe.httpGet('/', 3000, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const app = new Deployment(stack, 'vpn_portal', {
      namespace: ns,
      name: 'vpn-portal',
      serviceAccountName: sa.name,
      imagePullSecrets: ['ghcr-credentials'], // cloned in by Kyverno
      containers: [
        {
          name: 'vpn-portal',
          image: 'ghcr.io/viktorbarzin/vpn-portal:latest',
          ports: [3000],
          env: {
            VAULT_ADDR: 'http://vault-active.vault.svc.cluster.local:8200',
            VAULT_K8S_ROLE: 'vpn-portal',
            VAULT_KV_MOUNT: 'secret',
            VAULT_PORTAL_PATH: 'vpn-portal',
            PORT: '3000',
          },
          resources: {
            cpuRequest: '20m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(256),
          },
          readinessProbe: probe(5, 10),
          livenessProbe: probe(15, 30),
        },
      ],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/vpn-portal:latest; Keel tracks the tag',
    );
    const service = app.exposeViaService({ ports: [{ port: 80, targetPort: 3000 }] });
    // The vpn.* A record is the site's (non-proxied, NAT to Traefik): no DNS from either ingress.
    new IngressFactory(stack, 'ingress', {
      name: 'vpn-portal',
      namespace: ns,
      fullHost: 'vpn.viktorbarzin.me',
      service,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.NONE,
      externalMonitor: false,
      extraAnnotations: {
        'gethomepage.dev/description': 'Self-service VPN config portal',
        'gethomepage.dev/icon': 'wireguard.png',
        'gethomepage.dev/name': 'VPN Portal',
        'gethomepage.dev/group': 'Identity & Security',
      },
      legacyAddress: 'module.ingress',
    });
    new IngressFactory(stack, 'ingress_sub', {
      name: 'vpn-portal-sub',
      namespace: ns,
      fullHost: 'vpn.viktorbarzin.me',
      ingressPath: ['/sub'],
      service,
      // auth = "none": VPN client apps poll /sub with a per-user token and cannot do an OIDC login; the app checks the token.
      auth: IngressAuth.NONE,
      dnsType: DnsType.NONE,
      externalMonitor: false,
      antiAiScraping: false,
      homepageEnabled: false,
      // No client-supplied X-authentik-* identity header reaches the app on this unauthenticated path.
      extraMiddlewares: ['traefik-strip-auth-headers@kubernetescrd'],
      legacyAddress: 'module.ingress_sub',
    });
  },
});
