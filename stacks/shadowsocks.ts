// shadowsocks: a Shadowsocks proxy on the shared MetalLB edge IP (TCP + UDP 8388); its password comes
// from Vault through an ExternalSecret. Tree: stacks/shadowsocks.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';

/** The proxy port, on TCP and UDP. */
export const SHADOWSOCKS_PORT = 8388;

export default defineStack({
  name: 'shadowsocks',
  description: 'Shadowsocks proxy on the shared MetalLB edge IP, password from Vault',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'shadowsocks', { tier: Tier.EDGE, istioInjectionDisabled: false });
    // Every property of Vault secret/shadowsocks (the password) as the Secret shadowsocks-secrets.
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'shadowsocks-secrets',
      namespace: ns.byLiteralName,
      extractPaths: ['shadowsocks'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    const proxy = new Deployment(stack, 'shadowsocks', {
      namespace: ns,
      name: 'shadowsocks',
      keel: Keel.enrolled(),
      annotations: reloader('auto'),
      podAnnotations: { 'diun.enable': 'true', 'diun.include_tags': '^v\\d+\\.\\d+\\.\\d+$' },
      containers: [
        {
          name: 'shadowsocks',
          image: 'shadowsocks/shadowsocks-libev:v3.3.5',
          imagePullPolicy: 'IfNotPresent',
          env: {
            METHOD: 'chacha20-ietf-poly1305',
            PASSWORD: { secretName: secrets.secretName, key: 'password' },
          },
          ports: [
            { containerPort: SHADOWSOCKS_PORT, protocol: 'TCP' },
            { containerPort: SHADOWSOCKS_PORT, protocol: 'UDP' },
          ],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
    });
    proxy.exposeViaService({
      addressName: 'mailserver', // the tree's (copy-pasted) resource name: the state address
      loadBalancer: { ip: '10.0.20.200', sharedIpKey: 'shared', externalTrafficPolicy: 'Cluster' },
      ports: [
        { name: 'shadowsocks-tcp', protocol: 'TCP', port: SHADOWSOCKS_PORT },
        { name: 'shadowsocks-udp', protocol: 'UDP', port: SHADOWSOCKS_PORT },
      ],
    });
  },
});
