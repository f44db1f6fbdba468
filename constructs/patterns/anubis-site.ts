import { Construct } from 'constructs';
import type { TerraformResource } from 'cdktf';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import {
  addressName,
  checkModuleAddress,
  moduleResourceAddress,
  movedFrom,
  named,
} from '../../lib/terraform/addresses';
import {
  ANUBIS_IMAGE,
  DIFFICULTY_RANGE,
  isCidr,
  isHostOrParent,
  nonBrowserEndpoint,
  anubisPolicyExpression,
  STORE_DB_MAX,
  STORE_URL,
} from '../../lib/domain/anubis';
import { prometheusScrape } from '../../lib/conventions/metadata';
import { invalid } from '../../lib/validation/errors';
import { Ignore } from '../../lib/conventions/lifecycle';
import { siteOf } from '../../lib/conventions/site';
import { treeModulePayload, type TreePayload } from '../../lib/terraform/tree-payload';
import {
  dnsLabel,
  httpUrl,
  integerInRange,
  isToken,
  matches,
  nonEmptyString,
  port as portNumber,
  quantity,
} from '../../lib/validation/validate';
import { ExternalSecret } from '../blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory, type IngressFactoryProps } from '../blocks/ingress-factory';
import type { IService } from '../blocks/service';
import type { INamespace } from '../blocks/tiered-namespace';
import { Deployment, Keel, Probe, Volume } from '../blocks/workload';
import { Duration } from '../../lib/core/units';
import { checkProps } from '../../lib/validation/props';
import { ANUBIS_SITE_KEYS } from './prop-keys';
import { namespaceName } from '../../lib/validation/conventions';

/** The site's public ingress: IngressFactory props, minus what AnubisSite decides. */
export type AnubisIngressProps = Omit<
  IngressFactoryProps,
  'name' | 'namespace' | 'service' | 'serviceName' | 'port' | 'auth'
> & {
  /** Ingress name (also the default host label). @default the site `name` */
  readonly name?: string;
};

export interface AnubisSiteProps {
  /** Short site name: Anubis resources are `anubis-<name>`; also the default ingress name. */
  readonly name: string;
  /** Namespace of the site (a `TieredNamespace`, or `TieredNamespace.fromName()`). */
  readonly namespace: INamespace;
  /**
   * The protected backend Service (from `exposeViaService()`, or `serviceFromName()` for one outside the
   * stack); its Sablier declaration enrols the site's ingress.
   */
  readonly backend: IService;
  /** URL Anubis forwards passing requests to. @default `http://<serviceName>.<namespace>.svc.cluster.local[:port]` */
  readonly targetUrl?: string;
  /**
   * Valkey/Redis store for in-flight challenges, `redis://host:port/db` with a DB index of its own. Required
   * for 2 replicas: with the in-memory store a challenge issued by one pod fails on the other
   * (`store: key not found`). @default in-memory
   */
  readonly sharedStoreUrl?: string;
  /** 1 or 2 (2 needs `sharedStoreUrl`). @default 2 with a shared store, else 1 */
  readonly replicas?: number;
  /** Proof-of-work difficulty (leading zero hex digits). @default 2 (~250 ms desktop) */
  readonly difficulty?: number;
  /** Cookie domain: the host or a parent domain (one solve covers every site below it). @default the root domain */
  readonly cookieDomain?: string;
  /** Cookie lifetime in hours. @default 720 (30 days) */
  readonly cookieExpirationHours?: number;
  /** Anubis image tag, pinned. @default "v1.25.0" */
  readonly imageTag?: string;
  /** Memory request == limit. @default "128Mi" */
  readonly memory?: string;
  /** @default "20m" */
  readonly cpuRequest?: string;
  /**
   * Policy rules replacing the default set: items of the `bots:` list only (YAML, no top-level keys). The
   * trusted-local ALLOW rule always comes first. @default the tree module's strict default set, read at plan
   * time from the tree payload `tree-payloads/_modules/anubis_instance/default-policy-rules.yaml`. Literal
   * YAML, or a `TreePayload` (the tree stack's `policy_rules_yaml` heredoc: `treeHeredoc(stack,
   * 'policy_rules_yaml')`), read at plan time and guarded like the default set.
   */
  readonly policyRules?: string | TreePayload;
  /** Networks that skip every rule (matched on X-Real-Ip). @default private, CGNAT and IPv6 local ranges */
  readonly trustedLocalCidrs?: string[];
  /** The public ingress through Anubis. @default name = site name, DNS none */
  readonly ingress?: AnubisIngressProps;
  /**
   * Paths sent straight to the backend, around Anubis (non-browser clients: curl scripts, APIs, git, feeds).
   * A path also listed in `ingress.ingressPath` is served directly only. @default none
   */
  readonly directPaths?: string[];
  /** The direct-path ingress. @default name `<ingress name>-direct` */
  readonly directIngress?: {
    readonly name?: string;
    /** Tree module it replaces, e.g. "module.ingress_net_diag". @default none */
    readonly legacyAddress?: string;
  };
  /** Tree `anubis_instance` module call this replaces (e.g. "module.anubis"): emits moved blocks. @default none */
  readonly legacyAddress?: string;
}

