import { describe, expect, it } from 'vitest';
import {
  CHATTERBOX_TTS,
  GpuGatedTts,
  type GpuGatedTtsProps,
  T4_VRAM_BYTES,
  ttsClientEnv,
} from '../../../constructs/patterns/gpu-gated-tts';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { sha256 } from '../../../lib/core/hash';
import { readScript } from '../../../lib/core/paths';
import { terraformUnescape } from '../../../lib/terraform/tf-literal';
import { Tier } from '../../../lib/conventions/tiers';
import { yamlencode } from '../../../lib/terraform/yaml';
import { forEachInstances } from '../../support/for-each';
import {
  addresses,
  expectConfigError,
  resource,
  resolveNames,
  synth,
  testStack,
  type TfJson,
} from '../../support/synth';

type Overrides = Partial<Omit<GpuGatedTtsProps, 'gate' | 'namespace'>> & {
  gate?: Partial<GpuGatedTtsProps['gate']>;
  tier?: Tier;
};

function build(o: Overrides = {}) {
  const stack = testStack();
  const ns = new TieredNamespace(stack, 'voice', { tier: o.tier ?? Tier.GPU });
  const { gate, tier: _tier, ...rest } = o;
  const tts = new GpuGatedTts(stack, 'app', {
    namespace: ns,
    name: 'speaker',
    image: 'ghcr.io/example/speaker',
    imageTag: 'abc123',
    config: { server: { port: 9000 } },
    configMountPath: '/etc/speaker/config.yaml',
    containerPort: 9000,
    servicePort: 80,
    clientModel: 'speaker-1',
    modelVolume: { claimName: 'speaker-models', mountPath: '/models' },
    resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { memory: '4Gi' } },
    ...rest,
    gate: { floorBytes: 4 * 2 ** 30, ...gate },
  });
  return { stack, ns, tts };
}

function synthOf(o: Overrides = {}): { json: TfJson; tts: GpuGatedTts } {
  const { stack, tts } = build(o);
  return { json: synth(stack), tts };
}

const container = (json: TfJson) =>
  resource(json, 'kubernetes_deployment', 'app').spec.template.spec.container[0];

describe('GpuGatedTts: addresses', () => {
  it('derives Terraform names from the construct id, the gate resources from gateAddressName', () => {
    const { json } = synthOf();
    expect([...addresses(json)].sort()).toEqual(
      [
        'kubernetes_config_map.app_config',
        'kubernetes_cron_job_v1.app_gate',
        'kubernetes_deployment.app',
        'kubernetes_namespace.voice',
        'kubernetes_role.app_gate',
        'kubernetes_role_binding.app_gate',
        'kubernetes_service.app',
        'kubernetes_service_account.app_gate',
      ].sort(),
    );
    const named = synthOf({ gateAddressName: 'offpeak' }).json;
    expect(addresses(named)).toContain('kubernetes_cron_job_v1.offpeak');
    expect(addresses(named)).toContain('kubernetes_role.offpeak');
    expect(addresses(named)).not.toContain('kubernetes_role.app_gate');
  });
});

