import { describe, expect, it } from 'vitest';
import { AccessRole, type AccessRoleProps, RoleGrant, Subject } from '../../../constructs/blocks/rbac';
import { expectConfigError, resource, synth, testStack, namespaceNamed } from '../../support/synth';

const rules = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }];
const build = (props: Partial<AccessRoleProps>) => () =>
  new AccessRole(testStack(), 'reader', {
    name: 'reader',
    namespace: namespaceNamed('app'),
    rules,
    ...props,
  });

describe('AccessRole', () => {
  it('a namespaced Role and RoleBinding at the addresses the stack names', () => {
    const s = testStack();
    new AccessRole(s, 'portforward', {
      name: 'app-portforward',
      namespace: namespaceNamed('app'),
      rules: [{ apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }],
    }).grant('agent_portforward', {
      name: 'agent-portforward',
      subjects: [Subject.serviceAccount('agent', 'other')],
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_role', 'portforward')).toEqual({
      metadata: { name: 'app-portforward', namespace: 'app' },
      rule: [{ api_groups: [''], resources: ['pods/portforward'], verbs: ['create'] }],
    });
    expect(resource(json, 'kubernetes_role_binding', 'agent_portforward')).toEqual({
      metadata: { name: 'agent-portforward', namespace: 'app' },
      role_ref: {
        api_group: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: '${kubernetes_role.portforward.metadata[0].name}',
      },
      subject: [{ kind: 'ServiceAccount', name: 'agent', namespace: 'other' }],
    });
  });

  it('without a namespace: a ClusterRole and ClusterRoleBinding; resourceNames and users pass through', () => {
    const s = testStack();
    new AccessRole(s, 'watcher', {
      name: 'watcher',
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'], resourceNames: ['x'] }],
      addressName: 'watch',
    }).grant('watcher', {
      name: 'watcher',
      subjects: [Subject.serviceAccount('w', 'ns'), Subject.user('u')],
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_cluster_role', 'watch')).toEqual({
      metadata: { name: 'watcher' },
      rule: [{ api_groups: ['apps'], resources: ['deployments'], verbs: ['get'], resource_names: ['x'] }],
    });
    const binding = resource(json, 'kubernetes_cluster_role_binding', 'watcher');
    expect(binding.role_ref.kind).toBe('ClusterRole');
    expect(binding.subject).toEqual([
      { kind: 'ServiceAccount', name: 'w', namespace: 'ns' },
      { kind: 'User', name: 'u' },
    ]);
  });

  it('v1 keeps the tree _v1 types for the role and its binding, cluster-wide too', () => {
    const s = testStack();
    new AccessRole(s, 'state_writer', {
      name: 'state-writer',
      namespace: namespaceNamed('app'),
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['state'], verbs: ['get'] }],
      v1: true,
    }).grant('state_writer', { name: 'state-writer', subjects: [Subject.serviceAccount('app', 'app')] });
    new AccessRole(s, 'viewer', { name: 'viewer', rules, v1: true }).grant('viewer', {
      name: 'viewer',
      subjects: [Subject.group('viewers')],
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_role_v1', 'state_writer').rule[0].resource_names).toEqual(['state']);
    expect(resource(json, 'kubernetes_role_binding_v1', 'state_writer').role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: '${kubernetes_role_v1.state_writer.metadata[0].name}',
    });
    expect(resource(json, 'kubernetes_cluster_role_v1', 'viewer').metadata).toEqual({ name: 'viewer' });
    expect(resource(json, 'kubernetes_cluster_role_binding_v1', 'viewer').role_ref.kind).toBe('ClusterRole');
  });

  it('refuses empty rules, empty rule lists, a bad name and a ServiceAccount without namespace', () => {
    expectConfigError(build({ rules: [] }));
    expectConfigError(build({ rules: [{ apiGroups: [''], resources: [], verbs: ['get'] }] }));
    expectConfigError(build({ name: 'Not_A_Name' }));
    expectConfigError(() =>
      build({})().grant('b', { name: 'b', subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }),
    );
    expectConfigError(() => build({})().grant('b', { name: 'b', subjects: [] }));
  });
});

describe('RoleGrant', () => {
  it('binds a ClusterRole defined elsewhere by name, cluster-wide or in a namespace', () => {
    const s = testStack();
    const subjects = [Subject.serviceAccount('emo', 'app')];
    new RoleGrant(s, 'readonly', {
      name: 'emo-readonly',
      role: { kind: 'ClusterRole', name: 'oidc-power-user-readonly' },
      subjects,
    });
    new RoleGrant(s, 'local', {
      name: 'emo-view',
      role: { kind: 'ClusterRole', name: 'view' },
      namespace: namespaceNamed('app'),
      subjects,
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_cluster_role_binding', 'readonly')).toEqual({
      metadata: { name: 'emo-readonly' },
      role_ref: {
        api_group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'oidc-power-user-readonly',
      },
      subject: [{ kind: 'ServiceAccount', name: 'emo', namespace: 'app' }],
    });
    expect(resource(json, 'kubernetes_role_binding', 'local').metadata).toEqual({
      name: 'emo-view',
      namespace: 'app',
    });
  });

  it('refuses a Role without a namespace, no subjects, or an unknown key', () => {
    const mk = (p: object) => () =>
      new RoleGrant(testStack(), 'g', {
        name: 'g',
        role: { kind: 'ClusterRole', name: 'view' },
        subjects: [Subject.group('ops')],
        ...p,
      });
    expect(expectConfigError(mk({ role: { kind: 'Role', name: 'r' } })).prop).toBe('role.kind');
    expect(expectConfigError(mk({ subjects: [] })).prop).toBe('subjects');
    expect(expectConfigError(mk({ extra: 1 })).prop).toMatch(/extra/);
  });
});
