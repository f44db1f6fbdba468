import { describe, expect, it } from 'vitest';
import { PostgresCredentials } from '../../../constructs/blocks/postgres-credentials';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import {
  kvReadPolicy,
  VaultAppRole,
  type VaultAppRoleProps,
} from '../../../constructs/blocks/vault-app-role';
import { isReference } from '../../../lib/validation/secret-mask';
import { Tier } from '../../../lib/conventions/tiers';
import {
  expectConfigError,
  resource,
  resolveNames,
  synth,
  testStack,
  namespaceNamed,
} from '../../support/synth';

const build = (props: Partial<VaultAppRoleProps>) => () =>
  new VaultAppRole(testStack(), 'vault', {
    roleName: 'app',
    namespace: namespaceNamed('app'),
    kvMount: 'app',
    ...props,
  });

describe('VaultAppRole', () => {
  const s = testStack();
  const ns = new TieredNamespace(s, 'toolbox', { tier: Tier.AUX });
  const role = new VaultAppRole(s, 'vault', { roleName: 'toolbox', namespace: ns, kvMount: 'toolbox' });
  const json = synth(s);

  it('a read-only policy on the app KV v2 mount and nothing else', () => {
    const policy = resource(json, 'vault_policy', 'vault');
    expect(policy.name).toBe('toolbox');
    expect(policy.policy).toBe(
      [
        '# Read-only access to the KV v2 mount toolbox/ (secret values and their metadata); nothing else.',
        'path "toolbox/data/*" {',
        '  capabilities = ["read"]',
        '}',
        'path "toolbox/metadata/*" {',
        '  capabilities = ["read", "list"]',
        '}',
        '',
      ].join('\n'),
    );
    // Every path rule is inside the mount; no write, delete or sudo anywhere.
    const paths = [...policy.policy.matchAll(/^path "([^"]+)"/gm)].map((m: RegExpMatchArray) => m[1]);
    expect(paths.every((p: string) => p.startsWith('toolbox/'))).toBe(true);
    expect(policy.policy).not.toMatch(/create|update|delete|sudo|patch/);
    expect(policy.depends_on).toEqual(['vault_mount.vault_kv']);
  });

  it('mounts the KV v2 engine the app owns', () => {
    expect(resource(json, 'vault_mount', 'vault_kv')).toEqual({
      path: 'toolbox',
      type: 'kv',
      options: { version: '2' },
      description: 'KV v2 secrets of toolbox (read by the app through AppRole toolbox)',
    });
  });

  it('the AppRole role on an auth method checked at plan time, bound to the policy', () => {
    expect(json.data?.vault_auth_backend?.vault_auth).toEqual({ path: 'approle' });
    expect(resource(json, 'vault_approle_auth_backend_role', 'vault')).toEqual({
      backend: '${data.vault_auth_backend.vault_auth.path}',
      role_name: 'toolbox',
      token_policies: ['${vault_policy.vault.name}'],
      token_ttl: 3600,
      token_max_ttl: 86400,
      bind_secret_id: true,
      secret_id_ttl: 0,
      secret_id_num_uses: 0,
    });
    expect(resource(json, 'vault_approle_auth_backend_role_secret_id', 'vault')).toEqual({
      backend: '${data.vault_auth_backend.vault_auth.path}',
      role_name: '${vault_approle_auth_backend_role.vault.role_name}',
    });
  });

  it('a Kubernetes Secret with role_id and secret_id as references only (values stay in state)', () => {
    const secret = resolveNames(json, resource(json, 'kubernetes_secret', 'vault'));
    expect(secret).toEqual({
      metadata: { name: 'toolbox-approle', namespace: 'toolbox' },
      type: 'Opaque',
      data: {
        role_id: '${vault_approle_auth_backend_role.vault.role_id}',
        secret_id: '${vault_approle_auth_backend_role_secret_id.vault.secret_id}',
      },
    });
    expect(Object.values(secret.data).every((v) => isReference(v as string))).toBe(true);
    expect(role.credentialsEnv()).toEqual([
      { name: 'VAULT_APPROLE_ROLE_ID', secretName: 'toolbox-approle', key: 'role_id' },
      { name: 'VAULT_APPROLE_SECRET_ID', secretName: 'toolbox-approle', key: 'secret_id' },
    ]);
    expect(json.provider?.vault).toBeDefined();
  });

  it('an existing mount and another auth path: no vault_mount, the policy still names only that mount', () => {
    const t = testStack();
    new VaultAppRole(t, 'vault', {
      roleName: 'x',
      namespace: namespaceNamed('x'),
      kvMount: 'shared-x',
      createKvMount: false,
      authBackend: 'approle-apps',
      tokenTtlSeconds: 600,
      tokenMaxTtlSeconds: 1200,
    });
    const j = synth(t);
    expect(j.resource?.vault_mount).toBeUndefined();
    expect(resource(j, 'vault_policy', 'vault').policy).toBe(kvReadPolicy('shared-x'));
    expect(resource(j, 'vault_policy', 'vault').depends_on).toBeUndefined();
    expect(j.data?.vault_auth_backend?.vault_auth).toEqual({ path: 'approle-apps' });
    const r = resource(j, 'vault_approle_auth_backend_role', 'vault');
    expect([r.token_ttl, r.token_max_ttl]).toEqual([600, 1200]);
  });

  it('guards: a mount is one segment, max TTL >= TTL', () => {
    expect(expectConfigError(build({ kvMount: 'secret/app' })).message).toBe(
      'test-stack/vault: invalid kvMount = "secret/app"; allowed: one path segment such as "sre-toolbox" (no slashes)',
    );
    expect(expectConfigError(build({ tokenTtlSeconds: 7200, tokenMaxTtlSeconds: 3600 })).message).toBe(
      'test-stack/vault: invalid tokenMaxTtlSeconds = 3600; allowed: an integer from 7200 to 31536000',
    );
    expect(expectConfigError(build({ authBackend: '/approle' })).prop).toBe('authBackend');
    expect(expectConfigError(build({ roleName: 'Bad Name' })).prop).toBe('roleName');
  });
});

