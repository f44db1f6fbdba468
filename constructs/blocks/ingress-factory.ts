import { Construct } from 'constructs';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { Record as CloudflareRecord } from '@cdktf/provider-cloudflare/lib/record';
import type { ITerraformDependable, TerraformResource } from 'cdktf';
import {
  addressName,
  checkModuleAddress,
  moduleResourceAddress,
  movedFrom,
  named,
} from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { KubectlManifest } from '../../lib/terraform/kubectl';
import { useCloudflare, useKubectl } from '../../lib/terraform/providers';
import { siteOf, tlsSecretNameValue } from '../../lib/conventions/site';
import { isToken, k8sName, nonEmptyString, oneOf, port as portNumber } from '../../lib/validation/validate';
import { yamlencode } from '../../lib/terraform/yaml';
import type { IService } from './service';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import { INGRESS_FACTORY_KEYS, SABLIER_KEYS } from './prop-keys';
import { domain, hostname, namespaceName } from '../../lib/validation/conventions';
import type { INamespace } from './tiered-namespace';
import { TraefikMiddleware } from './traefik';

/** Who gates the app. Pick by asking "what stands between strangers and the app?" */
export enum IngressAuth {
  /** Authentik forward-auth on every request (fail-closed default: the app has no login of its own). */
  REQUIRED = 'required',
  /** The app has its own login; no Authentik middleware. Same wiring as NONE, different intent. */
  APP = 'app',
  /** Authentik anonymous binding via the public outpost: an audit trail, not a gate. */
  PUBLIC = 'public',
  /** Intentionally unauthenticated: Anubis-fronted sites, native-client APIs, webhooks, outposts. */
  NONE = 'none',
}

/** Which Cloudflare record the ingress gets. */
export enum DnsType {
  /** Through the tunnel; only the zone apex gets its own CNAME (others ride the `*` wildcard). */
  PROXIED = 'proxied',
  /** A + AAAA to the public IPs. */
  NON_PROXIED = 'non-proxied',
  /** A to the internal Traefik LB: reachable only from home LANs/VPN (pair with an IP allow-list). */
  INTERNAL = 'internal',
  /** No record. */
  NONE = 'none',
}

export enum SablierStrategy {
  /** Themed loading page that polls until the app is up (browser UIs). */
  DYNAMIC = 'dynamic',
  /** Hold the request until the app is up (API clients). */
  BLOCKING = 'blocking',
}

/** Scale-to-zero through Sablier (ADR-0022). The target workload must carry the sablier labels. */
export interface SablierProps {
  /** Sablier group. @default the ingress name */
  readonly group?: string;
  /** Idle window before the group is parked. @default "3h" */
  readonly sessionDuration?: string;
  /** @default SablierStrategy.DYNAMIC */
  readonly strategy?: SablierStrategy;
  /** Loading page title. @default the ingress name */
  readonly displayName?: string;
  /** Loading page theme. @default "ghost" */
  readonly theme?: string;
  /** Loading page poll interval. @default "5s" */
  readonly refreshFrequency?: string;
  /** How long a held request waits (blocking strategy). @default "5m" */
  readonly blockingTimeout?: string;
}