const HTTP_PORT = 8923;
const METRICS_PORT = 9090;
/** Port of the Anubis Service (the ingress backend port). */
export const ANUBIS_SERVICE_PORT = 8080;

const STORES = new WeakMap<object, Map<string, string>>();

/** A TreePayload (not a string): custom rules read at plan time. */
function isPayload(rules: unknown): rules is TreePayload {
  return (
    typeof rules === 'object' &&
    rules !== null &&
    typeof (rules as TreePayload).path === 'string' &&
    typeof (rules as TreePayload).expression === 'string' &&
    typeof (rules as TreePayload).guard === 'function'
  );
}

/**
 * A public, content-bearing site without its own login behind Anubis, as the tree's `anubis_instance`
 * module plus the site's ingress: policy ConfigMap, ExternalSecret for the shared ed25519 key, Deployment,
 * Service (8080 -> 8923, metrics 9090), PodDisruptionBudget, the public ingress (auth none, real-ip
 * middleware, no ai-bot-block: Anubis is the gatekeeper) and optionally a direct-path ingress for
 * non-browser paths. See docs/constructs/anubis-site.md.
 *
 * Addresses (id `anubis`): `kubernetes_config_map.anubis_policy`, `kubernetes_manifest.anubis_ed25519_key`,
 * `kubernetes_deployment.anubis`, `kubernetes_service.anubis`, `kubernetes_pod_disruption_budget_v1.anubis`,
 * `kubernetes_ingress_v1.anubis_ingress` (+ its DNS/middleware resources), `kubernetes_ingress_v1.anubis_direct`.
 */
export class AnubisSite extends Construct {
  /** `anubis-<name>`: Deployment, Service and ingress backend. */
  readonly serviceName: string;
  readonly servicePort = ANUBIS_SERVICE_PORT;
  /**
   * The botPolicies.yaml value: a Terraform expression (it reads the tree payloads
   * `tree-payloads/_modules/anubis_instance/*` at plan time), null while one is missing.
   */
  readonly policy: string;
  readonly targetUrl: string;
  readonly ingress: IngressFactory;
  readonly directIngress?: IngressFactory;
  readonly deployment: Deployment;

