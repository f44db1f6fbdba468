// ClusterRbac: the tree's controller ServiceAccount + ClusterRole + binding (local-path, sablier).
import { describe, expect, it } from 'vitest';
import { ClusterRbac } from '../../../constructs/blocks/cluster-rbac';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const RULES = [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }];

describe('ClusterRbac', () => {
  it('names the account, role and binding alike and binds the role to the account', () => {
    const s = testStack('r');
    new ClusterRbac(s, 'ctl', {
      namespace: 'ns',
      serviceAccountName: 'ctl-sa',
      roleName: 'ctl-role',
      rules: RULES,
      automountToken: false,
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_service_account', 'ctl')).toMatchObject({
      metadata: { name: 'ctl-sa', namespace: 'ns' },
      automount_service_account_token: false,
    });
    expect(resource(json, 'kubernetes_cluster_role', 'ctl').rule).toEqual([
      { api_groups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
    ]);
    const b = resource(json, 'kubernetes_cluster_role_binding', 'ctl');
    expect(b.metadata).toEqual({ name: 'ctl-role' });
    expect(b.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: '${kubernetes_cluster_role.ctl.metadata[0].name}',
    });
    expect(b.subject).toEqual([
      { kind: 'ServiceAccount', name: '${kubernetes_service_account.ctl.metadata[0].name}', namespace: 'ns' },
    ]);
  });

  it('defaults role and binding names to the account name and leaves the token setting out', () => {
    const s = testStack('r');
    new ClusterRbac(s, 'ctl', { namespace: 'ns', serviceAccountName: 'ctl', rules: RULES });
    const json = synth(s);
    expect(
      resource(json, 'kubernetes_service_account', 'ctl').automount_service_account_token,
    ).toBeUndefined();
    expect(resource(json, 'kubernetes_cluster_role', 'ctl').metadata).toEqual({ name: 'ctl' });
    expect(resource(json, 'kubernetes_cluster_role_binding', 'ctl').metadata).toEqual({ name: 'ctl' });
  });

  it('takes an addressName when the id is taken by a namespace of the same name', () => {
    const s = testStack('r');
    new ClusterRbac(s, 'rbac', {
      addressName: 'ctl',
      namespace: 'ns',
      serviceAccountName: 'ctl',
      rules: RULES,
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_service_account', 'ctl').metadata.name).toBe('ctl');
    expect(resource(json, 'kubernetes_cluster_role_binding', 'ctl').role_ref.name).toBe(
      '${kubernetes_cluster_role.ctl.metadata[0].name}',
    );
  });

  it('refuses no rules, a rule without verbs and a bad name', () => {
    const s = testStack('r');
    expect(
      expectConfigError(
        () => new ClusterRbac(s, 'a', { namespace: 'ns', serviceAccountName: 'a', rules: [] }),
      ).message,
    ).toMatch(/at least one rule/);
    expect(
      expectConfigError(
        () =>
          new ClusterRbac(s, 'b', {
            namespace: 'ns',
            serviceAccountName: 'b',
            rules: [{ apiGroups: [''], resources: ['pods'], verbs: [] }],
          }),
      ).message,
    ).toMatch(/resources and verbs/);
    expect(
      expectConfigError(
        () => new ClusterRbac(s, 'c', { namespace: 'ns', serviceAccountName: 'Bad_Name', rules: RULES }),
      ).message,
    ).toMatch(/serviceAccountName/);
  });
});
