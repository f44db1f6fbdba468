// What the stub providers do with values (pure, no gRPC): plan marks unset computed attributes of a new
// object unknown; apply fills unknowns deterministically; data sources return their configuration with
// computed attributes filled (maps with the keys the configuration indexes, see data-keys.ts).
import { createHash } from 'node:crypto';
import { Dynamic, UNKNOWN, type Value } from './codec';
import { attributeType, type CtyType, type StubAttribute, type StubBlock } from './schema';

type Obj = { [k: string]: Value };

function isObj(v: Value): v is Obj {
  return v !== null && v !== UNKNOWN && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Dynamic);
}

/** Deterministic fake string for a path: same input, same value, on every run. */
export function stubString(...parts: string[]): string {
  return 'stub-' + createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 12);
}

function markAttrs(v: Obj, attrs: Record<string, StubAttribute>): void {
  for (const [name, a] of Object.entries(attrs)) {
    const cur = v[name] ?? null;
    if (cur === null) {
      if (a.computed) v[name] = UNKNOWN;
      continue;
    }
    if (a.nested_type && cur !== UNKNOWN) {
      for (const el of elements(cur, a.nested_type.nesting_mode))
        if (isObj(el)) markAttrs(el, a.nested_type.attributes);
    }
  }
}

function elements(v: Value, nesting: string): Value[] {
  if (v === null || v === UNKNOWN) return [];
  if (nesting === 'single' || nesting === 'group') return [v];
  if (nesting === 'map') return isObj(v) ? Object.values(v) : [];
  return Array.isArray(v) ? v : [];
}

/** On create: every computed attribute left null becomes unknown, recursively (blocks stay as proposed). */
export function markComputedUnknown(v: Value, block: StubBlock): Value {
  if (!isObj(v)) return v;
  markAttrs(v, block.attributes ?? {});
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    for (const el of elements(v[name] ?? null, bt.nesting_mode)) markComputedUnknown(el, bt.block);
  }
  return v;
}

/** Replaces every unknown with a deterministic known value of its type. */
export function fillUnknown(v: Value, type: CtyType, seed: string): Value {
  if (v === UNKNOWN) return fake(type, seed);
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Dynamic) return new Dynamic(v.type, fillUnknown(v.value, v.type, seed));
  if (typeof type === 'string') return v;
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set')
    return (v as Value[]).map((e, i) => fillUnknown(e, inner, `${seed}[${i}]`));
  if (kind === 'tuple') return (v as Value[]).map((e, i) => fillUnknown(e, inner[i]!, `${seed}[${i}]`));
  const o = v as Obj;
  if (kind === 'map')
    return Object.fromEntries(Object.entries(o).map(([k, e]) => [k, fillUnknown(e, inner, `${seed}.${k}`)]));
  return Object.fromEntries(
    Object.entries(inner).map(([k, t]) => [k, fillUnknown(o[k] ?? null, t, `${seed}.${k}`)]),
  );
}

function fake(type: CtyType, seed: string): Value {
  if (type === 'string') return stubString(seed);
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (type === 'dynamic') return null;
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') return [];
  if (kind === 'map') return {};
  if (kind === 'tuple') return inner.map((t, i) => fake(t, `${seed}[${i}]`));
  return Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, fake(t, `${seed}.${k}`)]));
}

interface PathNode {
  named: Map<string, PathNode>;
  indexed: Map<number, PathNode>;
  iterated?: PathNode;
}

const pathNode = (): PathNode => ({ named: new Map(), indexed: new Map() });

function child<K>(m: Map<K, PathNode>, k: K): PathNode {
  let c = m.get(k);
  if (!c) m.set(k, (c = pathNode()));
  return c;
}

function mergeInto(dst: PathNode, src: PathNode): void {
  for (const [k, c] of src.named) mergeInto(child(dst.named, k), c);
  for (const [i, c] of src.indexed) mergeInto(child(dst.indexed, i), c);
  if (src.iterated) mergeInto((dst.iterated ??= pathNode()), src.iterated);
}

function buildDocument(n: PathNode, seed: string): unknown {
  // what every entry gets when iterated applies to the named / indexed entries too
  const entries = [...n.named.values(), ...n.indexed.values()];
  if (n.iterated) for (const c of entries) mergeInto(c, n.iterated);
  if (n.named.size)
    return Object.fromEntries(
      [...[...n.named], ...[...n.indexed].map(([i, c]) => [String(i), c] as const)].map(([k, c]) => [
        k,
        buildDocument(c, `${seed}[${JSON.stringify(k)}]`),
      ]),
    );
  if (n.indexed.size)
    return Array.from({ length: Math.max(...n.indexed.keys()) + 1 }, (_, i) => {
      const c = n.indexed.get(i) ?? pathNode();
      if (!n.indexed.has(i) && n.iterated) mergeInto(c, n.iterated);
      return buildDocument(c, `${seed}[${i}]`);
    });
  if (n.iterated)
    return Object.fromEntries(
      [1, 2].map((i) => {
        const c = pathNode();
        mergeInto(c, n.iterated!);
        return [stubString(seed, 'entry', String(i)), buildDocument(c, `${seed}[*${i}]`)];
      }),
    );
  return stubString(seed);
}

