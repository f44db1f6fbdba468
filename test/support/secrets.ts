// Secret scan for synthesized stacks: no key material, no token- or hash-shaped literal, no literal value
// under a credential-looking env name, and Kubernetes Secret data only as Terraform references.
import { expect } from 'vitest';
import { isReference, isSecretKey, looksLikeSecretValue } from '../../lib/validation/secret-mask';
import type { Json, TfJson } from './synth';

const SHAPES: ReadonlyArray<[string, RegExp]> = [
  ['bcrypt hash', /\$2[aby]\$\d\d\$/],
  ['long hex token', /(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])/i],
  ['base32 TOTP secret', /(?<![A-Z2-7])[A-Z2-7]{16,}(?![A-Z2-7])/],
];

/** Keys whose values are hex by design and public: images pinned by commit or digest, zone ids. */
const PUBLIC_ID_KEYS = new Set(['image', 'zone_id']);

/** Offending JSON paths (with the reason), empty when the stack is clean. */
export function secretFindings(json: TfJson): string[] {
  const found: string[] = [];
  const walk = (value: Json, at: string, key: string): void => {
    if (typeof value === 'string') {
      if (PUBLIC_ID_KEYS.has(key)) return;
      if (looksLikeSecretValue(value)) found.push(`${at}: key material / credential URL`);
      for (const [what, re] of SHAPES) if (re.test(value)) found.push(`${at}: ${what}`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}[${i}]`, key));
      return;
    }
    if (value && typeof value === 'object') {
      if (typeof value.name === 'string' && 'value' in value && isSecretKey(value.name)) {
        if (typeof value.value !== 'string' || !isReference(value.value))
          found.push(`${at}: literal value for ${value.name}`);
      }
      for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`, k);
    }
  };
  walk(json, '$', '');
  for (const type of ['kubernetes_secret', 'kubernetes_secret_v1']) {
    for (const [name, attrs] of Object.entries(json.resource?.[type] ?? {})) {
      for (const [k, v] of Object.entries((attrs as Json).data ?? {})) {
        if (typeof v !== 'string' || !isReference(v))
          found.push(`${type}.${name}.data.${k}: not a reference`);
      }
    }
  }
  return found;
}

export function expectNoSecretMaterial(json: TfJson): void {
  expect(secretFindings(json)).toEqual([]);
}
