// Terraform addresses are the contract with state. Every resource gets an explicit name (never a
// construct-path hash), and constructs that replace a tree module emit `moved` blocks from the module's
// addresses. cdktf's own `moveFromId` is not used: it adds a validation that shells out to
// `terraform version` on every synth.
import { Construct, type IConstruct } from 'constructs';
import { TerraformDataSource, TerraformElement, TerraformResource, TerraformStack } from 'cdktf';
import { invalid } from '../validation/errors';

/** Anything created as `new X(scope, id, config)`: resources, data sources, providers. */
export type ElementClass<T extends TerraformElement, C> = new (scope: Construct, id: string, config: C) => T;

const NAME_OK = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Creates a Terraform element whose address name is exactly `name`: the logical id is fixed right after
 * construction (cdktf ignores a later override once anything referenced the element). The construct id
 * defaults to `name`, or `<type>.<name>` (`data.<type>.<name>`) when the scope already has a child with
 * that id, so a Deployment and a Service both named `blog` can share a scope, as in the tree. (A second
 * element of the same type and name then fails the stack's duplicate-address check at synth.)
 */
export function named<T extends TerraformElement, C>(
  scope: Construct,
  type: ElementClass<T, C>,
  name: string,
  config: C,
  constructId?: string,
): T {
  if (!NAME_OK.test(name)) {
    invalid(scope, 'terraform name', name, 'letters, digits, "_" and "-", starting with a letter or "_"');
  }
  const id = constructId ?? (scope.node.tryFindChild(name) ? qualifiedId(type, name) : name);
  const element = new type(scope, id, config);
  element.overrideLogicalId(name);
  return element;
}

function qualifiedId(type: ElementClass<TerraformElement, never>, name: string): string {
  const tfType = (type as unknown as { tfResourceType?: unknown }).tfResourceType;
  if (typeof tfType !== 'string') return name;
  return `${type.prototype instanceof TerraformDataSource ? 'data.' : ''}${tfType}.${name}`;
}

/**
 * The Terraform name for a resource owned by `scope`: the construct ids below the stack joined with
 * `_`, then `_<role>` for secondary resources. `IngressFactory` with id `ingress` names its ingress
 * `ingress` and its buffering middleware `ingress_buffering`; ids are sanitised to Terraform's alphabet.
 */
export function addressName(scope: IConstruct, role?: string): string {
  const stack = TerraformStack.of(scope);
  const ids: string[] = [];
  for (let c: IConstruct | undefined = scope; c && c !== stack; c = c.node.scope) ids.unshift(c.node.id);
  if (role) ids.push(role);
  let name = ids.join('_').replace(/[^A-Za-z0-9_-]/g, '_');
  if (!/^[A-Za-z_]/.test(name)) name = `_${name}`;
  return name;
}

/** The address of a resource or data source as Terraform prints it (`type.name`, `data.type.name`). */
export function addressOf(element: TerraformResource | TerraformDataSource): string {
  const base = `${element.terraformResourceType}.${element.friendlyUniqueId}`;
  return TerraformDataSource.isTerraformDataSource(element) ? `data.${base}` : base;
}

const MODULE_PATH =
  /^module\.[A-Za-z_][A-Za-z0-9_-]*(\[(\d+|"[^"]*")\])?(\.module\.[A-Za-z_][A-Za-z0-9_-]*(\[(\d+|"[^"]*")\])?)*$/;

/** Checks a legacy module address prop such as `module.ingress` (returns it, or undefined when unset). */
export function checkModuleAddress(
  scope: IConstruct,
  prop: string,
  value: string | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !MODULE_PATH.test(value)) {
    invalid(scope, prop, value, 'a Terraform module address such as "module.ingress" or "module.anubis"');
  }
  return value;
}

