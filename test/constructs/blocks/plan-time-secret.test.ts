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

describe('PlanTimeSecret annotations and plainData', () => {
  it('writes annotations and a non-secret literal next to the references (url: mysql-config)', () => {
    const s = testStack();
    const vault = vaultKvSecret(s, 'secrets', 'url');
    new PlanTimeSecret(s, 'mysql_config', {
      namespace: namespaceNamed('url'),
      name: 'mysql-config',
      annotations: { 'reloader.stakater.com/match': 'true' },
      plainData: { DB_USER: 'shlink' },
      data: { DB_PASSWORD: vault.data.lookup('db_password') },
    });
    const r = resource(synth(s), 'kubernetes_secret', 'mysql_config');
    expect(r.metadata).toEqual({
      name: 'mysql-config',
      namespace: 'url',
      annotations: { 'reloader.stakater.com/match': 'true' },
    });
    expect(r.data).toEqual({
      DB_USER: 'shlink',
      DB_PASSWORD: '${data.vault_kv_secret_v2.secrets.data["db_password"]}',
    });
  });

  it('refuses a credential in plainData (by key name or value shape) without echoing it', () => {
    const vaultRef = (s: ReturnType<typeof testStack>) => vaultKvSecret(s, 'secrets', 'x').data.lookup('k');
    const byName = () => {
      const s = testStack('n');
      new PlanTimeSecret(s, 's', {
        namespace: namespaceNamed('x'),
        name: 's',
        plainData: { DB_PASSWORD: 'hunter2' },
        data: { k: vaultRef(s) },
      });
    };
    const err = expectConfigError(byName);
    expect(err.prop).toBe('plainData.DB_PASSWORD');
    expect(err.message).not.toContain('hunter2');
    const byShape = () => {
      const s = testStack('v');
      new PlanTimeSecret(s, 's', {
        namespace: namespaceNamed('x'),
        name: 's',
        plainData: { note: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' },
        data: { k: vaultRef(s) },
      });
    };
    expect(expectConfigError(byShape).prop).toBe('plainData.note');
  });

  it('refuses a key in both maps, a bad plainData key, bad annotations and plainData alone', () => {
    const make = (extra: Record<string, unknown>, data?: Record<string, string>) => () => {
      const s = testStack();
      new PlanTimeSecret(s, 's', {
        namespace: namespaceNamed('x'),
        name: 's',
        data: data ?? { k: vaultKvSecret(s, 'secrets', 'x').data.lookup('k') },
        ...extra,
      });
    };
    expect(expectConfigError(make({ plainData: { k: 'user' } })).prop).toBe('plainData.k');
    expect(expectConfigError(make({ plainData: { 'bad key': 'user' } })).prop).toBe('plainData key');
    expect(expectConfigError(make({ plainData: 'user' })).prop).toBe('plainData');
    expect(expectConfigError(make({ annotations: { 'bad key!': 'x' } })).prop).toBe('annotations key');
    expect(expectConfigError(make({ plainData: { DB_USER: 'shlink' } }, {})).prop).toBe('data');
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
