// Attribute-level diff of two JSON values, shared by the plan comment (terraform show -json) and the synth
// diff (cdk.tf.json). Values can carry "marks" shaped like Terraform's `before_sensitive`, `after_sensitive`
// and `after_unknown`: the same structure as the value with `true` leaves, or `true` for the whole value.
// A marked-sensitive value is never rendered, only `(sensitive)`; an unknown one is `(known after apply)`.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Terraform's mark shape: `true` marks the whole (sub)value; objects/arrays mirror the value. */
export type Marks = boolean | Marks[] | { [key: string]: Marks } | null | undefined;

export type PathSegment = string | number;

export const SENSITIVE = '(sensitive)';
export const UNKNOWN = '(known after apply)';

/** Longest rendered value (characters) before it is cut with `…`. */
export const MAX_VALUE_CHARS = 200;

export interface AttributeChange {
  readonly path: readonly PathSegment[];
  /** add: only `after` is set; remove: only `before`; change: both. */
  readonly kind: 'add' | 'remove' | 'change';
  /** Rendered (masked, cut) old value. */
  readonly before?: string;
  /** Rendered (masked, cut) new value. */
  readonly after?: string;
}

export interface DiffMarks {
  readonly beforeSensitive?: Marks;
  readonly afterSensitive?: Marks;
  readonly afterUnknown?: Marks;
}

export function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCompound(v: unknown): v is Json[] | { [key: string]: Json } {
  return typeof v === 'object' && v !== null;
}

