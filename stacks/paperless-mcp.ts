// paperless-mcp: an MCP server over the in-cluster Paperless-ngx API, public behind its own bearer-token
// Traefik middleware (no Authentik: MCP clients send a token). Tree: stacks/paperless-mcp.
import { Fn } from 'cdktf';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { TraefikMiddleware } from '../constructs/blocks/traefik';
import { Deployment, Keel, KeelPolicy, Probe } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { vaultKvSecret } from '../lib/terraform/providers';
import { defineStack } from '../lib/synth/stack';

const MCP_PORT = 5000;

export default defineStack({
  name: 'paperless-mcp',
  description: 'Paperless-ngx MCP server, public behind a bearer-token middleware',
  after: ['platform', 'vault', 'traefik', 'paperless-ngx'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'paperless-mcp', { tier: Tier.AUX, istioInjectionDisabled: false });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'paperless-mcp-secrets',
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      data: [
        {
          secretKey: 'paperless_api_token',
          vault: { path: 'paperless-mcp', property: 'paperless_api_token' },
        },
      ],
      dependsOn: [ns.resource],
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });

    // The bearer-token check in front of the MCP endpoint (Traefik plugin api-token-middleware); the
    // token list is read from Vault at plan time.
    const vault = vaultKvSecret(stack, 'secrets', 'paperless-mcp');
    const bearer = new TraefikMiddleware(stack, 'bearer_middleware', {
      namespace: ns,
      name: 'bearer-auth',
      pluginName: 'api-token-middleware',
      pluginConfig: {
        authenticationHeader: false,
        bearerHeader: true,
        bearerHeaderName: 'Authorization',
        tokens: Fn.jsondecode(vault.data.lookup('bearer_tokens')),
        removeHeadersOnSuccess: true,
        authenticationErrorMsg: 'Access Denied',
      },
    });

    const tcp = (timing: Parameters<typeof Probe.tcpSocket>[1]) => Probe.tcpSocket(MCP_PORT, timing);
    const app = new Deployment(stack, 'paperless-mcp', {
      namespace: ns,
      name: 'paperless-mcp',
      keel: Keel.policy(KeelPolicy.MINOR, { pollEvery: Duration.hours(1), matchTag: false }),
      annotations: reloader('auto'),
      containers: [
        {
          name: 'paperless-mcp',
          image: 'ghcr.io/barryw/paperlessmcp:v0.1.19',
          ports: [MCP_PORT],
          env: {
            // In-cluster, not through Cloudflare and Traefik.
            PAPERLESS_BASE_URL: 'http://paperless-ngx.paperless-ngx.svc.cluster.local',
            PAPERLESS_API_TOKEN: { secretName: secrets.secretName, key: 'paperless_api_token' },
            MCP_PORT: String(MCP_PORT),
          },
          startupProbe: tcp({ failureThreshold: 30, period: Duration.seconds(2) }),
          livenessProbe: tcp({ initialDelay: Duration.seconds(5), period: Duration.seconds(30) }),
          readinessProbe: tcp({ initialDelay: Duration.seconds(3), period: Duration.seconds(10) }),
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'paperless-mcp',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: MCP_PORT }] }),
      // auth NONE: MCP clients cannot do the Authentik login; the bearer middleware is the gate.
      auth: IngressAuth.NONE,
      dnsType: DnsType.PROXIED,
      homepageEnabled: false,
      extraMiddlewares: [bearer.ingressMiddleware],
      legacyAddress: 'module.ingress',
    });
  },
});
