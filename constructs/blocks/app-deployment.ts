import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { DeploymentSpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/deployment';
import { addressName } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { Ignore } from '../../lib/conventions/lifecycle';
import { Duration } from '../../lib/core/units';
import {
  type ContainerProps,
  Deployment,
  Keel,
  type KeelMode,
  KeelPolicy,
  Probe,
  type SecretKeyRef,
  Volume,
} from './workload';
import { scriptForTerraform } from '../../lib/core/paths';
import { checkTier, Tier, TIER_LABEL } from '../../lib/conventions/tiers';
import {
  integerInRange,
  isPinnedImage,
  isToken,
  k8sName,
  matches,
  nonEmptyString,
  oneOf,
  port as portNumber,
  quantity,
  requestWithinLimit,
} from '../../lib/validation/validate';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import { APP_DEPLOYMENT_KEYS, PVC_MOUNT_KEYS, SECRET_KEY_ENV_KEYS } from './prop-keys';
import { namespaceName } from '../../lib/validation/conventions';
import {
  annotations as checkAnnotations,
  labels as checkLabels,
  noCredentialLiterals,
} from '../../lib/validation/conventions';

export { KeelPolicy };

/** An environment variable read from a key of an existing Kubernetes Secret (the workload `SecretKeyRef`, named). */
export interface SecretKeyEnv extends SecretKeyRef {
  /** Variable name (a C identifier, e.g. "DATABASE_URL"). */
  readonly name: string;
}

/** A PersistentVolumeClaim mounted into the app container. */
export interface PvcMount {
  /** Volume name in the pod (a DNS label). */
  readonly name: string;
  /** PVC name (pass the PVC's reference, e.g. `EncryptedPvc.claimName`, for creation order). */
  readonly claimName: string;
  /** Absolute mount path in the container. */
  readonly mountPath: string;
  /** @default false */
  readonly readOnly?: boolean;
  /** The volume is single-node (ReadWriteOnce): forces the Recreate strategy. @default false */
  readonly singleNode?: boolean;
}

/** Container and pod settings shared by `AppDeployment` and `WebApp`. */
export interface AppContainerProps {
  /**
   * Container image, pinned by tag or digest. `latest` or no tag is refused unless Keel manages the
   * image (`keel` true and `keelPolicy: KeelPolicy.FORCE`).
   */
  readonly image: string;
  /** Entrypoint override. @default the image's */
  readonly command?: string[];
  /** Arguments. @default the image's */
  readonly args?: string[];
  /**
   * Plain environment variables, in order. Names are C identifiers; values are non-empty; names that
   * look like credentials (`*_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`, ...) are refused: use secret env.
   * @default none
   */
  readonly env?: Record<string, string>;
  /**
   * Names of secret variables the app cannot run without: an init container (`require-secrets`) fails
   * the pod while any of them is missing or empty. @default none
   */
  readonly dependsOnSecrets?: string[];
  /** CPU request (Kubernetes quantity). @default "10m" */
  readonly cpuRequest?: string;
  /** CPU limit. @default none (the tree does not limit CPU) */
  readonly cpuLimit?: string;
  /** Memory request. @default "128Mi" */
  readonly memoryRequest?: string;
  /** Memory limit, at least the request. @default `memoryRequest` */
  readonly memoryLimit?: string;
  /** @default 1 */
  readonly replicas?: number;
  /**
   * Keel manages the image. true: the Keel-enrolled lifecycle (Kyverno adds the policy; Terraform ignores
   * image and rollout annotations). false: annotation `keel.sh/policy=never`, Terraform owns the image.
   * @default true
   */
  readonly keel?: boolean;
  /** Policy Terraform writes to `keel.sh/policy` (requires `keel`). @default none: Kyverno injects "patch" */
  readonly keelPolicy?: KeelPolicy;
  /** PVCs mounted into the container. @default none */
  readonly volumes?: PvcMount[];
  /** Pod `fs_group`, so a non-root image can write its volumes. @default not set */
  readonly fsGroup?: number;
  /** Image pull secrets in the namespace, e.g. ["ghcr-credentials"]. @default none */
  readonly imagePullSecrets?: string[];
  /** Annotation `reloader.stakater.com/auto=true`: roll the pods when a referenced Secret changes. @default true */
  readonly reloader?: boolean;
  /**
   * `host:port` endpoints the pod waits for before starting (Kyverno `dependency.kyverno.io/wait-for`),
   * e.g. ["pg-cluster-rw.dbaas.svc.cluster.local:5432"]. @default none
   */
  readonly waitFor?: string[];
  /** Extra pod template annotations. @default none */
  readonly podAnnotations?: Record<string, string>;
  /** Extra labels on the Deployment and its pods (`app` is always set). @default none */
  readonly labels?: Record<string, string>;
  /** Time the app may take to start before liveness applies (startup probe budget). @default 300 */
  readonly startupTimeoutSeconds?: number;
}

export interface AppDeploymentProps extends AppContainerProps {
  /** Deployment name; also the `app` label and the container name. */
  readonly name: string;
  /** Namespace (pass the namespace reference for creation order). */
  readonly namespace: string;
  /** Tier label on the Deployment. @default not set: Kyverno stamps it, and Terraform ignores the label */
  readonly tier?: Tier;
  /** Container port, named `http`. @default no port */
  readonly port?: number;
  /** HTTP path for readiness, liveness and startup probes (requires `port`). @default no probes */
  readonly healthCheckPath?: string;
  /** Variables from keys of existing Secrets (`optional = false`), after `env`. @default none */
  readonly secretEnv?: SecretKeyEnv[];
  /** Explicit dependencies (e.g. the ExternalSecret that creates the Secrets). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** Image of the `require-secrets` init container (busybox: sh + printenv). */
export const REQUIRE_SECRETS_IMAGE = 'busybox:1.37';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One Deployment with the tree's conventions: pinned image, env then secret env (`secretKeyRef`,
 * `optional = false`), requests/limits (request <= limit), HTTP probes, the Keel/Kyverno lifecycle by
 * option, Reloader, and an optional fail-closed secret check. Address: `kubernetes_deployment.<id>`.
 * Use it directly for workers without a Service; `WebApp` uses it for the app itself.
 */
export class AppDeployment extends Construct {
  readonly deployment: Deployment;
  readonly name: string;
  /** Selector labels of the pods. */
  readonly selector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AppDeploymentProps) {
    super(scope, id);
    checkProps(this, 'props', props, APP_DEPLOYMENT_KEYS);
    checkNestedProps(this, '', props, { secretEnv: SECRET_KEY_ENV_KEYS, volumes: PVC_MOUNT_KEYS });
    const name = k8sName(this, 'name', props.name);
    this.name = name;
    namespaceName(this, 'namespace', props.namespace);
    if (props.tier !== undefined) checkTier(this, 'tier', props.tier);
    const keel = props.keel ?? true;
    const keelPolicy =
      props.keelPolicy === undefined
        ? undefined
        : oneOf(this, 'keelPolicy', props.keelPolicy, Object.values(KeelPolicy));
    if (keelPolicy !== undefined && !keel) {
      invalid(this, 'keelPolicy', keelPolicy, 'unset when keel is false (the policy is then "never")');
    }
    const image = nonEmptyString(this, 'image', props.image);
    if (!isToken(image) && !isPinnedImage(image) && !(keel && keelPolicy === KeelPolicy.FORCE)) {
      invalid(
        this,
        'image',
        image,
        'an image pinned by tag or digest (e.g. "nginx:1.28-alpine"); "latest" or no tag only when Keel ' +
          'manages it (keel: true with keelPolicy: KeelPolicy.FORCE)',
      );
    }
    const replicas = integerInRange(this, 'replicas', props.replicas ?? 1, 0, 100);
    const port = props.port === undefined ? undefined : portNumber(this, 'port', props.port);
    if (props.healthCheckPath !== undefined) {
      matches(this, 'healthCheckPath', props.healthCheckPath, /^\/\S*$/, 'an HTTP path starting with "/"');
      if (port === undefined) invalid(this, 'healthCheckPath', props.healthCheckPath, 'only with a port');
    }
    const startupTimeout = integerInRange(
      this,
      'startupTimeoutSeconds',
      props.startupTimeoutSeconds ?? 300,
      10,
      3600,
    );

    const cpuRequest = quantity(this, 'cpuRequest', props.cpuRequest ?? '10m');
    const memoryRequest = quantity(this, 'memoryRequest', props.memoryRequest ?? '128Mi');
    const memoryLimit = quantity(this, 'memoryLimit', props.memoryLimit ?? memoryRequest);
    const cpuLimit = props.cpuLimit === undefined ? undefined : quantity(this, 'cpuLimit', props.cpuLimit);
    requestWithinLimit(this, 'memoryRequest', memoryRequest, memoryLimit);
    requestWithinLimit(this, 'cpuRequest', cpuRequest, cpuLimit);

    // Environment: plain variables first, then secret references, each name once.
    const seen = new Set<string>();
    const checkName = (prop: string, n: unknown) => {
      matches(this, prop, n, ENV_NAME, 'a C identifier such as "DATABASE_URL"');
      if (seen.has(n as string)) invalid(this, prop, n, 'each variable name once across env and secret env');
      seen.add(n as string);
    };
    noCredentialLiterals(this, 'env', props.env);
    const env: DeploymentSpecTemplateSpecContainerEnv[] = [];
    for (const [k, v] of Object.entries(props.env ?? {})) {
      checkName(`env.${k}`, k);
      if (typeof v !== 'string' || (!isToken(v) && v === '')) {
        invalid(this, `env.${k}`, v, 'a non-empty string (omit the variable rather than default it to "")');
      }
      env.push({ name: k, value: v });
    }
    const secretEnv = props.secretEnv ?? [];
    const secretEntries = new Map<string, DeploymentSpecTemplateSpecContainerEnv>();
    secretEnv.forEach((s, i) => {
      checkName(`secretEnv[${i}].name`, s.name);
      k8sName(this, `secretEnv[${i}].secretName`, s.secretName);
      nonEmptyString(this, `secretEnv[${i}].key`, s.key);
      const entry = {
        name: s.name,
        valueFrom: { secretKeyRef: { name: s.secretName, key: s.key, optional: false } },
      };
      secretEntries.set(s.name, entry);
      env.push(entry);
    });
    const required = props.dependsOnSecrets ?? [];
    required.forEach((n, i) => {
      if (!secretEntries.has(n)) {
        invalid(
          this,
          `dependsOnSecrets[${i}]`,
          n,
          `the name of a secret variable (${[...secretEntries.keys()].join(', ') || 'none declared'})`,
        );
      }
    });
    if (new Set(required).size !== required.length) {
      invalid(this, 'dependsOnSecrets', required, 'each name once');
    }

    const volumes = props.volumes ?? [];
    volumes.forEach((v, i) => {
      matches(this, `volumes[${i}].name`, v.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label');
      nonEmptyString(this, `volumes[${i}].claimName`, v.claimName);
      matches(this, `volumes[${i}].mountPath`, v.mountPath, /^\/\S*$/, 'an absolute path');
    });
    if (new Set(volumes.map((v) => v.name)).size !== volumes.length) {
      invalid(
        this,
        'volumes',
        volumes.map((v) => v.name),
        'distinct volume names',
      );
    }
    if (props.fsGroup !== undefined) integerInRange(this, 'fsGroup', props.fsGroup, 0, 2147483647);
    (props.waitFor ?? []).forEach((w, i) =>
      matches(
        this,
        `waitFor[${i}]`,
        w,
        /^[A-Za-z0-9.-]+:\d{1,5}$/,
        'a host:port such as "redis-master.redis:6379"',
      ),
    );
    (props.imagePullSecrets ?? []).forEach((s, i) => k8sName(this, `imagePullSecrets[${i}]`, s));

    const selector = { app: name };
    checkLabels(this, 'labels', props.labels);
    checkAnnotations(this, 'podAnnotations', props.podAnnotations);
    if (props.labels?.app !== undefined && props.labels.app !== name) {
      // The selector is {app: name}: template labels without it are rejected by the API server.
      invalid(this, 'labels.app', props.labels.app, `"${name}" or unset: the selector is app=${name}`);
    }
    this.selector = selector;
    const labels: Record<string, string> = { ...selector, ...props.labels };
    if (props.tier !== undefined) labels[TIER_LABEL] = props.tier;
    const annotations: Record<string, string> = {};
    if (keel && keelPolicy !== undefined) annotations['keel.sh/policy'] = keelPolicy;
    if (props.reloader ?? true) annotations['reloader.stakater.com/auto'] = 'true';
    const podAnnotations: Record<string, string> = { ...props.podAnnotations };
    if (props.waitFor?.length) podAnnotations['dependency.kyverno.io/wait-for'] = props.waitFor.join(',');

    const probe = (period: number, failureThreshold: number) =>
      port !== undefined && props.healthCheckPath !== undefined
        ? Probe.httpGet(props.healthCheckPath, port, {
            timeout: Duration.seconds(5),
            period: Duration.seconds(period),
            failureThreshold,
          })
        : undefined;

    const secretRef = (e: DeploymentSpecTemplateSpecContainerEnv): SecretKeyRef => ({
      secretName: e.valueFrom!.secretKeyRef!.name!,
      key: e.valueFrom!.secretKeyRef!.key!,
      optional: false,
    });
    const envMap: Record<string, string | SecretKeyRef> = {};
    for (const e of env) envMap[e.name] = e.valueFrom ? secretRef(e) : e.value!;
    const initContainers: ContainerProps[] = required.length
      ? [
          {
            name: 'require-secrets',
            image: REQUIRE_SECRETS_IMAGE,
            command: ['/bin/sh', '-c', scriptForTerraform('require-env.sh')],
            env: {
              REQUIRED_ENV: required.join(' '),
              ...Object.fromEntries(required.map((n) => [n, secretRef(secretEntries.get(n)!)])),
            },
            resources: { cpuRequest: '5m', memoryRequest: '16Mi', memoryLimit: '32Mi' },
          },
        ]
      : [];

    // The Keel/Kyverno lifecycle by option: enrolled (Kyverno injects the policy), a policy of ours, or never.
    let keelMode: KeelMode;
    const ignore: Array<readonly string[]> = [];
    if (!keel) keelMode = Keel.never();
    else if (keelPolicy !== undefined) {
      keelMode = Keel.notEnrolled();
      ignore.push(Ignore.keelPollAnnotations, Ignore.keelRollout, Ignore.keelImage(0));
      if (initContainers.length) ignore.push(Ignore.keelInitImage(0));
    } else {
      keelMode = Keel.enrolled({
        containers: [name],
        initContainers: initContainers.map((c) => c.name),
      });
    }
    if (props.tier === undefined) ignore.push(Ignore.tierLabel);

    const volumeList = volumes.map((v) => Volume.fromPvc(v.name, v.claimName));
    const recreate = volumes.some((v) => v.singleNode);
    this.deployment = new Deployment(this, addressName(this), {
      addressName: addressName(this),
      // Without a tier the label is left to Kyverno (and ignored): the namespace's tier is not needed.
      namespace: { name: props.namespace, tier: props.tier as Tier },
      name,
      selector,
      tierLabel: props.tier !== undefined,
      labels: props.labels,
      podLabels: props.labels,
      annotations: Object.keys(annotations).length ? annotations : undefined,
      podAnnotations,
      replicas,
      strategy: recreate ? 'Recreate' : undefined,
      fsGroup: props.fsGroup,
      imagePullSecrets: props.imagePullSecrets,
      initContainers,
      containers: [
        {
          name,
          image,
          command: props.command,
          args: props.args,
          ports: port === undefined ? undefined : [{ name: 'http', containerPort: port, protocol: 'TCP' }],
          env: envMap,
          resources: { cpuRequest, cpuLimit, memoryRequest, memoryLimit },
          startupProbe: probe(10, Math.ceil(startupTimeout / 10)),
          readinessProbe: probe(10, 3),
          livenessProbe: probe(30, 3),
          volumeMounts: volumes.map((v, i) => ({
            volume: volumeList[i],
            mountPath: v.mountPath,
            readOnly: v.readOnly ?? false,
          })),
        },
      ],
      volumes: volumeList,
      keel: keelMode,
      ignoreChanges: ignore,
      dependsOn: props.dependsOn,
    });
  }
}