describe('GpuGatedTts: the workload', () => {
  const { json } = synthOf({
    env: { B: '2', A: '1' },
    imagePullSecrets: ['one', 'two'],
    initContainers: [{ name: 'seed', command: ['sh', '-c', 'echo ${HOME}'] }],
    serviceAnnotations: { 'prometheus.io/scrape': 'true' },
  });
  const d = resource(json, 'kubernetes_deployment', 'app');
  const pod = d.spec.template.spec;

  it('is declared at 0 replicas, replicas ignored (the gate owns them), Recreate, no rollout wait', () => {
    expect(d.spec.replicas).toBe('0');
    expect(d.lifecycle.ignore_changes).toContain('spec[0].replicas');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.wait_for_rollout).toBe(false);
  });

  it('runs on a GPU node with one time-slice and the regular tier-2-gpu priority', () => {
    expect(pod.node_selector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.toleration).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ]);
    expect(pod.priority_class_name).toBe('tier-2-gpu');
    expect(container(json).resources).toEqual({
      requests: { cpu: '100m', memory: '1Gi' },
      limits: { memory: '4Gi', 'nvidia.com/gpu': '1' },
    });
  });

  it('labels the Deployment with app and tier, pods with app only; the selector matches the pods', () => {
    expect(d.metadata.labels).toEqual({ app: 'speaker', tier: '2-gpu' });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'speaker' });
    expect(d.spec.selector.match_labels).toEqual({ app: 'speaker' });
  });

  it('renders the config with yamlencode and rolls the pods on change through checksum/config', () => {
    const cm = resource(json, 'kubernetes_config_map', 'app_config');
    const text = yamlencode({ server: { port: 9000 } });
    expect(terraformUnescape(cm.data['config.yaml'])).toBe(text);
    expect(cm.metadata.name).toBe('speaker-config');
    expect(d.spec.template.metadata.annotations).toEqual({ 'checksum/config': sha256(text) });
    const other = resource(
      synthOf({ config: { server: { port: 9001 } } }).json,
      'kubernetes_deployment',
      'app',
    );
    expect(other.spec.template.metadata.annotations['checksum/config']).not.toBe(sha256(text));
    expect(container(json).volume_mount).toEqual([
      { name: 'config', mount_path: '/etc/speaker/config.yaml', sub_path: 'config.yaml' },
      { name: 'models', mount_path: '/models' },
    ]);
    expect(resolveNames(json, pod.volume)).toEqual([
      { name: 'config', config_map: { name: 'speaker-config' } },
      { name: 'models', persistent_volume_claim: { claim_name: 'speaker-models' } },
    ]);
  });

  it('keeps env order, image pull secrets order, and gives init containers the image and model volume', () => {
    expect(container(json).env).toEqual([
      { name: 'B', value: '2' },
      { name: 'A', value: '1' },
    ]);
    expect(pod.image_pull_secrets).toEqual([{ name: 'one' }, { name: 'two' }]);
    expect(pod.init_container).toEqual([
      {
        name: 'seed',
        image: 'ghcr.io/example/speaker:abc123',
        command: ['sh', '-c', 'echo $${HOME}'],
        volume_mount: [{ name: 'models', mount_path: '/models' }],
      },
    ]);
  });

  it('probes the container port over TCP (an HTTP probe hangs while the server synthesizes)', () => {
    expect(container(json).readiness_probe).toEqual({
      tcp_socket: [{ port: '9000' }],
      initial_delay_seconds: 20,
      period_seconds: 15,
      failure_threshold: 12,
    });
    expect(container(json).liveness_probe).toEqual({
      tcp_socket: [{ port: '9000' }],
      initial_delay_seconds: 120,
      period_seconds: 30,
      failure_threshold: 5,
    });
  });

  it('ignores the Keel/Kyverno drift of an enrolled workload, including the main image', () => {
    expect(new Set(d.lifecycle.ignore_changes)).toEqual(
      new Set([
        'spec[0].replicas',
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'spec[0].template[0].spec[0].container[0].image',
      ]),
    );
  });

  it('remaps the Service port to the container port', () => {
    const svc = resource(json, 'kubernetes_service', 'app');
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'speaker' },
      port: [{ name: 'http', port: 80, target_port: '9000' }],
    });
    expect(svc.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
  });
});

