// Kubernetes RBAC by intent: a role (namespaced, or cluster-wide without a namespace) with its rules, and
// the bindings that grant it to subjects. Resources keep the addresses the stack gives them.
import { Construct } from 'constructs';
import { ClusterRole } from '@cdktf/provider-kubernetes/lib/cluster-role';
import { ClusterRoleBinding } from '@cdktf/provider-kubernetes/lib/cluster-role-binding';
import { Role } from '@cdktf/provider-kubernetes/lib/role';
import { RoleBinding } from '@cdktf/provider-kubernetes/lib/role-binding';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import { k8sName, nonEmptyString, oneOf } from '../../lib/validation/validate';
import { ROLE_GRANT_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

/** One RBAC rule: what may be done (`verbs`) to which `resources` of which API groups (`""` = core). */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** Restricts the rule to these object names. @default all objects */
  readonly resourceNames?: readonly string[];
}

/** Who a binding grants the role to. */
export interface RbacSubject {
  readonly kind: 'ServiceAccount' | 'User' | 'Group';
  readonly name: string;
  /** ServiceAccount only: its namespace. */
  readonly namespace?: string;
}

export const Subject = {
  /** A ServiceAccount, possibly of another namespace (or stack), by name. */
  serviceAccount(name: string, namespace: string): RbacSubject {
    return { kind: 'ServiceAccount', name, namespace };
  },
  user(name: string): RbacSubject {
    return { kind: 'User', name };
  },
  group(name: string): RbacSubject {
    return { kind: 'Group', name };
  },
};

export interface AccessRoleProps {
  /** Kubernetes name of the role. */
  readonly name: string;
  /** Namespace of a Role; without it the role is a ClusterRole. @default cluster-wide */
  readonly namespace?: INamespace;
  readonly rules: readonly PolicyRule[];
  /** Terraform name of the role resource. @default the construct id */
  readonly addressName?: string;
  /**
   * The `_v1` resource types (`kubernetes_role_v1`, `kubernetes_role_binding_v1`, ...), for a tree stack
   * that writes those: the address keeps the tree's type. @default false
   */
  readonly v1?: boolean;
}

export interface GrantProps {
  /** Kubernetes name of the binding. */
  readonly name: string;
  readonly subjects: readonly RbacSubject[];
  /** Terraform name of the binding resource. @default the grant id */
  readonly addressName?: string;
}

/**
 * A Role (`kubernetes_role.<id>`) or, without `namespace`, a ClusterRole (`kubernetes_cluster_role.<id>`);
 * `grant()` adds the matching binding (`kubernetes_role_binding` / `kubernetes_cluster_role_binding`) in the
 * role's scope, referring to the role by reference so it is created first.
 */
export class AccessRole extends Construct {
  readonly roleName: string;
  readonly namespace?: string;
  readonly resource: Role | ClusterRole | RoleV1 | ClusterRoleV1;
  private readonly v1: boolean;

  constructor(scope: Construct, id: string, props: AccessRoleProps) {
    super(scope, id);
    this.roleName = k8sName(this, 'name', props.name);
    this.namespace =
      props.namespace === undefined
        ? undefined
        : nonEmptyString(this, 'namespace.name', props.namespace?.name);
    if (props.rules.length === 0) invalid(this, 'rules', props.rules, 'at least one rule');
    const rule = props.rules.map((r, i) => {
      for (const key of ['apiGroups', 'resources', 'verbs'] as const) {
        if (r[key].length === 0) invalid(this, `rules[${i}].${key}`, r[key], 'at least one entry');
      }
      return {
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
        ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
      };
    });
    const address = props.addressName ?? id;
    this.v1 = props.v1 ?? false;
    const cluster = { metadata: { name: this.roleName }, rule };
    const namespaced = { metadata: { name: this.roleName, namespace: this.namespace }, rule };
    this.resource =
      this.namespace === undefined
        ? this.v1
          ? named(this, ClusterRoleV1, address, cluster)
          : named(this, ClusterRole, address, cluster)
        : this.v1
          ? named(this, RoleV1, address, namespaced)
          : named(this, Role, address, namespaced);
  }

