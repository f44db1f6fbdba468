// The pod template and everything the workload classes share: container, volume, probe and affinity
// rendering, Keel and Sablier intent, address naming and exposeViaService. Stacks import the public part
// through ./workload; the classes live one per provider resource (./workload-deployment, ...), so a stack
// that declares a Deployment never loads the Job bindings (see tools/lazy-imports.mjs).
import type { Construct } from 'constructs';
import { type ITerraformDependable, TerraformStack } from 'cdktf';
import { Service as ServiceResource } from '@cdktf/provider-kubernetes/lib/service';
import { addressName, named } from '../../lib/terraform/addresses';
import { invalid, pathOf } from '../../lib/validation/errors';
import { Ignore, ignoreChanges, keelEnrolledWorkload } from '../../lib/conventions/lifecycle';
import { sablierLabels } from '../../lib/conventions/metadata';
import { type ContainerResources, containerResources } from '../../lib/conventions/resources';
import { siteOf } from '../../lib/conventions/site';
import { TIER_LABEL } from '../../lib/conventions/tiers';
import { Duration } from '../../lib/core/units';
import {
  dnsLabel,
  integerInRange,
  k8sName,
  matches,
  nonEmptyString,
  oneOf,
  port as portNumber,
} from '../../lib/validation/validate';
import type { SablierProps } from './ingress-factory';
import type { INamespace } from './tiered-namespace';
import type { IService } from './service';

// ---------------------------------------------------------------------------------------------------
// Containers and volumes

/** An environment variable read from a key of a Kubernetes Secret. */
export interface SecretKeyRef {
  readonly secretName: string;
  readonly key: string;
  /** Rendered only when set (the tree mostly omits it). @default not set */
  readonly optional?: boolean;
}

/** A pod toleration of a node taint. */
export interface Toleration {
  readonly key: string;
  /** @default not set (Kubernetes: Equal), as a tree toleration that omits it */
  readonly operator?: 'Equal' | 'Exists';
  /** With `Equal`. @default not set */
  readonly value?: string;
  /** @default not set (every effect) */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** With `NoExecute`: how long the pod stays bound after the taint appears. @default not set (forever) */
  readonly tolerationSeconds?: number;
}

/** A pod (anti-)affinity term: pods with these labels, in the same `topologyKey` domain. */
export interface PodAffinityTerm {
  readonly matchLabels: Readonly<Record<string, string>>;
  /** e.g. `kubernetes.io/hostname` (same node). */
  readonly topologyKey: string;
}

/** A node selector expression (`key operator values`). */
export interface NodeSelectorExpression {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  /** @default none (Exists / DoesNotExist) */
  readonly values?: readonly string[];
}

/**
 * Pod scheduling affinity, in the tree's shapes: co-locate with other pods (e.g. a backup Job next to the
 * pod holding an RWO volume), or prefer/avoid nodes. Unset parts are not rendered.
 */
export interface Affinity {
  /** Must run in the same topology domain as these pods. @default none */
  readonly podAffinityRequired?: readonly PodAffinityTerm[];
  /** Prefer the same topology domain as these pods (weight 1-100). @default none */
  readonly podAffinityPreferred?: ReadonlyArray<PodAffinityTerm & { readonly weight: number }>;
  /** Prefer nodes matching all the expressions of a term (weight 1-100). @default none */
  readonly nodeAffinityPreferred?: ReadonlyArray<{
    readonly weight: number;
    readonly matchExpressions: readonly NodeSelectorExpression[];
  }>;
}

/** An environment variable from a field of the pod (downward API), e.g. `metadata.namespace`. */
export interface FieldRef {
  readonly fieldPath: string;
}

/** All keys of a Secret as environment variables (`env_from.secret_ref`). */
export interface EnvFromSecret {
  readonly secretName: string;
  /** The pod starts without the Secret (e.g. before its ExternalSecret syncs). @default not set */
  readonly optional?: boolean;
}

/** A container port the tree declares with more than `container_port`. */
export interface ContainerPort {
  readonly containerPort: number;
  /** @default not set */
  readonly name?: string;
  /** @default not set (Kubernetes: TCP) */
  readonly protocol?: 'TCP' | 'UDP';
}

/** A volume of the pod. Build one with `Volume.fromPvc()`, `fromNfs()`, `fromConfigMap()`, `emptyDir()`. */
export interface Volume {
  readonly name: string;
  readonly source:
    | { readonly kind: 'pvc'; readonly claimName: string; readonly readOnly?: boolean }
    | { readonly kind: 'nfs'; readonly path: string; readonly server?: string }
    | {
        readonly kind: 'configMap';
        readonly configMapName: string;
        readonly defaultMode?: string;
        readonly optional?: boolean;
      }
    | {
        readonly kind: 'secret';
        readonly secretName: string;
        readonly defaultMode?: string;
        readonly items?: ReadonlyArray<{ readonly key: string; readonly path: string }>;
      }
    | { readonly kind: 'emptyDir'; readonly medium?: string; readonly sizeLimit?: string }
    | { readonly kind: 'hostPath'; readonly path: string; readonly type?: string };
}

export const Volume = {
  /** A PersistentVolumeClaim (pass the claim's reference, e.g. `NfsVolume.claimName`, for creation order). */
  fromPvc(name: string, claimName: string, opts: { readOnly?: boolean } = {}): Volume {
    return { name, source: { kind: 'pvc', claimName, ...opts } };
  },
  /** An NFS export mounted directly. @param server @default the site's NFS server */
  fromNfs(name: string, path: string, server?: string): Volume {
    return { name, source: { kind: 'nfs', path, server } };
  },
  /**
   * A ConfigMap; `defaultMode` is the octal string the tree writes (e.g. "0755"); `optional` lets the pod
   * start before another controller has written the map. @default mode not set, optional not set
   */
  fromConfigMap(
    name: string,
    configMapName: string,
    opts: { defaultMode?: string; optional?: boolean } = {},
  ): Volume {
    return { name, source: { kind: 'configMap', configMapName, ...opts } };
  },
  /** A Secret, all keys or the listed `items`. @default mode not set, every key */
  fromSecret(
    name: string,
    secretName: string,
    opts: { defaultMode?: string; items?: ReadonlyArray<{ key: string; path: string }> } = {},
  ): Volume {
    return { name, source: { kind: 'secret', secretName, ...opts } };
  },
  /** Scratch space. @default node disk, no size limit */
  emptyDir(name: string, opts: { medium?: string; sizeLimit?: string } = {}): Volume {
    return { name, source: { kind: 'emptyDir', ...opts } };
  },
  /**
   * A path of the node (a device such as /dev/dri): only for node-bound pods that need the hardware.
   * `type` is the Kubernetes check ("Directory", "CharDevice", ...). @default no check
   */
  hostPath(name: string, path: string, opts: { type?: string } = {}): Volume {
    return { name, source: { kind: 'hostPath', path, ...opts } };
  },
};

