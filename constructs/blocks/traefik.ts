// Traefik's own routing objects (CRDs, applied with kubernetes_manifest) by intent: a Middleware that does
// one thing (set request headers, a CSP, basic auth, a body limit, or run a plugin), an IngressRoute
// for a route an Ingress cannot express (a path that needs extra middlewares, a native client's route
// with a priority) and an IngressRouteTCP for a plain TCP protocol on its own entry point. Each keeps the address the stack gives it: `kubernetes_manifest.<addressName>`.
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { addressName, named } from '../../lib/terraform/addresses';
import { KubectlManifest } from '../../lib/terraform/kubectl';
import { useKubectl } from '../../lib/terraform/providers';
import { type YamlValue, yamlencode } from '../../lib/terraform/yaml';
import { tlsSecretNameValue } from '../../lib/conventions/site';
import { hostname, namespaceName } from '../../lib/validation/conventions';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import {
  integerInRange,
  isToken,
  k8sName,
  matches,
  nonEmptyString,
  port as portNumber,
} from '../../lib/validation/validate';
import {
  INGRESS_ROUTE_KEYS,
  INGRESS_ROUTE_RULE_KEYS,
  INGRESS_ROUTE_TCP_KEYS,
  MIDDLEWARE_REF_KEYS,
  ROUTE_SERVICE_KEYS,
  TCP_ROUTE_KEYS,
  RATE_LIMIT_KEYS,
  TRAEFIK_MIDDLEWARE_KEYS,
} from './prop-keys';
import type { INamespace } from './tiered-namespace';

const TRAEFIK_API = 'traefik.io/v1alpha1';

/** A Middleware as an IngressRoute route names it. */
export interface MiddlewareRef {
  readonly name: string;
  readonly namespace: string;
}

/** Middlewares of the traefik namespace every route may use. */
export const SharedMiddleware = {
  /** Authentik forward auth (the login redirect). */
  AUTHENTIK_FORWARD_AUTH: { name: 'authentik-forward-auth', namespace: 'traefik' } as MiddlewareRef,
};

export interface TraefikMiddlewareProps {
  /** Namespace of the Middleware. */
  readonly namespace: INamespace;
  /** Kubernetes name. */
  readonly name: string;
  /** `headers.customRequestHeaders`: set on every request, replacing any client copy. @default none */
  readonly requestHeaders?: Readonly<Record<string, string>>;
  /** `headers.contentSecurityPolicy`: the response CSP. @default none */
  readonly contentSecurityPolicy?: string;
  /** `basicAuth.secret`: the htpasswd Secret (key `auth`) requests are checked against. @default none */
  readonly basicAuthSecret?: string;
  /** `buffering.maxRequestBodyBytes`: requests with a larger body are refused. @default none */
  readonly maxRequestBodyBytes?: number;
  /**
   * `rateLimit`: at most `average` requests per `period` per source (the request's Host with
   * `perRequestHost`, else the client IP), bursts up to `burst`. @default none
   */
  readonly rateLimit?: {
    readonly average: number;
    /** A Go duration such as "1m" or "1s". */
    readonly period: string;
    readonly burst: number;
    /** Count per request Host rather than per client IP. @default false */
    readonly perRequestHost?: boolean;
  };
  /** `compress`: compress responses with Traefik's defaults. @default false */
  readonly compress?: boolean;
  /** `stripPrefix.prefixes`: remove these path prefixes before forwarding. @default none */
  readonly stripPrefixes?: readonly string[];
  /**
   * `stripPrefixRegex.regex`: remove the path prefix each regular expression matches (one Middleware for
   * every `/s/<token>` session path). @default none
   */
  readonly stripPrefixRegex?: readonly string[];
  /** `plugin.<pluginName>`: a Traefik plugin (with `pluginConfig`). @default none */
  readonly pluginName?: string;
  /** The plugin's own settings, as the plugin documents them. @default {} (with `pluginName`) */
  readonly pluginConfig?: Readonly<Record<string, unknown>>;
  /** Resources to create first (written as `depends_on`). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Terraform name. @default addressName(this) (the construct id at stack level) */
  readonly addressName?: string;
  /**
   * Render a `kubectl_manifest.<addressName>` whose `yaml_body` is Terraform's `yamlencode()` of the
   * Middleware, where the tree applies it with kubectl (no CRD needed at plan time). Needs a namespace
   * with a literal name. @default false: `kubernetes_manifest`
   */
  readonly kubectl?: boolean;
}