  /** Binds the role to `subjects`: `kubernetes_role_binding.<id>` (or `kubernetes_cluster_role_binding.<id>`). */
  grant(
    id: string,
    props: GrantProps,
  ): RoleBinding | ClusterRoleBinding | RoleBindingV1 | ClusterRoleBindingV1 {
    const name = k8sName(this, 'grant name', props.name);
    const subject = renderSubjects(this, props.subjects);
    const kind = this.namespace === undefined ? 'ClusterRole' : 'Role';
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind, name: this.resource.metadata.name };
    const address = props.addressName ?? id;
    const cluster = { metadata: { name }, roleRef, subject };
    const namespaced = { metadata: { name, namespace: this.namespace }, roleRef, subject };
    if (this.namespace === undefined)
      return this.v1
        ? named(this, ClusterRoleBindingV1, address, cluster)
        : named(this, ClusterRoleBinding, address, cluster);
    return this.v1
      ? named(this, RoleBindingV1, address, namespaced)
      : named(this, RoleBinding, address, namespaced);
  }
}

function renderSubjects(scope: Construct, subjects: readonly RbacSubject[], apiGroups = false) {
  if (!subjects?.length) invalid(scope, 'subjects', subjects, 'at least one subject');
  return subjects.map((s) => {
    nonEmptyString(scope, 'subject name', s.name);
    if (s.kind === 'ServiceAccount' && !s.namespace) {
      invalid(scope, 'subject namespace', s.namespace, 'the namespace of ServiceAccount ' + s.name);
    }
    return {
      ...(apiGroups ? { apiGroup: s.kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io' } : {}),
      kind: s.kind,
      name: s.name,
      ...(s.namespace ? { namespace: s.namespace } : {}),
    };
  });
}

export interface RoleGrantProps {
  /** Kubernetes name of the binding. */
  readonly name: string;
  /** The role, by name: defined elsewhere (another stack, the cluster's defaults). */
  readonly role: { readonly kind: 'ClusterRole' | 'Role'; readonly name: string };
  /** Namespace of a RoleBinding; without it the binding is a ClusterRoleBinding. @default cluster-wide */
  readonly namespace?: INamespace;
  readonly subjects: readonly RbacSubject[];
  /**
   * Write each subject's API group, as some tree bindings spell it: `rbac.authorization.k8s.io` for a
   * User or Group, `""` for a ServiceAccount. @default not written
   */
  readonly subjectApiGroups?: boolean;
  /** The `_v1` binding types. @default false */
  readonly v1?: boolean;
  /** Terraform name of the binding. @default the construct id */
  readonly addressName?: string;
}

/**
 * A binding to a role this stack does not define, referred to by name (chrome-service's account bound
 * to the `oidc-power-user-readonly` ClusterRole of stacks/rbac): `kubernetes_cluster_role_binding.<id>`,
 * or `kubernetes_role_binding.<id>` with a namespace. A ClusterRoleBinding can only bind a ClusterRole.
 */
export class RoleGrant extends Construct {
  readonly resource: RoleBinding | ClusterRoleBinding | RoleBindingV1 | ClusterRoleBindingV1;

  constructor(scope: Construct, id: string, props: RoleGrantProps) {
    super(scope, id);
    checkProps(this, 'props', props, ROLE_GRANT_KEYS);
    const name = k8sName(this, 'name', props.name);
    const kind = oneOf(this, 'role.kind', props.role?.kind, ['ClusterRole', 'Role']);
    const roleName = k8sName(this, 'role.name', props.role.name);
    if (props.namespace === undefined && kind === 'Role') {
      invalid(this, 'role.kind', kind, 'ClusterRole (a ClusterRoleBinding cannot bind a Role)');
    }
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName };
    const subject = renderSubjects(this, props.subjects, props.subjectApiGroups);
    const address = props.addressName ?? id;
    if (props.namespace === undefined) {
      const config = { metadata: { name }, roleRef, subject };
      this.resource = props.v1
        ? named(this, ClusterRoleBindingV1, address, config)
        : named(this, ClusterRoleBinding, address, config);
    } else {
      const namespace = nonEmptyString(this, 'namespace.name', props.namespace.name);
      const config = { metadata: { name, namespace }, roleRef, subject };
      this.resource = props.v1
        ? named(this, RoleBindingV1, address, config)
        : named(this, RoleBinding, address, config);
    }
  }
}