/** Where a volume appears in a container. */
export interface VolumeMount {
  /** The pod volume (or its name). */
  readonly volume: Volume | string;
  readonly mountPath: string;
  /** @default not set */
  readonly readOnly?: boolean;
  /** @default not set */
  readonly subPath?: string;
}

/** Timing of a probe (whole seconds, as the tree writes them). Unset fields are not rendered. */
export interface ProbeTiming {
  readonly initialDelay?: Duration;
  readonly period?: Duration;
  readonly timeout?: Duration;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
}

/** A container probe. Build one with `Probe.httpGet()`, `Probe.tcpSocket()` or `Probe.exec()`. */
export interface Probe {
  readonly action:
    | { readonly kind: 'httpGet'; readonly path: string; readonly port: number | string }
    | { readonly kind: 'tcpSocket'; readonly port: number | string }
    | { readonly kind: 'exec'; readonly command: readonly string[] };
  readonly timing: ProbeTiming;
}

export const Probe = {
  /** HTTP GET on a port number or a named port (e.g. "metrics"). */
  httpGet(path: string, port: number | string, timing: ProbeTiming = {}): Probe {
    return { action: { kind: 'httpGet', path, port }, timing };
  },
  tcpSocket(port: number | string, timing: ProbeTiming = {}): Probe {
    return { action: { kind: 'tcpSocket', port }, timing };
  },
  exec(command: readonly string[], timing: ProbeTiming = {}): Probe {
    return { action: { kind: 'exec', command }, timing };
  },
};

/** Container `security_context`. Unset fields are not rendered. */
export interface ContainerSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  /** Capabilities dropped, e.g. ["ALL"]. @default none */
  readonly dropCapabilities?: readonly string[];
  /** Capabilities added, e.g. ["SYS_ADMIN"] for a sandboxed headless browser. @default none */
  readonly addCapabilities?: readonly string[];
  /** Full access to the node's devices (a hardware-bound container such as an NVR). @default not set */
  readonly privileged?: boolean;
}

/** One container. Everything unset is not rendered, as in the tree. */
export interface ContainerProps {
  readonly name: string;
  /** Image as the tree pins it (`latest` and untagged images allowed: Keel may own the tag). */
  readonly image: string;
  /** @default not set */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** @default the image's entrypoint */
  readonly command?: readonly string[];
  /** @default the image's arguments */
  readonly args?: readonly string[];
  /** @default not set */
  readonly workingDir?: string;
  /** Allocate a TTY (`tty`), for an image whose entrypoint expects an interactive terminal. @default not set */
  readonly tty?: boolean;
  /** Keep stdin open (`stdin`), with `tty` for an interactive entrypoint. @default not set */
  readonly stdin?: boolean;
  /** Container ports: a number renders `container_port` only (the tree's usual shape). @default none */
  readonly ports?: ReadonlyArray<number | ContainerPort>;
  /** Variables in order: a string value, a Secret key or a pod field. @default none */
  readonly env?: Readonly<Record<string, string | SecretKeyRef | FieldRef>>;
  /** Secrets whose every key becomes a variable. @default none */
  readonly envFrom?: readonly EnvFromSecret[];
  /** @default no resources block */
  readonly resources?: ContainerResources;
  /** @default none */
  readonly volumeMounts?: readonly VolumeMount[];
  /** @default no probe (the tree rarely has one) */
  readonly startupProbe?: Probe;
  /** @default no probe */
  readonly readinessProbe?: Probe;
  /** @default no probe */
  readonly livenessProbe?: Probe;
  /** @default not set */
  readonly securityContext?: ContainerSecurityContext;
  /**
   * `lifecycle.post_start.exec.command`: run right after the container starts (e.g. warm a database's
   * caches once it accepts connections). @default no hook
   */
  readonly postStart?: readonly string[];
}

// ---------------------------------------------------------------------------------------------------
// Keel

/** Keel update policies a workload can write to `keel.sh/policy`. */
export enum KeelPolicy {
  PATCH = 'patch',
  MINOR = 'minor',
  MAJOR = 'major',
  ALL = 'all',
  /** Any new digest of the tag, `latest` included. */
  FORCE = 'force',
}

/** How Keel treats a workload's images. */
export type KeelMode =
  | {
      readonly kind: 'enrolled';
      readonly containers?: readonly string[];
      readonly initContainers?: readonly string[];
    }
  | { readonly kind: 'never'; readonly initContainers?: readonly string[] }
  | { readonly kind: 'notEnrolled' }
  | {
      readonly kind: 'owned';
      readonly policy: KeelPolicy;
      readonly pollEvery: Duration;
      readonly containers?: readonly string[];
      readonly ignoreMatchTag?: boolean;
    }
  | {
      readonly kind: 'policy';
      readonly policy: KeelPolicy;
      readonly pollEvery: Duration;
      readonly containers?: readonly string[];
      readonly matchTag?: boolean;
      /** A cron macro instead of `@every <pollEvery>` (e.g. "@daily"). */
      readonly pollSchedule?: string;
      readonly ignoreMatchTag?: boolean;
    }
  | {
      readonly kind: 'ownedPolicy';
      readonly policy: KeelPolicy;
      readonly seedPoll?: Duration;
      readonly containers?: readonly string[];
    };

