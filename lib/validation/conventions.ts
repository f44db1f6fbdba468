// Convention-level validators shared by every construct: Kubernetes names, labels and annotations,
// DNS hosts and domains, URLs per scheme, access modes, enum values (also those passed with `as any`)
// and the registry's stack names. Each throws a ConfigError naming path, prop, value and what is allowed,
// and returns the value; cdktf tokens pass unchecked (Terraform resolves them).
import type { IConstruct } from 'constructs';
import { invalid } from './errors';
import { dnsLabel, isToken } from './validate';
import { credentialReason, REDACTED } from './credentials';

type Scope = IConstruct | string;

/** A namespace name: a DNS-1123 label (lowercase letters, digits, '-'), at most 63 characters. */
export function namespaceName(scope: Scope, prop: string, value: unknown): string {
  return dnsLabel(scope, prop, value, 63);
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for a label or annotation key: `[prefix/]name`, prefix a DNS subdomain (<= 253), name <= 63. */
export function isQualifiedKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** True for a label value: empty, or <= 63 alphanumerics with '-', '_', '.' inside. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

const KEY_ALLOWED =
  "a key [prefix/]name: name of at most 63 letters, digits, '-', '_', '.' (alphanumeric at both ends), prefix a DNS subdomain";

/** Labels: qualified keys and label values (a map whose values are strings). */
export function labels(scope: Scope, prop: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    invalid(scope, prop, value, 'a map of labels');
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isQualifiedKey(k)) invalid(scope, `${prop} key`, k, KEY_ALLOWED);
    if (typeof v !== 'string' || (!isToken(v) && !isLabelValue(v))) {
      invalid(
        scope,
        `${prop}.${k}`,
        v,
        "a label value: at most 63 letters, digits, '-', '_', '.' (alphanumeric at both ends), or empty",
      );
    }
  }
  return value as Record<string, string>;
}

/** Annotations: qualified keys, string values (any text, at most 256 KiB in total). */
export function annotations(scope: Scope, prop: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    invalid(scope, prop, value, 'a map of annotations');
  let size = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isQualifiedKey(k)) invalid(scope, `${prop} key`, k, KEY_ALLOWED);
    if (typeof v !== 'string') invalid(scope, `${prop}.${k}`, v, 'a string');
    size += k.length + v.length;
  }
  if (size > 256 * 1024) invalid(scope, prop, `${size} bytes`, 'at most 256 KiB of annotations');
  return value as Record<string, string>;
}

const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True for a DNS host name: dot-separated labels of lowercase letters, digits and '-', at most 253. */
export function isHostname(value: string, minLabels = 1): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const parts = value.split('.');
  return parts.length >= minLabels && parts.every((p) => p.length <= 63 && HOST_LABEL.test(p));
}

const bareHint = (value: unknown): string =>
  typeof value === 'string' && /:\/\/|\//.test(value) ? ' (no scheme, path or port)' : '';

/** A DNS host name such as "web" or "web.example.org": no scheme, no path, no port. */
export function hostname(scope: Scope, prop: string, value: unknown): string {
  if (isToken(value)) return value as string;
  if (typeof value !== 'string' || !isHostname(value)) {
    invalid(scope, prop, value, `a DNS host name such as "web.example.org"${bareHint(value)}`);
  }
  return value;
}

/** A domain of at least two labels such as "example.org": no scheme, no path. */
export function domain(scope: Scope, prop: string, value: unknown): string {
  if (isToken(value)) return value as string;
  if (typeof value !== 'string' || !isHostname(value, 2)) {
    invalid(scope, prop, value, `a domain such as "example.org"${bareHint(value)}`);
  }
  return value;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** An IPv4 address or a DNS host name (an NFS server, a database host): no scheme, no port. */
export function hostOrIp(scope: Scope, prop: string, value: unknown): string {
  if (isToken(value)) return value as string;
  if (typeof value !== 'string' || !(IPV4.test(value) || isHostname(value))) {
    invalid(scope, prop, value, `an IPv4 address or a DNS host name such as "10.0.10.15"${bareHint(value)}`);
  }
  return value;
}

/**
 * A URL with one of `schemes` (without ':'), a host, and no credentials in it (userinfo belongs in a
 * Secret). `url(this, 'targetUrl', v, ['http', 'https'])`.
 */
export function url(scope: Scope, prop: string, value: unknown, schemes: readonly string[]): string {
  if (isToken(value)) return value as string;
  const allowed = `a ${schemes.map((s) => `${s}://`).join(' or ')} URL with a host (credentials go in a Secret)`;
  if (typeof value !== 'string' || /\s/.test(value)) invalid(scope, prop, value, allowed);
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    invalid(scope, prop, value, allowed);
  }
  // WHATWG parsing forgives `http:///x` (host "x"); require the authority to be written out.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value)?.[1] ?? '';
  if (
    !schemes.includes(u.protocol.slice(0, -1)) ||
    u.hostname === '' ||
    authority === '' ||
    authority.startsWith('/')
  ) {
    invalid(scope, prop, value, allowed);
  }
  if (u.username !== '' || u.password !== '') invalid(scope, prop, value, allowed);
  return value;
}

/** PersistentVolume access modes. */
export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** A non-empty list of distinct access modes. */
export function accessModes(scope: Scope, prop: string, value: unknown): AccessMode[] {
  const allowed = `a non-empty list of distinct modes among ${ACCESS_MODES.map((m) => `"${m}"`).join(', ')}`;
  if (!Array.isArray(value) || value.length === 0 || new Set(value).size !== value.length) {
    invalid(scope, prop, value, allowed);
  }
  value.forEach((m, i) => {
    if (!(ACCESS_MODES as readonly unknown[]).includes(m)) invalid(scope, `${prop}[${i}]`, m, allowed);
  });
  return value as AccessMode[];
}

/** A member of a string enum: catches values passed with `as any` or from untyped input. */
export function enumValue<E extends Record<string, string>>(
  scope: Scope,
  prop: string,
  value: unknown,
  enumObject: E,
  enumName: string,
): E[keyof E] {
  const values = Object.values(enumObject);
  if (typeof value !== 'string' || !values.includes(value)) {
    invalid(
      scope,
      prop,
      value,
      `one of ${enumName}.{${Object.keys(enumObject).join(', ')}} (${values.map((v) => `"${v}"`).join(', ')})`,
    );
  }
  return value as E[keyof E];
}

/** A boolean (catches "true" strings from untyped input). */
export function bool(scope: Scope, prop: string, value: unknown): boolean {
  if (typeof value !== 'boolean') invalid(scope, prop, value, 'true or false');
  return value;
}

/** Longest PostgreSQL identifier (NAMEDATALEN - 1): the pg backend's schema_name is the stack name. */
export const PG_IDENTIFIER_MAX = 63;

/**
 * Plain (literal) environment variables or settings must hold no credential: refused by name
 * (GITHUB_PAT, ANTHROPIC_KEY, HF_TOKEN, *_PASSWORD, ...) and by value shape (ghp_, sk-ant-, hf_, private
 * keys, URLs with a password). Terraform references pass. The message never shows the value.
 */
export function noCredentialLiterals(
  scope: Scope,
  prop: string,
  vars: Record<string, unknown> | undefined,
): void {
  for (const [k, v] of Object.entries(vars ?? {})) {
    if (typeof v !== 'string' || isToken(v)) continue;
    const reason = credentialReason(k, v);
    if (reason) {
      invalid(
        scope,
        `${prop}.${k}`,
        REDACTED,
        `no credential in plain text (${reason}): read it from a Secret (secret env / a Vault path), never a literal`,
      );
    }
  }
}
