// Derives provider schemas from an installed prebuilt cdktf binding package (@cdktf/provider-*), so the
// stubs accept exactly what the real provider's schema accepts without a hand-written copy.
//
// Source of truth: the TypeScript source embedded in each binding's source map (sourcesContent). The
// generator writes, per attribute, `// <tf_name> - computed: X, optional: Y, required: Z` followed by
// either a typed getter (getStringAttribute, Fn.tolist(getListAttribute) = set, getAnyMapAttribute =
// dynamic, ...) or `new <Struct>OutputReference|List|Map(this, "<tf_name>"[, isSet])`; the
// `...ToHclTerraform` functions / `synthesizeHclAttributes()` say isBlock, "list"/"set"/"struct"/"map"
// and storageClassType. Mapping back (see @cdktf/provider-generator resource-parser):
//   block + OutputReference + list/set -> nesting list/set, max_items 1; block + List -> list/set;
//   block + "struct" -> nesting single; required list/set block -> min_items 1 (the generator only
//   keeps min_items > 0 as "required", so larger minimums and max_items > 1 are not recoverable);
//   complex non-block attribute -> nested_type; anyMap (cty dynamic) and generator-skipped (too deep)
//   attributes -> "dynamic". Sensitivity is not in the bindings: see SENSITIVE in providers.ts.
// Slow for big packages (kubernetes: ~100 MB of JS), so results are cached by package version
// (cache.ts); the plugin only reads the cache.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  CtyType,
  NestingMode,
  StubAttribute,
  StubBlock,
  StubProviderSchema,
  StubSchema,
} from './schema';

interface HclEntry {
  /** camelCase field the value comes from (struct!.x / this._x) */
  field?: string;
  isBlock: boolean;
  type: string;
  storage: string;
}

interface Member {
  tfName: string;
  computed: boolean;
  optional: boolean;
  required: boolean;
  text: string;
}

interface ClassInfo {
  name: string;
  base: string;
  members: Member[];
  tfType?: string;
  hcl?: Map<string, HclEntry>;
}

interface Sources {
  classes: Map<string, ClassInfo>;
  /** interface name -> camelCase member -> required?, declared type */
  interfaces: Map<string, Map<string, { required: boolean; type: string }>>;
  hclByStruct: Map<string, Map<string, HclEntry>>;
}

const MEMBER_RE =
  /^ {2}\/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)$/gm;
const HCL_RE =
  /^\s*(\w+): \{\s*\n\s*value: ([^\n]*)\n\s*isBlock: (true|false),\s*\n\s*type: "(\w+)",\s*\n\s*storageClassType: "(\w+)",/gm;

function parseHcl(text: string): Map<string, HclEntry> {
  const out = new Map<string, HclEntry>();
  for (const m of text.matchAll(HCL_RE)) {
    const field = /(?:struct!\.|this\._)(\w+)\)/.exec(m[2]!)?.[1];
    out.set(m[1]!, { field, isBlock: m[3] === 'true', type: m[4]!, storage: m[5]! });
  }
  return out;
}

function parseSource(src: string, into: Sources): void {
  for (const chunk of src.split(/^(?=export )/m)) {
    const iface = /^export interface (\w+)/.exec(chunk);
    if (iface) {
      const members = new Map<string, { required: boolean; type: string }>();
      for (const m of chunk.matchAll(/^ {2}readonly (\w+)(\?)?: ([^;]*);/gm)) {
        members.set(m[1]!, { required: !m[2], type: m[3]! });
      }
      into.interfaces.set(iface[1]!, members);
      continue;
    }
    const cls = /^export class (\w+) extends cdktf\.(\w+)/.exec(chunk);
    if (cls) {
      const info: ClassInfo = { name: cls[1]!, base: cls[2]!, members: [] };
      const tfType = /static readonly tfResourceType = "([\w-]+)"/.exec(chunk);
      if (tfType) info.tfType = tfType[1]!;
      const marks = [...chunk.matchAll(MEMBER_RE)];
      marks.forEach((m, i) => {
        const end = i + 1 < marks.length ? marks[i + 1]!.index : chunk.length;
        info.members.push({
          tfName: m[1]!,
          computed: m[2] === 'true',
          optional: m[3] === 'true',
          required: m[4] === 'true',
          text: chunk.slice(m.index + m[0].length, end),
        });
      });
      if (/synthesizeHclAttributes\(\)/.test(chunk)) {
        info.hcl = parseHcl(chunk.slice(chunk.indexOf('synthesizeHclAttributes()')));
      }
      into.classes.set(info.name, info);
      continue;
    }
    const fn = /^export function \w+ToHclTerraform\(struct\?: ([^)]*)\)/.exec(chunk);
    if (fn) {
      const names = fn[1]!
        .split('|')
        .map((s) => s.trim())
        .filter((s) => /^\w+$/.test(s) && !s.endsWith('OutputReference'));
      for (const n of names) into.hclByStruct.set(n, parseHcl(chunk));
    }
  }
}