export const Keel = {
  /**
   * The namespace is Keel-enrolled and Kyverno injects the policy (KYVERNO_LIFECYCLE_V2): Terraform
   * ignores the Keel annotations, what Keel writes on a rollout and the images Keel tracks.
   * @param containers names of the containers Keel tracks @default all containers
   * @param initContainers names of tracked init containers @default none
   */
  enrolled(opts: { containers?: readonly string[]; initContainers?: readonly string[] } = {}): KeelMode {
    return { kind: 'enrolled', ...opts };
  },
  /**
   * The namespace is not Keel-enrolled (`keelEnrolled: false`): nothing Keel-related is written or
   * ignored, only the Kyverno dns_config.
   */
  notEnrolled(): KeelMode {
    return { kind: 'notEnrolled' };
  },
  /**
   * `keel.sh/policy=never`: Terraform owns the images.
   * @param initContainers names of init containers whose image another controller may restamp (Kyverno on
   * chrome-service's busybox fix-perms): their image is ignored all the same @default none
   */
  never(opts: { initContainers?: readonly string[] } = {}): KeelMode {
    return opts.initContainers ? { kind: 'never', initContainers: opts.initContainers } : { kind: 'never' };
  },
  /**
   * Terraform owns the Keel policy: policy, `trigger = poll` and `pollSchedule` are written and NOT ignored,
   * so an apply reconciles them over Kyverno's add-if-absent default (stirling-pdf's semver-monotonic
   * `major`). What Keel writes on a rollout and the tracked images stay ignored; no match-tag is written.
   * @param pollEvery @default Duration.minutes(5)
   * @param containers names of the containers Keel tracks @default all containers
   * @param ignoreMatchTag ignore `keel.sh/match-tag` with the rollout keys; `false` for a tree workload
   *   whose list leaves it out (novelapp) @default true
   */
  owned(
    policy: KeelPolicy,
    opts: { pollEvery?: Duration; containers?: readonly string[]; ignoreMatchTag?: boolean } = {},
  ): KeelMode {
    return {
      kind: 'owned',
      policy,
      pollEvery: opts.pollEvery ?? Duration.minutes(5),
      containers: opts.containers,
      ...(opts.ignoreMatchTag === false ? { ignoreMatchTag: false } : {}),
    };
  },
  /**
   * The workload writes its own policy, with poll trigger and match-tag (e.g. FORCE for `:latest`); the
   * values are recreate seeds only, the keys are ignored like an enrolled workload's.
   * @param pollEvery @default Duration.minutes(5)
   * @param matchTag write `keel.sh/match-tag=true` (only the tag's own digests) @default true
   * @param pollSchedule a schedule macro such as "@daily" in place of `@every <pollEvery>` @default not set
   * @param ignoreMatchTag ignore `keel.sh/match-tag`; `false` makes Terraform own it, so an apply puts it
   *   back if admission drops it (pages-publish) @default true
   */
  policy(
    policy: KeelPolicy,
    opts: {
      pollEvery?: Duration;
      containers?: readonly string[];
      matchTag?: boolean;
      pollSchedule?: '@hourly' | '@daily' | '@weekly';
      ignoreMatchTag?: boolean;
    } = {},
  ): KeelMode {
    return {
      kind: 'policy',
      policy,
      pollEvery: opts.pollEvery ?? Duration.minutes(5),
      containers: opts.containers,
      ...(opts.matchTag === false ? { matchTag: false } : {}),
      ...(opts.pollSchedule ? { pollSchedule: opts.pollSchedule } : {}),
      ...(opts.ignoreMatchTag === false ? { ignoreMatchTag: false } : {}),
    };
  },
  /**
   * Terraform owns only the policy: `keel.sh/policy` is written and NOT ignored (an explicit value wins
   * over Kyverno's add-if-absent default and survives recreates), while trigger and poll schedule stay
   * Kyverno's and are ignored, as are the rollout keys and the tracked images.
   * @param seedPoll also write `trigger = poll` and `pollSchedule = @every <seedPoll>` as recreate seeds
   *   (ignored afterwards) @default not written
   * @param containers names of the containers Keel tracks @default all containers
   */
  ownedPolicy(
    policy: KeelPolicy,
    opts: { seedPoll?: Duration; containers?: readonly string[] } = {},
  ): KeelMode {
    return { kind: 'ownedPolicy', policy, seedPoll: opts.seedPoll, containers: opts.containers };
  },
};

/** Sablier scale-to-zero of a Deployment or StatefulSet (ADR-0022): one declaration for labels, the
 * replicas ignore and (through `exposeViaService`) the ingress middleware. */
export interface SablierDeclaration extends SablierProps {
  /** Settling delay after readiness (Traefik endpoint propagation). @default Duration.seconds(5) */
  readonly readyAfter?: Duration;
}

// ---------------------------------------------------------------------------------------------------
// Common props

export interface WorkloadProps {
  /** Namespace (a `TieredNamespace` or `TieredNamespace.fromName()`): its name and tier label. */
  readonly namespace: INamespace;
  /** Kubernetes name. */
  readonly name: string;
  /** Containers, in order (their index is what lifecycle paths name). */
  readonly containers: readonly ContainerProps[];
  /** @default none */
  readonly initContainers?: readonly ContainerProps[];
  /** Pod volumes. @default none */
  readonly volumes?: readonly Volume[];
  /** Image pull secrets in the namespace. @default none */
  readonly imagePullSecrets?: readonly string[];
  /** Pod `service_account_name`. @default not set */
  readonly serviceAccountName?: string;
  /** Pod `automount_service_account_token`. @default not set (Kubernetes: true) */
  readonly automountServiceAccountToken?: boolean;
  /** Pod `enable_service_links`. @default not set (Kubernetes: true) */
  readonly enableServiceLinks?: boolean;
  /**
   * Pod `termination_grace_period_seconds`: how long a stopping pod may finish its work (whole seconds).
   * @default not set (Kubernetes: 30s)
   */
  readonly terminationGracePeriod?: Duration;
  /** Pod `node_selector`. @default not set */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Pod `priority_class_name` (e.g. the GPU tier's `gpu-workload`). @default not set (the tier's) */
  readonly priorityClassName?: string;
  /** Pod tolerations, in order (e.g. the GPU node taint). @default none */
  readonly tolerations?: readonly Toleration[];
  /** Labels after the selector and tier labels on the workload's metadata. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Workload metadata annotations, after any Keel annotations. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Pod template annotations. @default none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Further `ignore_changes` groups (from `Ignore`), after the derived ones. @default none */
  readonly ignoreChanges?: ReadonlyArray<readonly string[]>;
  /** Pod `security_context.fs_group`, so a non-root image can write its volumes. @default not set */
  readonly fsGroup?: number;
  /** Pod `security_context.fs_group_change_policy` (`OnRootMismatch`: chown a big volume only when needed). @default not set */
  readonly fsGroupChangePolicy?: 'Always' | 'OnRootMismatch';
  /** Pod `security_context.run_as_user` (e.g. 0 for an image without a USER that writes a root-owned volume). @default not set */
  readonly podRunAsUser?: number;
  /** Pod `affinity`. @default not set */
  readonly affinity?: Affinity;
  /**
   * Required pod affinity to other pods (`matchLabels`) within `topologyKey`, e.g. a backup Job that must
   * run on the node holding the app's ReadWriteOnce volume. @default none
   */
  readonly coLocateWith?: {
    readonly matchLabels: Readonly<Record<string, string>>;
    readonly topologyKey: string;
  };
  /**
   * Pod `dns_config` resolver options, e.g. `{ ndots: '2' }`, where the tree writes them itself (Kyverno
   * injects the same; the dns_config stays ignored). @default not set
   */
  readonly dnsOptions?: Readonly<Record<string, string>>;
  /** Pod `security_context.run_as_group` (with `podRunAsUser`, a fixed non-root identity). @default not set */
  readonly podRunAsGroup?: number;
  /**
   * Pod `security_context.seccomp_profile.type`: `RuntimeDefault` confines every container to the
   * runtime's syscall filter (chrome-service). @default not set
   */
  readonly podSeccompProfile?: 'RuntimeDefault' | 'Unconfined';
  /**
   * Pod `security_context.sysctl` entries, in order (e.g. `{ 'net.ipv4.ip_forward': '1' }` for a VPN
   * gateway; an unsafe sysctl needs a node that allows it). @default none
   */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** Pod `dns_policy` (`None` with `dnsNameservers`: resolve only through the listed servers). @default not set */
  readonly dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  /** Pod `dns_config.nameservers` (with `dnsOptions` in the same block). @default not set */
  readonly dnsNameservers?: readonly string[];
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Terraform name, for a workload inside a construct that must keep a tree address.
   * @default the id, prefixed by the ids of enclosing constructs
   */
  readonly addressName?: string;
}