export interface IngressFactoryProps {
  /** Ingress name; also the default service name, host label, homepage name and icon. */
  readonly name: string;
  /** Namespace of the ingress and its middlewares. */
  readonly namespace: INamespace;
  /**
   * Backend service of this stack (from `exposeViaService()`): name, port and Sablier enrolment come
   * from it. @default the `serviceName` / `port` strings
   */
  readonly service?: IService;
  /** Backend service by name, for services outside this stack. @default `service`, else `name` */
  readonly serviceName?: string;
  /** Host label under the root domain. @default `name` */
  readonly host?: string;
  /** Full host name, overriding host + root domain. @default `<host>.<rootDomain>` */
  readonly fullHost?: string;
  /** Backend service port. @default the service's port, else 80 */
  readonly port?: number;
  /** TLS secret in the namespace. @default the site's TLS secret name */
  readonly tlsSecretName?: string;
  /** @default IngressAuth.REQUIRED */
  readonly auth?: IngressAuth;
  /** Paths routed to the backend. @default ["/"] */
  readonly ingressPath?: string[];
  /** Maximum request body, e.g. "5g", "100m", "512k" or bytes; adds a Buffering middleware. @default no limit */
  readonly maxBodySize?: string;
  /** Annotations merged over the homepage defaults (DNS, monitor and group annotations still win). @default none */
  readonly extraAnnotations?: Record<string, string>;
  /** Add the `local-only` IP allow-list middleware. @default false */
  readonly allowLocalAccessOnly?: boolean;
  /** Root domain. @default the site's root domain */
  readonly rootDomain?: string;
  /** Per-ingress Content-Security-Policy (replaces the shared csp-headers middleware). @default none */
  readonly customContentSecurityPolicy?: string;
  /** Middlewares appended after the defaults (duplicates dropped). @default none */
  readonly extraMiddlewares?: string[];
  /** Scale-to-zero through Sablier. @default the service's Sablier declaration, else not enrolled */
  readonly sablier?: SablierProps;
  /** Drop the shared rate-limit middleware. @default false */
  readonly skipDefaultRateLimit?: boolean;
  /** AI-bot blocking middlewares. @default true when auth is NONE or APP, else false */
  readonly antiAiScraping?: boolean;
  /** Authentik groups allowed through (auth REQUIRED only). @default ["Home Server Admins"] */
  readonly allowedGroups?: string[];
  /** @default DnsType.NONE */
  readonly dnsType?: DnsType;
  /** Uptime Kuma external monitor. @default true for proxied and non-proxied DNS */
  readonly externalMonitor?: boolean;
  /** Monitor label. @default the host label */
  readonly externalMonitorName?: string;
  /** @default the site's zone id */
  readonly cloudflareZoneId?: string;
  /** @default the site's tunnel id */
  readonly cloudflareTunnelId?: string;
  /** @default the site's public IPv4 */
  readonly publicIp?: string;
  /** @default the site's public IPv6 */
  readonly publicIpv6?: string;
  /** @default the site's internal LB IP */
  readonly internalLbIp?: string;
  /** Homepage group. @default derived from the namespace, else "Other" */
  readonly homepageGroup?: string;
  /** Emit gethomepage.dev annotations (one tile per app: secondary ingresses set false). @default true */
  readonly homepageEnabled?: boolean;
  /**
   * Address of the tree `ingress_factory` module call this replaces (e.g. "module.ingress"): emits moved
   * blocks from each of its resource addresses. @default none
   */
  readonly legacyAddress?: string;
  /**
   * Resources the ingress is created after (the tree's module `depends_on`, e.g. a Middleware the chain
   * names). @default none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

const TRAEFIK = (name: string) => `traefik-${name}@kubernetescrd`;

/** Namespace -> homepage group, as the tree's ingress_factory. */
export const HOMEPAGE_GROUPS: Readonly<Record<string, string>> = {
  monitoring: 'Infrastructure',
  prometheus: 'Infrastructure',
  technitium: 'Infrastructure',
  traefik: 'Infrastructure',
  'metallb-system': 'Infrastructure',
  kyverno: 'Infrastructure',
  dbaas: 'Infrastructure',
  mailserver: 'Infrastructure',
  authentik: 'Identity & Security',
  crowdsec: 'Identity & Security',
  woodpecker: 'Development & CI',
  forgejo: 'Development & CI',
  immich: 'Media & Entertainment',
  servarr: 'Media & Entertainment',
  navidrome: 'Media & Entertainment',
  frigate: 'Smart Home',
  'home-assistant': 'Smart Home',
  'reverse-proxy': 'Smart Home',
  ollama: 'AI & Data',
  nextcloud: 'Productivity',
  n8n: 'Automation',
  changedetection: 'Automation',
  finance: 'Finance & Personal',
  homepage: 'Core Platform',
};

const BODY_SIZE = /^([0-9]+)([kmgKMG]?)$/;
const BODY_UNITS: Record<string, number> = { g: 1073741824, m: 1048576, k: 1024, '': 1 };

/** Bytes of a max body size ("5g" -> 5368709120), or undefined when the format is wrong. */
export function maxBodySizeBytes(size: string): number | undefined {
  const m = BODY_SIZE.exec(size);
  return m ? Number(m[1]) * BODY_UNITS[m[2].toLowerCase()] : undefined;
}

/**
 * Everything a service needs to be reachable through Traefik, as the tree's `ingress_factory` module:
 * the Ingress with its ordered, de-duplicated middleware chain and merged annotations, optional
 * per-ingress middlewares (custom CSP, buffering, Sablier) and Cloudflare records by `dnsType`.
 *
 * Addresses: `kubernetes_ingress_v1.<id>`, `kubernetes_manifest.<id>_custom_csp|_buffering`,
 * `kubectl_manifest.<id>_sablier`, `cloudflare_record.<id>_proxied|_non_proxied_a|_non_proxied_aaaa|_internal_a`.
 */
export class IngressFactory extends Construct {
  readonly host: string;
  readonly ingress: IngressV1;
  /** The value of the router.middlewares annotation. */
  readonly middlewares: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly records: readonly CloudflareRecord[];

