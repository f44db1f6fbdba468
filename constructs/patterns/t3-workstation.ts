import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Endpoints } from '@cdktf/provider-kubernetes/lib/endpoints';
import type { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { Service } from '@cdktf/provider-kubernetes/lib/service';
import { ApproleAuthBackendRole } from '@cdktf/provider-vault/lib/approle-auth-backend-role';
import { Policy } from '@cdktf/provider-vault/lib/policy';
import { addressName, checkModuleAddress, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { sha256 } from '../../lib/core/hash';
import { Ignore, ignoreChanges } from '../../lib/conventions/lifecycle';
import { readScript } from '../../lib/core/paths';
import { type ContainerResources, containerResources } from '../../lib/conventions/resources';
import { terraformLiteral } from '../../lib/terraform/tf-literal';
import { useVault } from '../../lib/terraform/providers';
import {
  BASE_PORT,
  type Member,
  RosterError,
  rosterFromMembers,
  type RosterUser,
} from '../../lib/domain/roster';
import { siteOf } from '../../lib/conventions/site';
import {
  dnsLabel,
  integerInRange,
  k8sName,
  matches,
  nonEmptyString,
  pinnedImage,
  port as portNumber,
} from '../../lib/validation/validate';
import { DnsType, IngressAuth, IngressFactory } from '../blocks/ingress-factory';
import type { TieredNamespace } from '../blocks/tiered-namespace';
import { IngressRoute } from '../blocks/traefik';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import {
  T3_WORKSTATION_KEYS,
  T3_HOMEPAGE_KEYS,
  T3_LEGACY_MODULES_KEYS,
  T3_NATIVE_CLIENT_KEYS,
  T3_PROBE_KEYS,
  T3_PROVISIONER_VAULT_KEYS,
  T3_RBAC_KEYS,
} from './prop-keys';

/** The homepage tile of the t3 ingress. */
export interface T3HomepageProps {
  /** @default "T3 Code" */
  readonly name?: string;
  /** @default "Coding-agent GUI (per-user, t3 serve on DevVM)" */
  readonly description?: string;
  /** @default "mdi-robot" */
  readonly icon?: string;
  /** @default "Infrastructure" */
  readonly group?: string;
}

/**
 * Native-client (mobile/desktop app) access: bearer-token clients cannot complete the Authentik SSO
 * redirect, so three Traefik routes skip Authentik and go straight to ONE t3-serve instance.
 */
export interface T3NativeClientProps {
  /** Port of the t3-serve instance native clients reach (its owner's port). @default 3773 (the first roster port) */
  readonly port?: number;
  /** Name of the Service, Endpoints and IngressRoute. @default "<name>-native" */
  readonly name?: string;
}

/** Requests and limits of the probe container, as Kubernetes quantities. */
export type T3ProbeResources = ContainerResources;

/** The in-cluster connectivity probe (payloads/t3-probe.py) and its unauthenticated `/probe` ingress. */
export interface T3ProbeProps {
  /** Name of the ConfigMap, Deployment, Service and Ingress. @default "<name>-probe" */
  readonly name?: string;
  /** Image with Python 3 (stdlib only is needed), pinned. @default "python:3.12-alpine" */
  readonly image?: string;
  /** @default requests cpu 10m / memory 64Mi, limits memory 192Mi */
  readonly resources?: T3ProbeResources;
  /** Port of the t3-serve instance the `t3serve` leg checks. @default the native client port (3773) */
  readonly t3ServePort?: number;
}

/**
 * Per-user cluster RBAC from the t3 roster (the same input the roster engine takes). Admins get nothing
 * here (they hold cluster-admin through their group); power-users get a ClusterRoleBinding to the
 * read-only ClusterRole; namespace-owners a RoleBinding to `admin` in each of their namespaces.
 */
export interface T3RbacProps {
  /** Members of the Authentik `T3 Users` group (email, optional os_user, optional namespaces). */
  readonly members: readonly Member[];
  /** Admin emails (case-insensitive). */
  readonly adminEmails: readonly string[];
  /** ClusterRole bound to power-users. @default "oidc-power-user-readonly" */
  readonly powerUserClusterRole?: string;
  /** ClusterRole bound to namespace-owners in each of their namespaces. @default "admin" */
  readonly namespaceOwnerClusterRole?: string;
}

/**
 * A Vault policy + AppRole for the DevVM provisioner: read-only on a few KV v2 secrets, so the setup no
 * longer borrows an admin's token. The AppRole auth method must be enabled at `backend` (stack vault).
 */
export interface T3ProvisionerVaultProps {
  /** Name of the policy and of the AppRole role. @default "<name>-provisioner" */
  readonly name?: string;
  /** Mount path of the AppRole auth method. @default "approle" */
  readonly backend?: string;
  /** KV v2 mount of the secrets. @default "secret" */
  readonly kvMount?: string;
  /** Secrets (paths under the KV mount) the provisioner may read. @default ["workstation", "authentik"] */
  readonly secrets?: readonly string[];
  /** Where the secret id may be used and tokens are valid from. @default ["<devvmIp>/32"] */
  readonly boundCidrs?: readonly string[];
  /** Token TTL in seconds. @default 900 */
  readonly tokenTtl?: number;
  /** Token maximum TTL in seconds. @default 3600 */
  readonly tokenMaxTtl?: number;
}

/** Tree addresses the ingresses had (each set one becomes `moved` blocks). */
export interface T3LegacyAddresses {
  /** `ingress_factory` module of the main ingress, e.g. "module.ingress". */
  readonly ingress?: string;
  /** `ingress_factory` module of the probe ingress, e.g. "module.ingress_probe". */
  readonly probeIngress?: string;
}

export interface T3WorkstationProps {
  /** Namespace of every namespaced resource. */
  readonly namespace: TieredNamespace;
  /** Name of the dispatcher Service/Endpoints and the main Ingress; default host label. @default "t3" */
  readonly name?: string;
  /** Public host name. @default "<name>.<rootDomain>" */
  readonly host?: string;
  /** IPv4 address of the DevVM (t3-dispatch and the t3-serve instances). @default "10.0.10.10" */
  readonly devvmIp?: string;
  /** Port of t3-dispatch on the DevVM. @default 3780 */
  readonly dispatcherPort?: number;
  /** Authentik groups allowed through the main ingress. @default ["T3 Users"] */
  readonly allowedGroups?: readonly string[];
  /** Homepage tile overrides. @default the t3 tile */
  readonly homepage?: T3HomepageProps;
  /** Native-client access, or false for none. @default enabled with its defaults */
  readonly nativeClient?: T3NativeClientProps | false;
  /** The connectivity probe, or false for none. @default enabled with its defaults */
  readonly probe?: T3ProbeProps | false;
  /** Per-user cluster RBAC from the roster. @default off */
  readonly rbac?: T3RbacProps;
  /** Vault policy + AppRole for the DevVM provisioner. @default off */
  readonly provisionerVault?: T3ProvisionerVaultProps;
  /** Terraform name of the dispatcher Service and Endpoints. @default the construct's address name (`<id>`) */
  readonly dispatcherAddressName?: string;
  /** Tree module addresses of the two ingresses. @default none */
  readonly legacyAddress?: T3LegacyAddresses;
}

/** Default DevVM address (t3-dispatch + t3-serve instances). */
export const DEVVM_IP = '10.0.10.10';
/** Default t3-dispatch port. */
export const DISPATCHER_PORT = 3780;
/** Priority of the native-client routes: above the catch-all `Host(...)` router of the Ingress. */
export const NATIVE_ROUTE_PRIORITY = 1000;
/** Traefik middlewares of the native routes: the ingress default chain minus Authentik and anti-AI. */
export const NATIVE_MIDDLEWARES: ReadonlyArray<{ readonly name: string; readonly namespace: string }> = [
  { name: 'retry', namespace: 'traefik' },
  { name: 'error-pages', namespace: 'traefik' },
  { name: 'rate-limit', namespace: 'traefik' },
];
/** t3-dispatch's unauthenticated echo surface for the probe (`<path>/ws`, healthz). */
export const PROBE_PATH = '/probe';
/** The probe program, its ConfigMap key and where the container sees it. */
export const PROBE_SCRIPT = 't3-probe.py';
export const PROBE_FILE = 'probe.py';
export const PROBE_DIR = '/app';
/** Metrics port of the probe (the script's PROBE_PORT default). */
export const PROBE_METRICS_PORT = 9108;
/**
 * Defaults built into payloads/t3-probe.py: the probe gets an env var only where the construct's value
 * differs, so the tree's deployment (no env) stays as it is.
 */
export const PROBE_SCRIPT_DEFAULTS: Readonly<Record<string, string>> = {
  PROBE_WS_URL: 'wss://t3.viktorbarzin.me/probe/ws',
  PROBE_PIN_IP: '10.0.20.203',
  PROBE_SESSION_URL: 'http://10.0.10.10:3773/api/auth/session',
};

const HOMEPAGE: Required<T3HomepageProps> = {
  name: 'T3 Code',
  description: 'Coding-agent GUI (per-user, t3 serve on DevVM)',
  icon: 'mdi-robot',
  group: 'Infrastructure',
};

const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const CIDR4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;
const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const VAULT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const RBAC = 'rbac.authorization.k8s.io';

/**
 * The three Traefik rules for native clients on `host` (HTTP router syntax v3):
 * 1. any request with `Authorization: Bearer ...` (every API call after pairing);
 * 2. the two pre-pairing endpoints (environment descriptor, pairing-code exchange) from a client without
 *    an Authentik cookie or with the app's `T3Code/` User-Agent (the app's jar keeps the cookie an
 *    Authentik 302 planted, so the cookie alone would lock it out);
 * 3. the WebSocket carrying a `wsTicket` query parameter (browsers open a bare `/ws` with the cookie).
 */
export function nativeRouteMatches(host: string): [string, string, string] {
  const h = `Host(\`${host}\`)`;
  return [
    `${h} && HeaderRegexp(\`Authorization\`, \`(?i)^Bearer \`)`,
    `${h} && (Path(\`/.well-known/t3/environment\`) || Path(\`/oauth/token\`)) && ` +
      `(!HeaderRegexp(\`Cookie\`, \`authentik_proxy_\`) || HeaderRegexp(\`User-Agent\`, \`(?i)^T3Code/\`))`,
    `${h} && Path(\`/ws\`) && QueryRegexp(\`wsTicket\`, \`.+\`)`,
  ];
}

/**
 * The suffix of a per-user RBAC object name: the os_user when it is already a DNS label, else its
 * DNS-safe form plus the first 8 hex digits of its SHA-256 (so two users never map to one name).
 */
export function rbacNameSuffix(osUser: string): string {
  const slug = osUser.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug === osUser) return slug;
  const hash = sha256(osUser).slice(0, 8);
  return slug === '' ? hash : `${slug}-${hash}`;
}

/** The policy text: `read` on each KV v2 data path, nothing else. */
export function provisionerPolicy(kvMount: string, secrets: readonly string[]): string {
  return secrets.map((s) => `path "${kvMount}/data/${s}" {\n  capabilities = ["read"]\n}\n`).join('\n');
}

/**
 * The Kubernetes edge of t3, the single-owner coding-agent GUI: every person runs their own `t3 serve`
 * on the DevVM and t3-dispatch routes the one host by the Authentik identity. Creates:
 *
 * - selector-less Service + Endpoints `<name>` -> t3-dispatch (`<devvmIp>:<dispatcherPort>`) and the
 *   Authentik-gated Ingress (`allowedGroups`, homepage tile, proxied DNS);
 * - native-client access: Service + Endpoints `<name>-native` -> one t3-serve port and a Traefik
 *   IngressRoute with three priority-1000 routes that skip Authentik (t3's bearer auth is the gate);
 * - the probe: ConfigMap (payloads/t3-probe.py), Deployment, metrics Service and the `/probe` Ingress;
 * - opt-in: per-user RBAC from the roster, and a Vault policy + AppRole for the DevVM provisioner.
 *
 * Addresses (construct id `<id>`): `kubernetes_service|kubernetes_endpoints.<dispatcherAddressName>`,
 * `kubernetes_ingress_v1.<id>_ingress`, `kubernetes_service|kubernetes_endpoints.<id>_native`,
 * `kubernetes_manifest.<id>_native_ingressroute`, `kubernetes_config_map_v1|kubernetes_deployment_v1|
 * kubernetes_service.<id>_probe`, `kubernetes_ingress_v1.<id>_probe_ingress`,
 * `kubernetes_cluster_role_binding_v1.<id>_power_user_<os_user>`,
 * `kubernetes_role_binding_v1.<id>_namespace_owner_<os_user>_<namespace>`,
 * `vault_policy|vault_approle_auth_backend_role.<id>_provisioner`.
 */
export class T3Workstation extends Construct {
  readonly name: string;
  readonly host: string;
  readonly dispatcherService: Service;
  readonly dispatcherEndpoints: Endpoints;
  readonly ingress: IngressFactory;
  readonly native?: {
    readonly service: Service;
    readonly endpoints: Endpoints;
    readonly ingressRoute: Manifest;
  };
  readonly probe?: {
    readonly configMap: ConfigMapV1;
    readonly deployment: DeploymentV1;
    readonly service: Service;
    readonly ingress: IngressFactory;
  };
  /** Per-user bindings, keyed by os_user (power-users) and `<os_user>/<namespace>` (namespace-owners). */
  readonly clusterRoleBindings: Readonly<Record<string, ClusterRoleBindingV1>>;
  readonly roleBindings: Readonly<Record<string, RoleBindingV1>>;
  readonly provisioner?: { readonly policy: Policy; readonly role: ApproleAuthBackendRole };
  /** The namespace name as a reference (creation order). */
  private readonly nsName: string;

  constructor(scope: Construct, id: string, props: T3WorkstationProps) {
    super(scope, id);
    checkProps(this, 'props', props, T3_WORKSTATION_KEYS);
    checkNestedProps(this, '', props, {
      homepage: T3_HOMEPAGE_KEYS,
      nativeClient: T3_NATIVE_CLIENT_KEYS,
      probe: T3_PROBE_KEYS,
      rbac: T3_RBAC_KEYS,
      provisionerVault: T3_PROVISIONER_VAULT_KEYS,
      legacyAddress: T3_LEGACY_MODULES_KEYS,
    });
    const site = siteOf(this);
    const ns = props.namespace;
    if (!ns || typeof ns.name !== 'string' || typeof ns.literalName !== 'string') {
      invalid(this, 'namespace', ns, 'a TieredNamespace');
    }
    this.nsName = ns.name;
    const name = dnsLabel(this, 'name', props.name ?? 't3');
    this.name = name;
    const host = matches(
      this,
      'host',
      props.host ?? `${name}.${site.rootDomain}`,
      HOST,
      'a lowercase DNS name with at least two labels, e.g. "t3.example.org"',
    );
    this.host = host;
    const devvmIp = matches(this, 'devvmIp', props.devvmIp ?? DEVVM_IP, IPV4, 'an IPv4 address');
    const dispatcherPort = portNumber(this, 'dispatcherPort', props.dispatcherPort ?? DISPATCHER_PORT);
    const allowedGroups = props.allowedGroups ?? ['T3 Users'];
    if (!Array.isArray(allowedGroups) || allowedGroups.length === 0) {
      invalid(this, 'allowedGroups', allowedGroups, 'at least one Authentik group name');
    }
    allowedGroups.forEach((g, i) => {
      nonEmptyString(this, `allowedGroups[${i}]`, g);
      if (g.includes(',')) invalid(this, `allowedGroups[${i}]`, g, 'a group name without ","');
    });
    const homepage: Required<T3HomepageProps> = {
      name: props.homepage?.name ?? HOMEPAGE.name,
      description: props.homepage?.description ?? HOMEPAGE.description,
      icon: props.homepage?.icon ?? HOMEPAGE.icon,
      group: props.homepage?.group ?? HOMEPAGE.group,
    };
    for (const [k, v] of Object.entries(homepage)) nonEmptyString(this, `homepage.${k}`, v);
    const legacy = props.legacyAddress ?? {};
    const ingressModule = checkModuleAddress(this, 'legacyAddress.ingress', legacy.ingress);
    const probeModule = checkModuleAddress(this, 'legacyAddress.probeIngress', legacy.probeIngress);

    const nativeProps = props.nativeClient === false ? undefined : (props.nativeClient ?? {});
    const nativePort = portNumber(this, 'nativeClient.port', nativeProps?.port ?? BASE_PORT);
    const nativeName = nativeProps
      ? dnsLabel(this, 'nativeClient.name', nativeProps.name ?? `${name}-native`)
      : undefined;
    const probe = props.probe === false ? undefined : this.checkProbe(name, props.probe ?? {}, nativePort);
    const rbac = props.rbac ? this.checkRbac(props.rbac) : undefined;
    const vault = props.provisionerVault ? this.checkVault(name, devvmIp, props.provisionerVault) : undefined;

    // --- dispatcher: Service + Endpoints to t3-dispatch, behind Authentik ---
    const base = addressName(this);
    const dispatcherAddress = props.dispatcherAddressName ?? base;
    this.dispatcherService = this.selectorlessService(dispatcherAddress, 'dispatcher', name, dispatcherPort);
    this.dispatcherEndpoints = this.endpoints(dispatcherAddress, 'dispatcher', name, devvmIp, dispatcherPort);

    this.ingress = new IngressFactory(this, 'ingress', {
      name,
      namespace: ns,
      serviceName: this.dispatcherService.metadata.name,
      fullHost: host,
      dnsType: DnsType.PROXIED,
      auth: IngressAuth.REQUIRED,
      allowedGroups: [...allowedGroups],
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': homepage.name,
        'gethomepage.dev/description': homepage.description,
        'gethomepage.dev/icon': homepage.icon,
        'gethomepage.dev/group': homepage.group,
        // Nothing of t3 runs in the cluster: no pods to show.
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: ingressModule,
    });

    // --- native clients: straight to one t3-serve, never to t3-dispatch ---
    // Without Authentik in front, dispatch would trust a forged X-authentik-username; t3-serve's own
    // bearer/pairing auth is the only gate on these routes, so they point at the instance itself.
    if (nativeName) {
      const service = this.selectorlessService(`${base}_native`, 'native', nativeName, nativePort);
      const endpoints = this.endpoints(`${base}_native`, 'native', nativeName, devvmIp, nativePort);
      const ingressRoute = new IngressRoute(this, 'native_ingressroute', {
        namespace: ns,
        name: nativeName,
        routes: nativeRouteMatches(host).map((match) => ({
          match,
          priority: NATIVE_ROUTE_PRIORITY,
          middlewares: NATIVE_MIDDLEWARES,
          services: [{ name: service.metadata.name, port: 80 }],
        })),
        addressName: `${base}_native_ingressroute`,
      }).resource;
      this.native = { service, endpoints, ingressRoute };
    }

    // --- the probe ---
    if (probe) {
      const probeLabels = { app: probe.name };
      const script = readScript(PROBE_SCRIPT);
      const configMap = named(
        this,
        ConfigMapV1,
        `${base}_probe`,
        {
          metadata: { name: probe.name, namespace: ns.name },
          data: { [PROBE_FILE]: terraformLiteral(script) },
        },
        'probe_config',
      );
      const env = Object.entries({
        PROBE_WS_URL: `wss://${host}${PROBE_PATH}/ws`,
        PROBE_PIN_IP: site.internalLbIp,
        PROBE_SESSION_URL: `http://${devvmIp}:${probe.t3ServePort}/api/auth/session`,
      })
        .filter(([k, v]) => PROBE_SCRIPT_DEFAULTS[k] !== v)
        .map(([k, v]) => ({ name: k, value: v }));
      const deployment = named(
        this,
        DeploymentV1,
        `${base}_probe`,
        {
          metadata: { name: probe.name, namespace: ns.name, labels: { ...probeLabels } },
          spec: {
            replicas: '1',
            selector: { matchLabels: { ...probeLabels } },
            template: {
              metadata: {
                labels: { ...probeLabels },
                annotations: { 'checksum/probe': sha256(script) },
              },
              spec: {
                container: [
                  {
                    name: 'probe',
                    image: probe.image,
                    command: ['python', `${PROBE_DIR}/${PROBE_FILE}`],
                    ...(env.length > 0 ? { env } : {}),
                    port: [{ containerPort: PROBE_METRICS_PORT, name: 'metrics' }],
                    volumeMount: [{ name: 'app', mountPath: PROBE_DIR, readOnly: true }],
                    resources: probe.resources,
                  },
                ],
                volume: [{ name: 'app', configMap: { name: configMap.metadata.name } }],
              },
            },
          },
          lifecycle: ignoreChanges(
            Ignore.kyvernoPodDnsConfig,
            Ignore.keelAnnotations,
            Ignore.keelUpdateTime,
            Ignore.keelImage(0),
            Ignore.tierLabel,
          ),
        },
        'probe_deployment',
      );
      const service = named(
        this,
        Service,
        `${base}_probe`,
        {
          metadata: { name: probe.name, namespace: ns.name, labels: { ...probeLabels } },
          spec: {
            selector: { ...probeLabels },
            port: [{ name: 'metrics', port: PROBE_METRICS_PORT, targetPort: String(PROBE_METRICS_PORT) }],
          },
        },
        'probe_service',
      );
      // Unauthenticated on purpose: the synthetic client cannot log in, and the surface is an echo with
      // no user data. The probe is a bot, so the anti-AI middlewares stay off; the main ingress owns DNS.
      const ingress = new IngressFactory(this, 'probe_ingress', {
        name: probe.name,
        namespace: ns,
        serviceName: this.dispatcherService.metadata.name,
        fullHost: host,
        ingressPath: [PROBE_PATH],
        auth: IngressAuth.NONE,
        antiAiScraping: false,
        dnsType: DnsType.NONE,
        homepageEnabled: false,
        legacyAddress: probeModule,
      });
      this.probe = { configMap, deployment, service, ingress };
    }

    // --- opt-in: per-user RBAC ---
    const clusterRoleBindings: Record<string, ClusterRoleBindingV1> = {};
    const roleBindings: Record<string, RoleBindingV1> = {};
    if (rbac) {
      const subject = (u: RosterUser) => [{ kind: 'User', name: u.k8s_user, apiGroup: RBAC }];
      for (const u of rbac.users) {
        const suffix = rbacNameSuffix(u.os_user);
        if (u.tier === 'power-user') {
          clusterRoleBindings[u.os_user] = named(
            this,
            ClusterRoleBindingV1,
            `${base}_power_user_${u.os_user}`,
            {
              metadata: { name: `${name}-power-user-${suffix}` },
              roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: rbac.powerUserClusterRole },
              subject: subject(u),
            },
            `power_user:${u.os_user}`,
          );
        } else if (u.tier === 'namespace-owner') {
          for (const namespace of u.namespaces) {
            roleBindings[`${u.os_user}/${namespace}`] = named(
              this,
              RoleBindingV1,
              `${base}_namespace_owner_${u.os_user}_${namespace}`,
              {
                metadata: { name: `${name}-namespace-owner-${suffix}`, namespace },
                roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: rbac.namespaceOwnerClusterRole },
                subject: subject(u),
              },
              `namespace_owner:${u.os_user}:${namespace}`,
            );
          }
        }
      }
    }
    this.clusterRoleBindings = clusterRoleBindings;
    this.roleBindings = roleBindings;

    // --- opt-in: Vault policy + AppRole for the DevVM provisioner ---
    if (vault) {
      useVault(this);
      const policy = named(
        this,
        Policy,
        `${base}_provisioner`,
        { name: vault.name, policy: provisionerPolicy(vault.kvMount, vault.secrets) },
        'provisioner_policy',
      );
      const role = named(
        this,
        ApproleAuthBackendRole,
        `${base}_provisioner`,
        {
          backend: vault.backend,
          roleName: vault.name,
          tokenPolicies: [policy.name],
          tokenTtl: vault.tokenTtl,
          tokenMaxTtl: vault.tokenMaxTtl,
          secretIdBoundCidrs: [...vault.boundCidrs],
          tokenBoundCidrs: [...vault.boundCidrs],
        },
        'provisioner_role',
      );
      this.provisioner = { policy, role };
    }
  }

  /** A Service without selector (its Endpoints point outside the cluster): port `http` 80 -> `port`. */
  private selectorlessService(tfName: string, constructId: string, name: string, port: number): Service {
    return named(
      this,
      Service,
      tfName,
      {
        metadata: { name, namespace: this.nsName, labels: { app: this.name } },
        spec: { port: [{ name: 'http', port: 80, targetPort: String(port) }] },
      },
      `${constructId}_service`,
    );
  }

  private endpoints(tfName: string, constructId: string, name: string, ip: string, port: number): Endpoints {
    return named(
      this,
      Endpoints,
      tfName,
      {
        metadata: { name, namespace: this.nsName },
        subset: [{ address: [{ ip }], port: [{ name: 'http', port }] }],
      },
      `${constructId}_endpoints`,
    );
  }

  private checkProbe(name: string, p: T3ProbeProps, nativePort: number) {
    return {
      name: dnsLabel(this, 'probe.name', p.name ?? `${name}-probe`),
      image: pinnedImage(this, 'probe.image', p.image ?? 'python:3.12-alpine'),
      resources: containerResources(
        this,
        'probe.resources',
        p.resources ?? { cpuRequest: '10m', memoryRequest: '64Mi', memoryLimit: '192Mi' },
      ),
      t3ServePort: portNumber(this, 'probe.t3ServePort', p.t3ServePort ?? nativePort),
    };
  }

  private checkRbac(r: T3RbacProps) {
    let users: RosterUser[];
    try {
      users = Object.values(rosterFromMembers(r.members ?? [], r.adminEmails ?? []));
    } catch (e) {
      if (!(e instanceof RosterError)) throw e;
      invalid(this, 'rbac.members', r.members, `members that pass the t3 roster rules (${e.message})`);
    }
    const names = new Map<string, string>();
    for (const u of users) {
      const suffix = rbacNameSuffix(u.os_user);
      const other = names.get(suffix);
      if (other !== undefined) {
        invalid(
          this,
          'rbac.members',
          [other, u.os_user],
          'os_users whose RBAC object names differ (set an os_user attribute on one of them)',
        );
      }
      names.set(suffix, u.os_user);
    }
    return {
      users,
      powerUserClusterRole: k8sName(
        this,
        'rbac.powerUserClusterRole',
        r.powerUserClusterRole ?? 'oidc-power-user-readonly',
      ),
      namespaceOwnerClusterRole: k8sName(
        this,
        'rbac.namespaceOwnerClusterRole',
        r.namespaceOwnerClusterRole ?? 'admin',
      ),
    };
  }

  private checkVault(name: string, devvmIp: string, v: T3ProvisionerVaultProps) {
    const pathLike = 'letters, digits, "_", "." and "-" in "/"-separated segments';
    const secrets = v.secrets ?? ['workstation', 'authentik'];
    if (!Array.isArray(secrets) || secrets.length === 0) {
      invalid(this, 'provisionerVault.secrets', secrets, 'at least one KV path, e.g. ["workstation"]');
    }
    secrets.forEach((s, i) => matches(this, `provisionerVault.secrets[${i}]`, s, VAULT_PATH, pathLike));
    const boundCidrs = v.boundCidrs ?? [`${devvmIp}/32`];
    if (!Array.isArray(boundCidrs) || boundCidrs.length === 0) {
      invalid(
        this,
        'provisionerVault.boundCidrs',
        boundCidrs,
        'at least one IPv4 CIDR, e.g. ["10.0.10.10/32"]',
      );
    }
    boundCidrs.forEach((c, i) =>
      matches(this, `provisionerVault.boundCidrs[${i}]`, c, CIDR4, 'an IPv4 CIDR such as "10.0.10.10/32"'),
    );
    const tokenTtl = integerInRange(this, 'provisionerVault.tokenTtl', v.tokenTtl ?? 900, 60, 86400);
    const tokenMaxTtl = integerInRange(
      this,
      'provisionerVault.tokenMaxTtl',
      v.tokenMaxTtl ?? 3600,
      60,
      86400,
    );
    if (tokenMaxTtl < tokenTtl) {
      invalid(this, 'provisionerVault.tokenMaxTtl', tokenMaxTtl, `at least tokenTtl (${tokenTtl})`);
    }
    return {
      name: matches(
        this,
        'provisionerVault.name',
        v.name ?? `${name}-provisioner`,
        /^[a-z0-9][a-z0-9_-]*$/,
        'lowercase letters, digits, "_" and "-"',
      ),
      backend: matches(this, 'provisionerVault.backend', v.backend ?? 'approle', VAULT_PATH, pathLike),
      kvMount: matches(this, 'provisionerVault.kvMount', v.kvMount ?? 'secret', VAULT_PATH, pathLike),
      secrets,
      boundCidrs,
      tokenTtl,
      tokenMaxTtl,
    };
  }
}
