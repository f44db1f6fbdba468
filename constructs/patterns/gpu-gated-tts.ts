import { Construct } from 'constructs';
import { TerraformIterator } from 'cdktf';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { CronJobV1 } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { Deployment } from '@cdktf/provider-kubernetes/lib/deployment';
import { Role } from '@cdktf/provider-kubernetes/lib/role';
import { RoleBinding } from '@cdktf/provider-kubernetes/lib/role-binding';
import { Service } from '@cdktf/provider-kubernetes/lib/service';
import { ServiceAccount } from '@cdktf/provider-kubernetes/lib/service-account';
import { addressName, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { sha256 } from '../../lib/core/hash';
import { Ignore, ignoreChanges, keelEnrolledWorkload } from '../../lib/conventions/lifecycle';
import { scriptForTerraform } from '../../lib/core/paths';
import { terraformLiteral } from '../../lib/terraform/tf-literal';
import { priorityClassFor, Tier } from '../../lib/conventions/tiers';
import {
  cron,
  dnsLabel,
  httpUrl,
  integerInRange,
  isToken,
  matches,
  nonEmptyString,
  port,
  quantity,
  requestWithinLimit,
  timeZone,
  pinnedImage,
} from '../../lib/validation/validate';
import type { YamlValue } from '../../lib/terraform/yaml';
import { yamlencode } from '../../lib/terraform/yaml';
import type { TieredNamespace } from '../blocks/tiered-namespace';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import { GPU_GATED_TTS_KEYS, GPU_GATE_KEYS, TCP_PROBE_KEYS, TTS_INIT_CONTAINER_KEYS } from './prop-keys';
import { noCredentialLiterals } from '../../lib/validation/conventions';
import { suppressRule } from '../../lib/synth/rules';

/** How clients reach an OpenAI-compatible TTS server inside the cluster. */
export interface TtsEndpoint {
  /** Namespace of the Service. */
  readonly namespace: string;
  /** Service name. */
  readonly serviceName: string;
  /** Service port. */
  readonly port: number;
  /** Model name clients send (`model` of `/v1/audio/speech`). */
  readonly model: string;
}

/**
 * The Chatterbox instance of stack `tts` as its neighbours see it: tripit's TTS env
 * (`ttsClientEnv(CHATTERBOX_TTS)`) and the Kyverno `inject-gpu-workload-priority` exclusion
 * (`CHATTERBOX_TTS.namespace`). stacks/tts.ts builds its GpuGatedTts from these values, and its test
 * checks that the synthesized Service answers at this address.
 */
export const CHATTERBOX_TTS: TtsEndpoint = Object.freeze({
  namespace: 'tts',
  serviceName: 'chatterbox-tts',
  port: 8000,
  model: 'chatterbox',
});

/** The env of an OpenAI-compatible TTS client (tripit's `TTS_*`), in the order the tree declares it. */
export interface TtsClientEnv {
  readonly TTS_MODE: 'openai_compatible';
  readonly TTS_BASE_URL: string;
  readonly TTS_MODEL: string;
}

/** `TTS_MODE=openai_compatible`, `TTS_BASE_URL=http://<service>.<namespace>.svc.cluster.local:<port>`, `TTS_MODEL`. */
export function ttsClientEnv(endpoint: TtsEndpoint): TtsClientEnv {
  return Object.freeze({
    TTS_MODE: 'openai_compatible',
    TTS_BASE_URL: `http://${endpoint.serviceName}.${endpoint.namespace}.svc.cluster.local:${endpoint.port}`,
    TTS_MODEL: endpoint.model,
  });
}

/** The gate actions of payloads/vram-gate.sh, one CronJob each. */
export type GateAction = 'up' | 'down' | 'guard' | 'demand';

/** CronJob name suffix (after `<namePrefix>-`) for each gate action. */
export const GATE_JOB_SUFFIX: Readonly<Record<GateAction, string>> = Object.freeze({
  up: 'window-up',
  down: 'window-down',
  guard: 'vram-guard',
  demand: 'demand-gate',
});

/** Tesla T4: 16 GiB. */
export const T4_VRAM_BYTES = 17179869184;

export interface GpuGateProps {
  /**
   * Kill switch for all gate CronJobs: false suspends every one of them (all-or-nothing, so the guard
   * is never off while something can scale the workload up). @default false (suspended, as the tree)
   */
  readonly enabled?: boolean;
  /** Free VRAM (bytes) needed before scaling up; the guard yields below it. Must be > 0 and < totalBytes. */
  readonly floorBytes: number;
  /** VRAM of the shared card in bytes; free = total - sum(gpu_pod_memory_used_bytes). @default T4_VRAM_BYTES */
  readonly totalBytes?: number;
  /** Window start: preflight + scale to 1. @default "0 2 * * *" */
  readonly windowUpSchedule?: string;
  /** Window end: scale to 0. @default "0 6 * * *" */
  readonly windowDownSchedule?: string;
  /** Guard: scale to 0 when free < floor. @default "*\/5 * * * *" (all day: demand can hold the card at any hour) */
  readonly vramGuardSchedule?: string;
  /** Demand gate (only with `queueUrl`). @default "*\/3 * * * *" */
  readonly demandGateSchedule?: string;
  /** Time zone of every schedule (CronJob `spec.timeZone`). @default "Europe/London" */
  readonly timezone?: string;
  /**
   * JSON endpoint answering `{"queued": N}`: adds the demand-gate CronJob (scale up while work is queued
   * and the card has room, idle down when the queue is empty). @default no demand gate
   */
  readonly queueUrl?: string;
  /** Prometheus endpoint with `gpu_pod_memory_used_bytes`. @default the script's (gpu-pod-exporter in `nvidia`) */
  readonly metricsUrl?: string;
  /** Image of the gate container (needs bash, curl, awk, kubectl). @default "bitnami/kubectl:latest" */
  readonly image?: string;
}

export interface TcpProbe {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

export interface TtsInitContainer {
  readonly name: string;
  readonly command: readonly string[];
  /** @default the workload's image (no extra pull) */
  readonly image?: string;
  /** Mount the model volume at the same path as the main container. @default true */
  readonly mountModels?: boolean;
}

export interface GpuGatedTtsProps {
  /** A `Tier.GPU` namespace (priority class, LimitRange and quota follow the tier). */
  readonly namespace: TieredNamespace;
  /** Name of the Deployment, Service and container; pods are labelled `app=<name>`. */
  readonly name: string;
  /**
   * Prefix of the companion objects: ConfigMap `<prefix>-config`, ServiceAccount/Role/RoleBinding
   * `<prefix>-offpeak`, CronJobs `<prefix>-window-up|window-down|vram-guard|demand-gate`. @default name
   */
  readonly namePrefix?: string;
  /** Image repository without tag, e.g. "ghcr.io/viktorbarzin/chatterbox-tts". */
  readonly image: string;
  /** Image tag (pinned; the Deployment ignores later image changes made by Keel). */
  readonly imageTag: string;
  /** Server config, rendered with Terraform's yamlencode into the ConfigMap; its sha256 rolls the pods. */
  readonly config: YamlValue;
  /** Key of the config file in the ConfigMap. @default "config.yaml" */
  readonly configFileName?: string;
  /** Where the config file is mounted (sub_path mount). */
  readonly configMountPath: string;
  /** Port the server listens on (container port `http`, probes). */
  readonly containerPort: number;
  /** Service port (remapped to containerPort). */
  readonly servicePort: number;
  /** Service annotations. @default none */
  readonly serviceAnnotations?: Record<string, string>;
  /** Model name clients send. */
  readonly clientModel: string;
  /** Container env, in order. @default none */
  readonly env?: Record<string, string>;
  /** Model/cache volume (an NFS PVC), mounted as volume `models`. */
  readonly modelVolume: { readonly claimName: string; readonly mountPath: string };
  /** Init containers, in order. @default none */
  readonly initContainers?: readonly TtsInitContainer[];
  /** Image pull secret names, in order. @default none */
  readonly imagePullSecrets?: readonly string[];
  /** CPU/memory requests and memory limit; the GPU limit comes from `gpuSlices`. */
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
  };
  /** GPU time-slices (`nvidia.com/gpu` limit): a slice buys a scheduling turn, not VRAM. @default 1 (the only value allowed) */
  readonly gpuSlices?: number;
  /** TCP readiness probe on containerPort. @default 20 s delay, every 15 s, 12 failures */
  readonly readinessProbe?: TcpProbe;
  /** TCP liveness probe on containerPort. @default 120 s delay, every 30 s, 5 failures */
  readonly livenessProbe?: TcpProbe;
  /** The free-VRAM gate. */
  readonly gate: GpuGateProps;
  /**
   * Terraform name of the gate's ServiceAccount, Role, RoleBinding and CronJob (for_each) resources.
   * @default "<address name>_gate"
   */
  readonly gateAddressName?: string;
}

const GPU_RESOURCE = 'nvidia.com/gpu';
const GATE_SCRIPT = 'vram-gate.sh';
const DEFAULT_READINESS: TcpProbe = { initialDelaySeconds: 20, periodSeconds: 15, failureThreshold: 12 };
const DEFAULT_LIVENESS: TcpProbe = { initialDelaySeconds: 120, periodSeconds: 30, failureThreshold: 5 };
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One gate CronJob: its action and schedule (the for_each value). */
interface GateJob {
  readonly action: GateAction;
  readonly schedule: string;
}

/**
 * A best-effort workload on a shared, time-sliced GPU with no VRAM isolation (Chatterbox TTS on the T4).
 * It never holds VRAM unless the card has room: the Deployment is declared at 0 replicas (replicas are
 * ignored: the gate owns them) and CronJobs running payloads/vram-gate.sh scale it to 1 in an off-peak
 * window or on demand only when free VRAM >= floor, and back to 0 at window end or when a resident wakes.
 * It keeps the regular `tier-2-gpu` priority so it is always the pod evicted under pressure.
 *
 * Addresses (construct id `x`, `gateAddressName` `g`): `kubernetes_config_map.x_config`,
 * `kubernetes_deployment.x`, `kubernetes_service.x`, `kubernetes_service_account.g`, `kubernetes_role.g`,
 * `kubernetes_role_binding.g`, `kubernetes_cron_job_v1.g["<prefix>-window-up"]` (and `-window-down`,
 * `-vram-guard`, `-demand-gate`).
 */
/** The tree's gate image: unpinned, kept for parity (suppressed with this reason when used). */
export const GATE_TREE_IMAGE = 'bitnami/kubectl:latest';

export class GpuGatedTts extends Construct {
  readonly configMap: ConfigMap;
  readonly deployment: Deployment;
  readonly service: Service;
  readonly serviceAccount: ServiceAccount;
  readonly role: Role;
  readonly roleBinding: RoleBinding;
  /** The gate CronJobs: one resource with for_each over `gateJobs`. */
  readonly cronJobs: CronJobV1;
  /** Gate CronJob name -> action and schedule (the for_each map). */
  readonly gateJobs: Readonly<Record<string, GateJob>>;
  /** Where clients reach the server. */
  readonly endpoint: TtsEndpoint;
  /** sha256 of the rendered config (the pod template's `checksum/config`). */
  readonly configChecksum: string;

  constructor(scope: Construct, id: string, props: GpuGatedTtsProps) {
    super(scope, id);
    checkProps(this, 'props', props, GPU_GATED_TTS_KEYS);
    checkNestedProps(this, '', props, {
      gate: GPU_GATE_KEYS,
      readinessProbe: TCP_PROBE_KEYS,
      livenessProbe: TCP_PROBE_KEYS,
      initContainers: TTS_INIT_CONTAINER_KEYS,
    });
    const ns = props.namespace;
    if (ns?.tier !== Tier.GPU) {
      invalid(this, 'namespace', ns?.literalName ?? ns, `a TieredNamespace with tier ${Tier.GPU}`);
    }
    const name = dnsLabel(this, 'name', props.name);
    const prefix = dnsLabel(this, 'namePrefix', props.namePrefix ?? name, 40);
    const image = `${matches(this, 'image', props.image, REPOSITORY, 'an image repository without tag, e.g. "ghcr.io/owner/name"')}:${matches(
      this,
      'imageTag',
      props.imageTag,
      IMAGE_TAG,
      'a non-empty image tag (letters, digits, "_", "." and "-", at most 128 characters)',
    )}`;
    if (props.imageTag === 'latest') {
      invalid(
        this,
        'imageTag',
        props.imageTag,
        'a fixed tag or commit (e.g. "915ae289"), not "latest": Terraform owns this image',
      );
    }
    const containerPort = port(this, 'containerPort', props.containerPort);
    const servicePort = port(this, 'servicePort', props.servicePort);
    const configFileName = matches(
      this,
      'configFileName',
      props.configFileName ?? 'config.yaml',
      /^[-._A-Za-z0-9]+$/,
      'a ConfigMap key (letters, digits, "-", "_" and ".")',
    );
    const absolutePath = (prop: string, value: unknown) =>
      matches(this, prop, value, /^\/\S*$/, 'an absolute path such as "/data"');
    const configMountPath = absolutePath('configMountPath', props.configMountPath);
    const modelsPath = absolutePath('modelVolume.mountPath', props.modelVolume?.mountPath);
    const claimName = nonEmptyString(this, 'modelVolume.claimName', props.modelVolume?.claimName);
    const clientModel = nonEmptyString(this, 'clientModel', props.clientModel);
    const gpuSlices = props.gpuSlices ?? 1;
    if (gpuSlices !== 1) {
      invalid(
        this,
        'gpuSlices',
        gpuSlices,
        '1 (at most one time-slice of the shared card; a GPU-gated workload needs exactly one)',
      );
    }
    const resources = this.checkResources(props.resources);
    noCredentialLiterals(this, 'env', props.env);
    const env = Object.entries(props.env ?? {}).map(([k, v]) => {
      matches(this, `env ${k}`, k, ENV_NAME, 'an environment variable name (letters, digits and "_")');
      return { name: k, value: v };
    });
    const readiness = this.checkProbe('readinessProbe', props.readinessProbe ?? DEFAULT_READINESS);
    const liveness = this.checkProbe('livenessProbe', props.livenessProbe ?? DEFAULT_LIVENESS);
    const gate = this.checkGate(props.gate);
    const gateName = props.gateAddressName ?? addressName(this, 'gate');

    const labels = { app: name };
    const namespace = ns.name;
    this.endpoint = Object.freeze({
      namespace: ns.literalName,
      serviceName: name,
      port: servicePort,
      model: clientModel,
    });

    const configText = yamlencode(props.config);
    this.configChecksum = sha256(configText);
    this.configMap = named(
      this,
      ConfigMap,
      addressName(this, 'config'),
      {
        metadata: { name: `${prefix}-config`, namespace, labels },
        data: { [configFileName]: terraformLiteral(configText) },
      },
      'config',
    );

    const models = { name: 'models', mountPath: modelsPath };
    const initContainers = (props.initContainers ?? []).map((c, i) => {
      const where = `initContainers[${i}]`;
      if (!c || !Array.isArray(c.command) || c.command.length === 0) {
        invalid(this, `${where}.command`, c?.command, 'a non-empty argv list');
      }
      return {
        name: dnsLabel(this, `${where}.name`, c.name),
        image: c.image === undefined ? image : nonEmptyString(this, `${where}.image`, c.image),
        command: c.command.map((arg) => (isToken(arg) ? arg : terraformLiteral(arg))),
        volumeMount: c.mountModels === false ? [] : [models],
      };
    });

    const tcpProbe = (p: TcpProbe) => ({ tcpSocket: [{ port: String(containerPort) }], ...p });
    this.deployment = named(
      this,
      Deployment,
      addressName(this),
      {
        metadata: { name, namespace, labels: { ...labels, tier: ns.tier } },
        waitForRollout: false,
        spec: {
          // Declared at 0 so an apply never wakes the card; the gate owns the count (replicas ignored).
          replicas: '0',
          strategy: { type: 'Recreate' },
          selector: { matchLabels: labels },
          template: {
            metadata: { labels, annotations: { 'checksum/config': this.configChecksum } },
            spec: {
              nodeSelector: { 'nvidia.com/gpu.present': 'true' },
              toleration: [{ key: GPU_RESOURCE, operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
              // Regular tier priority, so this pod is the one evicted under pressure. Only holds when the
              // namespace is excluded from Kyverno inject-gpu-workload-priority (see gpuPriorityExcludedNamespace).
              priorityClassName: priorityClassFor(Tier.GPU),
              imagePullSecrets: (props.imagePullSecrets ?? []).map((s, i) => ({
                name: nonEmptyString(this, `imagePullSecrets[${i}]`, s),
              })),
              initContainer: initContainers.length ? initContainers : undefined,
              container: [
                {
                  name,
                  image,
                  port: [{ containerPort, name: 'http' }],
                  env: env.length ? env : undefined,
                  volumeMount: [
                    { name: 'config', mountPath: configMountPath, subPath: configFileName },
                    models,
                  ],
                  readinessProbe: tcpProbe(readiness),
                  livenessProbe: tcpProbe(liveness),
                  resources: {
                    requests: { ...resources.requests },
                    limits: { ...resources.limits, [GPU_RESOURCE]: String(gpuSlices) },
                  },
                },
              ],
              volume: [
                { name: 'config', configMap: { name: this.configMap.metadata.name } },
                { name: 'models', persistentVolumeClaim: { claimName } },
              ],
            },
          },
        },
        lifecycle: ignoreChanges(Ignore.replicas, keelEnrolledWorkload([0])),
      },
      'deployment',
    );

    this.service = named(
      this,
      Service,
      addressName(this),
      {
        metadata: { name, namespace, labels, annotations: props.serviceAnnotations },
        spec: {
          type: 'ClusterIP',
          selector: labels,
          port: [{ name: 'http', port: servicePort, targetPort: String(containerPort) }],
        },
      },
      'service',
    );

    // The gate: a ServiceAccount allowed to read and scale this Deployment, and one CronJob per action.
    const gateObject = `${prefix}-offpeak`;
    this.serviceAccount = named(
      this,
      ServiceAccount,
      gateName,
      { metadata: { name: gateObject, namespace } },
      'gate-sa',
    );
    this.role = named(
      this,
      Role,
      gateName,
      {
        metadata: { name: gateObject, namespace },
        rule: [
          { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['get', 'patch'] },
        ],
      },
      'gate-role',
    );
    this.roleBinding = named(
      this,
      RoleBinding,
      gateName,
      {
        metadata: { name: gateObject, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.role.metadata.name },
        subject: [{ kind: 'ServiceAccount', name: this.serviceAccount.metadata.name, namespace }],
      },
      'gate-binding',
    );

    const jobs: Record<string, GateJob> = {
      [`${prefix}-${GATE_JOB_SUFFIX.up}`]: { action: 'up', schedule: gate.windowUpSchedule },
      [`${prefix}-${GATE_JOB_SUFFIX.down}`]: { action: 'down', schedule: gate.windowDownSchedule },
      [`${prefix}-${GATE_JOB_SUFFIX.guard}`]: { action: 'guard', schedule: gate.vramGuardSchedule },
    };
    if (gate.queueUrl !== undefined) {
      jobs[`${prefix}-${GATE_JOB_SUFFIX.demand}`] = { action: 'demand', schedule: gate.demandGateSchedule };
    }
    this.gateJobs = Object.freeze(jobs);
    const each = TerraformIterator.fromMap(jobs);

    const gateEnv = [
      { name: 'ACTION', value: each.getString('action') },
      { name: 'FLOOR', value: String(gate.floorBytes) },
      { name: 'GPU_TOTAL', value: String(gate.totalBytes) },
      ...(gate.queueUrl !== undefined ? [{ name: 'QUEUE_URL', value: gate.queueUrl }] : []),
      // Explicit target: the script's defaults are the tts instance, any other instance must not scale it.
      { name: 'NAMESPACE', value: ns.literalName },
      { name: 'DEPLOYMENT', value: name },
      ...(gate.metricsUrl !== undefined ? [{ name: 'METRICS_URL', value: gate.metricsUrl }] : []),
    ];
    this.cronJobs = named(
      this,
      CronJobV1,
      gateName,
      {
        forEach: each,
        metadata: { name: each.key, namespace, labels },
        spec: {
          schedule: each.getString('schedule'),
          suspend: !gate.enabled,
          timezone: gate.timezone,
          concurrencyPolicy: 'Forbid',
          startingDeadlineSeconds: 120,
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            metadata: { labels },
            spec: {
              backoffLimit: 1,
              activeDeadlineSeconds: 120,
              ttlSecondsAfterFinished: '300',
              template: {
                metadata: { labels },
                spec: {
                  serviceAccountName: this.serviceAccount.metadata.name,
                  restartPolicy: 'Never',
                  container: [
                    {
                      name: 'vram-gate',
                      image: gate.image,
                      command: ['/bin/bash', '-c', scriptForTerraform(GATE_SCRIPT)],
                      env: gateEnv,
                      resources: {
                        requests: { cpu: '20m', memory: '64Mi' },
                        limits: { memory: '128Mi' },
                      },
                    },
                  ],
                },
              },
            },
          },
        },
        lifecycle: ignoreChanges(Ignore.kyvernoCronJobDnsConfig),
      },
      'gate-cronjobs',
    );
    if (gate.image === GATE_TREE_IMAGE) {
      suppressRule(
        this.cronJobs,
        'images-pinned',
        'tree parity: the tree runs the gate on bitnami/kubectl:latest (pass gate.image to pin it)',
      );
    }
  }

  /** `TTS_MODE`, `TTS_BASE_URL`, `TTS_MODEL` for an OpenAI-compatible client of this server. */
  clientEnv(): TtsClientEnv {
    return ttsClientEnv(this.endpoint);
  }

  /**
   * The namespace the Kyverno `inject-gpu-workload-priority` policy must exclude. Without the exclusion
   * Kyverno stamps `gpu-workload` (1200000, equal to the residents) on any pod asking for a GPU, and
   * this best-effort tenant would compete with immich/frigate instead of being evicted first.
   */
  get gpuPriorityExcludedNamespace(): string {
    return this.endpoint.namespace;
  }

  private checkResources(r: GpuGatedTtsProps['resources']) {
    const requests = { ...(r?.requests ?? {}) } as Record<string, string>;
    const limits = { ...(r?.limits ?? {}) } as Record<string, string>;
    for (const [section, values] of [
      ['requests', requests],
      ['limits', limits],
    ] as const) {
      if (GPU_RESOURCE in values) {
        invalid(this, `resources.${section}.${GPU_RESOURCE}`, values[GPU_RESOURCE], 'nothing: set gpuSlices');
      }
    }
    quantity(this, 'resources.requests.cpu', requests.cpu);
    quantity(this, 'resources.requests.memory', requests.memory);
    quantity(this, 'resources.limits.memory', limits.memory);
    requestWithinLimit(this, 'resources.memory', requests.memory, limits.memory);
    return { requests, limits };
  }

  private checkProbe(prop: string, p: TcpProbe): TcpProbe {
    return {
      initialDelaySeconds: integerInRange(
        this,
        `${prop}.initialDelaySeconds`,
        p?.initialDelaySeconds,
        0,
        3600,
      ),
      periodSeconds: integerInRange(this, `${prop}.periodSeconds`, p?.periodSeconds, 1, 3600),
      failureThreshold: integerInRange(this, `${prop}.failureThreshold`, p?.failureThreshold, 1, 1000),
    };
  }

  private checkGate(g: GpuGateProps) {
    if (!g || typeof g !== 'object') invalid(this, 'gate', g, 'the gate settings (at least floorBytes)');
    const totalBytes = integerInRange(this, 'gate.totalBytes', g.totalBytes ?? T4_VRAM_BYTES, 1, 2 ** 53);
    const floorBytes = g.floorBytes;
    if (
      typeof floorBytes !== 'number' ||
      !Number.isInteger(floorBytes) ||
      floorBytes <= 0 ||
      floorBytes >= totalBytes
    ) {
      invalid(
        this,
        'gate.floorBytes',
        floorBytes,
        `an integer number of bytes > 0 and < gate.totalBytes (${totalBytes})`,
      );
    }
    if (g.enabled !== undefined && typeof g.enabled !== 'boolean') {
      invalid(this, 'gate.enabled', g.enabled, 'true or false');
    }
    return {
      enabled: g.enabled ?? false,
      floorBytes,
      totalBytes,
      windowUpSchedule: cron(this, 'gate.windowUpSchedule', g.windowUpSchedule ?? '0 2 * * *'),
      windowDownSchedule: cron(this, 'gate.windowDownSchedule', g.windowDownSchedule ?? '0 6 * * *'),
      vramGuardSchedule: cron(this, 'gate.vramGuardSchedule', g.vramGuardSchedule ?? '*/5 * * * *'),
      demandGateSchedule: cron(this, 'gate.demandGateSchedule', g.demandGateSchedule ?? '*/3 * * * *'),
      timezone: timeZone(this, 'gate.timezone', g.timezone ?? 'Europe/London'),
      queueUrl: g.queueUrl === undefined ? undefined : httpUrl(this, 'gate.queueUrl', g.queueUrl),
      metricsUrl: g.metricsUrl === undefined ? undefined : httpUrl(this, 'gate.metricsUrl', g.metricsUrl),
      // The default is the tree's unpinned kubectl (tree parity, suppressed with its reason below); an
      // image the caller picks must be pinned.
      image:
        g.image === undefined || g.image === GATE_TREE_IMAGE
          ? GATE_TREE_IMAGE
          : pinnedImage(this, 'gate.image', g.image),
    };
  }
}