/** Props of workloads whose pods a selector picks (Deployment, StatefulSet, DaemonSet). */
export interface SelectedWorkloadProps extends WorkloadProps {
  /** Selector label(s); also the pod template labels. @default `{ app: <name> }` */
  readonly selector?: Readonly<Record<string, string>>;
  /** Tier label (the namespace's tier) on the workload's metadata. @default true */
  readonly tierLabel?: boolean;
  /** Selector labels on the workload's own metadata too (not only on the pods). @default true */
  readonly selectorLabels?: boolean;
  /** @default Keel.enrolled() */
  readonly keel?: KeelMode;
  /**
   * Render the pod template's `annotations` even when empty (`{}`): the tree's state holds an empty map
   * where its HCL writes an empty block (dashy), and null would plan an update. @default false
   */
  readonly emptyPodAnnotations?: boolean;
  /** Labels on the pod template after the selector (e.g. app.kubernetes.io/*). @default none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Required pod anti-affinity against the workload's own pods (its selector): at most one per
   * `topologyKey` domain, e.g. `kubernetes.io/hostname` for one replica per node. @default none
   */
  readonly antiAffinity?: {
    readonly topologyKey: string;
    /** Make it a preference of this weight (1-100) instead of a requirement. @default required */
    readonly preferredWeight?: number;
  };
  /**
   * Spread the pods over `topologyKey` (label selector: the selector). @default no constraint
   */
  readonly topologySpread?: ReadonlyArray<{
    readonly topologyKey: string;
    /** @default 1 */
    readonly maxSkew?: number;
    readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  }>;
}

// ---------------------------------------------------------------------------------------------------
// Rendering. `at` is the workload's construct path, for error messages (the resource does not exist yet).

export type Json = Record<string, unknown>;

export function compact<T extends Json>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const nonEmpty = <T>(xs: readonly T[] | undefined): T[] | undefined => (xs?.length ? [...xs] : undefined);
export const nonEmptyMap = (m: Readonly<Record<string, string>> | undefined) =>
  m && Object.keys(m).length ? { ...m } : undefined;

function renderContainer(at: string, prop: string, c: ContainerProps, volumes: Set<string>): Json {
  nonEmptyString(at, `${prop}.name`, c.name);
  nonEmptyString(at, `${prop}.image`, c.image);
  const env = Object.entries(c.env ?? {}).map(([name, v]) => {
    matches(at, `${prop}.env`, name, /^[A-Za-z_][A-Za-z0-9_.-]*$/, 'environment variable names');
    if (typeof v === 'string') return { name, value: v };
    if ('fieldPath' in v) {
      nonEmptyString(at, `${prop}.env.${name}.fieldPath`, v.fieldPath);
      return { name, valueFrom: { fieldRef: { fieldPath: v.fieldPath } } };
    }
    const ref = compact({ name: v.secretName, key: v.key, optional: v.optional });
    return { name, valueFrom: { secretKeyRef: ref } };
  });
  const ports = (c.ports ?? []).map((p, i) => {
    const spec = typeof p === 'number' ? { containerPort: p } : p;
    portNumber(at, `${prop}.ports[${i}]`, spec.containerPort);
    return compact({ containerPort: spec.containerPort, name: spec.name, protocol: spec.protocol });
  });
  const mounts = (c.volumeMounts ?? []).map((m, i) => {
    const name = typeof m.volume === 'string' ? m.volume : m.volume.name;
    if (!volumes.has(name)) {
      invalid(
        at,
        `${prop}.volumeMounts[${i}].volume`,
        name,
        `a pod volume (${[...volumes].join(', ') || 'none declared'})`,
      );
    }
    matches(at, `${prop}.volumeMounts[${i}].mountPath`, m.mountPath, /^\/\S*$/, 'an absolute path');
    return compact({ name, mountPath: m.mountPath, readOnly: m.readOnly, subPath: m.subPath });
  });
  return compact({
    name: c.name,
    image: c.image,
    imagePullPolicy: c.imagePullPolicy,
    command: c.command ? [...c.command] : undefined,
    args: c.args ? [...c.args] : undefined,
    workingDir: c.workingDir,
    tty: c.tty,
    stdin: c.stdin,
    port: nonEmpty(ports),
    env: nonEmpty(env),
    envFrom: nonEmpty(
      (c.envFrom ?? []).map((e, i) => ({
        secretRef: compact({
          name: k8sName(at, `${prop}.envFrom[${i}].secretName`, e.secretName),
          optional: e.optional,
        }),
      })),
    ),
    resources: c.resources ? containerResources(at, `${prop}.resources`, c.resources) : undefined,
    volumeMount: nonEmpty(mounts),
    startupProbe: c.startupProbe && renderProbe(c.startupProbe),
    readinessProbe: c.readinessProbe && renderProbe(c.readinessProbe),
    livenessProbe: c.livenessProbe && renderProbe(c.livenessProbe),
    securityContext: c.securityContext && renderSecurityContext(c.securityContext),
    lifecycle: c.postStart && { postStart: [{ exec: { command: postStartCommand(at, prop, c.postStart) } }] },
  });
}

function postStartCommand(at: string, prop: string, command: readonly string[]): string[] {
  if (!command.length) invalid(at, `${prop}.postStart`, command, 'a non-empty command');
  return [...command];
}

function renderProbe(p: Probe): Json {
  const a = p.action;
  const action =
    a.kind === 'httpGet'
      ? { httpGet: { path: a.path, port: String(a.port) } }
      : a.kind === 'tcpSocket'
        ? { tcpSocket: [{ port: String(a.port) }] }
        : { exec: { command: [...a.command] } };
  const t = p.timing;
  return compact({
    ...action,
    initialDelaySeconds: t.initialDelay?.toSeconds(),
    periodSeconds: t.period?.toSeconds(),
    timeoutSeconds: t.timeout?.toSeconds(),
    failureThreshold: t.failureThreshold,
    successThreshold: t.successThreshold,
  });
}

function renderSecurityContext(c: ContainerSecurityContext): Json {
  return compact({
    runAsNonRoot: c.runAsNonRoot,
    runAsUser: c.runAsUser === undefined ? undefined : String(c.runAsUser),
    runAsGroup: c.runAsGroup === undefined ? undefined : String(c.runAsGroup),
    allowPrivilegeEscalation: c.allowPrivilegeEscalation,
    readOnlyRootFilesystem: c.readOnlyRootFilesystem,
    privileged: c.privileged,
    capabilities:
      c.dropCapabilities || c.addCapabilities
        ? compact({
            add: c.addCapabilities ? [...c.addCapabilities] : undefined,
            drop: c.dropCapabilities ? [...c.dropCapabilities] : undefined,
          })
        : undefined,
  });
}

