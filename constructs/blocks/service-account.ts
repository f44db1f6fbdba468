// A namespaced ServiceAccount on its own (no RBAC of its own), for a pod that must not run as the
// namespace's default account (claude-breakglass). With cluster permissions use ClusterRbac instead.
import { Construct } from 'constructs';
import { ServiceAccount as ServiceAccountResource } from '@cdktf/provider-kubernetes/lib/service-account';
import { addressName, named } from '../../lib/terraform/addresses';
import { k8sName } from '../../lib/validation/validate';
import { checkProps } from '../../lib/validation/props';
import { namespaceName } from '../../lib/validation/conventions';
import { SERVICE_ACCOUNT_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

export interface ServiceAccountProps {
  /** Namespace of the account (a `TieredNamespace`, so the account comes after it). */
  readonly namespace: INamespace;
  /** Account name. */
  readonly name: string;
  /** `automount_service_account_token`. @default not set (Kubernetes: true) */
  readonly automountToken?: boolean;
  /** Terraform name, when the id is taken (the tree names namespace and account alike). @default the id */
  readonly addressName?: string;
}

/** `kubernetes_service_account.<id>`; `name` is a reference, so pods using it are created after it. */
export class ServiceAccount extends Construct {
  readonly resource: ServiceAccountResource;
  /** The account name as a reference. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceAccountProps) {
    super(scope, id);
    checkProps(this, 'props', props, SERVICE_ACCOUNT_KEYS);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    this.resource = named(this, ServiceAccountResource, props.addressName ?? addressName(this), {
      metadata: { name: k8sName(this, 'name', props.name), namespace: props.namespace.name },
      automountServiceAccountToken: props.automountToken,
    });
    this.name = this.resource.metadata.name;
  }
}
