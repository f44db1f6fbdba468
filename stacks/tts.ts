// Chatterbox TTS (tripit's tour-guide narration) on one time-slice of the shared T4, held only while
// the free-VRAM gate allows it. Tree: stacks/tts (main.tf at HEAD).
import { CHATTERBOX_TTS, GpuGatedTts, T4_VRAM_BYTES } from '../constructs/patterns/gpu-gated-tts';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { RegistryPullSecret } from '../constructs/blocks/registry-pull-secret';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Job, Volume } from '../constructs/blocks/workload';
import { Duration } from '../lib/core/units';
import { readScript } from '../lib/core/paths';
import { vaultKvSecret } from '../lib/terraform/providers';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

/** Free VRAM the preflight needs (6 GiB, a guess until the real T4 peak is measured; see the construct doc). */
export const VRAM_FREE_FLOOR_BYTES = 6442450944;
/** Tag of ghcr.io/viktorbarzin/chatterbox-tts (the devnen upstream short sha the image was built from). */
export const IMAGE_TAG = '915ae289';
/** Kill switch of the four gate CronJobs: off since 2026-08-16 (pod churn, an always-empty queue). */
export const SCHEDULING_ENABLED = false;

const GHCR_USER = 'ViktorBarzin';
const labels = { app: CHATTERBOX_TTS.serviceName };

export default defineStack({
  name: 'tts',
  description: 'Chatterbox TTS on one time-slice of the shared T4, scaled by a free-VRAM gate',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'tts', { name: CHATTERBOX_TTS.namespace, tier: Tier.GPU });

    const models = new NfsVolume(stack, 'nfs_models', {
      name: 'chatterbox-models',
      namespace: ns,
      nfsPath: '/srv/nfs-ssd/chatterbox',
      storage: '20Gi',
      legacyAddress: 'module.nfs_models',
    });

    // The export root exists, the chatterbox subdirectory did not: create it once so the PV mounts.
    const nfsRoot = Volume.fromNfs('nfs-ssd-root', '/srv/nfs-ssd');
    new Job(stack, 'models_dir_init', {
      namespace: ns,
      name: 'chatterbox-models-dir-init',
      labels,
      backoffLimit: 3,
      ttlAfterFinished: Duration.days(1),
      containers: [
        {
          name: 'mkdir',
          image: 'busybox:1.37',
          command: [
            'sh',
            '-c',
            'mkdir -p /mnt/chatterbox/hf_cache /mnt/chatterbox/reference_audio && ls -la /mnt/chatterbox',
          ],
          volumeMounts: [{ volume: nfsRoot, mountPath: '/mnt' }],
        },
      ],
      volumes: [nfsRoot],
      waitForCompletion: true,
      createTimeout: Duration.minutes(3),
    });

    // Pull secret for the private GHCR image; the PAT is read from Vault at plan time.
    const pat = vaultKvSecret(stack, 'viktor', 'viktor').data.lookup('github_pat');
    const ghcr = new RegistryPullSecret(stack, 'ghcr_credentials', {
      namespace: ns,
      name: 'ghcr-credentials',
      registry: 'ghcr.io',
      username: GHCR_USER,
      password: pat,
    });

    new GpuGatedTts(stack, 'chatterbox', {
      namespace: ns,
      name: CHATTERBOX_TTS.serviceName,
      namePrefix: 'chatterbox',
      image: 'ghcr.io/viktorbarzin/chatterbox-tts',
      imageTag: IMAGE_TAG,
      config: {
        server: { host: '0.0.0.0', port: 8004 },
        model: { repo_id: 'chatterbox-multilingual' },
        tts_engine: {
          device: 'cuda',
          predefined_voices_path: '/app/voices',
          reference_audio_path: '/data/reference_audio',
        },
      },
      configMountPath: '/app/config.yaml',
      containerPort: 8004,
      servicePort: CHATTERBOX_TTS.port,
      serviceAnnotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/path': '/v1/audio/voices',
        'prometheus.io/port': String(CHATTERBOX_TTS.port),
      },
      clientModel: CHATTERBOX_TTS.model,
      env: {
        TTS_BF16: 'off', // the T4 (Turing) has no bf16
        HF_HOME: '/data/hf_cache',
        HF_HUB_CACHE: '/data/hf_cache',
      },
      modelVolume: { claimName: models.claimName, mountPath: '/data' },
      initContainers: [
        { name: 'seed-stem-voices', command: ['sh', '-c', readScript('seed-stem-voices.sh')] },
      ],
      imagePullSecrets: ['registry-credentials', ghcr.name],
      resources: { requests: { cpu: '200m', memory: '2Gi' }, limits: { memory: '8Gi' } },
      gpuSlices: 1,
      readinessProbe: { initialDelaySeconds: 20, periodSeconds: 15, failureThreshold: 12 },
      livenessProbe: { initialDelaySeconds: 120, periodSeconds: 30, failureThreshold: 5 },
      gate: {
        enabled: SCHEDULING_ENABLED,
        floorBytes: VRAM_FREE_FLOOR_BYTES,
        totalBytes: T4_VRAM_BYTES,
        windowUpSchedule: '0 2 * * *',
        windowDownSchedule: '0 6 * * *',
        vramGuardSchedule: '*/5 * * * *',
        demandGateSchedule: '*/3 * * * *',
        timezone: 'Europe/London',
        queueUrl: 'http://tripit.tripit.svc.cluster.local:8080/api/tour/tts-queue',
        image: 'bitnami/kubectl:latest',
      },
      gateAddressName: 'offpeak',
    });
  },
});