function renderVolume(scope: Construct, v: Volume): Json {
  const s = v.source;
  switch (s.kind) {
    case 'pvc':
      return {
        name: v.name,
        persistentVolumeClaim: compact({ claimName: s.claimName, readOnly: s.readOnly }),
      };
    case 'nfs':
      return { name: v.name, nfs: { server: s.server ?? siteOf(scope).nfsServer, path: s.path } };
    case 'configMap':
      return {
        name: v.name,
        configMap: compact({ name: s.configMapName, defaultMode: s.defaultMode, optional: s.optional }),
      };
    case 'secret':
      return {
        name: v.name,
        secret: compact({
          secretName: s.secretName,
          defaultMode: s.defaultMode,
          items: s.items?.map((i) => ({ key: i.key, path: i.path })),
        }),
      };
    case 'emptyDir':
      return { name: v.name, emptyDir: compact({ medium: s.medium, sizeLimit: s.sizeLimit }) };
    case 'hostPath':
      return { name: v.name, hostPath: compact({ path: s.path, type: s.type }) };
  }
}

/** The pod spec shared by every kind; `extra` goes first (e.g. the restart policy). */
function renderPodSpec(scope: Construct, at: string, props: WorkloadProps, extra: Json = {}): Json {
  if (!props.containers?.length) invalid(at, 'containers', props.containers, 'at least one container');
  if (props.affinity && extra.affinity) {
    invalid(at, 'affinity', props.affinity, 'not set together with antiAffinity (one affinity block)');
  }
  const volumes = props.volumes ?? [];
  volumes.forEach((v, i) => dnsLabel(at, `volumes[${i}].name`, v.name));
  const names = new Set(volumes.map((v) => v.name));
  if (names.size !== volumes.length)
    invalid(
      at,
      'volumes',
      volumes.map((v) => v.name),
      'distinct volume names',
    );
  const containerNames = [...props.containers, ...(props.initContainers ?? [])].map((c) => c.name);
  if (new Set(containerNames).size !== containerNames.length) {
    invalid(at, 'containers', containerNames, 'distinct container names (init containers included)');
  }
  (props.imagePullSecrets ?? []).forEach((s, i) => k8sName(at, `imagePullSecrets[${i}]`, s));
  const fsGroup =
    props.fsGroup === undefined ? undefined : integerInRange(at, 'fsGroup', props.fsGroup, 0, 2147483647);
  const runAsUser =
    props.podRunAsUser === undefined
      ? undefined
      : integerInRange(at, 'podRunAsUser', props.podRunAsUser, 0, 2147483647);
  const runAsGroup =
    props.podRunAsGroup === undefined
      ? undefined
      : integerInRange(at, 'podRunAsGroup', props.podRunAsGroup, 0, 2147483647);
  const securityContext = compact({
    runAsUser: runAsUser === undefined ? undefined : String(runAsUser),
    runAsGroup: runAsGroup === undefined ? undefined : String(runAsGroup),
    fsGroup: fsGroup === undefined ? undefined : String(fsGroup),
    fsGroupChangePolicy:
      props.fsGroupChangePolicy === undefined
        ? undefined
        : oneOf(at, 'fsGroupChangePolicy', props.fsGroupChangePolicy, ['Always', 'OnRootMismatch']),
    seccompProfile:
      props.podSeccompProfile === undefined
        ? undefined
        : { type: oneOf(at, 'podSeccompProfile', props.podSeccompProfile, ['RuntimeDefault', 'Unconfined']) },
    sysctl: nonEmptyMap(props.sysctls)
      ? Object.entries(props.sysctls ?? {}).map(([name, value], i) => ({
          name: matches(
            at,
            `sysctls[${i}]`,
            name,
            /^[a-z0-9]([-_a-z0-9]*[a-z0-9])?([./][a-z0-9]([-_a-z0-9]*[a-z0-9])?)*$/,
            'a sysctl name such as "net.ipv4.ip_forward"',
          ),
          value,
        }))
      : undefined,
  });
  const dnsOptions = nonEmptyMap(props.dnsOptions);
  const nameservers = nonEmpty(props.dnsNameservers);
  if (props.dnsPolicy === 'None' && !nameservers)
    invalid(at, 'dnsPolicy', props.dnsPolicy, '"None" only with dnsNameservers (the pod needs a resolver)');
  nameservers?.forEach((n, i) =>
    matches(
      at,
      `dnsNameservers[${i}]`,
      n,
      /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:]*)$/,
      'an IP address',
    ),
  );
  const co = props.coLocateWith;
  if (co && !Object.keys(co.matchLabels ?? {}).length)
    invalid(at, 'coLocateWith.matchLabels', co.matchLabels, 'at least one label');
  const podAffinity = co && {
    requiredDuringSchedulingIgnoredDuringExecution: [
      {
        labelSelector: [{ matchLabels: { ...co.matchLabels } }],
        topologyKey: nonEmptyString(at, 'coLocateWith.topologyKey', co.topologyKey),
      },
    ],
  };
  const affinity =
    podAffinity || extra.affinity
      ? { ...(podAffinity ? { podAffinity } : {}), ...((extra.affinity as Json | undefined) ?? {}) }
      : undefined;
  if (props.affinity && co)
    invalid(at, 'coLocateWith', co, 'unset with affinity (say it as affinity.podAffinityRequired)');
  return compact({
    ...extra,
    // `extra` may carry the selector's anti-affinity (antiAffinity); `affinity` does not combine with it
    affinity: props.affinity ? renderAffinity(at, props.affinity) : affinity,
    securityContext: Object.keys(securityContext).length ? securityContext : undefined,
    serviceAccountName: props.serviceAccountName,
    automountServiceAccountToken: props.automountServiceAccountToken,
    enableServiceLinks: props.enableServiceLinks,
    terminationGracePeriodSeconds: props.terminationGracePeriod?.toSeconds(),
    nodeSelector: nonEmptyMap(props.nodeSelector),
    priorityClassName:
      props.priorityClassName === undefined
        ? undefined
        : k8sName(at, 'priorityClassName', props.priorityClassName),
    dnsPolicy:
      props.dnsPolicy === undefined
        ? undefined
        : oneOf(at, 'dnsPolicy', props.dnsPolicy, [
            'ClusterFirst',
            'ClusterFirstWithHostNet',
            'Default',
            'None',
          ]),
    dnsConfig:
      dnsOptions || nameservers
        ? compact({
            nameservers,
            option: dnsOptions && Object.entries(dnsOptions).map(([name, value]) => ({ name, value })),
          })
        : undefined,
    toleration: nonEmpty(
      props.tolerations?.map((t, i) =>
        compact({
          key: nonEmptyString(at, `tolerations[${i}].key`, t.key),
          operator:
            t.operator === undefined
              ? undefined
              : oneOf(at, `tolerations[${i}].operator`, t.operator, ['Equal', 'Exists']),
          value: t.value,
          effect: t.effect,
          tolerationSeconds:
            t.tolerationSeconds === undefined
              ? undefined
              : String(
                  integerInRange(
                    at,
                    `tolerations[${i}].tolerationSeconds`,
                    t.tolerationSeconds,
                    0,
                    86400 * 365,
                  ),
                ),
        }),
      ),
    ),
    imagePullSecrets: nonEmpty(props.imagePullSecrets)?.map((name) => ({ name })),
    initContainer: nonEmpty(
      props.initContainers?.map((c, i) => renderContainer(at, `initContainers[${i}]`, c, names)),
    ),
    container: props.containers.map((c, i) => renderContainer(at, `containers[${i}]`, c, names)),
    volume: nonEmpty(volumes.map((v) => renderVolume(scope, v))),
  });
}