const FROM_ADDRESS =
  /^(module\.[A-Za-z_][A-Za-z0-9_-]*(\[(\d+|"[^"]*")\])?\.)*[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*(\[(\d+|"[^"]*")\])?$/;

/** Earlier addresses of a resource, oldest first, declared with `renamedFrom`. */
const renames = new WeakMap<TerraformResource, string[]>();

/**
 * A `moved { from = <legacy address>, to = <resource> }` block. When the resource was renamed
 * (`renamedFrom`), the block's `to` is the resource's first earlier address, so the moves form a chain
 * (`module.x.a -> old`, `old -> new`) instead of two moves to one address.
 */
export class MovedBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    readonly from: string,
    readonly target: TerraformResource,
    /** Position in the resource's rename history (`renamedFrom`), or -1 for an ordinary move. */
    private readonly renameIndex = -1,
  ) {
    super(scope, id);
  }

  get to(): string {
    const next = renames.get(this.target)?.[this.renameIndex + 1];
    return next ?? `${this.target.terraformResourceType}.${this.target.friendlyUniqueId}`;
  }

  toTerraform(): Record<string, unknown> {
    return { moved: [{ from: this.from, to: this.to }] };
  }

  toHclTerraform(): Record<string, unknown> {
    const ref = (value: string) => ({ value, isBlock: false, type: 'simple', storageClassType: 'reference' });
    return { moved: [{ from: ref(this.from), to: ref(this.to) }] };
  }

  toMetadata(): Record<string, unknown> {
    return {};
  }

  static isMovedBlock(x: unknown): x is MovedBlock {
    return x instanceof MovedBlock;
  }
}

function checkFrom(resource: TerraformResource, prop: string, from: string): void {
  if (!FROM_ADDRESS.test(from)) {
    invalid(resource, prop, from, 'a resource address such as module.x.type.name[0] or type.name["key"]');
  }
}

/**
 * Declares that `resource` was originally at `from` (e.g. `module.ingress.kubernetes_ingress_v1.proxied-ingress`
 * or `kubernetes_cron_job_v1.offpeak["chatterbox-window-up"]`). Emits a `moved` block. A resource has one
 * original address per source resource: to rename a resource that already moves from somewhere (a legacy
 * module address), use `renamedFrom`, not a second `movedFrom` (Terraform refuses two moves to one address).
 */
export function movedFrom(resource: TerraformResource, from: string): MovedBlock {
  checkFrom(resource, 'moved from', from);
  return new MovedBlock(resource, `moved-from:${from}`, from, resource);
}

/**
 * Declares that `resource` was renamed: its address used to be `previous` (e.g. after renaming a construct
 * id from `ingress` to `web`, `renamedFrom(web.ingress, 'kubernetes_ingress_v1.ingress')`). Emits
 * `moved { from = previous, to = <resource> }` and re-points the resource's other moves (`movedFrom`, legacy
 * module addresses) at `previous`, so they form a chain Terraform accepts:
 * `module.ingress.kubernetes_ingress_v1.proxied-ingress -> kubernetes_ingress_v1.ingress -> kubernetes_ingress_v1.web`.
 * A state at either old address plans as a move. Call it once per rename, oldest first.
 */
export function renamedFrom(resource: TerraformResource, previous: string): MovedBlock {
  checkFrom(resource, 'renamed from', previous);
  if (previous.includes('[')) {
    invalid(
      resource,
      'renamed from',
      previous,
      'a resource address without an instance key, such as type.name',
    );
  }
  const history = renames.get(resource) ?? [];
  if (history.includes(previous)) {
    invalid(
      resource,
      'renamed from',
      previous,
      `an address not already in its rename history (${history.join(', ')})`,
    );
  }
  renames.set(resource, [...history, previous]);
  return new MovedBlock(resource, `renamed-from:${previous}`, previous, resource, history.length);
}

/** Builds `<module>.<type>.<name>` with an optional `[index]` (count) for legacy module resources. */
export function moduleResourceAddress(module: string, type: string, name: string, index?: number): string {
  return `${module}.${type}.${name}${index === undefined ? '' : `[${index}]`}`;
}
