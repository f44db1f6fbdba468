// An image pull Secret by intent: a registry host and the account that reads it, rendered as the
// `kubernetes.io/dockerconfigjson` Secret kubelet expects. The password is a Terraform reference (a Vault
// read at plan time): the synthesized JSON holds the expression, the value lives in state only.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { addressName, named } from '../../lib/terraform/addresses';
import { REDACTED } from '../../lib/validation/credentials';
import { invalid } from '../../lib/validation/errors';
import { hostname, namespaceName } from '../../lib/validation/conventions';
import { checkProps } from '../../lib/validation/props';
import { isToken, k8sName, nonEmptyString } from '../../lib/validation/validate';
import { REGISTRY_PULL_SECRET_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

export interface RegistryPullSecretProps {
  /** Namespace (pass the TieredNamespace so the Secret is created after it). */
  readonly namespace: INamespace;
  /** Kubernetes name, the one pods list in `imagePullSecrets`. */
  readonly name: string;
  /** Registry host the credentials are for, e.g. "ghcr.io". */
  readonly registry: string;
  /** Registry account name. */
  readonly username: string;
  /**
   * Password or token: a Terraform reference such as
   * `vaultKvSecret(stack, 'viktor', 'viktor').data.lookup('github_pat')`, never a literal.
   */
  readonly password: string;
  /** Terraform name. @default addressName(this) (the construct id at stack level) */
  readonly addressName?: string;
}

/**
 * `kubernetes_secret.<id>` of type `kubernetes.io/dockerconfigjson`: `.dockerconfigjson` is
 * `jsonencode({ auths = { <registry> = { username, password, auth = base64("<username>:<password>") } } })`.
 * `name` is a reference, so pods that pull with it come after it.
 */
export class RegistryPullSecret extends Construct {
  readonly resource: Secret;
  /** The Secret's name as a reference. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: RegistryPullSecretProps) {
    super(scope, id);
    checkProps(this, 'props', props, REGISTRY_PULL_SECRET_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    const registry = hostname(this, 'registry', props.registry);
    const username = nonEmptyString(this, 'username', props.username);
    if (!isToken(props.password)) {
      invalid(
        this,
        'password',
        props.password === undefined ? undefined : REDACTED,
        'a Terraform reference (e.g. a Vault read), never a literal password',
      );
    }
    this.resource = named(this, Secret, props.addressName ?? addressName(this), {
      metadata: { name, namespace: props.namespace.name },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Fn.jsonencode({
          auths: {
            [registry]: {
              username,
              password: props.password,
              auth: Fn.base64encode(Fn.join(':', [username, props.password])),
            },
          },
        }),
      },
    });
    this.name = this.resource.metadata.name;
  }
}
