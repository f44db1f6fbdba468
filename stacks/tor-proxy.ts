// tor-proxy: a Tor SOCKS/HTTP proxy for in-cluster clients, and TorrServer (torrent streaming) beside it,
// reachable from the home LANs only, with its BitTorrent peer port on the shared MetalLB IP.
// Tree: stacks/tor-proxy.
import { EncryptedPvc, PLAIN_STORAGE_CLASS } from '../constructs/blocks/encrypted-pvc';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Probe, Volume } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const TORRSERVER_PORT = 8090;
const BT_PORT = 5665;

export default defineStack({
  name: 'tor-proxy',
  description: 'Tor proxy for in-cluster clients, plus TorrServer torrent streaming (home LANs only)',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'tor-proxy', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });

    const proxy = new Deployment(stack, 'tor-proxy', {
      namespace: ns,
      name: 'tor-proxy',
      strategy: 'RollingUpdate',
      annotations: reloader('search'),
      containers: [
        {
          name: 'tor-proxy',
          image: 'dperson/torproxy:latest',
          ports: [
            { name: 'http', containerPort: 8118, protocol: 'TCP' },
            { name: 'tor', containerPort: 9050, protocol: 'TCP' },
          ],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(128),
          },
        },
      ],
    });
    suppressRule(
      proxy,
      'images-pinned',
      'tree parity: the tree runs dperson/torproxy:latest; Keel tracks the tag',
    );
    proxy.exposeViaService({
      ports: [
        { name: 'http', port: 8118, writeTargetPort: false },
        { name: 'tor', port: 9050, writeTargetPort: false },
      ],
    });

    const dataPvc = new EncryptedPvc(stack, 'torrserver_data_proxmox', {
      name: 'tor-proxy-torrserver-data-proxmox',
      namespace: ns,
      storageClassName: PLAIN_STORAGE_CLASS,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    const data = Volume.fromPvc('torrserver-data', dataPvc.claimName);
    const echo = (initialDelay: number, period: number) =>
      Probe.httpGet('/echo', TORRSERVER_PORT, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const torrserver = new Deployment(stack, 'torrserver', {
      namespace: ns,
      name: 'torrserver',
      strategy: 'Recreate',
      containers: [
        {
          name: 'torrserver',
          image: 'ghcr.io/yourok/torrserver:MatriX.141',
          ports: [{ name: 'http', containerPort: TORRSERVER_PORT, protocol: 'TCP' }],
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(256),
          },
          readinessProbe: echo(5, 10),
          livenessProbe: echo(15, 30),
          volumeMounts: [{ volume: data, mountPath: '/opt/ts' }],
        },
      ],
      volumes: [data],
    });
    const ui = torrserver.exposeViaService({
      ports: [{ name: 'http', port: TORRSERVER_PORT, targetPort: TORRSERVER_PORT }],
    });
    // peers reach the BitTorrent port directly, for better connectivity
    torrserver.exposeViaService({
      name: 'torrserver-bt',
      addressName: 'torrserver-bt',
      labels: { app: 'torrserver-bt' },
      loadBalancer: { ip: siteOf(stack).sharedLbIp, sharedIpKey: 'shared', externalTrafficPolicy: 'Cluster' },
      ports: [
        { name: 'bt-tcp', port: BT_PORT, targetPort: BT_PORT, protocol: 'TCP' },
        { name: 'bt-udp', port: BT_PORT, targetPort: BT_PORT, protocol: 'UDP' },
      ],
    });
    new IngressFactory(stack, 'torrserver_ingress', {
      name: 'torrserver',
      namespace: ns,
      service: ui,
      auth: IngressAuth.REQUIRED,
      // an internal record shadows the public wildcard, so the name never resolves to Cloudflare
      dnsType: DnsType.INTERNAL,
      extraMiddlewares: ['traefik-home-lans-only@kubernetescrd'],
      externalMonitor: false,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'TorrServer',
        'gethomepage.dev/description': 'Torrent streaming server',
        'gethomepage.dev/icon': 'torrserver.png',
        'gethomepage.dev/group': 'Media & Entertainment',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.torrserver_ingress',
    });
  },
});
