// Frigate NVR with TensorRT object detection on the GPU node: the web UI behind Authentik, a LAN-only
// host for Home Assistant's API-key integration, and a MetalLB address for RTSP restream and WebRTC
// (L4 traffic the HTTP ingress cannot carry). Tree: stacks/frigate.
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Probe, type Toleration, Volume } from '../constructs/blocks/workload';
import { homepage, reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's GPU placement: the GPU node's label and taint. */
const GPU_NODE = {
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
  ] as Toleration[],
};

export default defineStack({
  name: 'frigate',
  description: 'Frigate NVR with TensorRT detection on the GPU, LAN API host, MetalLB RTSP/WebRTC address',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'frigate', { tier: Tier.GPU, istioInjectionDisabled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const configPvc = new EncryptedPvc(stack, 'config_encrypted', {
      name: 'frigate-config-encrypted',
      namespace: ns,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    const mediaNfs = new NfsVolume(stack, 'nfs_media_host', {
      name: 'frigate-media-host',
      namespace: ns,
      nfsServer: '192.168.1.127',
      nfsPath: '/srv/nfs/frigate/media',
      legacyAddress: 'module.nfs_media_host',
    });
    const config = Volume.fromPvc('config', configPvc.claimName);
    const dshm = Volume.emptyDir('dshm', { medium: 'Memory', sizeLimit: '1Gi' });
    const media = Volume.fromPvc('media', mediaNfs.claimName);
    const cache = Volume.emptyDir('cache-tmpfs', { medium: 'Memory', sizeLimit: '512Mi' });
    const dri = Volume.hostPath('dri', '/dev/dri', { type: 'Directory' });
    // The tree's liveness check (a heredoc of its main.tf): GPU visible, API up, detector not on CPU.
    const detectorHealthy = treeHeredoc(stack, 'command');
    const app = new Deployment(stack, 'frigate', {
      namespace: ns,
      name: 'frigate',
      strategy: 'Recreate',
      annotations: reloader('search'),
      ...GPU_NODE,
      containers: [
        {
          name: 'frigate',
          image: 'ghcr.io/blakeblackshear/frigate:0.17.0-beta1-tensorrt',
          resources: {
            cpuRequest: '1500m',
            memoryRequest: Size.gibibytes(5),
            memoryLimit: Size.gibibytes(10),
            gpu: 1,
            gpuMemoryMiB: 2300, // detector + decode, with NVDEC headroom
          },
          env: { FRIGATE_RTSP_PASSWORD: 'password' },
          ports: [
            5000,
            8554,
            { containerPort: 8555, protocol: 'TCP' },
            { containerPort: 8555, protocol: 'UDP' },
          ],
          volumeMounts: [
            { volume: config, mountPath: '/config' },
            { volume: dri, mountPath: '/dev/dri' },
            { volume: dshm, mountPath: '/dev/shm' },
            { volume: media, mountPath: '/media/frigate' },
            { volume: cache, mountPath: '/tmp/cache' },
          ],
          livenessProbe: Probe.exec(['sh', '-c', detectorHealthy.content], {
            initialDelay: Duration.minutes(2),
            period: Duration.minutes(1),
            timeout: Duration.seconds(10),
            failureThreshold: 3,
          }),
          // TensorRT model loading: up to five minutes
          startupProbe: Probe.httpGet('/api/version', 5000, {
            period: Duration.seconds(10),
            failureThreshold: 30,
          }),
          securityContext: { privileged: true },
        },
      ],
      volumes: [config, dshm, media, cache, dri],
    });
    detectorHealthy.guard(app);
    suppressRule(
      app,
      'no-credential-literals',
      'tree parity: the tree writes FRIGATE_RTSP_PASSWORD as the literal placeholder "password" in its HCL',
    );
    const web = app.exposeViaService({
      ports: [{ name: 'http', port: 80, targetPort: 5000, protocol: 'TCP' }],
    });
    // Layer-4 streams on their own MetalLB address; ETP Local keeps the client IP (the pod is node-pinned).
    app.exposeViaService({
      name: 'frigate-rtsp',
      addressName: 'frigate-rtsp',
      labels: { app: 'frigate' },
      loadBalancer: { ip: '10.0.20.204', externalTrafficPolicy: 'Local' },
      ports: [
        { name: 'rtsp-tcp', port: 8554, targetPort: 8554, protocol: 'TCP' },
        { name: 'rtsp-udp', port: 8554, targetPort: 8554, protocol: 'UDP' },
        { name: 'webrtc-tcp', port: 8555, targetPort: 8555, protocol: 'TCP' },
        { name: 'webrtc-udp', port: 8555, targetPort: 8555, protocol: 'UDP' },
      ],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'frigate',
      namespace: ns,
      service: web,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        ...homepage('Frigate', 'NVR & object detection', 'frigate.png', 'Media & Entertainment'),
        'gethomepage.dev/widget.type': 'frigate',
        'gethomepage.dev/widget.url': 'http://frigate.frigate.svc.cluster.local',
      },
      legacyAddress: 'module.ingress',
    });
    new IngressFactory(stack, 'ingress-internal', {
      name: 'frigate-lan',
      host: 'frigate-lan',
      rootDomain: 'viktorbarzin.lan',
      namespace: ns,
      service: web,
      auth: IngressAuth.NONE, // Home Assistant's integration uses Frigate's API key, not browser SSO
      allowLocalAccessOnly: true,
      extraAnnotations: { 'gethomepage.dev/enabled': 'false' },
      legacyAddress: 'module.ingress-internal',
    });
  },
});
