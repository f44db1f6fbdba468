import { describe, expect, it } from 'vitest';
import { PlanTimeSecret } from '../../../constructs/blocks/plan-time-secret';
import { AccessRole } from '../../../constructs/blocks/rbac';
import { ServiceAccount } from '../../../constructs/blocks/service-account';
import { vaultKvSecret } from '../../../lib/terraform/providers';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

describe('PlanTimeSecret', () => {
  it('an Opaque Secret whose values are plan-time references', () => {
    const s = testStack();
    const v = vaultKvSecret(s, 'app', 'app');
    new PlanTimeSecret(s, 'key', {
      namespace: namespaceNamed('app'),
      name: 'key',
      data: { 'k.txt': v.data.lookup('k') },
    });
    expect(resource(synth(s), 'kubernetes_secret', 'key')).toEqual({
      metadata: { name: 'key', namespace: 'app' },
      type: 'Opaque',
      data: { 'k.txt': '${data.vault_kv_secret_v2.app.data["k"]}' },
    });
  });

  it('refuses a literal value, a bad key or no data', () => {
    const ns = namespaceNamed('app');
    const err = expectConfigError(
      () => new PlanTimeSecret(testStack(), 'x', { namespace: ns, name: 'x', data: { token: 'hunter2' } }),
    );
    expect(err.prop).toBe('data.token');
    expect(err.message).not.toContain('hunter2');
    const s = testStack();
    const v = vaultKvSecret(s, 'app', 'app').data.lookup('k');
    expect(
      expectConfigError(() => new PlanTimeSecret(s, 'y', { namespace: ns, name: 'y', data: { 'a b': v } }))
        .prop,
    ).toBe('data key');
    expect(
      expectConfigError(() => new PlanTimeSecret(testStack(), 'z', { namespace: ns, name: 'z', data: {} }))
        .prop,
    ).toBe('data');
  });
});

describe('ServiceAccount.subject', () => {
  it('a ServiceAccount whose subject a ClusterRole binding takes', () => {
    const s = testStack();
    const sa = new ServiceAccount(s, 'sa', {
      name: 'agent',
      namespace: namespaceNamed('app'),
      addressName: 'agent',
    });
    const role = new AccessRole(s, 'role', {
      name: 'reader',
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    });
    role.grant('reader', { name: 'reader', subjects: [sa.subject] });
    const json = synth(s);
    expect(resource(json, 'kubernetes_service_account', 'agent')).toEqual({
      metadata: { name: 'agent', namespace: 'app' },
    });
    expect(resource(json, 'kubernetes_cluster_role_binding', 'reader').subject).toEqual([
      {
        kind: 'ServiceAccount',
        name: '${kubernetes_service_account.agent.metadata[0].name}',
        namespace: 'app',
      },
    ]);
  });
});