describe('PostgresCredentials', () => {
  it('ExternalSecret on vault-database static-creds, templated DATABASE_URL with the site host', () => {
    const s = testStack();
    const db = new PostgresCredentials(s, 'db', {
      name: 'app-db',
      namespace: namespaceNamed('app'),
      staticRole: 'pg-app',
      database: 'app_db',
      urlScheme: 'postgresql+asyncpg',
    });
    const es = resource(synth(s), 'kubernetes_manifest', 'db_secret');
    expect(es.manifest.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault-database', kind: 'ClusterSecretStore' },
      target: {
        name: 'app-db',
        template: {
          data: {
            password: '{{ .password }}',
            DATABASE_URL:
              'postgresql+asyncpg://app_db:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/app_db',
          },
        },
      },
      data: [{ secretKey: 'password', remoteRef: { key: 'static-creds/pg-app', property: 'password' } }],
    });
    expect(db.urlEnv()).toEqual({ name: 'DATABASE_URL', secretName: 'app-db', key: 'DATABASE_URL' });
    expect(db.urlEnv('DB')).toEqual({ name: 'DB', secretName: 'app-db', key: 'DATABASE_URL' });
  });

  it('username, host and port overrides; guards', () => {
    const s = testStack('x', { postgresqlHost: 'pg.example' });
    const db = new PostgresCredentials(s, 'db', {
      name: 'x',
      namespace: namespaceNamed('x'),
      staticRole: 'pg-x',
      database: 'x',
      username: 'x_user',
      port: 6432,
    });
    expect(db.urlTemplate).toBe('postgresql://x_user:{{ .password }}@pg.example:6432/x');
    const base = { name: 'x', namespace: namespaceNamed('x'), staticRole: 'pg-x', database: 'x' };
    expect(
      expectConfigError(() => new PostgresCredentials(testStack(), 'db', { ...base, database: 'my-db' }))
        .message,
    ).toBe('test-stack/db: invalid database = "my-db"; allowed: a lowercase SQL identifier');
    expect(
      expectConfigError(() => new PostgresCredentials(testStack(), 'db', { ...base, urlScheme: 'mysql' }))
        .prop,
    ).toBe('urlScheme');
    expect(
      expectConfigError(() => new PostgresCredentials(testStack(), 'db', { ...base, staticRole: 'PG X' }))
        .prop,
    ).toBe('staticRole');
  });
});
