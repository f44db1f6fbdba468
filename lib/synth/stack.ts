// A stack = one Terraform state, named like the tree's stack directory (the state key). InfraStack adds
// the backend and the kubernetes provider, and checks at synth that no two elements share an address.
import type { Construct, IConstruct } from 'constructs';
import { type AppliedSuppression, checkAcrossStacks, checkResources, enforce, namedObjects } from './rules';
import { TerraformDataSource, TerraformResource, TerraformStack } from 'cdktf';
import { addressOf, MovedBlock } from '../terraform/addresses';
import { addBackend, isTier0, TIER0_STACKS } from '../terraform/backends';
import { ConfigError, invalid } from '../validation/errors';
import { moveProblems, type MoveStatement } from '../terraform/moves';
import { checkProps, propKeys } from '../validation/props';
import { PG_IDENTIFIER_MAX } from '../validation/conventions';
import { useKubernetes } from '../terraform/providers';

export interface StackDefinition {
  /** The tree's stack directory name: it is the state key (pg `schema_name`, local state dir). */
  readonly name: string;
  /** One line describing the service, shown by `npm run synth -- --list` and in the README. */
  readonly description: string;
  /**
   * Whether the stack keeps tier-0 local state.
   * @default derived from the root terragrunt.hcl list; a value that disagrees is an error (it would move the state)
   */
  readonly tier0?: boolean;
  /** Stacks to apply first (the tree's terragrunt `dependency` blocks; ordering only). @default none */
  readonly after?: readonly string[];
  /** Declares the stack's resources. */
  readonly build: (stack: InfraStack) => void;
}

const STACK_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const DEFINITION_KEYS = propKeys<StackDefinition>({
  name: true,
  description: true,
  tier0: true,
  after: true,
  build: true,
});

/** Checks the shape of a definition (types of every field); `defineStack` and the registry use it. */
export function checkDefinition(def: StackDefinition): void {
  const where = `stack ${typeof def?.name === 'string' ? def.name : '<unnamed>'}`;
  checkProps(where, 'definition', def, DEFINITION_KEYS);
  if (typeof def.name !== 'string' || !STACK_NAME.test(def.name) || def.name.length > PG_IDENTIFIER_MAX) {
    invalid(
      where,
      'name',
      def.name,
      "the tree's stack directory name: lowercase letters, digits, '-' and '_', at most " +
        `${PG_IDENTIFIER_MAX} characters (it is the pg backend's schema_name)`,
    );
  }
  if (typeof def.description !== 'string' || def.description.trim() === '') {
    invalid(where, 'description', def.description, 'a one-line description (a non-empty string)');
  }
  if (def.after !== undefined) {
    if (!Array.isArray(def.after)) {
      invalid(where, 'after', def.after, "a list of stack names, e.g. ['platform', 'vault']");
    }
    def.after.forEach((a, i) => {
      if (typeof a !== 'string') invalid(where, `after[${i}]`, a, 'a stack name (a string)');
    });
  }
  if (typeof def.build !== 'function') {
    invalid(where, 'build', def.build, 'a function (stack) => void that declares the resources');
  }
  if (def.tier0 !== undefined && def.tier0 !== isTier0(def.name)) {
    invalid(
      where,
      'tier0',
      def.tier0,
      `${isTier0(def.name)} (tier-0 stacks are exactly ${TIER0_STACKS.join(', ')}, as in the root terragrunt.hcl)`,
    );
  }
}

/** Declares a stack; checks the declaration itself (not its resources). */
export function defineStack(def: StackDefinition): StackDefinition {
  checkDefinition(def);
  return def;
}

export class InfraStack extends TerraformStack {
  readonly stackName: string;
  readonly tier0: boolean;
  readonly after: readonly string[];

  constructor(scope: Construct, def: StackDefinition) {
    super(scope, def.name);
    this.stackName = def.name;
    this.tier0 = isTier0(def.name);
    this.after = [...(def.after ?? [])];
    addBackend(this, def.name);
    useKubernetes(this);
    this.node.addValidation({ validate: () => duplicateAddresses(this) });
  }

  /** Rule findings accepted with a reason (lib/synth/rules.ts), from the last render; for the synth report. */
  suppressions: readonly AppliedSuppression[] = [];

  /** Renders the stack and applies the rule pack to the resolved resources (what is written). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the signature cdktf declares
  override toTerraform(): any {
    const tf = super.toTerraform();
    const index = new Map<string, IConstruct>();
    let indexed = false;
    const constructOf = (address: string) => {
      if (!indexed) {
        for (const c of this.node.findAll())
          if (TerraformResource.isTerraformResource(c)) index.set(addressOf(c as TerraformResource), c);
        indexed = true;
      }
      return index.get(address);
    };
    const resources = tf.resource ?? {};
    const findings = [
      ...checkResources(resources),
      ...checkAcrossStacks(this.stackName, namedObjects(resources), objectsOfApp(this.node.root)),
    ];
    this.suppressions = enforce(findings, constructOf, this.node.path);
    return tf;
  }
}

// Ingresses and Services per app, for unique-objects across stacks (stacks render one after another).
const appObjects = new WeakMap<IConstruct, Map<string, { stack: string; address: string }>>();
function objectsOfApp(app: IConstruct): Map<string, { stack: string; address: string }> {
  let seen = appObjects.get(app);
  if (!seen) appObjects.set(app, (seen = new Map()));
  return seen;
}

/**
 * Errors for two elements with one address. Moved blocks Terraform would refuse (two to one address, two
 * from one address, a cycle, a move from a declared address: lib/terraform/moves.ts) throw a ConfigError
 * naming the block's construct path, so synth stops with the same message shape as a bad prop.
 */
export function duplicateAddresses(stack: TerraformStack): string[] {
  const seen = new Map<string, string>();
  const moves: MoveStatement[] = [];
  const errors: string[] = [];
  for (const c of stack.node.findAll()) {
    if (TerraformResource.isTerraformResource(c) || TerraformDataSource.isTerraformDataSource(c)) {
      const address = addressOf(c as TerraformResource);
      const other = seen.get(address);
      if (other) errors.push(`address ${address} is declared twice: ${other} and ${c.node.path}`);
      else seen.set(address, c.node.path);
    } else if (MovedBlock.isMovedBlock(c)) {
      moves.push({ from: c.from, to: c.to, where: c.node.path });
    }
  }
  const [problem] = moveProblems(moves, seen);
  if (problem) throw new ConfigError(problem.statement.where, problem.prop, problem.value, problem.allowed);
  return errors;
}
