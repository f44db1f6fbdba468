// matrix: the tuwunel Matrix homeserver at matrix.viktorbarzin.me, federating over 443 through Cloudflare
// (it serves its own .well-known). Registration is closed; the register endpoints still get their own
// path-scoped ingress with a global rate limit as defence in depth. Both ingresses rewrite the client IP
// first (real-ip), because tuwunel trusts CF-Connecting-IP. RocksDB on an encrypted volume.
// Tree: stacks/matrix.
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { TraefikMiddleware } from '../constructs/blocks/traefik';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';

const HOST = 'matrix.viktorbarzin.me';
const REAL_IP = 'traefik-real-ip@kubernetescrd';

export default defineStack({
  name: 'matrix',
  description: 'tuwunel Matrix homeserver (federating, registration closed, rate-limited register path)',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'matrix', { tier: Tier.AUX });
    // the registration token stays in Vault, so registration can be reopened without a new one
    new ExternalSecret(stack, 'secrets_external_secret', {
      name: 'matrix-secrets',
      namespace: ns,
      extractPaths: ['matrix'],
      refreshInterval: '15m',
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const pvc = new EncryptedPvc(stack, 'data_encrypted', {
      name: 'matrix-data-encrypted',
      namespace: ns,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    const data = Volume.fromPvc('data', pvc.claimName);
    const app = new Deployment(stack, 'matrix', {
      namespace: ns,
      name: 'matrix',
      strategy: 'Recreate',
      podAnnotations: { 'diun.enable': 'true', 'diun.include_tags': '^v\\d+\\.\\d+\\.\\d+$' },
      // an unprivileged static binary: fsGroup makes the volume writable for uid 1000
      podRunAsUser: 1000,
      podRunAsGroup: 1000,
      fsGroup: 1000,
      containers: [
        {
          name: 'matrix',
          image: 'ghcr.io/matrix-construct/tuwunel:v1.7.1',
          ports: [8008],
          env: {
            TUWUNEL_SERVER_NAME: HOST,
            TUWUNEL_DATABASE_PATH: '/var/lib/tuwunel',
            TUWUNEL_PORT: '8008',
            TUWUNEL_ADDRESS: '0.0.0.0',
            TUWUNEL_ALLOW_FEDERATION: 'true',
            TUWUNEL_TRUSTED_SERVERS: JSON.stringify(['matrix.org']),
            TUWUNEL_ALLOW_REGISTRATION: 'false', // closed: new users are created by the admin
            TUWUNEL_MAX_REQUEST_SIZE: String(Size.mebibytes(50).toBytes()), // under Cloudflare's 100 MB
            TUWUNEL_WELL_KNOWN__CLIENT: `https://${HOST}`,
            TUWUNEL_WELL_KNOWN__SERVER: `${HOST}:443`,
            TUWUNEL_IP_SOURCE: 'cf_connecting_ip', // only safe behind the real-ip middleware
            TUWUNEL_LOG: 'warn,tuwunel=info',
          },
          volumeMounts: [{ volume: data, mountPath: '/var/lib/tuwunel' }],
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.gibibytes(1),
          },
        },
      ],
      volumes: [data],
    });
    const service = app.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8008 }] });
    // Client-server and federation APIs authenticate by token or signature: no forward-auth.
    new IngressFactory(stack, 'ingress', {
      name: 'matrix',
      namespace: ns,
      service,
      auth: IngressAuth.NONE,
      dnsType: DnsType.PROXIED,
      extraMiddlewares: [REAL_IP],
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Matrix',
        'gethomepage.dev/description': 'Secure messaging (tuwunel)',
        'gethomepage.dev/icon': 'matrix.png',
        'gethomepage.dev/group': 'Other',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });

    // A global cap on /register keyed on the host (the host is reachable over IPv6 without Cloudflare,
    // so a per-IP key could be bypassed). A one-off Traefik Middleware: no block for it.
    // registration attempts per host: 10 a minute, bursts of 20
    new TraefikMiddleware(stack, 'register_ratelimit', {
      namespace: ns,
      name: 'register-ratelimit',
      rateLimit: { average: 10, period: '1m', burst: 20, perRequestHost: true },
    });
    // The longer path prefixes win over the catch-all ingress; real-ip first, so the limit and tuwunel
    // see a client address the caller cannot choose. The main ingress owns the DNS record.
    new IngressFactory(stack, 'ingress_register', {
      name: 'matrix-register',
      namespace: ns,
      serviceName: 'matrix',
      port: 80,
      fullHost: HOST,
      ingressPath: ['/_matrix/client/v3/register', '/_matrix/client/r0/register'],
      auth: IngressAuth.NONE,
      antiAiScraping: false,
      dnsType: DnsType.NONE,
      homepageEnabled: false,
      extraMiddlewares: [REAL_IP, `${ns.literalName}-register-ratelimit@kubernetescrd`],
      legacyAddress: 'module.ingress_register',
    });
  },
});
