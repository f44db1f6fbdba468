// OwnTracks recorder: the phones post locations over HTTP basic auth (they cannot follow Authentik's
// redirects); a Lua hook of the tree owner (stacks/owntracks/dawarich-hook.lua, read at plan time)
// forwards each point to Dawarich. The basic-auth users come from Vault through ESO. Tree: stacks/owntracks.
import { Fn } from 'cdktf';
import { BasicAuth } from '../constructs/blocks/basic-auth';
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

/** The tree's Dawarich forwarding hook (path in the tree's stack directory). */
export const DAWARICH_HOOK = 'dawarich-hook.lua';

export default defineStack({
  name: 'owntracks',
  description: 'OwnTracks location recorder behind HTTP basic auth, points forwarded to Dawarich',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'owntracks', { tier: Tier.AUX });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'owntracks-secrets',
      namespace: ns.byLiteralName,
      extractPaths: ['owntracks'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    const credentials = Fn.jsondecode(secrets.syncedSecret('eso_secrets').data.lookup('credentials'));
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const basicAuth = new BasicAuth(stack, 'basic_auth', {
      namespace: ns,
      credentials,
      secretName: 'basic-auth-secret',
      middlewareName: 'basic-auth',
    });
    const hookFile = treePayload(stack, DAWARICH_HOOK);
    const hookConfig = new ConfigMap(stack, 'dawarich_hook', {
      namespace: ns,
      name: 'dawarich-hook',
      data: { [DAWARICH_HOOK]: hookFile.content },
      payloads: [hookFile],
    });
    const data = Volume.fromPvc('data', 'owntracks-data-encrypted'); // the claim exists outside the stack
    const hook = Volume.fromConfigMap('hook', hookConfig.name);
    const app = new Deployment(stack, 'owntracks', {
      namespace: ns,
      name: 'owntracks',
      strategy: 'Recreate',
      annotations: reloader('search'),
      podAnnotations: { 'diun.enable': 'true', 'diun.include_tags': '^\\d+(?:\\.\\d+)?(?:\\.\\d+)?$' },
      containers: [
        {
          name: 'owntracks',
          image: 'owntracks/recorder:1.0.1',
          ports: [{ name: 'http', containerPort: 8083 }],
          // the recorder has no HTTP hook of its own: the Lua script forwards to Dawarich
          args: ['--lua-script', `/hook/${DAWARICH_HOOK}`, 'owntracks/#'],
          env: {
            OTR_PORT: '0', // plain HTTP
            DAWARICH_API_KEY: { secretName: 'owntracks-secrets', key: 'dawarich_api_key' },
          },
          volumeMounts: [
            { volume: data, mountPath: '/store' },
            { volume: data, mountPath: '/config' },
            { volume: hook, mountPath: '/hook', readOnly: true },
          ],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
      volumes: [data, hook],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'owntracks',
      namespace: ns,
      // http/80: Traefik infers the backend scheme from the port, and the recorder speaks plain HTTP
      service: app.exposeViaService({
        ports: [{ name: 'http', port: 80, targetPort: 8083, protocol: 'TCP' }],
      }),
      auth: IngressAuth.NONE, // the phone apps send basic auth; the chain below replaces the default one
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'traefik.ingress.kubernetes.io/router.middlewares': `owntracks-${basicAuth.middlewareName}@kubernetescrd,traefik-rate-limit@kubernetescrd,traefik-csp-headers@kubernetescrd`,
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'OwnTracks',
        'gethomepage.dev/description': 'Location tracking',
        'gethomepage.dev/icon': 'owntracks.png',
        'gethomepage.dev/group': 'Smart Home',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
