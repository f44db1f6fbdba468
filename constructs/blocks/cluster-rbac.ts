// A ServiceAccount with cluster-wide permissions: the account, a ClusterRole with its rules and the
// ClusterRoleBinding between them, as the tree writes them for controllers (local-path, sablier).
import { Construct } from 'constructs';
import { ClusterRole } from '@cdktf/provider-kubernetes/lib/cluster-role';
import { ClusterRoleBinding } from '@cdktf/provider-kubernetes/lib/cluster-role-binding';
import { ServiceAccount } from '@cdktf/provider-kubernetes/lib/service-account';
import { named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { k8sName, nonEmptyString } from '../../lib/validation/validate';

/** One ClusterRole rule. */
export interface ClusterRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface ClusterRbacProps {
  /** Namespace of the ServiceAccount (pass the namespace reference). */
  readonly namespace: string;
  /** ServiceAccount name. */
  readonly serviceAccountName: string;
  /** ClusterRole name. @default the ServiceAccount name */
  readonly roleName?: string;
  /** ClusterRoleBinding name. @default the role name */
  readonly bindingName?: string;
  readonly rules: readonly ClusterRule[];
  /** ServiceAccount `automount_service_account_token`. @default not set (Kubernetes: true) */
  readonly automountToken?: boolean;
  /** Terraform name of the three resources, when the id is taken (a namespace of the same name). @default the id */
  readonly addressName?: string;
}

/**
 * `kubernetes_service_account.<id>`, `kubernetes_cluster_role.<id>` and
 * `kubernetes_cluster_role_binding.<id>` (the tree names all three alike; `addressName` replaces the id). `serviceAccountName` is a
 * reference, so pods using it come after it.
 */
export class ClusterRbac extends Construct {
  readonly serviceAccount: ServiceAccount;
  readonly role: ClusterRole;
  readonly binding: ClusterRoleBinding;
  /** The ServiceAccount name as a reference. */
  readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: ClusterRbacProps) {
    super(scope, id);
    nonEmptyString(this, 'namespace', props.namespace);
    const saName = k8sName(this, 'serviceAccountName', props.serviceAccountName);
    const roleName = k8sName(this, 'roleName', props.roleName ?? saName);
    const bindingName = k8sName(this, 'bindingName', props.bindingName ?? roleName);
    if (!props.rules?.length) invalid(this, 'rules', props.rules, 'at least one rule');
    props.rules.forEach((r, i) => {
      if (!r.resources.length || !r.verbs.length) invalid(this, `rules[${i}]`, r, 'resources and verbs');
    });
    // Terraform names are the construct id (the tree names all three alike), whatever the nesting.
    const tfName = props.addressName ?? id;
    this.serviceAccount = named(this, ServiceAccount, tfName, {
      metadata: { name: saName, namespace: props.namespace },
      automountServiceAccountToken: props.automountToken,
    });
    this.role = named(this, ClusterRole, tfName, {
      metadata: { name: roleName },
      rule: props.rules.map((r) => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
      })),
    });
    this.binding = named(this, ClusterRoleBinding, tfName, {
      metadata: { name: bindingName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.role.metadata.name },
      subject: [
        { kind: 'ServiceAccount', name: this.serviceAccount.metadata.name, namespace: props.namespace },
      ],
    });
    this.serviceAccountName = this.serviceAccount.metadata.name;
  }
}