  constructor(scope: Construct, id: string, props: AnubisSiteProps) {
    super(scope, id);
    checkProps(this, 'props', props, ANUBIS_SITE_KEYS);
    const site = siteOf(this);
    const name = dnsLabel(this, 'name', props.name, 56);
    const namespace = namespaceName(this, 'namespace.name', props.namespace?.name);
    const fullName = `anubis-${name}`;
    const backendService = nonEmptyString(this, 'backend.name', props.backend?.name);
    const backendPort = portNumber(this, 'backend.port', props.backend.port);
    const legacy = checkModuleAddress(this, 'legacyAddress', props.legacyAddress);

    // Store and replicas: a second pod only with a shared store.
    const store = props.sharedStoreUrl;
    if (store !== undefined) {
      const db = STORE_URL.exec(store);
      if (!db || Number(db[1]) > STORE_DB_MAX) {
        invalid(
          this,
          'sharedStoreUrl',
          store,
          `redis://host:port/db with a DB index 0-${STORE_DB_MAX} of its own, e.g. "redis://${site.redisHost}:6379/10"`,
        );
      }
    }
    const replicas = props.replicas ?? (store === undefined ? 1 : 2);
    if (replicas !== 1 && replicas !== 2) {
      invalid(this, 'replicas', replicas, '1 or 2 (2 needs sharedStoreUrl)');
    }
    if (replicas === 2 && store === undefined) {
      invalid(
        this,
        'replicas',
        replicas,
        '1 without sharedStoreUrl: in-memory challenges fail across pods ("store: key not found"); set sharedStoreUrl = "redis://host:port/db" to run 2',
      );
    }

    const difficulty = integerInRange(
      this,
      'difficulty',
      props.difficulty ?? 2,
      DIFFICULTY_RANGE.min,
      DIFFICULTY_RANGE.max,
    );
    const cookieHours = integerInRange(
      this,
      'cookieExpirationHours',
      props.cookieExpirationHours ?? 720,
      1,
      8760,
    );
    const imageTag = matches(
      this,
      'imageTag',
      props.imageTag ?? 'v1.25.0',
      /^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
      'a pinned release tag such as "v1.25.0", never "latest"',
    );
    const memory = quantity(this, 'memory', props.memory ?? '128Mi');
    const cpuRequest = quantity(this, 'cpuRequest', props.cpuRequest ?? '20m');
    const cidrs = props.trustedLocalCidrs;
    if (cidrs !== undefined) {
      if (!Array.isArray(cidrs) || cidrs.length === 0) {
        invalid(this, 'trustedLocalCidrs', cidrs, 'at least one private CIDR, e.g. ["10.0.0.0/8"]');
      }
      cidrs.forEach((c, i) => {
        if (typeof c !== 'string' || !isCidr(c)) {
          invalid(
            this,
            `trustedLocalCidrs[${i}]`,
            c,
            'an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fc00::/7"',
          );
        }
      });
    }
    const rules = props.policyRules;
    const rulesPayload = isPayload(rules) ? rules : undefined;
    if (rules !== undefined && rulesPayload === undefined) {
      const topKey = typeof rules === 'string' ? /^([A-Za-z_][\w-]*):/m.exec(rules) : null;
      if (typeof rules !== 'string' || isToken(rules) || rules.trim() === '' || topKey) {
        invalid(
          this,
          'policyRules',
          rules,
          'literal YAML items of the bots: list only ("- name: ..." entries), without top-level keys such as bots: or store: (the construct renders those), or a TreePayload (treeHeredoc) read at plan time',
        );
      }
    }

    // Where the site lives, and which paths Anubis would stand in front of.
    const ing = props.ingress ?? {};
    const ingressName = ing.name ?? name;
    const host = ing.fullHost ?? `${ing.host ?? ingressName}.${ing.rootDomain ?? site.rootDomain}`;
    const cookieDomain = nonEmptyString(this, 'cookieDomain', props.cookieDomain ?? site.rootDomain);
    if (!isToken(host) && !isToken(cookieDomain) && !isHostOrParent(host, cookieDomain)) {
      invalid(this, 'cookieDomain', cookieDomain, `"${host}" or a parent domain of it`);
    }
    const directPaths = props.directPaths ?? [];
    directPaths.forEach((p, i) => {
      if (typeof p !== 'string' || !p.startsWith('/') || p === '/' || directPaths.indexOf(p) !== i) {
        invalid(
          this,
          `directPaths[${i}]`,
          p,
          'a distinct path below "/" (a site served entirely around Anubis needs a plain IngressFactory)',
        );
      }
    });
    const protectedPaths = ing.ingressPath ?? ['/'];
    protectedPaths.forEach((p, i) => {
      const kind = typeof p === 'string' && !isToken(p) ? nonBrowserEndpoint(p) : undefined;
      if (kind && !directPaths.includes(p)) {
        invalid(
          this,
          `ingress.ingressPath[${i}]`,
          p,
          `browser paths only: ${kind} clients cannot solve the challenge; carve it out with directPaths: ["${p}"]`,
        );
      }
    });
    const anubisPaths = protectedPaths.filter((p) => !directPaths.includes(p));
    if (anubisPaths.length === 0) {
      invalid(this, 'ingress.ingressPath', protectedPaths, 'at least one path not carved out by directPaths');
    }
    const defaultTarget = `http://${backendService}.${namespace}.svc.cluster.local${backendPort === 80 ? '' : `:${backendPort}`}`;
    this.targetUrl = httpUrl(this, 'targetUrl', props.targetUrl ?? defaultTarget);
    if (!isToken(this.targetUrl)) {
      const kind = nonBrowserEndpoint(new URL(this.targetUrl).pathname);
      if (kind) {
        invalid(
          this,
          'targetUrl',
          this.targetUrl,
          `the URL of a browser site; ${kind} endpoints must not sit behind Anubis (use a plain IngressFactory)`,
        );
      }
    }
    const directLegacy = checkModuleAddress(
      this,
      'directIngress.legacyAddress',
      props.directIngress?.legacyAddress,
    );
    if (directPaths.length === 0 && props.directIngress !== undefined) {
      invalid(this, 'directIngress', props.directIngress, 'unset when directPaths is empty');
    }

    if (store !== undefined) {
      // Sites share one Redis: each needs its own DB index (checked across every stack of the app).
      const used = STORES.get(this.node.root) ?? new Map<string, string>();
      STORES.set(this.node.root, used);
      const other = used.get(store);
      if (other)
        invalid(this, 'sharedStoreUrl', store, `a DB index no other Anubis site uses (${other} has it)`);
      used.set(store, this.node.path);
    }

    this.serviceName = fullName;
    // The tree's prose (the trusted rule's comment lines, the default rules) is read at plan time.
    const comments = treeModulePayload(this, 'anubis_instance/trusted-local-rule-comments.yaml');
    const defaultRules = treeModulePayload(this, 'anubis_instance/default-policy-rules.yaml');
    const policyText = anubisPolicyExpression({
      commentsPath: comments.path,
      defaultRulesPath: defaultRules.path,
      trustedLocalCidrs: cidrs,
      rules,
      sharedStoreUrl: store,
    });
    const payloads =
      rules === undefined ? [comments, defaultRules] : rulesPayload ? [comments, rulesPayload] : [comments];
    this.policy = policyText.value;
    const labels = {
      app: fullName,
      'app.kubernetes.io/name': 'anubis',
      'app.kubernetes.io/instance': fullName,
      'app.kubernetes.io/component': 'ai-bot-challenge',
      'app.kubernetes.io/managed-by': 'terraform',
    };
    const selector = { app: fullName };
    const base = addressName(this);
    const moved: Array<[TerraformResource, string]> = [];

    const policy = named(this, ConfigMap, `${base}_policy`, {
      metadata: { name: `${fullName}-policy`, namespace, labels: { ...labels } },
      data: { 'botPolicies.yaml': this.policy },
    });
    for (const p of payloads) p.guard(policy);
    moved.push([policy, 'policy']);

    // The signing key is shared by every site, so a token solved on one is honoured by all.
    const key = new ExternalSecret(this, 'ed25519_key', {
      namespace: props.namespace,
      name: `${fullName}-key`,
      creationPolicy: 'Owner',
      data: [{ secretKey: 'key', vault: { path: 'viktor', property: 'anubis_ed25519_key' } }],
      legacyAddress: legacy && moduleResourceAddress(legacy, 'kubernetes_manifest', 'ed25519_secret'),
    });

    const env: Record<string, string> = {
      BIND: `:${HTTP_PORT}`,
      METRICS_BIND: `:${METRICS_PORT}`,
      TARGET: this.targetUrl,
      DIFFICULTY: String(difficulty),
      COOKIE_EXPIRATION_TIME: `${cookieHours}h`,
      COOKIE_DOMAIN: cookieDomain,
      COOKIE_SECURE: 'true',
      COOKIE_SAME_SITE: 'Lax',
      SERVE_ROBOTS_TXT: 'true',
      XFF_STRIP_PRIVATE: 'true',
      SLOG_LEVEL: 'INFO',
      ED25519_PRIVATE_KEY_HEX_FILE: '/keys/key',
      POLICY_FNAME: '/config/botPolicies.yaml',
    };
    const metricsProbe = (initialDelay: number, period: number, failureThreshold: number) =>
      Probe.httpGet('/metrics', 'metrics', {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
        failureThreshold,
      });
    const keyVolume = Volume.fromSecret('ed25519-key', key.secretName, {
      items: [{ key: 'key', path: 'key' }],
    });
    const policyVolume = Volume.fromConfigMap('policy', policy.metadata.name);
    this.deployment = new Deployment(this, base, {
      addressName: base,
      namespace: props.namespace,
      name: fullName,
      selector,
      tierLabel: false, // Kyverno stamps it; the label is ignored below
      labels,
      podLabels: labels,
      replicas,
      strategy: 'RollingUpdate',
      rollingUpdate: { maxSurge: '1', maxUnavailable: '0' },
      // Anubis reads the policy at start: a policy change must roll the pods.
      podAnnotations: { 'checksum/policy': policyText.checksum },
      // DoNotSchedule: two replicas on one node would both go down with it.
      topologySpread: [{ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }],
      containers: [
        {
          name: 'anubis',
          image: `${ANUBIS_IMAGE}:${imageTag}`,
          ports: [
            { name: 'http', containerPort: HTTP_PORT },
            { name: 'metrics', containerPort: METRICS_PORT },
          ],
          env,
          volumeMounts: [
            { volume: keyVolume, mountPath: '/keys', readOnly: true },
            { volume: policyVolume, mountPath: '/config', readOnly: true },
          ],
          resources: { cpuRequest, memoryRequest: memory, memoryLimit: memory },
          livenessProbe: metricsProbe(10, 30, 3),
          readinessProbe: metricsProbe(2, 5, 2),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            dropCapabilities: ['ALL'],
          },
        },
      ],
      volumes: [keyVolume, policyVolume],
      // Kyverno stamps Keel annotations and the tier label on the Deployment's metadata.
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.allAnnotations, Ignore.allLabels],
      dependsOn: [key.resource],
    });
    for (const p of payloads) p.guard(this.deployment);
    moved.push([this.deployment, 'anubis']);

    const service = this.deployment.exposeViaService({
      labels,
      annotations: prometheusScrape(METRICS_PORT),
      ports: [
        { name: 'http', port: ANUBIS_SERVICE_PORT, targetPort: HTTP_PORT, protocol: 'TCP' },
        { name: 'metrics', port: METRICS_PORT, protocol: 'TCP' },
      ],
    }).resource;
    moved.push([service, 'anubis']);

    // max_unavailable 1: with one replica a drain still proceeds (min_available deadlocked it).
    const pdb = named(this, PodDisruptionBudgetV1, base, {
      metadata: { name: fullName, namespace },
      spec: { maxUnavailable: '1', selector: { matchLabels: selector } },
    });
    moved.push([pdb, 'anubis']);

    if (legacy) {
      for (const [resource, tfName] of moved) {
        movedFrom(resource, moduleResourceAddress(legacy, resource.terraformResourceType, tfName));
      }
    }

    // The literal anubis-* service name makes IngressFactory add the real-ip middleware Anubis needs.
    this.ingress = new IngressFactory(this, 'ingress', {
      antiAiScraping: false,
      ...ing,
      sablier: ing.sablier ?? props.backend.sablier,
      name: ingressName,
      namespace: props.namespace,
      serviceName: fullName,
      port: ANUBIS_SERVICE_PORT,
      auth: IngressAuth.NONE,
      ingressPath: anubisPaths,
    });
    if (directPaths.length > 0) {
      this.directIngress = new IngressFactory(this, 'direct', {
        name: props.directIngress?.name ?? `${ingressName}-direct`,
        namespace: props.namespace,
        serviceName: backendService,
        port: backendPort,
        auth: IngressAuth.NONE,
        antiAiScraping: false,
        homepageEnabled: false,
        dnsType: DnsType.NONE, // the main ingress owns the host's DNS
        ingressPath: directPaths,
        fullHost: this.ingress.host,
        tlsSecretName: ing.tlsSecretName,
        legacyAddress: directLegacy,
      });
    }
  }
}
