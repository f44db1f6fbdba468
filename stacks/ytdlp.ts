// ytdlp: YoutubeDL-Material (video/audio downloader) at yt behind Authentik, and yt-highlights, which
// transcribes videos on the GPU (Whisper large-v3 on CUDA), asks an LLM for the highlights and posts them
// to Slack. The Slack channel is an operator-supplied variable (the tree's encrypted config.tfvars).
// Tree: stacks/ytdlp.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Probe, type Toleration, Volume } from '../constructs/blocks/workload';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { operatorVariable } from '../lib/terraform/operator-variable';

const SECRETS = 'ytdlp-secrets';

export default defineStack({
  name: 'ytdlp',
  description: 'YoutubeDL-Material downloader (yt) and GPU video highlights to Slack (yt-highlights)',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'ytdlp', { tier: Tier.AUX });
    new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns,
      extractPaths: ['ytdlp'],
      refreshInterval: '15m',
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const nfs = (id: string, name: string, nfsPath: string) =>
      new NfsVolume(stack, id, { name, namespace: ns, nfsPath, legacyAddress: `module.${id}` });
    const data = Volume.fromPvc('data', nfs('nfs_data_host', 'ytdlp-data-host', '/srv/nfs/ytdlp').claimName);
    const highlightsData = Volume.fromPvc(
      'data',
      nfs('nfs_highlights_data_host', 'ytdlp-highlights-data-host', '/srv/nfs/ytdlp-highlights').claimName,
    );

    // one NFS export holds every app directory
    const ytdlp = new Deployment(stack, 'ytdlp', {
      namespace: ns,
      name: 'ytdlp',
      replicas: null, // the tree leaves the count to the provider
      annotations: { 'diun.enable': 'true' },
      containers: [
        {
          name: 'ytdlp',
          image: 'tzahi12345/youtubedl-material:nightly',
          resources: {
            cpuRequest: '25m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.mebibytes(512),
          },
          ports: [17442],
          volumeMounts: ['appdata', 'audio', 'video', 'users', 'subscriptions'].map((dir) => ({
            volume: data,
            mountPath: `/app/${dir}`,
          })),
        },
      ],
      volumes: [data],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'ytdlp',
      host: 'yt',
      namespace: ns,
      service: ytdlp.exposeViaService({
        ports: [{ name: 'ytdlp', port: 80, targetPort: 17442, protocol: 'TCP' }],
      }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.NON_PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'yt-dlp',
        'gethomepage.dev/description': 'Video downloader',
        'gethomepage.dev/icon': 'youtube-dl.png',
        'gethomepage.dev/group': 'Media & Entertainment',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });

    const highlights = new Deployment(stack, 'yt_highlights', {
      namespace: ns,
      name: 'yt-highlights',
      annotations: { 'diun.enable': 'true', 'reloader.stakater.com/auto': 'true' },
      strategy: 'Recreate',
      // the GPU node, as the tree places it (its toleration leaves the operator unset)
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      tolerations: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] as Toleration[],
      containers: [
        {
          name: 'yt-highlights',
          image: 'viktorbarzin/yt-highlights:v20-20260127',
          ports: [8000],
          env: {
            ASR_MODEL: 'large-v3',
            ASR_DEVICE: 'cuda',
            OPENROUTER_MODEL: 'deepseek/deepseek-r1-0528:free',
            OPENROUTER_API_KEY: { secretName: SECRETS, key: 'openrouter_api_key' },
            DATA_PATH: '/data',
            SLACK_BOT_TOKEN: { secretName: SECRETS, key: 'slack_bot_token' },
            SLACK_CHANNEL: operatorVariable(stack, 'slack_channel').stringValue,
            REDIS_URL: `redis://${siteOf(stack).redisHost}:6379/0`,
            HF_HOME: '/data/cache/huggingface',
            TORCH_HOME: '/data/cache/torch',
          },
          volumeMounts: [{ volume: highlightsData, mountPath: '/data' }],
          resources: { gpu: 1 },
          // model loading takes minutes; a long transcription may hold the probe
          livenessProbe: Probe.httpGet('/health', 8000, {
            initialDelay: Duration.seconds(180),
            period: Duration.seconds(60),
            timeout: Duration.seconds(60),
            failureThreshold: 10,
          }),
        },
      ],
      volumes: [highlightsData],
    });
    new IngressFactory(stack, 'highlights_ingress', {
      name: 'yt-highlights',
      host: 'yt-highlights',
      namespace: ns,
      service: highlights.exposeViaService({
        ports: [{ name: 'http', port: 80, targetPort: 8000, protocol: 'TCP' }],
      }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.NON_PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'YT Highlights',
        'gethomepage.dev/description': 'AI video highlights',
        'gethomepage.dev/icon': 'youtube.png',
        'gethomepage.dev/group': 'Media & Entertainment',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.highlights_ingress',
    });
    suppressRule(
      ytdlp,
      'images-pinned',
      'tree parity: the tree runs youtubedl-material:nightly; Keel tracks the tag',
    );
  },
});
