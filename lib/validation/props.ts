// Unknown prop keys. TypeScript catches a misspelled prop (`dnstype:`) only where the literal is
// type-checked; the esbuild-bundled synth strips types, so the key would be dropped silently. Every
// construct therefore checks its props object (and nested objects where practical) against its key list.
import type { IConstruct } from 'constructs';
import { invalid } from './errors';

type Scope = IConstruct | string;

/**
 * The keys of a props interface, complete by construction: the compiler refuses a list that misses a
 * key or names one the interface does not have. `propKeys<WebAppProps>({ name: true, port: true, ... })`.
 */
export function propKeys<P>(keys: { readonly [K in keyof Required<P>]: true }): readonly string[] {
  return Object.freeze(Object.keys(keys).sort());
}

/** Edit distance, for "did you mean" (keys are short, so the quadratic table is fine). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function closest(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const dd = a.toLowerCase() === lower ? 0 : distance(lower, a.toLowerCase());
    if (dd < bestD) [best, bestD] = [a, dd];
  }
  return bestD <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined;
}

/**
 * Checks that `value` is a props object (not undefined, null, an array or a primitive) whose keys are all
 * in `allowed`; `prop` names it in the error ("props", "signup.mailer"). Returns the object.
 */
export function checkProps<T>(scope: Scope, prop: string, value: T, allowed: readonly string[]): T {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    invalid(scope, prop, value, `an object with keys among: ${allowed.join(', ')}`);
  }
  for (const key of Object.keys(value as object)) {
    if (allowed.includes(key)) continue;
    const hint = closest(key, allowed);
    invalid(
      scope,
      prop === 'props' ? key : `${prop}.${key}`,
      (value as Record<string, unknown>)[key],
      `${hint ? `no such prop (did you mean "${hint}"?); ` : 'no such prop; '}known: ${allowed.join(', ')}`,
    );
  }
  return value;
}

/** `checkProps` for an optional nested object: undefined passes. */
export function checkOptionalProps<T>(scope: Scope, prop: string, value: T, allowed: readonly string[]): T {
  if (value === undefined) return value;
  return checkProps(scope, prop, value, allowed);
}

/** `checkProps` for each element of an optional array of objects (`prop[i]`). */
export function checkPropsEach<T>(
  scope: Scope,
  prop: string,
  value: readonly T[] | undefined,
  allowed: readonly string[],
): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) invalid(scope, prop, value, 'a list');
  value.forEach((v, i) => checkProps(scope, `${prop}[${i}]`, v, allowed));
}

/**
 * Checks nested prop objects by key: `{ sablier: SABLIER_KEYS }` checks `props.sablier` when it is an
 * object, and each element when it is a list of objects; other values (undefined, true/false switches,
 * a wrongly typed value the construct's own check reports) are left alone. `prefix` names the parent.
 */
export function checkNestedProps(
  scope: Scope,
  prefix: string,
  value: unknown,
  spec: Readonly<Record<string, readonly string[]>>,
): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, allowed] of Object.entries(spec)) {
    const v = (value as Record<string, unknown>)[key];
    const prop = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        if (x !== null && typeof x === 'object' && !Array.isArray(x))
          checkProps(scope, `${prop}[${i}]`, x, allowed);
      });
    } else if (v !== null && typeof v === 'object') checkProps(scope, prop, v, allowed);
  }
}