function renderAffinity(at: string, a: Affinity): Json | undefined {
  const weight = (prop: string, w: number) => integerInRange(at, prop, w, 1, 100);
  const term = (prop: string, t: PodAffinityTerm) => ({
    labelSelector: [{ matchLabels: { ...t.matchLabels } }],
    topologyKey: nonEmptyString(at, `${prop}.topologyKey`, t.topologyKey),
  });
  const podAffinity = compact({
    requiredDuringSchedulingIgnoredDuringExecution: nonEmpty(
      a.podAffinityRequired?.map((t, i) => term(`affinity.podAffinityRequired[${i}]`, t)),
    ),
    preferredDuringSchedulingIgnoredDuringExecution: nonEmpty(
      a.podAffinityPreferred?.map((t, i) => ({
        weight: weight(`affinity.podAffinityPreferred[${i}].weight`, t.weight),
        podAffinityTerm: term(`affinity.podAffinityPreferred[${i}]`, t),
      })),
    ),
  });
  const nodeAffinity = compact({
    preferredDuringSchedulingIgnoredDuringExecution: nonEmpty(
      a.nodeAffinityPreferred?.map((p, i) => ({
        weight: weight(`affinity.nodeAffinityPreferred[${i}].weight`, p.weight),
        preference: {
          matchExpressions: p.matchExpressions.map((e, j) =>
            compact({
              key: nonEmptyString(
                at,
                `affinity.nodeAffinityPreferred[${i}].matchExpressions[${j}].key`,
                e.key,
              ),
              operator: oneOf(
                at,
                `affinity.nodeAffinityPreferred[${i}].matchExpressions[${j}].operator`,
                e.operator,
                ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'],
              ),
              values: e.values ? [...e.values] : undefined,
            }),
          ),
        },
      })),
    ),
  });
  const out = compact({
    nodeAffinity: Object.keys(nodeAffinity).length ? nodeAffinity : undefined,
    podAffinity: Object.keys(podAffinity).length ? podAffinity : undefined,
  });
  if (!Object.keys(out).length) invalid(at, 'affinity', a, 'at least one affinity term');
  return out;
}

function indexesOf(
  at: string,
  prop: string,
  all: readonly ContainerProps[],
  names: readonly string[] | undefined,
): number[] {
  if (names === undefined) return all.map((_, i) => i);
  return names.map((n, i) => {
    const idx = all.findIndex((c) => c.name === n);
    if (idx < 0)
      invalid(at, `${prop}[${i}]`, n, `a container name (${all.map((c) => c.name).join(', ') || 'none'})`);
    return idx;
  });
}

/**
 * Keel annotations and ignore groups of a pod-template workload: the container indexes come from the
 * container names Keel tracks, so reordering containers cannot leave a stale `container[i]` path.
 */
export function keelLifecycle(
  at: string,
  mode: KeelMode,
  containers: readonly ContainerProps[],
  initContainers: readonly ContainerProps[] = [],
): { annotations: Record<string, string>; ignore: Array<readonly string[]> } {
  switch (mode.kind) {
    case 'notEnrolled':
      return { annotations: {}, ignore: [Ignore.kyvernoPodDnsConfig] };
    case 'never': {
      const inits = indexesOf(at, 'keel.initContainers', initContainers, mode.initContainers ?? []);
      return {
        annotations: { 'keel.sh/policy': 'never' },
        ignore: [
          Ignore.kyvernoPodDnsConfig,
          Ignore.keelPollAnnotations,
          ...inits.map((i) => Ignore.keelInitImage(i)),
        ],
      };
    }
    case 'enrolled': {
      const images = indexesOf(at, 'keel.containers', containers, mode.containers);
      const inits = indexesOf(at, 'keel.initContainers', initContainers, mode.initContainers ?? []);
      return {
        annotations: {},
        ignore: [keelEnrolledWorkload(images), ...inits.map((i) => Ignore.keelInitImage(i))],
      };
    }
    case 'owned': {
      const policy = oneOf(at, 'keel.policy', mode.policy, Object.values(KeelPolicy));
      const images = indexesOf(at, 'keel.containers', containers, mode.containers);
      return {
        annotations: {
          'keel.sh/policy': policy,
          'keel.sh/trigger': 'poll',
          'keel.sh/pollSchedule': `@every ${mode.pollEvery.toString()}`,
        },
        ignore: [
          Ignore.kyvernoPodDnsConfig,
          mode.ignoreMatchTag === false
            ? Ignore.keelRollout.filter((p) => !p.includes('keel.sh/match-tag'))
            : Ignore.keelRollout,
          ...images.map((i) => Ignore.keelImage(i)),
        ],
      };
    }
    case 'policy': {
      const policy = oneOf(at, 'keel.policy', mode.policy, Object.values(KeelPolicy));
      return {
        annotations: {
          'keel.sh/policy': policy,
          'keel.sh/trigger': 'poll',
          ...(mode.matchTag === false ? {} : { 'keel.sh/match-tag': 'true' }),
          'keel.sh/pollSchedule': mode.pollSchedule ?? `@every ${mode.pollEvery.toString()}`,
        },
        ignore: [
          keelEnrolledWorkload(indexesOf(at, 'keel.containers', containers, mode.containers)).filter(
            (p) => mode.ignoreMatchTag !== false || !p.includes('keel.sh/match-tag'),
          ),
        ],
      };
    }
    case 'ownedPolicy': {
      const policy = oneOf(at, 'keel.policy', mode.policy, Object.values(KeelPolicy));
      const images = indexesOf(at, 'keel.containers', containers, mode.containers);
      return {
        annotations: {
          'keel.sh/policy': policy,
          ...(mode.seedPoll
            ? { 'keel.sh/trigger': 'poll', 'keel.sh/pollSchedule': `@every ${mode.seedPoll.toString()}` }
            : {}),
        },
        ignore: [
          Ignore.kyvernoPodDnsConfig,
          Ignore.keelPollAnnotations,
          Ignore.keelRollout,
          ...images.map((i) => Ignore.keelImage(i)),
        ],
      };
    }
  }
}