/** The TypeScript source a compiled binding file was generated from (inline source map). */
export function embeddedSource(jsFile: string): string {
  const js = fs.readFileSync(jsFile, 'utf8');
  const at = js.lastIndexOf('sourceMappingURL=data:application/json;base64,');
  if (at < 0) throw new Error(`${jsFile}: no inline source map`);
  const b64 = js.slice(at + 'sourceMappingURL=data:application/json;base64,'.length).trim();
  const map = JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as { sourcesContent?: string[] };
  const src = map.sourcesContent?.[0];
  if (!src) throw new Error(`${jsFile}: source map without sourcesContent`);
  return src;
}

function primitiveFromHcl(h: HclEntry): CtyType | undefined {
  const scalar: Record<string, CtyType> = { string: 'string', number: 'number', boolean: 'bool' };
  const s = h.storage;
  if (h.type === 'simple' && scalar[s]) return scalar[s];
  if (s === 'anyMap' || h.type === 'any') return 'dynamic';
  const coll = h.type === 'set' ? 'set' : h.type === 'map' ? 'map' : 'list';
  const m = /^(string|number|boolean)(List|Map)?(List|Map)?$/.exec(s);
  if (!m) return undefined;
  const base = scalar[m[1]!]!;
  if (m[2] && m[3]) {
    // stringMapList = list(map(string)), stringListMap = map(list(string))
    const inner: CtyType = [m[2] === 'List' ? 'list' : 'map', base];
    return [m[3] === 'List' ? (h.type === 'set' ? 'set' : 'list') : 'map', inner];
  }
  if (m[2]) return [m[2] === 'Map' ? 'map' : coll, base];
  return base;
}