  constructor(scope: Construct, id: string, props: IngressFactoryProps) {
    super(scope, id);
    checkProps(this, 'props', props, INGRESS_FACTORY_KEYS);
    checkNestedProps(this, '', props, { sablier: SABLIER_KEYS });
    const site = siteOf(this);
    const name = k8sName(this, 'name', props.name);
    const namespace = namespaceName(this, 'namespace.name', props.namespace?.name);
    const auth = oneOf(this, 'auth', props.auth ?? IngressAuth.REQUIRED, Object.values(IngressAuth));
    const dnsType = oneOf(this, 'dnsType', props.dnsType ?? DnsType.NONE, Object.values(DnsType));
    if (props.service !== undefined && props.serviceName !== undefined) {
      invalid(this, 'serviceName', props.serviceName, 'unset when service is given (one backend)');
    }
    const port = portNumber(this, 'port', props.port ?? props.service?.port ?? 80);
    const rootDomain = domain(this, 'rootDomain', props.rootDomain ?? site.rootDomain);
    const paths = props.ingressPath ?? ['/'];
    if (paths.length === 0) invalid(this, 'ingressPath', paths, 'at least one path, e.g. ["/"]');
    paths.forEach((p, i) => {
      if (!isToken(p) && (typeof p !== 'string' || !p.startsWith('/')))
        invalid(this, `ingressPath[${i}]`, p, 'a path starting with "/"');
    });
    let bodyBytes: number | undefined;
    if (props.maxBodySize !== undefined) {
      bodyBytes = maxBodySizeBytes(props.maxBodySize);
      if (bodyBytes === undefined) {
        invalid(
          this,
          'maxBodySize',
          props.maxBodySize,
          'digits with an optional k, m or g suffix, e.g. "5g", "100m", "512k"',
        );
      }
    }
    const sablier = props.sablier ?? props.service?.sablier;
    if (sablier) {
      oneOf(
        this,
        'sablier.strategy',
        sablier.strategy ?? SablierStrategy.DYNAMIC,
        Object.values(SablierStrategy),
      );
    }
    if (props.serviceName !== undefined) nonEmptyString(this, 'serviceName', props.serviceName);
    if (props.host !== undefined) hostname(this, 'host', props.host);
    if (props.fullHost !== undefined) hostname(this, 'fullHost', props.fullHost);
    if (props.allowedGroups !== undefined) {
      if (!Array.isArray(props.allowedGroups) || props.allowedGroups.length === 0) {
        // An empty list renders `allowed-groups: ""`, which the Authentik outpost reads as nobody.
        invalid(
          this,
          'allowedGroups',
          props.allowedGroups,
          'a non-empty list of Authentik group names (omit for ["Home Server Admins"])',
        );
      }
      props.allowedGroups.forEach((g, i) => nonEmptyString(this, `allowedGroups[${i}]`, g));
    }
    const legacy = checkModuleAddress(this, 'legacyAddress', props.legacyAddress);

    const host = props.fullHost ?? `${props.host ?? name}.${rootDomain}`;
    this.host = host;
    const antiAi = props.antiAiScraping ?? (auth === IngressAuth.NONE || auth === IngressAuth.APP);
    const authMiddleware =
      auth === IngressAuth.REQUIRED
        ? TRAEFIK('authentik-forward-auth')
        : auth === IngressAuth.PUBLIC
          ? TRAEFIK('authentik-forward-auth-public')
          : undefined;
    const serviceName = props.service?.name ?? props.serviceName ?? name;
    const chain = [
      // Anubis backends need the real client IP (its trusted-networks rule matches X-Real-Ip).
      !isToken(serviceName) && serviceName.startsWith('anubis-') ? TRAEFIK('real-ip') : undefined,
      TRAEFIK('retry'),
      TRAEFIK('error-pages'),
      props.skipDefaultRateLimit ? undefined : TRAEFIK('rate-limit'),
      props.customContentSecurityPolicy === undefined ? TRAEFIK('csp-headers') : undefined,
      antiAi ? TRAEFIK('ai-bot-block') : undefined,
      antiAi ? TRAEFIK('anti-ai-headers') : undefined,
      authMiddleware,
      props.allowLocalAccessOnly ? TRAEFIK('local-only') : undefined,
      // After auth, so unauthenticated scanners never wake a parked app.
      sablier ? `${namespace}-sablier-${name}@kubernetescrd` : undefined,
      props.customContentSecurityPolicy !== undefined
        ? `${namespace}-custom-csp-${name}@kubernetescrd`
        : undefined,
      props.maxBodySize !== undefined ? `${namespace}-buffering-${name}@kubernetescrd` : undefined,
      ...(props.extraMiddlewares ?? []),
    ];
    this.middlewares = [...new Set(chain.filter((m): m is string => !!m))].join(',');

    // The group map is keyed by the literal name; a TieredNamespace's `name` is a reference.
    const nsObject = props.namespace as INamespace & { readonly literalName?: string };
    const homepageNamespace = nsObject.literalName ?? namespace;
    const homepage: Record<string, string> =
      props.homepageEnabled === false
        ? {}
        : {
            'gethomepage.dev/enabled': 'true',
            'gethomepage.dev/name': name.replace(/[-_]/g, ' '),
            'gethomepage.dev/group': props.homepageGroup ?? HOMEPAGE_GROUPS[homepageNamespace] ?? 'Other',
            'gethomepage.dev/href': `https://${host}`,
            'gethomepage.dev/icon': `${name.replace(/-/g, '')}.png`,
          };
    const effectiveMonitor =
      props.externalMonitor ?? (dnsType === DnsType.PROXIED || dnsType === DnsType.NON_PROXIED);
    const monitor: Record<string, string> = effectiveMonitor
      ? {
          'uptime.viktorbarzin.me/external-monitor': 'true',
          ...(props.externalMonitorName !== undefined
            ? { 'uptime.viktorbarzin.me/external-monitor-name': props.externalMonitorName }
            : {}),
        }
      : props.externalMonitor === false
        ? { 'uptime.viktorbarzin.me/external-monitor': 'false' }
        : {};
    // Later maps win: extra annotations override homepage defaults, never DNS/monitor/group keys.
    this.annotations = {
      'traefik.ingress.kubernetes.io/router.middlewares': this.middlewares,
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      ...homepage,
      ...props.extraAnnotations,
      ...(dnsType !== DnsType.NONE ? { 'cloudflare.viktorbarzin.me/dns-type': dnsType } : {}),
      ...monitor,
      ...(auth === IngressAuth.REQUIRED
        ? {
            'authentik.viktorbarzin.me/allowed-groups': (props.allowedGroups ?? ['Home Server Admins']).join(
              ',',
            ),
          }
        : {}),
    };

    const base = addressName(this);
    const moved: Array<[TerraformResource, string, string, number | undefined]> = [];
    this.ingress = named(this, IngressV1, base, {
      ...(props.dependsOn?.length ? { dependsOn: [...props.dependsOn] } : {}),
      metadata: { name, namespace, annotations: { ...this.annotations } },
      spec: {
        ingressClassName: 'traefik',
        tls: [
          { hosts: [host], secretName: tlsSecretNameValue(this, props.tlsSecretName ?? site.tlsSecretName) },
        ],
        rule: [
          {
            host,
            http: {
              path: paths.map((path) => ({
                path,
                backend: { service: { name: serviceName, port: { number: port } } },
              })),
            },
          },
        ],
      },
    });
    moved.push([this.ingress, 'kubernetes_ingress_v1', 'proxied-ingress', undefined]);

    if (props.customContentSecurityPolicy !== undefined) {
      const csp = new TraefikMiddleware(this, 'custom_csp', {
        namespace: props.namespace,
        name: `custom-csp-${name}`,
        contentSecurityPolicy: props.customContentSecurityPolicy,
        addressName: `${base}_custom_csp`,
      }).resource;
      moved.push([csp, 'kubernetes_manifest', 'custom_csp', 0]);
    }
    if (bodyBytes !== undefined) {
      const buffering = new TraefikMiddleware(this, 'buffering', {
        namespace: props.namespace,
        name: `buffering-${name}`,
        maxRequestBodyBytes: bodyBytes,
        addressName: `${base}_buffering`,
      }).resource;
      moved.push([buffering, 'kubernetes_manifest', 'buffering', 0]);
    }
    if (sablier) {
      const blocking = sablier.strategy === SablierStrategy.BLOCKING;
      const plugin = {
        sablierUrl: 'http://sablier.sablier.svc.cluster.local:10000',
        group: sablier.group ?? name,
        sessionDuration: sablier.sessionDuration ?? '3h',
        failOpen: true,
        // Probes get an immediate 200 without waking anything.
        ignoreUserAgent: ['(?i)uptime-?kuma', '(?i)blackbox', 'Go-http-client'],
        ...(blocking
          ? { blocking: { timeout: sablier.blockingTimeout ?? '5m' } }
          : {
              dynamic: {
                displayName: sablier.displayName ?? name,
                // A string, as in the tree: its conditional unifies both branches to map(map(string)).
                showDetails: 'true',
                theme: sablier.theme ?? 'ghost',
                refreshFrequency: sablier.refreshFrequency ?? '5s',
              },
            }),
      };
      let yamlBody: string;
      try {
        yamlBody = yamlencode({
          apiVersion: 'traefik.io/v1alpha1',
          kind: 'Middleware',
          metadata: { name: `sablier-${name}`, namespace },
          spec: { plugin: { sablier: plugin } },
        });
      } catch (e) {
        invalid(
          this,
          'sablier',
          sablier,
          `values Terraform's yamlencode renders on one line (${(e as Error).message})`,
        );
      }
      useKubectl(this);
      const middleware = named(this, KubectlManifest, `${base}_sablier`, { yamlBody });
      moved.push([middleware, 'kubectl_manifest', 'sablier', 0]);
    }

    const records: CloudflareRecord[] = [];
    if (dnsType !== DnsType.NONE) {
      const dnsName = host === rootDomain ? '@' : host.split(`.${rootDomain}`).join('');
      const zoneId = props.cloudflareZoneId ?? site.cloudflareZoneId;
      const record = (role: string, type: string, content: string, proxied: boolean) => {
        useCloudflare(this);
        const r = named(this, CloudflareRecord, `${base}_${role}`, {
          name: dnsName,
          content,
          proxied,
          ttl: 1,
          type,
          zoneId,
          allowOverwrite: true,
        });
        records.push(r);
        moved.push([r, 'cloudflare_record', role, 0]);
      };
      if (dnsType === DnsType.PROXIED && dnsName === '@') {
        // Only the apex needs a record: other proxied hosts ride the zone-wide `*` CNAME (ADR-0021).
        record(
          'proxied',
          'CNAME',
          `${props.cloudflareTunnelId ?? site.cloudflareTunnelId}.cfargotunnel.com`,
          true,
        );
      } else if (dnsType === DnsType.NON_PROXIED) {
        record('non_proxied_a', 'A', props.publicIp ?? site.publicIpv4, false);
        record('non_proxied_aaaa', 'AAAA', props.publicIpv6 ?? site.publicIpv6, false);
      } else if (dnsType === DnsType.INTERNAL) {
        record('internal_a', 'A', props.internalLbIp ?? site.internalLbIp, false);
      }
    }
    this.records = records;

    if (legacy) {
      for (const [resource, type, tfName, index] of moved) {
        movedFrom(resource, moduleResourceAddress(legacy, type, tfName, index));
      }
    }
  }
}
