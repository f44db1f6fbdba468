import { Construct } from 'constructs';
import type { VaultSecretRef } from '../../lib/conventions/vault';
import { Service } from '@cdktf/provider-kubernetes/lib/service';
import { addressName, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { checkTier, Tier } from '../../lib/conventions/tiers';
import { dnsLabel, isToken, k8sName, matches, port as portNumber } from '../../lib/validation/validate';
import {
  AppDeployment,
  type AppContainerProps,
  type PvcMount,
  type SecretKeyEnv,
} from '../blocks/app-deployment';
import { EncryptedPvc } from '../blocks/encrypted-pvc';
import { ExternalSecret } from '../blocks/external-secret';
import { DnsType, HOMEPAGE_GROUPS, IngressAuth, IngressFactory } from '../blocks/ingress-factory';
import { type INamespace, TieredNamespace } from '../blocks/tiered-namespace';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import { APP_CONTAINER_KEYS, PVC_MOUNT_KEYS, SECRET_KEY_ENV_KEYS } from '../blocks/prop-keys';
import { WEB_APP_KEYS, WEB_APP_SECRET_ENV_KEYS } from './prop-keys';

/** A secret environment variable read from Vault (KV v2 mount `secret`) through the app's ExternalSecret. */
export interface WebAppSecretEnv {
  /** Variable name, also the key in the generated Secret (e.g. "NIXFLEET_API_TOKEN"). */
  readonly name: string;
  /** Where the value lives in Vault, e.g. `{ path: 'nixfleet', property: 'api_token' }`. */
  readonly vault: VaultSecretRef;
}

/** Label marking a namespace as a development namespace (see `developmentNamespace`). */
export const DEVELOPMENT_LABEL = { key: 'environment', value: 'development' } as const;

export interface WebAppProps extends AppContainerProps {
  /** Name of the Deployment, Service, Ingress, `app` label and (new) namespace. @default the construct id */
  readonly name?: string;
  /** Tier of a namespace created for the app (named `name`). Exactly one of `tier` / `existingNamespace`. */
  readonly tier?: Tier;
  /**
   * Deploy into this existing namespace instead of creating one (a `TieredNamespace` of the stack, or
   * `TieredNamespace.fromName` for one another stack owns). Its tier is not written on the workload
   * (Kyverno owns the label there). @default none: a namespace is created
   */
  readonly existingNamespace?: INamespace;
  /**
   * Label the created namespace `environment=development`: the explicit mark dev-only settings check
   * (`isDevelopmentNamespace`). Not allowed with `existingNamespace`. @default false
   */
  readonly developmentNamespace?: boolean;
  /** Container port the app listens on (named `http`). */
  readonly port: number;
  /** Service port in front of it. @default 80 */
  readonly servicePort?: number;
  /** HTTP path of the startup, readiness and liveness probes. @default "/" */
  readonly healthCheckPath?: string;
  /** HTTP probes on `healthCheckPath`. @default true */
  readonly probes?: boolean;
  /**
   * Secret variables from Vault: one ExternalSecret `<name>-secrets` for all of them, read with
   * `secretKeyRef` (`optional = false`). @default none
   */
  readonly secretEnv?: WebAppSecretEnv[];
  /** Secret variables from existing Secrets (e.g. database credentials), after `secretEnv`. @default none */
  readonly existingSecretEnv?: SecretKeyEnv[];
  /** Mount an encrypted PVC `<name>-data-encrypted` at this path. @default no data volume */
  readonly dataMountPath?: string;
  /** Initial size of the data volume. @default "1Gi" */
  readonly dataStorage?: string;
  /** Autoresize ceiling of the data volume. @default "10Gi" */
  readonly dataStorageLimit?: string;
  /** Other PVCs to mount (e.g. an `NfsVolume`). @default none */
  readonly volumes?: PvcMount[];
  /** Expose through an Ingress. @default true */
  readonly ingress?: boolean;
  /** Host label under the root domain. @default `name` */
  readonly host?: string;
  /** Who gates the app (see `IngressAuth`). @default IngressAuth.REQUIRED */
  readonly auth?: IngressAuth;
  /** Cloudflare record type. @default DnsType.PROXIED */
  readonly dnsType?: DnsType;
  /** Authentik groups let through (auth REQUIRED). @default ["Home Server Admins"] */
  readonly allowedGroups?: string[];
  /** Maximum request body, e.g. "100m". @default no limit */
  readonly maxBodySize?: string;
  /** Homepage group. @default derived from the namespace, else "Other" */
  readonly homepageGroup?: string;
}

/**
 * One web application: a tiered namespace (or an existing one), the app's ExternalSecret, an optional
 * encrypted data volume, the Deployment (`AppDeployment`), a ClusterIP Service and the ingress
 * (`IngressFactory`). Addresses below construct id `<id>`: `kubernetes_namespace.<id>_namespace`,
 * `kubernetes_manifest.<id>_secrets`, `kubernetes_persistent_volume_claim.<id>_data`,
 * `kubernetes_deployment.<id>_deployment`, `kubernetes_service.<id>`, `kubernetes_ingress_v1.<id>_ingress`
 * (+ the ingress' DNS records).
 */
export class WebApp extends Construct {
  readonly name: string;
  /** Namespace for namespaced resources: a reference when created here, else the literal name. */
  readonly namespace: string;
  /** Namespace name as a literal. */
  readonly namespaceName: string;
  readonly tier?: Tier;
  /** True when the namespace was created here with the development label. */
  readonly isDevelopmentNamespace: boolean;
  readonly namespaceResource?: TieredNamespace;
  readonly externalSecret?: ExternalSecret;
  readonly dataVolume?: EncryptedPvc;
  readonly app: AppDeployment;
  readonly service: Service;
  readonly ingress?: IngressFactory;
  /** The app's secret variables as Secret references, for sibling workloads (e.g. a worker). */
  readonly secretKeyEnv: readonly SecretKeyEnv[];

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    checkProps(this, 'props', props, WEB_APP_KEYS);
    checkNestedProps(this, '', props, {
      secretEnv: WEB_APP_SECRET_ENV_KEYS,
      existingSecretEnv: SECRET_KEY_ENV_KEYS,
      volumes: PVC_MOUNT_KEYS,
    });
    const name = dnsLabel(this, 'name', props.name ?? id);
    this.name = name;
    if ((props.tier === undefined) === (props.existingNamespace === undefined)) {
      invalid(
        this,
        'tier',
        props.tier,
        'exactly one of tier (create a namespace) or existingNamespace (use one)' +
          (props.existingNamespace !== undefined
            ? `; existingNamespace.name = "${props.existingNamespace.name}"`
            : ''),
      );
    }
    if (props.tier !== undefined) checkTier(this, 'tier', props.tier);
    if (props.existingNamespace !== undefined && props.developmentNamespace) {
      invalid(
        this,
        'developmentNamespace',
        true,
        'false with existingNamespace: only a namespace created here can be marked for development',
      );
    }
    const port = portNumber(this, 'port', props.port);
    const servicePort = portNumber(this, 'servicePort', props.servicePort ?? 80);

    let ns: INamespace;
    if (props.existingNamespace !== undefined) {
      this.namespaceName = dnsLabel(this, 'existingNamespace.name', props.existingNamespace?.name);
      this.namespace = this.namespaceName;
      ns = props.existingNamespace;
    } else {
      this.namespaceResource = new TieredNamespace(this, 'namespace', {
        name,
        tier: props.tier!,
        labels: props.developmentNamespace ? { [DEVELOPMENT_LABEL.key]: DEVELOPMENT_LABEL.value } : undefined,
      });
      this.namespaceName = this.namespaceResource.literalName;
      this.namespace = this.namespaceResource.name;
      this.tier = props.tier;
      ns = this.namespaceResource;
    }
    this.isDevelopmentNamespace = props.developmentNamespace === true && this.namespaceResource !== undefined;

    const secretEnv = props.secretEnv ?? [];
    const refs: SecretKeyEnv[] = [];
    if (secretEnv.length) {
      secretEnv.forEach((s, i) =>
        matches(this, `secretEnv[${i}].name`, s.name, /^[A-Za-z_][A-Za-z0-9_]*$/, 'a C identifier'),
      );
      this.externalSecret = new ExternalSecret(this, 'secrets', {
        name: `${name}-secrets`,
        namespace: ns,
        data: secretEnv.map((s) => ({ secretKey: s.name, vault: s.vault })),
      });
      const secretName = this.externalSecret.secretName;
      refs.push(...secretEnv.map((s) => ({ name: s.name, secretName, key: s.name })));
    }
    refs.push(...(props.existingSecretEnv ?? []));
    this.secretKeyEnv = refs;

    const volumes: PvcMount[] = [];
    if (props.dataMountPath !== undefined) {
      matches(this, 'dataMountPath', props.dataMountPath, /^\/\S*$/, 'an absolute path such as "/data"');
      this.dataVolume = new EncryptedPvc(this, 'data', {
        name: `${name}-data-encrypted`,
        namespace: ns,
        storage: props.dataStorage,
        storageLimit: props.dataStorageLimit,
      });
      volumes.push({
        name: 'data',
        claimName: this.dataVolume.claimName,
        mountPath: props.dataMountPath,
        singleNode: true,
      });
    } else if (props.dataStorage !== undefined || props.dataStorageLimit !== undefined) {
      invalid(this, 'dataStorage', props.dataStorage ?? props.dataStorageLimit, 'only with dataMountPath');
    }
    volumes.push(...(props.volumes ?? []));

    const probes = props.probes ?? true;
    // Only the container props: AppDeployment refuses keys it does not know.
    const container = Object.fromEntries(
      Object.entries(props).filter(([k]) => APP_CONTAINER_KEYS.includes(k)),
    ) as unknown as AppContainerProps;
    this.app = new AppDeployment(this, 'deployment', {
      ...container,
      name,
      namespace: this.namespace,
      tier: this.tier,
      port,
      healthCheckPath: probes ? (props.healthCheckPath ?? '/') : undefined,
      secretEnv: refs,
      volumes,
      dependsOn: this.externalSecret ? [this.externalSecret.resource] : undefined,
    });

    this.service = named(this, Service, addressName(this), {
      metadata: { name, namespace: this.namespace, labels: { app: name } },
      spec: {
        selector: { ...this.app.selector },
        port: [{ name: 'http', port: servicePort, targetPort: String(port), protocol: 'TCP' }],
      },
    });

    if (props.ingress ?? true) {
      if (props.host !== undefined && !isToken(props.host)) k8sName(this, 'host', props.host);
      this.ingress = new IngressFactory(this, 'ingress', {
        name,
        namespace: ns,
        serviceName: name,
        port: servicePort,
        host: props.host,
        auth: props.auth ?? IngressAuth.REQUIRED,
        dnsType: props.dnsType ?? DnsType.PROXIED,
        allowedGroups: props.allowedGroups,
        maxBodySize: props.maxBodySize,
        homepageGroup: props.homepageGroup ?? HOMEPAGE_GROUPS[this.namespaceName] ?? 'Other',
      });
    }
  }
}
