// A bare Ingress for one path of a host to one Service port: no middlewares, no DNS, no homepage tile.
// For a route the tree wires by hand next to an ingress_factory one (beads-server's exact /graphql to the
// workbench's GraphQL port), where IngressFactory's middleware chain would change what the route does.
import { Construct } from 'constructs';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { siteOf, tlsSecretNameValue } from '../../lib/conventions/site';
import { named } from '../../lib/terraform/addresses';
import { namespaceName } from '../../lib/validation/conventions';
import { checkProps } from '../../lib/validation/props';
import { k8sName, matches, oneOf, port as portNumber } from '../../lib/validation/validate';
import { PATH_INGRESS_KEYS } from './prop-keys';
import type { IService } from './service';
import type { INamespace } from './tiered-namespace';

export interface PathIngressProps {
  readonly name: string;
  readonly namespace: INamespace;
  /** Full host name, e.g. `dolt-workbench.viktorbarzin.me`. */
  readonly host: string;
  readonly path: string;
  /** @default "Prefix" */
  readonly pathType?: 'Exact' | 'Prefix';
  /** The backend Service of this stack. */
  readonly service: IService;
  /** @default the service's first port */
  readonly port?: number;
  /** Rendered even when empty (`{}`), as the tree writes it. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Terraform name. @default the construct id */
  readonly addressName?: string;
}

/**
 * `kubernetes_ingress_v1.<id>`: class traefik, the site's wildcard TLS secret (sensitive where the tree's
 * variable is), one rule with one path.
 */
export class PathIngress extends Construct {
  readonly ingress: IngressV1;

  constructor(scope: Construct, id: string, props: PathIngressProps) {
    super(scope, id);
    checkProps(this, 'props', props, PATH_INGRESS_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    const host = matches(this, 'host', props.host, /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, 'a full host name');
    const path = matches(this, 'path', props.path, /^\/\S*$/, 'an absolute path');
    const pathType = oneOf(this, 'pathType', props.pathType ?? 'Prefix', ['Exact', 'Prefix']);
    const port = portNumber(this, 'port', props.port ?? props.service.port);
    this.ingress = named(this, IngressV1, props.addressName ?? id, {
      metadata: { name, namespace: props.namespace.name, annotations: { ...(props.annotations ?? {}) } },
      spec: {
        ingressClassName: 'traefik',
        tls: [{ hosts: [host], secretName: tlsSecretNameValue(this, siteOf(this).tlsSecretName) }],
        rule: [
          {
            host,
            http: {
              path: [
                {
                  path,
                  pathType,
                  backend: { service: { name: props.service.name, port: { number: port } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}