/** Null and absent are the same to Terraform (an unset attribute). */
function isAbsent(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** The marks of one child: `true` covers the whole subtree. */
export function childMarks(marks: Marks, key: PathSegment): Marks {
  if (marks === true) return true;
  if (Array.isArray(marks)) return typeof key === 'number' ? marks[key] : undefined;
  if (isObject(marks)) return (marks as { [key: string]: Marks })[String(key)];
  return undefined;
}

/** Union of two mark trees (a leaf is marked when either marks it). */
export function mergeMarks(a: Marks, b: Marks): Marks {
  if (a === true || b === true) return true;
  if (!isCompound(a)) return b;
  if (!isCompound(b)) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: Marks[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(mergeMarks(a[i] as Marks, b[i] as Marks));
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: { [key: string]: Marks } = { ...(a as { [key: string]: Marks }) };
    for (const [k, v] of Object.entries(b as { [key: string]: Marks })) out[k] = mergeMarks(out[k], v);
    return out;
  }
  return a;
}

/** True when any leaf under `marks` is marked. */
export function anyMarked(marks: Marks): boolean {
  if (marks === true) return true;
  if (Array.isArray(marks)) return marks.some(anyMarked);
  if (isObject(marks)) return Object.values(marks as { [key: string]: Marks }).some(anyMarked);
  return false;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isAbsent(a) && isAbsent(b)) return true;
  if (!isCompound(a) || !isCompound(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Terraform-style path: `spec[0].template[0].metadata[0].labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Cuts a rendered value to `max` characters. */
export function cut(text: string, max = MAX_VALUE_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Replaces marked parts of a value: sensitive subtrees by `(sensitive)`, unknown ones by
 * `(known after apply)`. Used to render a compound value in one line without leaking.
 */
function redact(value: unknown, sensitive: Marks, unknown: Marks): unknown {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value))
    return value.map((v, i) => redact(v, childMarks(sensitive, i), childMarks(unknown, i)));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = redact(v, childMarks(sensitive, k), childMarks(unknown, k));
    // Unknown attributes of a new object are absent from `after` but present in `after_unknown`.
    if (isObject(unknown)) {
      for (const [k, m] of Object.entries(unknown as { [key: string]: Marks }))
        if (m === true && !(k in out)) out[k] = UNKNOWN;
    }
    return out;
  }
  return value;
}

/** One-line rendering of a value with its marks applied, cut to MAX_VALUE_CHARS. */
export function renderValue(value: unknown, sensitive?: Marks, unknown?: Marks): string {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return UNKNOWN;
  const v = redact(value, sensitive, unknown);
  if (v === SENSITIVE || v === UNKNOWN) return v;
  if (v === undefined) return 'null';
  // Sentinels inside compound values are rendered as JSON strings ("(sensitive)"): still unambiguous.
  return cut(JSON.stringify(v) ?? String(v));
}

export interface Leaf {
  readonly path: PathSegment[];
  readonly value: string;
}

/**
 * Every non-empty leaf of a value with its rendered text; a sensitive or unknown subtree is one leaf.
 * Unknown-only attributes (absent from the value but `true` in `unknown`) are included.
 */
export function leavesOf(
  value: unknown,
  sensitive?: Marks,
  unknown?: Marks,
  path: PathSegment[] = [],
): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, s: Marks, u: Marks, p: PathSegment[]): void => {
    if (s === true) {
      if (!isAbsent(v)) out.push({ path: p, value: SENSITIVE });
      return;
    }
    if (u === true) {
      out.push({ path: p, value: UNKNOWN });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((c, i) => walk(c, childMarks(s, i), childMarks(u, i), [...p, i]));
      return;
    }
    if (isObject(v) || isObject(u)) {
      const obj = isObject(v) ? v : {};
      for (const [k, c] of Object.entries(obj)) walk(c, childMarks(s, k), childMarks(u, k), [...p, k]);
      if (isObject(u)) {
        for (const [k, m] of Object.entries(u as { [key: string]: Marks })) {
          if (!(k in obj) && anyMarked(m)) walk(undefined, childMarks(s, k), m, [...p, k]);
        }
      }
      return;
    }
    if (isAbsent(v)) return;
    out.push({ path: p, value: renderValue(v) });
  };
  walk(value, sensitive, unknown, path);
  return out;
}

/**
 * Attribute-level changes from `before` to `after`: objects are compared key by key, lists index by
 * index; null, absent and empty containers count as "not set". Sensitive values are never rendered.
 */
export function diffValues(before: unknown, after: unknown, marks: DiffMarks = {}): AttributeChange[] {
  const out: AttributeChange[] = [];
  const walk = (b: unknown, a: unknown, bs: Marks, as: Marks, au: Marks, path: PathSegment[]): void => {
    if (au === true) {
      if (isAbsent(b) || (isCompound(b) && leavesOf(b).length === 0))
        out.push({ path, kind: 'add', after: UNKNOWN });
      else out.push({ path, kind: 'change', before: renderValue(b, bs), after: UNKNOWN });
      return;
    }
    if (bs === true || as === true) {
      const bEmpty = isAbsent(b) || (isCompound(b) && leavesOf(b).length === 0);
      const aEmpty = isAbsent(a) || (isCompound(a) && leavesOf(a).length === 0);
      if (bEmpty && aEmpty) return;
      if (deepEqual(b, a) && (bs === true) === (as === true)) return;
      const bText = bs === true ? SENSITIVE : renderValue(b, bs);
      const aText = as === true ? SENSITIVE : renderValue(a, as);
      if (bEmpty) out.push({ path, kind: 'add', after: aText });
      else if (aEmpty) out.push({ path, kind: 'remove', before: bText });
      else out.push({ path, kind: 'change', before: bText, after: aText });
      return;
    }
    const objectish = (v: unknown): boolean => isObject(v) || isAbsent(v);
    const listish = (v: unknown): boolean => Array.isArray(v) || isAbsent(v);
    if (objectish(b) && objectish(a) && (isObject(b) || isObject(a) || isObject(au))) {
      const bo = isObject(b) ? b : {};
      const ao = isObject(a) ? a : {};
      const keys = [...Object.keys(bo)];
      for (const k of Object.keys(ao)) if (!(k in bo)) keys.push(k);
      if (isObject(au)) {
        for (const k of Object.keys(au as object)) if (!(k in bo) && !(k in ao)) keys.push(k);
      }
      for (const k of keys)
        walk(bo[k], ao[k], childMarks(bs, k), childMarks(as, k), childMarks(au, k), [...path, k]);
      return;
    }
    if (listish(b) && listish(a) && (Array.isArray(b) || Array.isArray(a) || Array.isArray(au))) {
      const ba = Array.isArray(b) ? b : [];
      const aa = Array.isArray(a) ? a : [];
      const n = Math.max(ba.length, aa.length, Array.isArray(au) ? au.length : 0);
      for (let i = 0; i < n; i++)
        walk(ba[i], aa[i], childMarks(bs, i), childMarks(as, i), childMarks(au, i), [...path, i]);
      return;
    }
    if (!isCompound(b) && !isCompound(a)) {
      if (b === a || (isAbsent(b) && isAbsent(a))) return;
      if (isAbsent(b)) out.push({ path, kind: 'add', after: renderValue(a) });
      else if (isAbsent(a)) out.push({ path, kind: 'remove', before: renderValue(b) });
      else out.push({ path, kind: 'change', before: renderValue(b), after: renderValue(a) });
      return;
    }
    // Different kinds (e.g. a string became a list): the old leaves go, the new ones come.
    for (const l of leavesOf(b, bs, undefined, path))
      out.push({ path: l.path, kind: 'remove', before: l.value });
    for (const l of leavesOf(a, as, au, path)) out.push({ path: l.path, kind: 'add', after: l.value });
  };
  walk(before, after, marks.beforeSensitive, marks.afterSensitive, marks.afterUnknown, []);
  return out;
}

/** `path: old -> new`, `path: new` (added) or `path: old` (removed), with a `~`/`+`/`-` sign. */
export function formatChange(c: AttributeChange): { sign: '~' | '+' | '-'; text: string } {
  const p = formatPath(c.path) || '(value)';
  if (c.kind === 'add') return { sign: '+', text: `${p}: ${c.after}` };
  if (c.kind === 'remove') return { sign: '-', text: `${p}: ${c.before}` };
  return { sign: '~', text: `${p}: ${c.before} -> ${c.after}` };
}
