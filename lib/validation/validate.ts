// Small validators shared by constructs. Each throws a ConfigError naming construct path, prop, value
// and what is allowed; each returns the value so calls compose: `this.port = port(this, 'port', p)`.
import type { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { invalid } from './errors';

type Scope = IConstruct | string;

/** True when the value is a cdktf token (a reference resolved by Terraform): such values are not checked. */
export function isToken(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}

export function nonEmptyString(scope: Scope, prop: string, value: unknown): string {
  if (typeof value !== 'string' || (!isToken(value) && value.trim() === '')) {
    invalid(scope, prop, value, 'a non-empty string');
  }
  return value;
}

export function oneOf<T extends string>(
  scope: Scope,
  prop: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(scope, prop, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

export function integerInRange(scope: Scope, prop: string, value: unknown, min: number, max: number): number {
  if (isToken(value)) return value as number;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(scope, prop, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

export function port(scope: Scope, prop: string, value: unknown): number {
  return integerInRange(scope, prop, value, 1, 65535);
}

export function matches(scope: Scope, prop: string, value: unknown, re: RegExp, allowed: string): string {
  if (isToken(value)) return value as string;
  if (typeof value !== 'string' || !re.test(value)) invalid(scope, prop, value, allowed);
  return value;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label (Kubernetes namespace / service name), at most `maxLength` characters. */
export function dnsLabel(scope: Scope, prop: string, value: unknown, maxLength = 63): string {
  if (isToken(value)) return value as string;
  if (typeof value !== 'string' || value.length > maxLength || !DNS_LABEL.test(value)) {
    invalid(
      scope,
      prop,
      value,
      `a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${maxLength} characters`,
    );
  }
  return value;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 subdomain (most Kubernetes object names), at most 253 characters. */
export function k8sName(scope: Scope, prop: string, value: unknown): string {
  if (isToken(value)) return value as string;
  if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    invalid(
      scope,
      prop,
      value,
      "a Kubernetes object name (lowercase letters, digits, '-' and '.', at most 253 characters)",
    );
  }
  return value;
}

const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parses a Kubernetes resource quantity ("1.5Gi", "200m", "2") into a number of base units, or undefined. */
export function parseQuantity(value: string): number | undefined {
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[3];
  if (!unit) return n;
  return n * (BINARY[unit] ?? DECIMAL[unit]);
}

export function quantity(scope: Scope, prop: string, value: unknown): string {
  if (isToken(value)) return value as string;
  if (typeof value !== 'string' || parseQuantity(value) === undefined || parseQuantity(value)! <= 0) {
    invalid(scope, prop, value, 'a positive Kubernetes quantity such as "64Mi", "1.5Gi", "200m" or "2"');
  }
  return value;
}

/** Checks request <= limit for a resource (both quantities); either may be absent. */
export function requestWithinLimit(
  scope: Scope,
  prop: string,
  request: string | undefined,
  limit: string | undefined,
): void {
  if (request === undefined || limit === undefined || isToken(request) || isToken(limit)) return;
  const r = parseQuantity(request);
  const l = parseQuantity(limit);
  if (r !== undefined && l !== undefined && r > l) {
    invalid(scope, prop, { request, limit }, `a request no larger than the limit (${request} > ${limit})`);
  }
}

const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;
const CRON_RANGES: ReadonlyArray<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const CRON_NAMES = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly))$/;

/** True for a standard 5-field cron expression (numbers, ranges, steps, lists) or a Kubernetes @macro. */
export function isCron(expr: string): boolean {
  if (CRON_NAMES.test(expr)) return true;
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return false;
  return fields.every((field, i) => {
    if (!CRON_FIELD.test(field)) return false;
    const [min, max] = CRON_RANGES[i];
    for (const part of field.split(',')) {
      const [range, step] = part.split('/');
      if (step !== undefined && Number(step) < 1) return false;
      if (range === '*') continue;
      const [a, b] = range.split('-').map(Number);
      if (a < min || a > max || (b !== undefined && (b < min || b > max || b < a))) return false;
    }
    return true;
  });
}

export function cron(scope: Scope, prop: string, value: unknown): string {
  if (isToken(value)) return value as string;
  if (typeof value !== 'string' || !isCron(value)) {
    invalid(scope, prop, value, 'a 5-field cron expression such as "0 4 * * *" or "*/5 * * * *"');
  }
  return value;
}

/** An IANA time zone name known to this Node.js runtime (Kubernetes CronJob `timeZone`). */
export function timeZone(scope: Scope, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !isKnownTimeZone(value)) {
    invalid(scope, prop, value, 'an IANA time zone such as "Europe/London" or "UTC"');
  }
  return value;
}

// Zones known to be accepted. Seeded from the canonical IANA list (~4 ms): the first Intl.DateTimeFormat
// of a process loads locale data (~35 ms) and each later one costs ~2 ms; aliases such as "UTC" are not
// in the list and still go through DateTimeFormat (then are remembered too).
let knownTimeZones: Set<string> | undefined;

function isKnownTimeZone(tz: string): boolean {
  knownTimeZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  if (knownTimeZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
  } catch {
    return false;
  }
  knownTimeZones.add(tz);
  return true;
}

/** An http(s) URL. */
export function httpUrl(scope: Scope, prop: string, value: unknown): string {
  if (isToken(value)) return value as string;
  let ok = false;
  if (typeof value === 'string') {
    try {
      const u = new URL(value);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      ok = false;
    }
  }
  if (!ok) invalid(scope, prop, value, 'an http:// or https:// URL');
  return value as string;
}

/**
 * True when an image reference names a fixed version: a `@sha256:` digest, or a tag other than `latest`.
 * Untagged references (`nginx`, `ghcr.io/x/y`) mean `latest` to the runtime and are not pinned.
 */
export function isPinnedImage(image: string): boolean {
  if (!image || /\s/.test(image)) return false;
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? image.slice(colon + 1) : '';
  return tag !== '' && tag !== 'latest';
}

/** A container image pinned by tag or digest; `latest` and a missing tag are refused unless allowed. */
export function pinnedImage(scope: Scope, prop: string, value: unknown): string {
  if (isToken(value)) return value as string;
  const s = typeof value === 'string' ? value : '';
  if (!isPinnedImage(s)) {
    invalid(
      scope,
      prop,
      value,
      'an image pinned by tag or digest (e.g. "nginx:1.28-alpine"), not "latest" or untagged',
    );
  }
  return s;
}
