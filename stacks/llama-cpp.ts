// llama-cpp: local LLM inference on the GPU node. llama-swap fronts llama-server, loading one GGUF model
// at a time on demand (unloaded after 10 idle minutes); a one-off Job downloads the models from Hugging
// Face onto NFS-SSD. The download script is the tree owner's inline heredoc, read at plan time; the
// llama-swap config is derived from the model table here, as the tree derives it. Tree: stacks/llama-cpp.
import { Fn } from 'cdktf';
import { ConfigMap } from '../constructs/blocks/config-map';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, JobV1, Keel, Probe, type Toleration, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

const LABELS = { app: 'llama-cpp' };
const SWAP_SELECTOR = { app: 'llama-cpp', component: 'llama-swap' };

interface Model {
  readonly hf_repo: string;
  readonly gguf_pattern: string;
  readonly mmproj_pattern: string;
  readonly ctx_size: number;
  readonly gpu_layers: number;
  readonly text_only: boolean;
}

/** The served models (the download Job and llama-swap both read this table). */
export const MODELS: Readonly<Record<string, Model>> = {
  'qwen3vl-8b': {
    hf_repo: 'Qwen/Qwen3-VL-8B-Instruct-GGUF',
    gguf_pattern: '*Q4_K_M*.gguf',
    mmproj_pattern: '*mmproj*.gguf',
    ctx_size: 3072,
    gpu_layers: 99,
    text_only: false,
  },
  'qwen3vl-4b': {
    hf_repo: 'Qwen/Qwen3-VL-4B-Instruct-GGUF',
    gguf_pattern: '*Q4_K_M*.gguf',
    mmproj_pattern: '*mmproj*.gguf',
    ctx_size: 3072,
    gpu_layers: 99,
    text_only: false,
  },
  'qwen3-8b': {
    hf_repo: 'unsloth/Qwen3-8B-GGUF',
    gguf_pattern: '*Q4_K_M*.gguf',
    mmproj_pattern: '',
    ctx_size: 16384,
    gpu_layers: 99,
    text_only: true,
  },
};

/** llama-server's command line for one model (`${PORT}` is llama-swap's macro, not Terraform's). */
export function serverCommand(id: string, m: Model): string {
  return [
    '/app/llama-server',
    '--host 0.0.0.0',
    '--port ${PORT}',
    `-m /models/${id}/model.gguf`,
    ...(m.text_only ? [] : [`--mmproj /models/${id}/mmproj.gguf`]),
    `-ngl ${m.gpu_layers}`,
    `-c ${m.ctx_size}`,
    '-np 1',
    '--jinja',
    '-fa on',
    ...(m.text_only ? ['--reasoning off'] : []),
  ].join(' ');
}

/** The llama-swap config as Terraform's yamlencode renders it (a model loads in 60-90s from NFS-SSD). */
export function llamaSwapConfig(): string {
  return Fn.yamlencode({
    healthCheckTimeout: 180,
    logLevel: 'info',
    logToStdout: 'both',
    startPort: 5800,
    macros: { llama_server_base: '/app/llama-server --host 0.0.0.0 --port ${PORT} --jinja -fa -np 1' },
    models: Object.fromEntries(
      Object.entries(MODELS).map(([id, m]) => [
        id,
        { cmd: serverCommand(id, m), ttl: 600, checkEndpoint: '/health' },
      ]),
    ),
  });
}

export default defineStack({
  name: 'llama-cpp',
  description: 'llama.cpp inference via llama-swap on the GPU node, GGUF models on NFS-SSD',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'llama_cpp', { name: 'llama-cpp', tier: Tier.GPU });
    const nfs = new NfsVolume(stack, 'nfs_models', {
      name: 'llama-cpp-models',
      namespace: ns,
      nfsPath: '/srv/nfs-ssd/llamacpp',
      storage: '30Gi',
      legacyAddress: 'module.nfs_models',
    });
    const models = Volume.fromPvc('models', nfs.claimName);

    const download = treeHeredoc(stack, 'command');
    const job = new JobV1(stack, 'download_models', {
      namespace: ns,
      name: 'download-models',
      labels: LABELS,
      backoffLimit: 2,
      restartPolicy: 'OnFailure',
      waitForCompletion: false,
      ignoreChanges: [Ignore.allAnnotations],
      containers: [
        {
          name: 'download',
          image: 'python:3.12-slim',
          command: ['/bin/bash', '-c', download.content],
          env: {
            MODELS_JSON: Fn.jsonencode(MODELS),
            HF_HUB_ENABLE_HF_TRANSFER: '0',
            HF_TOKEN: { secretName: 'hf-token', key: 'token', optional: true }, // public models need none
          },
          volumeMounts: [{ volume: models, mountPath: '/models' }],
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.gibibytes(4),
          },
        },
      ],
      volumes: [models],
    });
    download.guard(job);

    const configText = llamaSwapConfig();
    const config = new ConfigMap(stack, 'llama_swap_config', {
      namespace: ns,
      name: 'llama-swap-config',
      labels: LABELS,
      data: { 'config.yaml': configText },
    });
    const configVolume = Volume.fromConfigMap('config', config.name);
    const root = (initialDelay: number, period: number, failureThreshold: number) =>
      Probe.httpGet('/', 8080, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
        failureThreshold,
      });
    new Deployment(stack, 'llama_swap', {
      namespace: ns,
      name: 'llama-swap',
      selector: SWAP_SELECTOR,
      selectorLabels: false,
      labels: LABELS,
      // the image is pinned by digest: Terraform owns it; Kyverno's and Keel's annotations stay ignored
      keel: Keel.enrolled({ containers: [] }),
      waitForRollout: false,
      strategy: 'Recreate',
      podAnnotations: { 'checksum/config': Fn.sha256(configText) },
      nodeSelector: { gpu: 'true' },
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      ] as Toleration[],
      containers: [
        {
          name: 'llama-swap',
          image:
            'ghcr.io/mostlygeek/llama-swap@sha256:50c640b15d7914ba356eb1e034680907b6c25eff7bdbe0071d77b907abfc0e0b',
          command: [
            '/bin/sh',
            '-c',
            'ulimit -c 0 && exec /app/llama-swap -config /app/config.yaml -listen :8080',
          ],
          ports: [{ containerPort: 8080, name: 'http' }],
          volumeMounts: [
            { volume: models, mountPath: '/models' },
            { volume: configVolume, mountPath: '/app/config.yaml', subPath: 'config.yaml' },
          ],
          readinessProbe: root(5, 10, 6),
          livenessProbe: root(30, 30, 5),
          resources: {
            cpuRequest: '200m',
            memoryRequest: Size.gibibytes(2),
            memoryLimit: Size.gibibytes(12),
            ephemeralStorageRequest: Size.gibibytes(1),
            ephemeralStorageLimit: Size.gibibytes(10),
            gpu: 1,
            gpuMemoryMiB: 5000,
          },
        },
      ],
      volumes: [models, configVolume],
      dependsOn: [job],
    }).exposeViaService({
      type: 'ClusterIP',
      labels: LABELS,
      ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
    });
  },
});
