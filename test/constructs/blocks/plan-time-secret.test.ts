// PlanTimeSecret: a Secret whose values are Terraform references read at plan time (immich's
// frame-sync key from Vault); literals are refused and the type is left to the provider unless given.
import { describe, expect, it } from 'vitest';
import { PlanTimeSecret } from '../../../constructs/blocks/plan-time-secret';
import { AccessRole } from '../../../constructs/blocks/rbac';
import { ServiceAccount } from '../../../constructs/blocks/service-account';
import { vaultKvSecret } from '../../../lib/terraform/providers';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

describe('PlanTimeSecret', () => {
  it('renders kubernetes_secret.<id> with the references only and no type of its own', () => {
    const s = testStack();
    const vault = vaultKvSecret(s, 'secrets', 'immich');
    const secret = new PlanTimeSecret(s, 'frame_sync_emo', {
      namespace: namespaceNamed('immich'),
      name: 'frame-sync-emo',
      data: { immich_api_key: vault.data.lookup('frame_api_key_emo') },
    });
    const r = resource(synth(s), 'kubernetes_secret', 'frame_sync_emo');
    expect(r.metadata).toEqual({ name: 'frame-sync-emo', namespace: 'immich' });
    expect(r.data).toEqual({
      immich_api_key: '${data.vault_kv_secret_v2.secrets.data["frame_api_key_emo"]}',
    });
    expect(r.type).toBeUndefined();
    expect(secret.name).toMatch(/^\$\{/);
  });

  it('writes the type where given', () => {
    const s = testStack();
    const vault = vaultKvSecret(s, 'secrets', 'x');
    new PlanTimeSecret(s, 'key', {
      namespace: namespaceNamed('x'),
      name: 'key',
      type: 'kubernetes.io/ssh-auth',
      data: { 'ssh-privatekey': vault.data.lookup('k') },
    });
    expect(resource(synth(s), 'kubernetes_secret', 'key').type).toBe('kubernetes.io/ssh-auth');
  });

  it('refuses a literal value and an empty data map', () => {
    const literal = () =>
      new PlanTimeSecret(testStack('l'), 's', {
        namespace: namespaceNamed('x'),
        name: 's',
        data: { k: 'hunter2' },
      });
    expect(expectConfigError(literal).prop).toBe('data.k');
    const empty = () =>
      new PlanTimeSecret(testStack('e'), 's', { namespace: namespaceNamed('x'), name: 's', data: {} });
    expect(expectConfigError(empty).prop).toBe('data');
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
