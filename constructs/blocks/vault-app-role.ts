import { Construct } from 'constructs';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { ApproleAuthBackendRole } from '@cdktf/provider-vault/lib/approle-auth-backend-role';
import { ApproleAuthBackendRoleSecretId } from '@cdktf/provider-vault/lib/approle-auth-backend-role-secret-id';
import { DataVaultAuthBackend } from '@cdktf/provider-vault/lib/data-vault-auth-backend';
import { Mount } from '@cdktf/provider-vault/lib/mount';
import { Policy } from '@cdktf/provider-vault/lib/policy';
import { addressName, named } from '../../lib/terraform/addresses';
import { useVault } from '../../lib/terraform/providers';
import { integerInRange, k8sName, matches } from '../../lib/validation/validate';
import type { SecretKeyEnv } from './app-deployment';
import { checkProps } from '../../lib/validation/props';
import { VAULT_APP_ROLE_KEYS } from './prop-keys';
import { namespaceName } from '../../lib/validation/conventions';
import type { INamespace } from './tiered-namespace';

export interface VaultAppRoleProps {
  /** AppRole role and policy name. @default the construct id */
  readonly roleName?: string;
  /** Namespace of the Kubernetes Secret holding the role id and secret id. */
  readonly namespace: INamespace;
  /** The app's own KV v2 mount, e.g. "sre-toolbox": the policy grants read on it and nothing else. */
  readonly kvMount: string;
  /** Create the KV v2 mount here (the app owns it). @default true */
  readonly createKvMount?: boolean;
  /** Path of the AppRole auth method, which must already be enabled (checked at plan time). @default "approle" */
  readonly authBackend?: string;
  /** TTL of tokens issued at login. @default 3600 */
  readonly tokenTtlSeconds?: number;
  /** Maximum TTL of those tokens (renewals included). @default 86400 */
  readonly tokenMaxTtlSeconds?: number;
  /** Name of the Kubernetes Secret. @default "<roleName>-approle" */
  readonly secretName?: string;
}

/** Policy text for read-only access to one KV v2 mount (data and metadata). */
export function kvReadPolicy(kvMount: string): string {
  return [
    `# Read-only access to the KV v2 mount ${kvMount}/ (secret values and their metadata); nothing else.`,
    `path "${kvMount}/data/*" {`,
    '  capabilities = ["read"]',
    '}',
    `path "${kvMount}/metadata/*" {`,
    '  capabilities = ["read", "list"]',
    '}',
    '',
  ].join('\n');
}

/**
 * Vault access for an app by AppRole, limited to the app's own KV v2 mount: the mount (optional), a
 * read-only policy on it, the AppRole role, one secret id, and a Kubernetes Secret with `role_id` and
 * `secret_id` for the app to log in with. The secret id lives in Terraform state (encrypted) and in that
 * Secret, never in the synthesized JSON. Addresses: `vault_mount.<id>_kv`, `vault_policy.<id>`,
 * `data.vault_auth_backend.<id>_auth`, `vault_approle_auth_backend_role.<id>`,
 * `vault_approle_auth_backend_role_secret_id.<id>`, `kubernetes_secret.<id>`.
 */
export class VaultAppRole extends Construct {
  readonly roleName: string;
  readonly policy: Policy;
  readonly role: ApproleAuthBackendRole;
  readonly mount?: Mount;
  /** Kubernetes Secret with keys `role_id` and `secret_id`. */
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: VaultAppRoleProps) {
    super(scope, id);
    checkProps(this, 'props', props, VAULT_APP_ROLE_KEYS);
    useVault(this);
    const roleName = k8sName(this, 'roleName', props.roleName ?? id);
    this.roleName = roleName;
    namespaceName(this, 'namespace.name', props.namespace?.name);
    const kvMount = matches(
      this,
      'kvMount',
      props.kvMount,
      /^[A-Za-z0-9_-]+$/,
      'one path segment such as "sre-toolbox" (no slashes)',
    );
    const authBackend = matches(
      this,
      'authBackend',
      props.authBackend ?? 'approle',
      /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
      'an auth method path such as "approle"',
    );
    const ttl = integerInRange(this, 'tokenTtlSeconds', props.tokenTtlSeconds ?? 3600, 60, 31536000);
    const maxTtl = integerInRange(
      this,
      'tokenMaxTtlSeconds',
      props.tokenMaxTtlSeconds ?? 86400,
      ttl,
      31536000,
    );
    this.secretName = k8sName(this, 'secretName', props.secretName ?? `${roleName}-approle`);
    const base = addressName(this);

    if (props.createKvMount ?? true) {
      this.mount = named(
        this,
        Mount,
        `${base}_kv`,
        {
          path: kvMount,
          type: 'kv',
          options: { version: '2' },
          description: `KV v2 secrets of ${roleName} (read by the app through AppRole ${roleName})`,
        },
        'kv',
      );
    }
    this.policy = named(
      this,
      Policy,
      base,
      { name: roleName, policy: kvReadPolicy(kvMount), dependsOn: this.mount ? [this.mount] : undefined },
      'policy',
    );
    const auth = named(this, DataVaultAuthBackend, `${base}_auth`, { path: authBackend }, 'auth');
    this.role = named(
      this,
      ApproleAuthBackendRole,
      base,
      {
        backend: auth.path,
        roleName,
        tokenPolicies: [this.policy.name],
        tokenTtl: ttl,
        tokenMaxTtl: maxTtl,
        bindSecretId: true,
        secretIdTtl: 0,
        secretIdNumUses: 0,
      },
      'role',
    );
    const secretId = named(
      this,
      ApproleAuthBackendRoleSecretId,
      base,
      { backend: auth.path, roleName: this.role.roleName },
      'secret-id',
    );
    named(
      this,
      Secret,
      base,
      {
        metadata: { name: this.secretName, namespace: props.namespace.name },
        type: 'Opaque',
        data: { role_id: this.role.roleId, secret_id: secretId.secretId },
      },
      'credentials',
    );
  }

  /** Environment entries for the role id and secret id (read with `secretKeyRef`, `optional = false`). */
  credentialsEnv(
    roleIdVar = 'VAULT_APPROLE_ROLE_ID',
    secretIdVar = 'VAULT_APPROLE_SECRET_ID',
  ): SecretKeyEnv[] {
    return [
      { name: roleIdVar, secretName: this.secretName, key: 'role_id' },
      { name: secretIdVar, secretName: this.secretName, key: 'secret_id' },
    ];
  }
}