/**
 * Construct id of a workload: its id, or `<tfType>.<id>` when a sibling already has it (a namespace and a
 * Deployment both called `cyberchef`, as in the tree), as `named()` does.
 */
export function addressedId(scope: Construct, id: string, tfType: string): string {
  return scope.node.tryFindChild(id) ? `${tfType}.${id}` : id;
}

/**
 * Terraform name of a workload: `addressName` when given (a construct that must keep a tree address),
 * else its id prefixed by the ids of the constructs it is nested in.
 */
export function workloadAddressName(scope: Construct, id: string, explicit?: string): string {
  if (explicit !== undefined) return explicit;
  return scope === TerraformStack.of(scope) ? id : `${addressName(scope)}_${id}`;
}

// ---------------------------------------------------------------------------------------------------
// Selected workloads: Deployment, StatefulSet, DaemonSet

/** One port of `exposeViaService`. */
export interface ServicePortProps {
  readonly port: number;
  /** Rendered as the tree's string ("8000"). @default `port` */
  readonly targetPort?: number;
  /**
   * Whether `target_port` is written; false leaves it to Kubernetes (it defaults to `port`), as some tree
   * Services do (a computed attribute Terraform then reads back). @default true
   */
  readonly writeTargetPort?: boolean;
  /** @default not set */
  readonly name?: string;
  /** @default not set (Kubernetes: TCP) */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface ExposeProps {
  /** Service ports; the first is the one ingresses target. */
  readonly ports: readonly ServicePortProps[];
  /** Service name. @default the workload name */
  readonly name?: string;
  /** Terraform name of the Service. @default the workload's */
  readonly addressName?: string;
  /** Construct id of the Service. @default its Terraform name (`kubernetes_service.<name>` on a clash) */
  readonly id?: string;
  /** Service labels; `{}` writes none. @default the selector */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * A MetalLB LoadBalancer Service on a fixed IP (type LoadBalancer, `metallb.io/loadBalancerIPs`, the
   * optional `metallb.io/allow-shared-ip` key, METALLB_LIFECYCLE_V1 ignore). @default a ClusterIP Service
   */
  readonly loadBalancer?: LoadBalancerProps;
  /** `spec.type`, written out where the tree writes it. @default not set (Kubernetes: ClusterIP) */
  readonly type?: 'ClusterIP';
}

/** A MetalLB address for `exposeViaService`. */
export interface LoadBalancerProps {
  /** The IP MetalLB assigns (from the site's pools). */
  readonly ip: string;
  /** Sharing key: Services with the same key may share the IP. @default not shared */
  readonly sharedIpKey?: string;
  /** `external_traffic_policy`. @default not set (Kubernetes: Cluster) */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /**
   * Write the IP under MetalLB's older `metallb.universe.tf/loadBalancerIPs` key, where the tree still
   * does (MetalLB reads both). @default false: `metallb.io/loadBalancerIPs`
   */
  readonly legacyIpAnnotation?: boolean;
}

/** A Service from `exposeViaService`: the resource, and the target an ingress or Anubis takes. */
export interface ExposedService extends IService {
  readonly resource: ServiceResource;
}

/** What a selected workload knows about itself once rendered. */
interface Selected {
  readonly config: Json;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly sablier?: SablierProps;
  readonly addressName: string;
  readonly constructId: string;
}

/** Metadata, selector, template and lifecycle of the selected kinds; `spec` adds the kind's fields. */
export function renderSelected(
  scope: Construct,
  id: string,
  tfType: string,
  props: SelectedWorkloadProps,
  sablier: SablierDeclaration | undefined,
  spec: (at: string) => Json,
): Selected {
  const at = `${pathOf(scope)}/${id}`;
  const name = k8sName(at, 'name', props.name);
  const selector = { ...(props.selector ?? { app: name }) };
  let enrolled: SablierProps | undefined;
  if (sablier) {
    const { readyAfter: _readyAfter, ...ingressSide } = sablier;
    enrolled = { ...ingressSide, group: sablier.group ?? name };
  }
  const keel = keelLifecycle(at, props.keel ?? Keel.enrolled(), props.containers, props.initContainers);
  const labels: Record<string, string> = props.selectorLabels === false ? {} : { ...selector };
  if (props.tierLabel ?? true) labels[TIER_LABEL] = props.namespace.tier;
  if (enrolled) {
    Object.assign(
      labels,
      sablierLabels(enrolled.group!, (sablier!.readyAfter ?? Duration.seconds(5)).toString()),
    );
  }
  Object.assign(labels, props.labels);
  // Sablier owns the replica count of an enrolled workload (SABLIER_MANAGED_REPLICAS).
  const lifecycle = ignoreChanges(
    ...keel.ignore,
    ...(enrolled ? [Ignore.replicas] : []),
    ...(props.ignoreChanges ?? []),
  );
  const config = {
    metadata: compact({
      name,
      namespace: props.namespace.name,
      labels,
      annotations: nonEmptyMap({ ...keel.annotations, ...props.annotations }),
    }),
    spec: {
      ...spec(at),
      selector: { matchLabels: { ...selector } },
      template: {
        metadata: compact({
          labels: { ...selector, ...props.podLabels },
          annotations: props.emptyPodAnnotations
            ? { ...props.podAnnotations }
            : nonEmptyMap(props.podAnnotations),
        }),
        spec: renderPodSpec(scope, at, props, {
          affinity: props.antiAffinity && {
            podAntiAffinity: antiAffinityTerms(at, selector, props.antiAffinity),
          },
          topologySpreadConstraint: nonEmpty(
            props.topologySpread?.map((t) => ({
              maxSkew: t.maxSkew ?? 1,
              topologyKey: t.topologyKey,
              whenUnsatisfiable: t.whenUnsatisfiable,
              labelSelector: [{ matchLabels: { ...selector } }],
            })),
          ),
        }),
      },
    },
    dependsOn: props.dependsOn,
    lifecycle,
  };
  return {
    config,
    name,
    selector,
    sablier: enrolled,
    addressName: workloadAddressName(scope, id, props.addressName),
    constructId: addressedId(scope, id, tfType),
  };
}

/** The anti-affinity against the workload's own pods: required, or preferred with a weight. */
function antiAffinityTerms(
  at: string,
  selector: Readonly<Record<string, string>>,
  a: NonNullable<SelectedWorkloadProps['antiAffinity']>,
): Json {
  const term = {
    labelSelector: [{ matchLabels: { ...selector } }],
    topologyKey: nonEmptyString(at, 'antiAffinity.topologyKey', a.topologyKey),
  };
  if (a.preferredWeight === undefined) return { requiredDuringSchedulingIgnoredDuringExecution: [term] };
  return {
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: integerInRange(at, 'antiAffinity.preferredWeight', a.preferredWeight, 1, 100),
        podAffinityTerm: term,
      },
    ],
  };
}

