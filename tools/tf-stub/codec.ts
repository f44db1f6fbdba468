// Schema-aware msgpack codec for Terraform's DynamicValue (cty's msgpack conventions):
//   null = nil; unknown = extension type 0 (refined unknowns: extension type 12, read as plain unknown);
//   numbers as int, float or (big/precise) string; objects and maps as maps; lists, sets, tuples as
//   arrays; a value of type "dynamic" as [type JSON bytes, value encoded with that type].
// Decoded values: JS primitives, arrays, plain objects, UNKNOWN, and Dynamic for "dynamic" values
// (their concrete type travels with them so they can be echoed and re-encoded unchanged).
import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';
import type { CtyType } from './schema';

export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

export class Dynamic {
  constructor(
    readonly type: CtyType,
    readonly value: Value,
  ) {}
}

export type Value = null | Unknown | string | number | boolean | Dynamic | Value[] | { [k: string]: Value };

class UnknownMarker {}
const UNKNOWN_MARKER = new UnknownMarker();

const ext = new ExtensionCodec();
ext.register({
  type: 0,
  encode: (v: unknown) => (v instanceof UnknownMarker ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN_MARKER,
});
ext.register({ type: 12, encode: () => null, decode: () => UNKNOWN_MARKER });

function fromWire(raw: unknown, type: CtyType, path: string): Value {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof UnknownMarker) return UNKNOWN;
  if (type === 'dynamic') {
    if (!Array.isArray(raw) || raw.length !== 2 || !(raw[0] instanceof Uint8Array)) {
      throw new Error(`${path}: dynamic value is not [type, value]`);
    }
    const t = JSON.parse(Buffer.from(raw[0]).toString('utf8')) as CtyType;
    return new Dynamic(t, fromWire(raw[1], t, path));
  }
  if (type === 'string') return String(raw);
  if (type === 'number') return typeof raw === 'bigint' ? raw.toString() : (raw as number | string);
  if (type === 'bool') return Boolean(raw);
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(raw)) throw new Error(`${path}: expected an array`);
    return raw.map((v, i) => fromWire(v, inner, `${path}[${i}]`));
  }
  if (kind === 'tuple') {
    if (!Array.isArray(raw)) throw new Error(`${path}: expected an array`);
    return raw.map((v, i) => fromWire(v, inner[i]!, `${path}[${i}]`));
  }
  const obj = raw as Record<string, unknown>;
  const out: Record<string, Value> = {};
  if (kind === 'map') {
    for (const [k, v] of Object.entries(obj)) out[k] = fromWire(v, inner, `${path}[${JSON.stringify(k)}]`);
    return out;
  }
  for (const [k, t] of Object.entries(inner)) out[k] = fromWire(obj[k], t, path ? `${path}.${k}` : k);
  return out;
}

function toWire(v: Value, type: CtyType, path: string): unknown {
  if (v === null) return null;
  if (v === UNKNOWN) return UNKNOWN_MARKER;
  if (type === 'dynamic') {
    if (!(v instanceof Dynamic)) throw new Error(`${path}: dynamic value without a type`);
    return [Buffer.from(JSON.stringify(v.type)), toWire(v.value, v.type, path)];
  }
  if (v instanceof Dynamic) throw new Error(`${path}: typed value is Dynamic`);
  if (type === 'string' || type === 'bool') return v;
  if (type === 'number') {
    if (typeof v === 'string' && v.trim() !== '' && Number.isSafeInteger(Number(v))) return Number(v);
    return v;
  }
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set')
    return (v as Value[]).map((e, i) => toWire(e, inner, `${path}[${i}]`));
  if (kind === 'tuple') return (v as Value[]).map((e, i) => toWire(e, inner[i]!, `${path}[${i}]`));
  const obj = v as Record<string, Value>;
  if (kind === 'map')
    return Object.fromEntries(Object.entries(obj).map(([k, e]) => [k, toWire(e, inner, path)]));
  return Object.fromEntries(
    Object.entries(inner).map(([k, t]) => [k, toWire(obj[k] ?? null, t, `${path}.${k}`)]),
  );
}

export function decodeValue(bytes: Uint8Array, type: CtyType): Value {
  return fromWire(decode(bytes, { extensionCodec: ext, useBigInt64: true }), type, '');
}

export function encodeValue(v: Value, type: CtyType): Uint8Array {
  return encode(toWire(v, type, ''), { extensionCodec: ext, ignoreUndefined: false });
}

/** A value from Terraform's JSON state encoding (no unknowns; dynamic values carry no type there). */
export function fromJson(raw: unknown, type: CtyType): Value {
  if (raw === null || raw === undefined) return null;
  if (type === 'dynamic') return new Dynamic(impliedType(raw), fromJson(raw, impliedType(raw)));
  if (typeof type === 'string') return raw as Value;
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') return (raw as unknown[]).map((e) => fromJson(e, inner));
  if (kind === 'tuple') return (raw as unknown[]).map((e, i) => fromJson(e, inner[i]!));
  const obj = raw as Record<string, unknown>;
  if (kind === 'map') return Object.fromEntries(Object.entries(obj).map(([k, e]) => [k, fromJson(e, inner)]));
  return Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, fromJson(obj[k], t)]));
}

/** The cty type JSON implies for a value (as ctyjson.ImpliedType: arrays are tuples, objects objects). */
export function impliedType(raw: unknown): CtyType {
  if (raw === null || raw === undefined) return 'dynamic';
  if (typeof raw === 'string') return 'string';
  if (typeof raw === 'number') return 'number';
  if (typeof raw === 'boolean') return 'bool';
  if (Array.isArray(raw)) return ['tuple', raw.map(impliedType)];
  return ['object', Object.fromEntries(Object.entries(raw as object).map(([k, v]) => [k, impliedType(v)]))];
}