/**
 * The JSON value a jsondecode()d data key stands for: a nested object holding every access path
 * (data-keys.ts scanJsonPaths; each a JSON array of names, indexes and null for "iterated"), with
 * deterministic fake strings (from `seed` and the path) at the leaves. A name makes an object, an
 * index a list, an iterated value with no names two fake entries.
 */
export function jsonDocument(seed: string, paths: string[]): unknown {
  const root = pathNode();
  for (const p of paths) {
    let n = root;
    for (const seg of JSON.parse(p) as (string | number | null)[])
      n =
        seg === null
          ? (n.iterated ??= pathNode())
          : typeof seg === 'number'
            ? child(n.indexed, seg)
            : child(n.named, seg);
  }
  return buildDocument(root, seed);
}

/** Data source result: config with computed attributes filled; maps get the keys in `keys`. */
export function readData(
  typeName: string,
  config: Value,
  block: StubBlock,
  keys: Record<string, string[]>,
  prefix = '',
): Value {
  if (!isObj(config)) return config;
  const out: Obj = { ...config };
  for (const [name, a] of Object.entries(block.attributes ?? {})) {
    const t = attributeType(a);
    const path = prefix ? `${prefix}.${name}` : name;
    const cur = out[name] ?? null;
    if (cur !== null && cur !== UNKNOWN) {
      out[name] = fillUnknown(cur, t, `${typeName}.${path}`);
      continue;
    }
    if (!a.computed) continue;
    const wanted = keys[`${typeName}.${path}`];
    if (Array.isArray(t) && t[0] === 'map' && wanted) {
      // Keys the configuration jsondecode()s get JSON: a document holding the paths the configuration
      // applies to the decoded value, or (none recorded) a JSON string of the fake.
      const json = new Set(keys[`${typeName}.${path}.json`] ?? []);
      out[name] = Object.fromEntries(
        wanted.map((k) => {
          const seed = `${typeName}.${path}["${k}"]`;
          const v = fake(t[1], seed);
          if (!json.has(k) || typeof v !== 'string') return [k, v];
          const paths = keys[`${typeName}.${path}.json["${k}"]`];
          return [k, JSON.stringify(paths?.length ? jsonDocument(seed, paths) : v)];
        }),
      );
    } else if (Array.isArray(t) && (t[0] === 'list' || t[0] === 'set') && wanted) {
      // indexed as [n]: provide n+1 elements
      const n = Math.max(-1, ...wanted.map(Number).filter(Number.isInteger)) + 1;
      out[name] = Array.from({ length: n }, (_, i) => fake(t[1], `${typeName}.${path}[${i}]`));
    } else {
      out[name] = fake(t, `${typeName}.${path}`);
    }
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    const cur = out[name] ?? null;
    const path = prefix ? `${prefix}.${name}` : name;
    if (cur === null) continue;
    if (bt.nesting_mode === 'single' || bt.nesting_mode === 'group')
      out[name] = readData(typeName, cur, bt.block, keys, path);
    else if (Array.isArray(cur)) out[name] = cur.map((e) => readData(typeName, e, bt.block, keys, path));
    else if (isObj(cur))
      out[name] = Object.fromEntries(
        Object.entries(cur).map(([k, e]) => [k, readData(typeName, e, bt.block, keys, path)]),
      );
  }
  return out;
}

/**
 * UpgradeResourceState: the stored JSON state without attributes the schema does not have (state
 * written by a newer real provider, e.g. kubernetes 3.x, while the stub schemas are 2.38's), so
 * Terraform can decode it. Values of dynamic attributes are kept as stored.
 */
export function pruneState(raw: unknown, block: StubBlock): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const obj = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(block.attributes ?? {})) {
    if (!(name in obj)) continue;
    const v = obj[name];
    if (a.nested_type && v !== null && v !== undefined) {
      const inner: StubBlock = { attributes: a.nested_type.attributes };
      out[name] = mapElements(v, a.nested_type.nesting_mode, (e) => pruneState(e, inner));
    } else out[name] = v;
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    if (!(name in obj)) continue;
    const v = obj[name];
    out[name] =
      v === null || v === undefined ? v : mapElements(v, bt.nesting_mode, (e) => pruneState(e, bt.block));
  }
  return out;
}

function mapElements(v: unknown, nesting: string, f: (e: unknown) => unknown): unknown {
  if (nesting === 'single' || nesting === 'group') return f(v);
  if (nesting === 'map') {
    return v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, e]) => [k, f(e)])) : v;
  }
  return Array.isArray(v) ? v.map(f) : v;
}