/** The Service of a selected workload, in the workload's scope (as the tree declares it beside it). */
export function expose(w: SelectedWorkload, at: string, props: ExposeProps): ExposedService {
  if (!props.ports?.length) invalid(at, 'exposeViaService.ports', props.ports, 'at least one port');
  const ports = props.ports.map((p, i) => {
    portNumber(at, `exposeViaService.ports[${i}].port`, p.port);
    const target = portNumber(at, `exposeViaService.ports[${i}].targetPort`, p.targetPort ?? p.port);
    if (p.writeTargetPort === false && p.targetPort !== undefined) {
      invalid(
        at,
        `exposeViaService.ports[${i}].targetPort`,
        p.targetPort,
        'not set with writeTargetPort: false',
      );
    }
    return compact({
      name: p.name,
      port: p.port,
      targetPort: p.writeTargetPort === false ? undefined : String(target),
      protocol: p.protocol,
    });
  });
  const lb = props.loadBalancer;
  if (lb) {
    matches(at, 'exposeViaService.loadBalancer.ip', lb.ip, /^\d{1,3}(\.\d{1,3}){3}$/, 'an IPv4 address');
    if (lb.externalTrafficPolicy !== undefined) {
      oneOf(at, 'exposeViaService.loadBalancer.externalTrafficPolicy', lb.externalTrafficPolicy, [
        'Cluster',
        'Local',
      ]);
    }
  }
  const lbAnnotations: Record<string, string> = lb
    ? {
        [lb.legacyIpAnnotation ? 'metallb.universe.tf/loadBalancerIPs' : 'metallb.io/loadBalancerIPs']: lb.ip,
        ...(lb.sharedIpKey ? { 'metallb.io/allow-shared-ip': lb.sharedIpKey } : {}),
      }
    : {};
  const scope = w.node.scope as Construct;
  const resource = named(
    scope,
    ServiceResource,
    props.addressName ?? w.addressName,
    {
      metadata: compact({
        name: k8sName(at, 'exposeViaService.name', props.name ?? w.workloadName),
        namespace: w.namespace.name,
        // `labels: {}`: a Service without labels (the tree's resume printer)
        labels: nonEmptyMap({ ...(props.labels ?? w.selector) }),
        annotations: nonEmptyMap({ ...lbAnnotations, ...props.annotations }),
      }),
      spec: compact({
        type: lb
          ? 'LoadBalancer'
          : props.type === undefined
            ? undefined
            : oneOf(at, 'exposeViaService.type', props.type, ['ClusterIP']),
        externalTrafficPolicy: lb?.externalTrafficPolicy,
        selector: { ...w.selector },
        port: ports,
      }),
      lifecycle: lb ? ignoreChanges(Ignore.metallbPool) : undefined,
    },
    props.id,
  );
  return { resource, name: resource.metadata.name, port: props.ports[0].port, sablier: w.sablier };
}

/** What Deployment, StatefulSet and DaemonSet share. */
export interface SelectedWorkload extends Construct {
  /** Kubernetes name (literal). */
  readonly workloadName: string;
  readonly namespace: INamespace;
  /** Selector = pod template labels. */
  readonly selector: Readonly<Record<string, string>>;
  /** Terraform name (also the default of its Service). */
  readonly addressName: string;
  /** Sablier enrolment as an ingress takes it. */
  readonly sablier?: SablierProps;
  /**
   * A Service selecting these pods (`kubernetes_service.<address>`); target ports render as the tree's
   * strings. Pass the result to an ingress (`service`) or Anubis (`backend`).
   */
  exposeViaService(props: ExposeProps): ExposedService;
}

// ---------------------------------------------------------------------------------------------------
// Run-to-completion: Job, CronJob

export interface JobTemplateProps extends WorkloadProps {
  /**
   * `restart_policy` of the pods; `null` leaves it unwritten (the provider's default), as a tree job
   * template without one. @default "Never" for a Job, "OnFailure" for a CronJob
   */
  readonly restartPolicy?: 'Never' | 'OnFailure' | null;
  /** @default not set (Kubernetes: 6) */
  readonly backoffLimit?: number;
  /** Rendered as whole seconds ("3600"). @default not set: finished Jobs stay */
  readonly ttlAfterFinished?: Duration;
  /** Longest a Job may run before it is failed (`active_deadline_seconds`, whole seconds). @default not set */
  readonly activeDeadline?: Duration;
  /**
   * Labels of the pods, where the tree labels them differently from the Job/CronJob (tuya-bridge: the
   * CronJob also carries the tier). @default `labels`
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** The Job spec; `labels` go on the pods (and, for a Job, on the Job itself). */
export function renderJobSpec(
  scope: Construct,
  at: string,
  props: JobTemplateProps,
  restartDefault: 'Never' | 'OnFailure',
  podName?: string,
): Json {
  const restart =
    props.restartPolicy === null
      ? undefined
      : oneOf(at, 'restartPolicy', props.restartPolicy ?? restartDefault, ['Never', 'OnFailure']);
  const backoff =
    props.backoffLimit === undefined
      ? undefined
      : integerInRange(at, 'backoffLimit', props.backoffLimit, 0, 100);
  return compact({
    backoffLimit: backoff,
    activeDeadlineSeconds: props.activeDeadline?.toSeconds(),
    ttlSecondsAfterFinished: props.ttlAfterFinished?.toSecondsString(),
    template: {
      metadata: compact({
        name: podName,
        labels: nonEmptyMap(props.podLabels ?? props.labels),
        annotations: nonEmptyMap(props.podAnnotations),
      }),
      spec: renderPodSpec(scope, at, props, { restartPolicy: restart }),
    },
  });
}

export interface JobProps extends JobTemplateProps {
  /** Wait for the Job to finish on apply. @default not set (provider: false) */
  readonly waitForCompletion?: boolean;
  /** Create timeout (with waitForCompletion), e.g. `Duration.minutes(3)`. @default provider default */
  readonly createTimeout?: Duration;
}

/** The config both Job kinds share. */
export function jobConfig(scope: Construct, at: string, props: JobProps): Json {
  return {
    metadata: compact({
      name: k8sName(at, 'name', props.name),
      namespace: props.namespace.name,
      labels: nonEmptyMap(props.labels),
      annotations: nonEmptyMap(props.annotations),
    }),
    spec: renderJobSpec(scope, at, props, 'Never'),
    waitForCompletion: props.waitForCompletion,
    timeouts: props.createTimeout ? { create: props.createTimeout.toString() } : undefined,
    dependsOn: props.dependsOn,
    lifecycle: ignoreChanges(Ignore.kyvernoPodDnsConfig, ...(props.ignoreChanges ?? [])),
  };
}
