// Schema model of the stub providers: the shape of `terraform providers schema -json` (attributes,
// block_types, nesting_mode, min/max items, cty type JSON), plus helpers to turn a block into the cty
// type Terraform uses to encode its values (DynamicValue msgpack).

/** cty type JSON, as in provider schemas: "string", ["list","string"], ["object",{...}], "dynamic". */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | ['list' | 'set' | 'map', CtyType]
  | ['object', Record<string, CtyType>]
  | ['tuple', CtyType[]];

export type NestingMode = 'single' | 'list' | 'set' | 'map' | 'group';

export interface StubAttribute {
  type?: CtyType;
  nested_type?: { attributes: Record<string, StubAttribute>; nesting_mode: Exclude<NestingMode, 'group'> };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}

export interface StubBlockType {
  nesting_mode: NestingMode;
  block: StubBlock;
  min_items?: number;
  max_items?: number;
}

export interface StubBlock {
  attributes?: Record<string, StubAttribute>;
  block_types?: Record<string, StubBlockType>;
}

export interface StubSchema {
  version: number;
  block: StubBlock;
}

export interface StubProviderSchema {
  provider: StubSchema;
  resource_schemas: Record<string, StubSchema>;
  data_source_schemas: Record<string, StubSchema>;
}

/** The cty type of an attribute (nested attributes become list/set/map of object or an object). */
export function attributeType(a: StubAttribute): CtyType {
  if (a.type !== undefined) return a.type;
  if (!a.nested_type) throw new Error('attribute has neither type nor nested_type');
  const obj: CtyType = ['object', objectAttrs(a.nested_type.attributes)];
  return a.nested_type.nesting_mode === 'single' ? obj : [a.nested_type.nesting_mode, obj];
}

function objectAttrs(attrs: Record<string, StubAttribute>): Record<string, CtyType> {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, attributeType(v)]));
}

/** The cty object type of a block's values. */
export function blockType(b: StubBlock): CtyType {
  const out: Record<string, CtyType> = objectAttrs(b.attributes ?? {});
  for (const [name, bt] of Object.entries(b.block_types ?? {})) {
    const obj = blockType(bt.block);
    out[name] = bt.nesting_mode === 'single' || bt.nesting_mode === 'group' ? obj : [bt.nesting_mode, obj];
  }
  return ['object', out];
}

/** Schema at a path of attribute / block names (for tests and the sensitivity overlay). */
export function lookupPath(b: StubBlock, path: string): StubAttribute | StubBlockType | undefined {
  const parts = path.split('.');
  let block: StubBlock | undefined = b;
  for (let i = 0; i < parts.length; i++) {
    if (!block) return undefined;
    const p = parts[i]!;
    const last = i === parts.length - 1;
    if (block.attributes?.[p]) return last ? block.attributes[p] : undefined;
    const bt: StubBlockType | undefined = block.block_types?.[p];
    if (!bt) return undefined;
    if (last) return bt;
    block = bt.block;
  }
  return undefined;
}
