// A namespaced ServiceAccount by intent: the identity a workload runs as (bound to roles elsewhere, e.g.
// AccessRole.grant). The tree writes both kubernetes_service_account and _v1; `v1` keeps its type.
import { Construct } from 'constructs';
import { ServiceAccount as ServiceAccountResource } from '@cdktf/provider-kubernetes/lib/service-account';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { addressName, named } from '../../lib/terraform/addresses';
import { namespaceName } from '../../lib/validation/conventions';
import { checkProps } from '../../lib/validation/props';
import { k8sName } from '../../lib/validation/validate';
import { SERVICE_ACCOUNT_KEYS, SERVICE_ACCOUNT_TOKEN_SECRET_KEYS } from './prop-keys';
import type { RbacSubject } from './rbac';
import type { INamespace } from './tiered-namespace';

export interface ServiceAccountProps {
  /** Namespace (pass the TieredNamespace so the account is created after it). */
  readonly namespace: INamespace;
  /** Kubernetes name. */
  readonly name: string;
  /** `automount_service_account_token`. @default not set (Kubernetes: true) */
  readonly automountToken?: boolean;
  /** `kubernetes_service_account_v1` instead of `kubernetes_service_account`. @default false */
  readonly v1?: boolean;
  /** Terraform name. @default addressName(this) (the construct id at stack level) */
  readonly addressName?: string;
  /**
   * A long-lived token for the account, for a client outside the cluster (a kubeconfig): a
   * `kubernetes.io/service-account-token` Secret the token controller fills, waited for on create.
   * @default none
   */
  readonly tokenSecret?: ServiceAccountTokenSecret;
}

export interface ServiceAccountTokenSecret {
  /** Kubernetes name of the Secret. */
  readonly name: string;
  /** Terraform name of the `kubernetes_secret`. @default `<account address>_token` */
  readonly addressName?: string;
}

/** Address: `kubernetes_service_account.<id>` (or `_v1`). `name` is a reference: pods using it follow it. */
export class ServiceAccount extends Construct {
  readonly resource: ServiceAccountResource | ServiceAccountV1;
  /** The account's name as a reference. */
  readonly name: string;
  /** The account as a binding subject (`AccessRole.grant()`). */
  readonly subject: RbacSubject;
  /** The `tokenSecret`, when asked for. */
  readonly tokenSecret?: Secret;

  constructor(scope: Construct, id: string, props: ServiceAccountProps) {
    super(scope, id);
    checkProps(this, 'props', props, SERVICE_ACCOUNT_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    const config = {
      metadata: { name, namespace: props.namespace.name },
      ...(props.automountToken !== undefined ? { automountServiceAccountToken: props.automountToken } : {}),
    };
    const tfName = props.addressName ?? addressName(this);
    this.resource = props.v1
      ? named(this, ServiceAccountV1, tfName, config)
      : named(this, ServiceAccountResource, tfName, config);
    this.name = this.resource.metadata.name;
    this.subject = { kind: 'ServiceAccount', name: this.name, namespace: props.namespace.name };
    if (props.tokenSecret) {
      checkProps(this, 'tokenSecret', props.tokenSecret, SERVICE_ACCOUNT_TOKEN_SECRET_KEYS);
      this.tokenSecret = named(this, Secret, props.tokenSecret.addressName ?? `${tfName}_token`, {
        metadata: {
          name: k8sName(this, 'tokenSecret.name', props.tokenSecret.name),
          namespace: props.namespace.name,
          annotations: { 'kubernetes.io/service-account.name': this.name },
        },
        type: 'kubernetes.io/service-account-token',
        waitForServiceAccountToken: true,
      });
    }
  }
}
