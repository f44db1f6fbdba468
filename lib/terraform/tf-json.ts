// Reading a synthesized cdk.tf.json (cdktf 0.21): resources, data sources and moved blocks by address.
// Shape: { "//": {...}, terraform, provider, variable, output, locals,
//          data: { type: { name: body } }, resource: { type: { name: body } },
//          moved: [{ from, to }], import: [{ to, id }] }
// where a body may carry cdktf's own `"//"` metadata key (construct path, unique id); it is not config.
import { type Json, isObject } from '../review/value-diff';

export type CdkTfJson = Readonly<Record<string, unknown>>;

export type Mode = 'managed' | 'data';

export interface TfElement {
  /** `type.name` for resources, `data.type.name` for data sources. */
  readonly address: string;
  readonly mode: Mode;
  readonly type: string;
  readonly name: string;
  /** The configuration, `//` metadata removed. */
  readonly body: { readonly [key: string]: Json };
}

export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

export class SynthJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthJsonError';
  }
}

/** Removes cdktf's `//` metadata keys at every level. */
export function stripMeta(value: unknown): Json {
  if (Array.isArray(value)) return value.map(stripMeta);
  if (isObject(value)) {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (k !== '//') out[k] = stripMeta(v);
    return out;
  }
  return value as Json;
}

function blockOf(json: CdkTfJson, key: 'resource' | 'data', where: string): Record<string, unknown> {
  const block = json[key];
  if (block === undefined || block === null) return {};
  if (!isObject(block)) throw new SynthJsonError(`${where}: "${key}" is not an object`);
  return block;
}

/** Resources (mode managed) or data sources of one cdk.tf.json, by address, in file order. */
export function elementsOf(json: CdkTfJson, mode: Mode, where = 'cdk.tf.json'): Map<string, TfElement> {
  if (!isObject(json)) throw new SynthJsonError(`${where}: not a cdk.tf.json object`);
  const out = new Map<string, TfElement>();
  const block = blockOf(json, mode === 'managed' ? 'resource' : 'data', where);
  for (const [type, byName] of Object.entries(block)) {
    if (!isObject(byName))
      throw new SynthJsonError(
        `${where}: ${mode === 'data' ? 'data.' : ''}${type} is not an object of names`,
      );
    for (const [name, body] of Object.entries(byName)) {
      const address = mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
      const clean = stripMeta(body);
      out.set(address, { address, mode, type, name, body: isObject(clean) ? clean : {} });
    }
  }
  return out;
}

/** Addresses of the managed resources, sorted (data sources hold no state). */
export function resourceAddresses(json: CdkTfJson, where = 'cdk.tf.json'): string[] {
  if (!isObject(json)) throw new SynthJsonError(`${where}: not a cdk.tf.json object`);
  const out: string[] = [];
  for (const [type, byName] of Object.entries(blockOf(json, 'resource', where))) {
    if (!isObject(byName)) throw new SynthJsonError(`${where}: ${type} is not an object of names`);
    for (const name of Object.keys(byName)) out.push(`${type}.${name}`);
  }
  return out.sort();
}

/** The `moved` blocks of one cdk.tf.json. */
export function movedBlocks(json: CdkTfJson, where = 'cdk.tf.json'): MovedBlock[] {
  const moved = json.moved;
  if (moved === undefined || moved === null) return [];
  if (!Array.isArray(moved)) throw new SynthJsonError(`${where}: "moved" is not a list`);
  return moved.map((m, i) => {
    if (!isObject(m) || typeof m.from !== 'string' || typeof m.to !== 'string') {
      throw new SynthJsonError(`${where}: moved[${i}] needs string "from" and "to"`);
    }
    return { from: m.from, to: m.to };
  });
}

/** The `import` blocks of one cdk.tf.json, `to` -> id (or the id expression). */
export function importBlocks(json: CdkTfJson): Map<string, string> {
  const out = new Map<string, string>();
  const imports = json.import;
  if (!Array.isArray(imports)) return out;
  for (const i of imports)
    if (isObject(i) && typeof i.to === 'string')
      out.set(i.to, typeof i.id === 'string' ? i.id : JSON.stringify(i.id));
  return out;
}

/** `type.name[0]` / `type.name["k"]` -> `type.name` (the configuration address). */
export function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

/** The top-level blocks that are not resources, data sources, moved or import blocks (`//` removed). */
export function settingsOf(json: CdkTfJson): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(json)) {
    if (k === '//' || k === 'resource' || k === 'data' || k === 'moved' || k === 'import') continue;
    out[k] = stripMeta(v);
  }
  return out;
}
