// Terraform's `jsonencode()` output, reproduced for plain values, so a ConfigMap file synthesized here is
// byte-identical to the one the tree's `jsonencode({...})` put in state: object keys sorted, no
// whitespace, and Go's HTML-safe escapes of <, > and & (as \u003c, \u003e, \u0026).
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export function jsonencode(value: JsonValue): string {
  return JSON.stringify(sortKeys(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const map = value as { readonly [key: string]: JsonValue };
    return Object.fromEntries(
      Object.keys(map)
        .sort()
        .map((k) => [k, sortKeys(map[k])]),
    );
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new Error(`jsonencode: non-finite number ${value}`);
  }
  return value;
}