describe('GpuGatedTts: the gate', () => {
  const { json } = synthOf({ gate: { queueUrl: 'http://queue.example.svc:8080/q' } });
  const jobs = forEachInstances(json, 'kubernetes_cron_job_v1', 'app_gate');

  it('can only get and patch Deployments and their scale, through its own ServiceAccount', () => {
    const role = resource(json, 'kubernetes_role', 'app_gate');
    expect(role.rule).toEqual([
      { api_groups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['get', 'patch'] },
    ]);
    const rb = resolveNames(json, resource(json, 'kubernetes_role_binding', 'app_gate'));
    expect(rb.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'speaker-offpeak',
    });
    expect(rb.subject).toEqual([{ kind: 'ServiceAccount', name: 'speaker-offpeak', namespace: 'voice' }]);
    for (const job of jobs.values()) {
      expect(resolveNames(json, job.spec.job_template.spec.template.spec.service_account_name)).toBe(
        'speaker-offpeak',
      );
    }
  });

  it('has one CronJob per action, keyed by name, with the default schedules', () => {
    const summary = [...jobs].map(([key, j]) => [
      key,
      j.metadata.name,
      j.spec.schedule,
      j.spec.job_template.spec.template.spec.container[0].env[0].value,
    ]);
    expect(summary.sort()).toEqual(
      [
        ['speaker-window-up', 'speaker-window-up', '0 2 * * *', 'up'],
        ['speaker-window-down', 'speaker-window-down', '0 6 * * *', 'down'],
        ['speaker-vram-guard', 'speaker-vram-guard', '*/5 * * * *', 'guard'],
        ['speaker-demand-gate', 'speaker-demand-gate', '*/3 * * * *', 'demand'],
      ].sort(),
    );
  });

  it('is suspended by default (the kill switch), all four together', () => {
    for (const j of jobs.values()) expect(j.spec.suspend).toBe(true);
    const on = forEachInstances(
      synthOf({ gate: { enabled: true, queueUrl: 'http://q.example/' } }).json,
      'kubernetes_cron_job_v1',
      'app_gate',
    );
    expect(on.size).toBe(4);
    for (const j of on.values()) expect(j.spec.suspend).toBe(false);
  });

  it('pins the time zone, forbids overlap and bounds every run', () => {
    for (const j of jobs.values()) {
      expect(j.spec).toMatchObject({
        timezone: 'Europe/London',
        concurrency_policy: 'Forbid',
        starting_deadline_seconds: 120,
        successful_jobs_history_limit: 1,
        failed_jobs_history_limit: 3,
      });
      expect(j.spec.job_template.spec).toMatchObject({
        backoff_limit: 1,
        active_deadline_seconds: 120,
        ttl_seconds_after_finished: '300',
      });
      expect(j.spec.job_template.spec.template.spec.restart_policy).toBe('Never');
      expect(j.lifecycle.ignore_changes).toEqual([
        'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
      ]);
    }
  });

  it('runs payloads/vram-gate.sh verbatim (Terraform template openers escaped) under bash', () => {
    for (const j of jobs.values()) {
      const c = j.spec.job_template.spec.template.spec.container[0];
      expect(c.name).toBe('vram-gate');
      expect(c.image).toBe('bitnami/kubectl:latest');
      expect(c.command.slice(0, 2)).toEqual(['/bin/bash', '-c']);
      expect(terraformUnescape(c.command[2])).toBe(readScript('vram-gate.sh'));
      expect(c.command[2]).not.toMatch(/(^|[^$])\$\{/);
    }
  });

  it('passes floor, total, queue and its own Deployment to the script', () => {
    const env = jobs.get('speaker-window-up').spec.job_template.spec.template.spec.container[0].env;
    expect(env).toEqual([
      { name: 'ACTION', value: 'up' },
      { name: 'FLOOR', value: String(4 * 2 ** 30) },
      { name: 'GPU_TOTAL', value: String(T4_VRAM_BYTES) },
      { name: 'QUEUE_URL', value: 'http://queue.example.svc:8080/q' },
      { name: 'NAMESPACE', value: 'voice' },
      { name: 'DEPLOYMENT', value: 'speaker' },
    ]);
  });

  it('has no demand gate and no QUEUE_URL without a queue; METRICS_URL only when set', () => {
    const { json: plain } = synthOf({ gate: { metricsUrl: 'http://metrics.example:9400/metrics' } });
    const three = forEachInstances(plain, 'kubernetes_cron_job_v1', 'app_gate');
    expect([...three.keys()].sort()).toEqual([
      'speaker-vram-guard',
      'speaker-window-down',
      'speaker-window-up',
    ]);
    const env = three.get('speaker-vram-guard').spec.job_template.spec.template.spec.container[0].env;
    expect(env.map((e: { name: string }) => e.name)).toEqual([
      'ACTION',
      'FLOOR',
      'GPU_TOTAL',
      'NAMESPACE',
      'DEPLOYMENT',
      'METRICS_URL',
    ]);
    expect(env[5].value).toBe('http://metrics.example:9400/metrics');
  });

  it('takes custom schedules, time zone, image and name prefix', () => {
    const { json: custom } = synthOf({
      namePrefix: 'tts',
      gate: {
        windowUpSchedule: '30 1 * * 1-5',
        windowDownSchedule: '0 7 * * *',
        vramGuardSchedule: '*/2 * * * *',
        timezone: 'UTC',
        image: 'bitnami/kubectl:1.33',
      },
    });
    const custom3 = forEachInstances(custom, 'kubernetes_cron_job_v1', 'app_gate');
    expect(custom3.get('tts-window-up').spec.schedule).toBe('30 1 * * 1-5');
    expect(custom3.get('tts-window-down').spec.schedule).toBe('0 7 * * *');
    expect(custom3.get('tts-vram-guard').spec.schedule).toBe('*/2 * * * *');
    expect(custom3.get('tts-vram-guard').spec.timezone).toBe('UTC');
    expect(custom3.get('tts-vram-guard').spec.job_template.spec.template.spec.container[0].image).toBe(
      'bitnami/kubectl:1.33',
    );
    expect(resource(custom, 'kubernetes_service_account', 'app_gate').metadata.name).toBe('tts-offpeak');
    expect(resource(custom, 'kubernetes_config_map', 'app_config').metadata.name).toBe('tts-config');
  });
});

