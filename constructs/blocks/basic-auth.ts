// HTTP basic auth at the edge: an htpasswd Secret built at apply time from a user -> password map (a
// Terraform value, e.g. read back from an ESO-synced Secret) and the Traefik `basicAuth` Middleware
// (a TraefikMiddleware) that checks it. For clients that cannot follow a forward-auth redirect (owntracks'
// mobile apps). bcrypt salts anew on every apply, so Terraform ignores the Secret's data after creation.
import { Construct } from 'constructs';
import { Fn, TerraformIterator, Token } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { addressName, named } from '../../lib/terraform/addresses';
import { namespaceName } from '../../lib/validation/conventions';
import { checkProps } from '../../lib/validation/props';
import { isToken, k8sName } from '../../lib/validation/validate';
import { invalid } from '../../lib/validation/errors';
import { BASIC_AUTH_KEYS } from './prop-keys';
import { TraefikMiddleware } from './traefik';
import type { INamespace } from './tiered-namespace';

export interface BasicAuthProps {
  /** Namespace of the Secret and the Middleware. */
  readonly namespace: INamespace;
  /** Users and their plain passwords: a Terraform map expression (never a literal: it is a secret). */
  readonly credentials: unknown;
  /** Name of the htpasswd Secret. */
  readonly secretName: string;
  /** Name of the Middleware (ingresses reference `<namespace>-<name>@kubernetescrd`). */
  readonly middlewareName: string;
  /** bcrypt cost. @default 10 */
  readonly bcryptCost?: number;
  /** Terraform name of the Secret. @default `<id>` */
  readonly secretAddressName?: string;
  /** Terraform name of the Middleware manifest. @default `<id>_middleware` */
  readonly middlewareAddressName?: string;
}

/**
 * Addresses: `kubernetes_secret.<secretAddressName>` and `kubernetes_manifest.<middlewareAddressName>`.
 */
export class BasicAuth extends Construct {
  readonly secret: Secret;
  readonly middleware: Manifest;
  /** The Middleware's name. */
  readonly middlewareName: string;

  constructor(scope: Construct, id: string, props: BasicAuthProps) {
    super(scope, id);
    checkProps(this, 'props', props, BASIC_AUTH_KEYS);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    const secretName = k8sName(this, 'secretName', props.secretName);
    this.middlewareName = k8sName(this, 'middlewareName', props.middlewareName);
    if (typeof props.credentials !== 'string' || !isToken(props.credentials))
      invalid(this, 'credentials', props.credentials, 'a Terraform expression (a map of user to password)');
    const cost = props.bcryptCost ?? 10;
    if (!Number.isInteger(cost) || cost < 4 || cost > 31)
      invalid(this, 'bcryptCost', cost, 'an integer bcrypt cost from 4 to 31');
    const base = addressName(this);
    // one `user:hash` line per entry, in the map's (sorted) key order
    const lines = TerraformIterator.fromMap(props.credentials as never).forExpressionForList(
      `"\${key}:\${bcrypt(val, ${cost})}"`,
    );
    this.secret = named(this, Secret, props.secretAddressName ?? base, {
      metadata: { name: secretName, namespace: props.namespace.name },
      data: { auth: Fn.join('\n', Token.asList(lines)) },
      type: 'Opaque',
      lifecycle: { ignoreChanges: ['data'] },
    });
    this.middleware = new TraefikMiddleware(this, 'middleware', {
      namespace: props.namespace,
      name: this.middlewareName,
      basicAuthSecret: this.secret.metadata.name,
      addressName: props.middlewareAddressName ?? `${base}_middleware`,
    }).resource as Manifest; // never `kubectl`: a kubernetes_manifest
  }
}
