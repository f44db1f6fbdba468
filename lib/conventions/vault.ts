// A reference to one property of a Vault KV v2 secret under the `secret` mount: the one shape every
// construct takes for "this value lives in Vault" (read at plan time by a data source, or in-cluster by
// an ExternalSecret). Never the value itself.
import type { IConstruct } from 'constructs';
import { invalid } from '../validation/errors';
import { matches } from '../validation/validate';

export interface VaultSecretRef {
  /** Path below the `secret` mount, e.g. "viktor" for secret/viktor. */
  readonly path: string;
  /** Property of that secret, e.g. "forgejo_cleanup_token". */
  readonly property: string;
}

const VAULT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const VAULT_PROPERTY = /^[A-Za-z0-9_.-]+$/;

/** Checks a Vault reference prop (`<prop>.path`, `<prop>.property`) and returns it. */
export function checkVaultRef(scope: IConstruct | string, prop: string, v: unknown): VaultSecretRef {
  if (v === undefined || v === null || typeof v !== 'object') {
    invalid(scope, prop, v, '{ path, property } of a Vault KV v2 secret under the secret/ mount');
  }
  const ref = v as VaultSecretRef;
  matches(scope, `${prop}.path`, ref.path, VAULT_PATH, 'a Vault path below the secret/ mount, e.g. "viktor"');
  matches(scope, `${prop}.property`, ref.property, VAULT_PROPERTY, 'a property name such as "api_token"');
  return ref;
}
