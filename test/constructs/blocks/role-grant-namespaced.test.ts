// RoleGrant of a ClusterRole inside one namespace (novelapp's namespace owner), subjects with API groups.
import { describe, expect, it } from 'vitest';
import { RoleGrant, Subject } from '../../../constructs/blocks/rbac';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, resourcesOf, synth, testStack } from '../../support/synth';

describe('RoleGrant in a namespace', () => {
  it('binds the ClusterRole in the namespace, subjects with their API groups when asked, nothing else', () => {
    const s = testStack('g');
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    new RoleGrant(s, 'owner', {
      name: 'app-owner',
      namespace: ns,
      role: { kind: 'ClusterRole', name: 'admin' },
      subjectApiGroups: true,
      subjects: [Subject.user('me@example.com'), Subject.serviceAccount('dash', 'other')],
    });
    new RoleGrant(s, 'viewer', {
      name: 'app-viewer',
      namespace: ns,
      role: { kind: 'ClusterRole', name: 'view' },
      subjects: [Subject.group('friends')],
    });
    const json = synth(s);
    const owner = resource(json, 'kubernetes_role_binding', 'owner');
    expect(owner.metadata).toEqual({
      name: 'app-owner',
      namespace: '${kubernetes_namespace.app.metadata[0].name}',
    });
    expect(owner.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'admin',
    });
    expect(owner.subject).toEqual([
      { api_group: 'rbac.authorization.k8s.io', kind: 'User', name: 'me@example.com' },
      { api_group: '', kind: 'ServiceAccount', name: 'dash', namespace: 'other' },
    ]);
    expect(resource(json, 'kubernetes_role_binding', 'viewer').subject).toEqual([
      { kind: 'Group', name: 'friends' },
    ]);
    expect(Object.keys(resourcesOf(json, 'kubernetes_cluster_role'))).toEqual([]);
  });

  it('refuses no subjects and a ServiceAccount without its namespace', () => {
    const s = testStack('g');
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    const grant = (id: string, subjects: Parameters<typeof Subject.user>[0][] | 'sa') =>
      new RoleGrant(s, id, {
        name: id,
        namespace: ns,
        role: { kind: 'ClusterRole', name: 'admin' },
        subjects: subjects === 'sa' ? [{ kind: 'ServiceAccount', name: 'x' }] : subjects.map(Subject.user),
      });
    expect(expectConfigError(() => grant('a', [])).prop).toBe('subjects');
    expect(expectConfigError(() => grant('b', 'sa')).prop).toBe('subject namespace');
  });
});
