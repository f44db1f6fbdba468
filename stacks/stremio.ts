// stremio: a self-hosted Stremio web player and streaming server on the GPU node (NVENC transcoding on
// one time-slice of the shared card), plus a small nginx proxy that serves the Cinemeta metadata addon to
// Stremio clients. Stateless: the library lives in the Stremio account. The proxy's nginx config is the
// tree owner's file (stacks/stremio/cinemeta-nginx.conf), read at plan time; its hash rolls the proxy.
// Tree: stacks/stremio.
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel, Probe, type Toleration, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's nginx config of the Cinemeta proxy (path in the tree's stack directory). */
export const CINEMETA_NGINX_CONF = 'cinemeta-nginx.conf';
const SECRETS = 'stremio-secrets';

/** The tree's GPU placement: the GPU node's label and taint, and the GPU priority class. */
const GPU_NODE = {
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
  ] as Toleration[],
  priorityClassName: 'gpu-workload',
};

export default defineStack({
  name: 'stremio',
  description: 'Self-hosted Stremio (NVENC on a GPU time-slice) and the Cinemeta metadata proxy',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'stremio', { tier: Tier.GPU });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns,
      refreshInterval: '1h',
      data: ['webui_user', 'webui_password'].map((key) => ({
        secretKey: key,
        vault: { path: 'stremio', property: key },
      })),
    });
    const manifest = (timing: Parameters<typeof Probe.httpGet>[2]) =>
      Probe.httpGet('/manifest.json', 8080, timing);
    const data = Volume.emptyDir('data', { sizeLimit: '20Gi' });
    const stremio = new Deployment(stack, 'stremio', {
      namespace: ns,
      name: 'stremio',
      strategy: 'Recreate',
      ...GPU_NODE,
      imagePullSecrets: ['ghcr-credentials'], // Kyverno-synced
      containers: [
        {
          name: 'stremio',
          image: 'ghcr.io/viktorbarzin/stremio-nvenc:latest',
          ports: [{ containerPort: 8080, name: 'http' }],
          env: {
            USERNAME: { secretName: SECRETS, key: 'webui_user' },
            PASSWORD: { secretName: SECRETS, key: 'webui_password' },
            AUTO_SERVER_URL: '1',
            NO_CORS: '1',
            APP_PATH: '/data',
            NVIDIA_DRIVER_CAPABILITIES: 'compute,utility,video',
          },
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          // nginx and the server take up to ~2 minutes to come up
          startupProbe: manifest({ period: Duration.seconds(5), failureThreshold: 24 }),
          readinessProbe: manifest({ period: Duration.seconds(15), failureThreshold: 4 }),
          livenessProbe: manifest({
            initialDelay: Duration.seconds(30),
            period: Duration.seconds(30),
            failureThreshold: 5,
          }),
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.gibibytes(2),
            ephemeralStorageRequest: Size.gibibytes(2),
            ephemeralStorageLimit: Size.gibibytes(20), // bounds the cache
            gpu: 1, // one time-slice, not the card
            gpuMemoryMiB: 1500,
          },
        },
      ],
      volumes: [data],
      dependsOn: [secrets.resource],
    });
    suppressRule(
      stremio,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/stremio-nvenc:latest; Keel tracks the tag',
    );
    // Stremio's own login (web UI user/password from Vault): no Authentik.
    new IngressFactory(stack, 'ingress', {
      name: 'stremio',
      namespace: ns,
      service: stremio.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
      auth: IngressAuth.NONE,
      dnsType: DnsType.NON_PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Stremio',
        'gethomepage.dev/description': 'Self-hosted Stremio (NVENC transcode)',
        'gethomepage.dev/icon': 'stremio.png',
        'gethomepage.dev/group': 'Media & Entertainment',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });

    const conf = treePayload(stack, CINEMETA_NGINX_CONF);
    const nginxConf = new ConfigMap(stack, 'cinemeta_proxy_nginx', {
      namespace: ns,
      name: 'cinemeta-proxy-nginx',
      data: { 'default.conf': conf.content },
      payloads: [conf],
    });
    const confVolume = Volume.fromConfigMap('nginx-conf', nginxConf.name);
    const healthz = (timing: Parameters<typeof Probe.httpGet>[2]) => Probe.httpGet('/healthz', 8080, timing);
    const proxy = new Deployment(stack, 'cinemeta_proxy', {
      namespace: ns,
      name: 'cinemeta-proxy',
      replicas: 2,
      strategy: 'RollingUpdate',
      rollingUpdate: { maxSurge: '1', maxUnavailable: '0' }, // a new pod is ready before an old one goes
      antiAffinity: { topologyKey: 'kubernetes.io/hostname', preferredWeight: 100 },
      // not Keel-written: Terraform ignores what Kyverno and Keel add
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.keelAnnotations, Ignore.keelUpdateTime, Ignore.keelImage(0)],
      podAnnotations: { 'checksum/config': `\${sha256(file(${conf.path}))}` },
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 8080, name: 'http' }],
          volumeMounts: [
            {
              volume: confVolume,
              mountPath: '/etc/nginx/conf.d/default.conf',
              subPath: 'default.conf',
              readOnly: true,
            },
          ],
          readinessProbe: healthz({ period: Duration.seconds(10), failureThreshold: 3 }),
          livenessProbe: healthz({
            initialDelay: Duration.seconds(10),
            period: Duration.seconds(30),
            failureThreshold: 3,
          }),
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(32),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
      volumes: [confVolume],
    });
    conf.guard(proxy);
    // An API host for stremio-core: it cannot solve a proof-of-work challenge.
    new IngressFactory(stack, 'cinemeta_ingress', {
      name: 'cinemeta',
      namespace: ns,
      service: proxy.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
      auth: IngressAuth.NONE,
      antiAiScraping: false,
      dnsType: DnsType.PROXIED,
      extraAnnotations: { 'gethomepage.dev/description': 'Cinemeta metadata proxy for Stremio clients' },
      legacyAddress: 'module.cinemeta_ingress',
    });
  },
});
