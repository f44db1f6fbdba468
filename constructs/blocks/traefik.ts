// Traefik CRDs by intent, for routes the ingress factory cannot express: a Middleware (its Traefik spec,
// e.g. stripPrefix or compress) and an IngressRoute that sends one match on the websecure entrypoint
// through a middleware list to a Service, with the site's TLS secret. Both are `kubernetes_manifest`s.
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { addressName, named } from '../../lib/terraform/addresses';
import { siteOf, tlsSecretNameValue } from '../../lib/conventions/site';
import { namespaceName } from '../../lib/validation/conventions';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import { k8sName, nonEmptyString, port as portNumber } from '../../lib/validation/validate';
import { TRAEFIK_MIDDLEWARE_KEYS, TRAEFIK_ROUTE_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

/** A middleware as an IngressRoute names it. */
export interface MiddlewareRef {
  readonly name: string;
  readonly namespace: string;
}

/** Authentik forward auth (the Traefik namespace's shared middleware). */
export const FORWARD_AUTH: MiddlewareRef = Object.freeze({
  name: 'authentik-forward-auth',
  namespace: 'traefik',
});

export interface TraefikMiddlewareProps {
  readonly namespace: INamespace;
  /** Kubernetes name. */
  readonly name: string;
  /** The Middleware's Traefik spec, e.g. `{ stripPrefix: { prefixes: ['/api'] } }` or `{ compress: {} }`. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** Terraform name. @default addressName(this) */
  readonly addressName?: string;
}

/** `kubernetes_manifest.<id>`: a `traefik.io/v1alpha1` Middleware. */
export class TraefikMiddleware extends Construct {
  readonly resource: Manifest;
  /** For an IngressRoute's middleware list. */
  readonly ref: MiddlewareRef;
  /** For an Ingress's router.middlewares annotation (`<namespace>-<name>@kubernetescrd`). */
  readonly chainEntry: string;

  constructor(scope: Construct, id: string, props: TraefikMiddlewareProps) {
    super(scope, id);
    checkProps(this, 'props', props, TRAEFIK_MIDDLEWARE_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    if (!props.spec || typeof props.spec !== 'object' || Object.keys(props.spec).length === 0)
      invalid(this, 'spec', props.spec, 'a Traefik Middleware spec with one middleware kind');
    this.resource = named(this, Manifest, props.addressName ?? addressName(this), {
      manifest: {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name, namespace: props.namespace.name },
        spec: { ...props.spec },
      },
    });
    this.ref = { name, namespace: props.namespace.name };
    this.chainEntry = `${props.namespace.name}-${name}@kubernetescrd`;
  }
}

export interface TraefikRouteProps {
  readonly namespace: INamespace;
  /** Kubernetes name. */
  readonly name: string;
  /** Traefik rule, e.g. "Host(`a.example`) && PathPrefix(`/api/`)". */
  readonly match: string;
  /** In order. @default none */
  readonly middlewares?: readonly MiddlewareRef[];
  /** The backend Service (a name reference) and its port. */
  readonly service: { readonly name: string; readonly port: number };
  /** Terraform name. @default addressName(this) */
  readonly addressName?: string;
}

/** `kubernetes_manifest.<id>`: a `traefik.io/v1alpha1` IngressRoute on websecure with the site TLS secret. */
export class TraefikIngressRoute extends Construct {
  readonly resource: Manifest;

  constructor(scope: Construct, id: string, props: TraefikRouteProps) {
    super(scope, id);
    checkProps(this, 'props', props, TRAEFIK_ROUTE_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    nonEmptyString(this, 'match', props.match);
    const port = portNumber(this, 'service.port', props.service?.port);
    nonEmptyString(this, 'service.name', props.service.name);
    this.resource = named(this, Manifest, props.addressName ?? addressName(this), {
      manifest: {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRoute',
        metadata: { name, namespace: props.namespace.name },
        spec: {
          entryPoints: ['websecure'],
          routes: [
            {
              match: props.match,
              kind: 'Rule',
              ...(props.middlewares?.length
                ? { middlewares: props.middlewares.map((m) => ({ name: m.name, namespace: m.namespace })) }
                : {}),
              services: [{ name: props.service.name, port }],
            },
          ],
          tls: { secretName: tlsSecretNameValue(this, siteOf(this).tlsSecretName) },
        },
      },
    });
  }
}