describe('GpuGatedTts: contracts for neighbours', () => {
  it('gives the OpenAI-compatible client env of its own Service', () => {
    const { tts } = build();
    expect(tts.clientEnv()).toEqual({
      TTS_MODE: 'openai_compatible',
      TTS_BASE_URL: 'http://speaker.voice.svc.cluster.local:80',
      TTS_MODEL: 'speaker-1',
    });
    expect(Object.keys(tts.clientEnv())).toEqual(['TTS_MODE', 'TTS_BASE_URL', 'TTS_MODEL']);
  });

  it('names the namespace Kyverno inject-gpu-workload-priority must exclude', () => {
    expect(build().tts.gpuPriorityExcludedNamespace).toBe('voice');
  });

  it('publishes the tts stack endpoint as the tree wires tripit', () => {
    expect(ttsClientEnv(CHATTERBOX_TTS)).toEqual({
      TTS_MODE: 'openai_compatible',
      TTS_BASE_URL: 'http://chatterbox-tts.tts.svc.cluster.local:8000',
      TTS_MODEL: 'chatterbox',
    });
    expect(CHATTERBOX_TTS.namespace).toBe('tts');
  });
});

describe('GpuGatedTts: guards', () => {
  const P = 'test-stack/app';
  const cases: Array<[string, Overrides, string]> = [
    [
      'namespace',
      { tier: Tier.AUX },
      `${P}: invalid namespace = "voice"; allowed: a TieredNamespace with tier 2-gpu`,
    ],
    [
      'floor zero',
      { gate: { floorBytes: 0 } },
      `${P}: invalid gate.floorBytes = 0; allowed: an integer number of bytes > 0 and < gate.totalBytes (17179869184)`,
    ],
    [
      'floor negative',
      { gate: { floorBytes: -1 } },
      `${P}: invalid gate.floorBytes = -1; allowed: an integer number of bytes > 0 and < gate.totalBytes (17179869184)`,
    ],
    [
      'floor equal to the card',
      { gate: { floorBytes: T4_VRAM_BYTES } },
      `${P}: invalid gate.floorBytes = 17179869184; allowed: an integer number of bytes > 0 and < gate.totalBytes (17179869184)`,
    ],
    [
      'floor above a custom total',
      { gate: { floorBytes: 9e9, totalBytes: 8e9 } },
      `${P}: invalid gate.floorBytes = 9000000000; allowed: an integer number of bytes > 0 and < gate.totalBytes (8000000000)`,
    ],
    [
      'floor not an integer',
      { gate: { floorBytes: 1.5 } },
      `${P}: invalid gate.floorBytes = 1.5; allowed: an integer number of bytes > 0 and < gate.totalBytes (17179869184)`,
    ],
    [
      'total',
      { gate: { totalBytes: 0 } },
      `${P}: invalid gate.totalBytes = 0; allowed: an integer from 1 to 9007199254740992`,
    ],
    ...(
      [
        ['windowUpSchedule', '0 2 * *'],
        ['windowDownSchedule', '61 6 * * *'],
        ['vramGuardSchedule', 'every 5 minutes'],
        ['demandGateSchedule', '*/3 * * * * *'],
      ] as const
    ).map(([prop, value]): [string, Overrides, string] => [
      prop,
      { gate: { [prop]: value, queueUrl: 'http://q.example/' } },
      `${P}: invalid gate.${prop} = ${JSON.stringify(value)}; allowed: a 5-field cron expression such as "0 4 * * *" or "*/5 * * * *"`,
    ]),
    [
      'timezone',
      { gate: { timezone: 'Europe/Londn' } },
      `${P}: invalid gate.timezone = "Europe/Londn"; allowed: an IANA time zone such as "Europe/London" or "UTC"`,
    ],
    [
      'empty image tag',
      { imageTag: '' },
      `${P}: invalid imageTag = ""; allowed: a non-empty image tag (letters, digits, "_", "." and "-", at most 128 characters)`,
    ],
    [
      'image with a tag',
      { image: 'ghcr.io/example/speaker:1' },
      `${P}: invalid image = "ghcr.io/example/speaker:1"; allowed: an image repository without tag, e.g. "ghcr.io/owner/name"`,
    ],
    [
      'two GPU slices',
      { gpuSlices: 2 },
      `${P}: invalid gpuSlices = 2; allowed: 1 (at most one time-slice of the shared card; a GPU-gated workload needs exactly one)`,
    ],
    [
      'no GPU slice',
      { gpuSlices: 0 },
      `${P}: invalid gpuSlices = 0; allowed: 1 (at most one time-slice of the shared card; a GPU-gated workload needs exactly one)`,
    ],
    [
      'GPU in the limits',
      {
        resources: {
          requests: { cpu: '1', memory: '1Gi' },
          limits: { memory: '2Gi', 'nvidia.com/gpu': '2' } as never,
        },
      },
      `${P}: invalid resources.limits.nvidia.com/gpu = "2"; allowed: nothing: set gpuSlices`,
    ],
    [
      'memory request above the limit',
      { resources: { requests: { cpu: '1', memory: '8Gi' }, limits: { memory: '2Gi' } } },
      `${P}: invalid resources.memory = {"request":"8Gi","limit":"2Gi"}; allowed: a request no larger than the limit (8Gi > 2Gi)`,
    ],
    [
      'queue url',
      { gate: { queueUrl: 'tripit:8080' } },
      `${P}: invalid gate.queueUrl = "tripit:8080"; allowed: an http:// or https:// URL`,
    ],
    [
      'name prefix too long for CronJob names',
      { namePrefix: 'a'.repeat(41) },
      `${P}: invalid namePrefix = "${'a'.repeat(41)}"; allowed: a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 40 characters`,
    ],
    [
      'kill switch not a boolean',
      { gate: { enabled: 'yes' as never } },
      `${P}: invalid gate.enabled = "yes"; allowed: true or false`,
    ],
  ];

  it.each(cases)('%s', (_name, overrides, message) => {
    const err = expectConfigError(() => build(overrides));
    expect(err.message).toBe(message);
    expect(err.constructPath).toBe(P);
  });
});