/**
 * `kubernetes_manifest.<addressName>`: a `traefik.io/v1alpha1` Middleware of exactly one kind — headers
 * (`requestHeaders` and/or `contentSecurityPolicy`), `basicAuthSecret`, `maxRequestBodyBytes`, `compress`,
 * `stripPrefixes` or a plugin.
 */
export class TraefikMiddleware extends Construct {
  /** A `kubernetes_manifest`, or with `kubectl` a `kubectl_manifest`. */
  readonly resource: Manifest | KubectlManifest;
  /** The Middleware's Kubernetes name. */
  readonly name: string;
  /** The Middleware for an IngressRoute route: `{ name, namespace }` (the namespace as given). */
  readonly ref: MiddlewareRef;
  private readonly literalNamespace?: string;

  constructor(scope: Construct, id: string, props: TraefikMiddlewareProps) {
    super(scope, id);
    checkProps(this, 'props', props, TRAEFIK_MIDDLEWARE_KEYS);
    this.name = k8sName(this, 'name', props.name);
    const namespace = namespaceName(this, 'namespace.name', props.namespace?.name);
    const given = (
      [
        ['requestHeaders|contentSecurityPolicy', props.requestHeaders ?? props.contentSecurityPolicy],
        ['basicAuthSecret', props.basicAuthSecret],
        ['maxRequestBodyBytes', props.maxRequestBodyBytes],
        ['rateLimit', props.rateLimit],
        ['compress', props.compress || undefined],
        ['stripPrefixes', props.stripPrefixes],
        ['stripPrefixRegex', props.stripPrefixRegex],
        ['pluginName', props.pluginName],
      ] as const
    ).filter(([, v]) => v !== undefined);
    const kinds =
      'requestHeaders/contentSecurityPolicy, basicAuthSecret, maxRequestBodyBytes, rateLimit, compress, stripPrefixes, stripPrefixRegex or pluginName';
    if (given.length !== 1) {
      invalid(
        this,
        'props',
        given.map(([k]) => k),
        `exactly one middleware kind: ${kinds} (a Traefik Middleware does one thing)`,
      );
    }
    if (props.pluginConfig !== undefined && props.pluginName === undefined)
      invalid(this, 'pluginConfig', props.pluginConfig, 'set together with pluginName');
    const spec: Record<string, unknown> = {};
    if (props.requestHeaders !== undefined || props.contentSecurityPolicy !== undefined) {
      const headers: Record<string, unknown> = {};
      if (props.requestHeaders !== undefined) {
        const entries = Object.entries(props.requestHeaders ?? {});
        if (!entries.length) invalid(this, 'requestHeaders', props.requestHeaders, 'at least one header');
        for (const [k, v] of entries) {
          matches(this, 'requestHeaders name', k, /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name');
          if (typeof v !== 'string') invalid(this, `requestHeaders.${k}`, v, 'a string');
        }
        headers.customRequestHeaders = { ...props.requestHeaders };
      }
      if (props.contentSecurityPolicy !== undefined) {
        headers.contentSecurityPolicy = nonEmptyString(
          this,
          'contentSecurityPolicy',
          props.contentSecurityPolicy,
        );
      }
      spec.headers = headers;
    } else if (props.basicAuthSecret !== undefined) {
      spec.basicAuth = { secret: k8sName(this, 'basicAuthSecret', props.basicAuthSecret) };
    } else if (props.maxRequestBodyBytes !== undefined) {
      spec.buffering = {
        maxRequestBodyBytes: isToken(props.maxRequestBodyBytes)
          ? props.maxRequestBodyBytes
          : integerInRange(
              this,
              'maxRequestBodyBytes',
              props.maxRequestBodyBytes,
              1,
              Number.MAX_SAFE_INTEGER,
            ),
      };
    } else if (props.rateLimit !== undefined) {
      const r = checkProps(this, 'rateLimit', props.rateLimit, RATE_LIMIT_KEYS);
      spec.rateLimit = {
        average: integerInRange(this, 'rateLimit.average', r.average, 1, Number.MAX_SAFE_INTEGER),
        period: matches(
          this,
          'rateLimit.period',
          r.period,
          /^[1-9][0-9]*(ms|s|m|h)$/,
          'a duration such as "1m"',
        ),
        burst: integerInRange(this, 'rateLimit.burst', r.burst, 1, Number.MAX_SAFE_INTEGER),
        ...(r.perRequestHost ? { sourceCriterion: { requestHost: true } } : {}),
      };
    } else if (props.compress) {
      spec.compress = {};
    } else if (props.stripPrefixes !== undefined) {
      if (!Array.isArray(props.stripPrefixes) || !props.stripPrefixes.length)
        invalid(this, 'stripPrefixes', props.stripPrefixes, 'at least one path prefix');
      props.stripPrefixes.forEach((p, i) =>
        matches(this, `stripPrefixes[${i}]`, p, /^\/[^\s`]*$/, 'a path starting with "/"'),
      );
      spec.stripPrefix = { prefixes: [...props.stripPrefixes] };
    } else if (props.stripPrefixRegex !== undefined) {
      if (!Array.isArray(props.stripPrefixRegex) || !props.stripPrefixRegex.length)
        invalid(this, 'stripPrefixRegex', props.stripPrefixRegex, 'at least one regular expression');
      props.stripPrefixRegex.forEach((r, i) => {
        nonEmptyString(this, `stripPrefixRegex[${i}]`, r);
        try {
          new RegExp(r);
        } catch {
          invalid(this, `stripPrefixRegex[${i}]`, r, 'a regular expression');
        }
      });
      spec.stripPrefixRegex = { regex: [...props.stripPrefixRegex] };
    } else {
      const plugin = matches(
        this,
        'pluginName',
        props.pluginName,
        /^[A-Za-z0-9][-A-Za-z0-9_.]*$/,
        'a Traefik plugin name such as "api-token-middleware"',
      );
      const config = props.pluginConfig ?? {};
      if (config === null || typeof config !== 'object' || Array.isArray(config))
        invalid(this, 'pluginConfig', config, "a map of the plugin's settings");
      spec.plugin = { [plugin]: { ...config } };
    }
    const literal = (props.namespace as { literalName?: unknown }).literalName;
    this.literalNamespace = !isToken(namespace)
      ? namespace
      : typeof literal === 'string'
        ? literal
        : undefined;
    const tfName = props.addressName ?? addressName(this);
    const dependsOn = props.dependsOn?.length ? { dependsOn: [...props.dependsOn] } : {};
    if (props.kubectl) {
      if (this.literalNamespace === undefined)
        invalid(this, 'kubectl', true, 'a namespace with a literal name (the yaml_body is a literal)');
      let yamlBody: string;
      try {
        yamlBody = yamlencode({
          apiVersion: TRAEFIK_API,
          kind: 'Middleware',
          metadata: { name: this.name, namespace: this.literalNamespace },
          spec: spec as YamlValue,
        });
      } catch (e) {
        invalid(this, 'props', spec, `values yamlencode renders exactly (${(e as Error).message})`);
      }
      useKubectl(this);
      this.resource = named(this, KubectlManifest, tfName, { yamlBody, ...dependsOn });
    } else {
      this.resource = named(this, Manifest, tfName, {
        manifest: {
          apiVersion: TRAEFIK_API,
          kind: 'Middleware',
          metadata: { name: this.name, namespace: props.namespace.name },
          spec,
        },
        ...dependsOn,
      });
    }
    this.ref = { name: this.name, namespace: props.namespace.name };
  }

  /**
   * The name an Ingress lists in `traefik.ingress.kubernetes.io/router.middlewares` (IngressFactory
   * `extraMiddlewares`): `<namespace>-<name>@kubernetescrd`. Needs the namespace's literal name (a
   * TieredNamespace, or a literal `fromName` one).
   */
  get ingressMiddleware(): string {
    if (this.literalNamespace === undefined)
      invalid(this, 'namespace', undefined, 'a namespace with a literal name, for the @kubernetescrd name');
    return `${this.literalNamespace}-${this.name}@kubernetescrd`;
  }
}

/** The backend of a route. */
export interface RouteService {
  /** Service name (a reference orders the route after it). */
  readonly name: string;
  /** Service port. */
  readonly port: number;
  /** Namespace of the Service. @default the IngressRoute's (not written) */
  readonly namespace?: string;
}

/** One `kind: Rule` route. Give `host` (with an optional `pathPrefix`) or a raw Traefik `match`. */
export interface IngressRouteRule {
  /** Host the route matches: `Host(\`<host>\`)`. @default none (then `match`) */
  readonly host?: string;
  /** Adds `&& PathPrefix(\`<pathPrefix>\`)` to the host match. @default the whole host */
  readonly pathPrefix?: string;
  /** A Traefik rule expression, for what host + path cannot say. @default built from host/pathPrefix */
  readonly match?: string;
  /** Route priority. @default not set (Traefik: the rule's length) */
  readonly priority?: number;
  /** Middlewares, in order. @default none */
  readonly middlewares?: readonly MiddlewareRef[];
  /** Backends. */
  readonly services: readonly RouteService[];
}

export interface IngressRouteProps {
  /** Namespace of the IngressRoute. */
  readonly namespace: INamespace;
  /** Kubernetes name. */
  readonly name: string;
  /** Traefik entry points. @default ["websecure"] */
  readonly entryPoints?: readonly string[];
  /** The routes, in order. */
  readonly routes: readonly IngressRouteRule[];
  /** TLS Secret of the routes. @default the site's wildcard TLS secret (rendered as the site renders it) */
  readonly tlsSecretName?: string;
  /** Terraform name. @default addressName(this) (the construct id at stack level) */
  readonly addressName?: string;
}

const PATH_PREFIX = /^\/[^`\s]*$/;

/** A route's backends, checked and rendered `{ name, namespace?, port }`. */
function routeServices(scope: Construct, at: string, services: readonly RouteService[]) {
  return services.map((s, j) => {
    checkProps(scope, `${at}.services[${j}]`, s, ROUTE_SERVICE_KEYS);
    k8sName(scope, `${at}.services[${j}].name`, s.name);
    const port = portNumber(scope, `${at}.services[${j}].port`, s.port);
    if (s.namespace !== undefined) namespaceName(scope, `${at}.services[${j}].namespace`, s.namespace);
    return { name: s.name, ...(s.namespace !== undefined ? { namespace: s.namespace } : {}), port };
  });
}

/** `kubernetes_manifest.<addressName>`: a `traefik.io/v1alpha1` IngressRoute with TLS. */
export class IngressRoute extends Construct {
  readonly resource: Manifest;

  constructor(scope: Construct, id: string, props: IngressRouteProps) {
    super(scope, id);
    checkProps(this, 'props', props, INGRESS_ROUTE_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    const entryPoints = props.entryPoints ?? ['websecure'];
    if (!entryPoints.length) invalid(this, 'entryPoints', entryPoints, 'at least one entry point');
    entryPoints.forEach((e, i) => nonEmptyString(this, `entryPoints[${i}]`, e));
    if (!props.routes?.length) invalid(this, 'routes', props.routes, 'at least one route');
    const routes = props.routes.map((r, i) => {
      const at = `routes[${i}]`;
      checkProps(this, at, r, INGRESS_ROUTE_RULE_KEYS);
      let match: string;
      if (r.match !== undefined) {
        if (r.host !== undefined || r.pathPrefix !== undefined)
          invalid(this, `${at}.match`, r.match, 'either match or host/pathPrefix, not both');
        match = nonEmptyString(this, `${at}.match`, r.match);
      } else {
        if (r.host === undefined)
          invalid(this, `${at}.host`, r.host, 'a host (or a raw Traefik match expression in match)');
        match = `Host(\`${hostname(this, `${at}.host`, r.host)}\`)`;
        if (r.pathPrefix !== undefined)
          match += ` && PathPrefix(\`${matches(this, `${at}.pathPrefix`, r.pathPrefix, PATH_PREFIX, 'a path starting with "/"')}\`)`;
      }
      (r.middlewares ?? []).forEach((m, j) => {
        checkProps(this, `${at}.middlewares[${j}]`, m, MIDDLEWARE_REF_KEYS);
        k8sName(this, `${at}.middlewares[${j}].name`, m.name);
        namespaceName(this, `${at}.middlewares[${j}].namespace`, m.namespace);
      });
      if (!r.services?.length) invalid(this, `${at}.services`, r.services, 'at least one service');
      const services = routeServices(this, at, r.services);
      return {
        match,
        kind: 'Rule',
        ...(r.priority !== undefined
          ? { priority: integerInRange(this, `${at}.priority`, r.priority, 1, Number.MAX_SAFE_INTEGER) }
          : {}),
        ...(r.middlewares?.length ? { middlewares: r.middlewares.map((m) => ({ ...m })) } : {}),
        services,
      };
    });
    const tlsSecretName =
      props.tlsSecretName !== undefined
        ? k8sName(this, 'tlsSecretName', props.tlsSecretName)
        : tlsSecretNameValue(this);
    this.resource = named(this, Manifest, props.addressName ?? addressName(this), {
      manifest: {
        apiVersion: TRAEFIK_API,
        kind: 'IngressRoute',
        metadata: { name, namespace: props.namespace.name },
        spec: { entryPoints: [...entryPoints], routes, tls: { secretName: tlsSecretName } },
      },
    });
  }
}

/** One TCP route: every connection on the entry points (`HostSNI(\`*\`)`, plain TCP) to its backends. */
export interface TcpRoute {
  /** Backends. */
  readonly services: readonly RouteService[];
}

export interface IngressRouteTcpProps {
  /** Namespace of the IngressRouteTCP (the tree puts them in `traefik`, next to the entry points). */
  readonly namespace: INamespace;
  /** Kubernetes name. */
  readonly name: string;
  /** Traefik TCP entry points (a TCP route has no default one, e.g. `["whisper-tcp"]`). */
  readonly entryPoints: readonly string[];
  /** The routes, in order. */
  readonly routes: readonly TcpRoute[];
  /** Terraform name. @default addressName(this) (the construct id at stack level) */
  readonly addressName?: string;
}

/**
 * `kubernetes_manifest.<addressName>`: a `traefik.io/v1alpha1` IngressRouteTCP that forwards every
 * connection on its entry points to a Service port (a non-HTTP protocol on its own port, Wyoming's voice
 * services). No TLS: the route matches `HostSNI(\`*\`)`.
 */
export class IngressRouteTcp extends Construct {
  readonly resource: Manifest;

  constructor(scope: Construct, id: string, props: IngressRouteTcpProps) {
    super(scope, id);
    checkProps(this, 'props', props, INGRESS_ROUTE_TCP_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    if (!Array.isArray(props.entryPoints) || !props.entryPoints.length)
      invalid(this, 'entryPoints', props.entryPoints, 'at least one TCP entry point (there is no default)');
    props.entryPoints.forEach((e, i) => nonEmptyString(this, `entryPoints[${i}]`, e));
    if (!props.routes?.length) invalid(this, 'routes', props.routes, 'at least one route');
    const routes = props.routes.map((r, i) => {
      const at = `routes[${i}]`;
      checkProps(this, at, r, TCP_ROUTE_KEYS);
      if (!r.services?.length) invalid(this, `${at}.services`, r.services, 'at least one service');
      return { match: 'HostSNI(`*`)', services: routeServices(this, at, r.services) };
    });
    this.resource = named(this, Manifest, props.addressName ?? addressName(this), {
      manifest: {
        apiVersion: TRAEFIK_API,
        kind: 'IngressRouteTCP',
        metadata: { name, namespace: props.namespace.name },
        spec: { entryPoints: [...props.entryPoints], routes },
      },
    });
  }
}