function primitiveFromGetter(text: string): CtyType | undefined {
  const ret = /return ([^;]*);/.exec(text)?.[1] ?? '';
  const set = ret.includes('Fn.tolist(');
  if (/getStringAttribute\(/.test(ret)) return 'string';
  if (/getNumberAttribute\(/.test(ret)) return 'number';
  if (/getBooleanAttribute\(/.test(ret)) return 'bool';
  if (/getListAttribute\(/.test(ret)) return [set ? 'set' : 'list', 'string'];
  if (/getNumberListAttribute\(/.test(ret)) return [set ? 'set' : 'list', 'number'];
  if (/getStringMapAttribute\(/.test(ret)) return ['map', 'string'];
  if (/getNumberMapAttribute\(/.test(ret)) return ['map', 'number'];
  if (/getBooleanMapAttribute\(/.test(ret)) return ['map', 'bool'];
  if (/getAnyMapAttribute\(|interpolationForAttribute\(/.test(ret)) return 'dynamic';
  return undefined;
}

/** Computed-only maps of primitives: `private _x = new cdktf.StringMap(this, "x")` and friends. */
function computedCollection(text: string): CtyType | undefined {
  const m = /new cdktf\.(String|Number|Boolean|Any)(Map|List)?(Map|List)?\(this, /.exec(text);
  if (!m) return undefined;
  const base: CtyType = ({ String: 'string', Number: 'number', Boolean: 'bool', Any: 'dynamic' } as const)[
    m[1] as 'String'
  ];
  const wrap = (k: string | undefined, t: CtyType): CtyType =>
    k === 'Map' ? ['map', t] : k === 'List' ? ['list', t] : t;
  return wrap(m[3], wrap(m[2], base));
}

class Deriver {
  constructor(
    private readonly src: Sources,
    private readonly where: string,
  ) {}

  block(
    cls: ClassInfo,
    hcl: Map<string, HclEntry> | undefined,
    stack: string[],
    attrsOnly = false,
  ): StubBlock {
    const block: StubBlock = {};
    for (const m of cls.members) {
      const h = attrsOnly ? undefined : hcl?.get(m.tfName);
      if (h && !primitiveFromHcl(h) && !/ = new \w+\(this, /.test(m.text)) {
        // provider classes keep structs as plain values: `private _exec?: KubernetesProviderExec[]`
        this.plainStruct(block, m, h, stack);
        continue;
      }
      const complex = /private _\w+ = new (\w+)\(this, "([\w-]+)"(?:, (true|false))?\)/.exec(m.text);
      if (complex) {
        const target = complex[1]!;
        const isSet = complex[3] === 'true';
        let kind: 'single' | 'list' | 'map';
        let elementClass: string;
        if (target.endsWith('OutputReference')) [kind, elementClass] = ['single', target];
        else if (target.endsWith('List'))
          [kind, elementClass] = ['list', target.slice(0, -4) + 'OutputReference'];
        else if (target.endsWith('Map'))
          [kind, elementClass] = ['map', target.slice(0, -3) + 'OutputReference'];
        else throw new Error(`${this.where}: ${cls.name}.${m.tfName}: unknown complex class ${target}`);
        const el = this.src.classes.get(elementClass);
        const structName = elementClass.replace(/OutputReference$/, '');
        if (!el || stack.includes(structName)) {
          // recursive schema (the generator introduces recursion) or unknown: accept anything
          (block.attributes ??= {})[m.tfName] = attrFlags(m, { type: 'dynamic' });
          continue;
        }
        const inner = this.block(
          el,
          this.src.hclByStruct.get(structName),
          [...stack, structName],
          attrsOnly || !h?.isBlock,
        );
        if (h?.isBlock) {
          let nesting: NestingMode;
          if (h.type === 'struct') nesting = 'single';
          else if (kind === 'map' || h.type === 'map') nesting = 'map';
          else nesting = h.type === 'set' || isSet ? 'set' : 'list';
          const bt: StubBlock['block_types'] = (block.block_types ??= {});
          bt[m.tfName] = { nesting_mode: nesting, block: inner };
          if (nesting === 'list' || nesting === 'set') {
            if (m.required) bt[m.tfName]!.min_items = 1;
            if (kind === 'single') bt[m.tfName]!.max_items = 1;
          }
        } else {
          const nesting = kind === 'single' ? 'single' : kind === 'map' ? 'map' : isSet ? 'set' : 'list';
          (block.attributes ??= {})[m.tfName] = attrFlags(m, {
            nested_type: { attributes: inner.attributes ?? {}, nesting_mode: nesting },
          });
        }
        continue;
      }
      const type = (h && primitiveFromHcl(h)) ?? primitiveFromGetter(m.text) ?? computedCollection(m.text);
      if (!type) throw new Error(`${this.where}: ${cls.name}.${m.tfName}: cannot tell the type`);
      (block.attributes ??= {})[m.tfName] = attrFlags(m, { type });
    }
    return block;
  }

  /** A struct known only by its interface and ToHcl function (provider configuration blocks). */
  private plainStruct(block: StubBlock, m: Member, h: HclEntry, stack: string[]): void {
    const structName = h.storage.replace(/(List|Map)$/, '');
    const iface = this.src.interfaces.get(structName);
    const hcl = this.src.hclByStruct.get(structName);
    if (!iface || !hcl || stack.includes(structName)) {
      (block.attributes ??= {})[m.tfName] = attrFlags(m, { type: 'dynamic' });
      return;
    }
    const inner: StubBlock = {};
    for (const [tfName, e] of hcl) {
      const member = iface.get(e.field ?? '');
      const sub: Member = {
        tfName,
        computed: false,
        optional: !member?.required,
        required: !!member?.required,
        text: '',
      };
      if (primitiveFromHcl(e))
        (inner.attributes ??= {})[tfName] = attrFlags(sub, { type: primitiveFromHcl(e)! });
      else this.plainStruct(inner, { ...sub, text: member?.type ?? '' }, e, [...stack, structName]);
    }
    const single = !/\[\]/.test(/private _\w+\?: ([^;]*);/.exec(m.text)?.[1] ?? m.text);
    if (h.isBlock) {
      const nesting: NestingMode =
        h.type === 'struct' ? 'single' : h.type === 'set' ? 'set' : h.type === 'map' ? 'map' : 'list';
      const bt: StubBlock['block_types'] = (block.block_types ??= {});
      bt[m.tfName] = { nesting_mode: nesting, block: inner };
      if (nesting === 'list' || nesting === 'set') {
        if (m.required) bt[m.tfName]!.min_items = 1;
        if (single) bt[m.tfName]!.max_items = 1;
      }
    } else {
      const nesting =
        h.type === 'struct' ? 'single' : h.type === 'set' ? 'set' : h.type === 'map' ? 'map' : 'list';
      (block.attributes ??= {})[m.tfName] = attrFlags(m, {
        nested_type: { attributes: inner.attributes ?? {}, nesting_mode: nesting },
      });
    }
  }
}

function attrFlags(m: Member, a: StubAttribute): StubAttribute {
  if (m.required) a.required = true;
  else {
    if (m.optional) a.optional = true;
    if (m.computed) a.computed = true;
    if (!m.optional && !m.computed) a.optional = true;
  }
  return a;
}

function listJs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listJs(p));
    else if (e.name.endsWith('.js') && e.name !== 'index.js') out.push(p);
    else if (e.name === 'index.js') out.push(p);
  }
  return out;
}

/** Schemas of one resource directory (lib/<resource>/): its resource, data source or provider class. */
export function deriveDirectory(dir: string): {
  kind: 'resource' | 'data' | 'provider';
  tfType: string;
  schema: StubSchema;
}[] {
  const src: Sources = { classes: new Map(), interfaces: new Map(), hclByStruct: new Map() };
  for (const f of listJs(dir)) {
    if (path.basename(f) === 'index.js' && path.basename(path.dirname(f)) === 'index-structs') continue;
    parseSource(embeddedSource(f), src);
  }
  const d = new Deriver(src, dir);
  const out: ReturnType<typeof deriveDirectory> = [];
  for (const cls of src.classes.values()) {
    const kind =
      cls.base === 'TerraformResource'
        ? 'resource'
        : cls.base === 'TerraformDataSource'
          ? 'data'
          : cls.base === 'TerraformProvider'
            ? 'provider'
            : undefined;
    if (!kind || !cls.tfType) continue;
    out.push({ kind, tfType: cls.tfType, schema: { version: 0, block: d.block(cls, cls.hcl, []) } });
  }
  return out;
}

/** Every schema of an installed @cdktf/provider-* package (its lib/<resource>/ directories). */
export function derivePackage(packageDir: string): StubProviderSchema {
  const lib = path.join(packageDir, 'lib');
  const out: StubProviderSchema = {
    provider: { version: 0, block: {} },
    resource_schemas: {},
    data_source_schemas: {},
  };
  for (const e of fs.readdirSync(lib, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === 'lazy-index') continue;
    for (const r of deriveDirectory(path.join(lib, e.name))) {
      if (r.kind === 'provider') out.provider = r.schema;
      else if (r.kind === 'resource') out.resource_schemas[r.tfType] = r.schema;
      else out.data_source_schemas[r.tfType] = r.schema;
    }
  }
  return out;
}
