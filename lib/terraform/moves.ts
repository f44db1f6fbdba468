// The rules Terraform applies to a configuration's `moved` blocks, checked before Terraform sees them
// (at synth, in the address lock check and in the synth diff). Terraform 1.11 refuses a plan when:
//   - two blocks move to one address   ("Ambiguous move statements ... can have moved from only one source")
//   - two blocks move from one address ("Ambiguous move statements ... can move to only one destination")
//   - a chain comes back to where it started ("Cyclic dependency in move statements")
//   - a block moves an address to itself ("Redundant move statement")
//   - a block moves from an address the configuration still declares ("Moved object still exists")
// A chain (a -> b, b -> c) is fine: that is how a rename during the adoption window is written
// (`renamedFrom`, lib/terraform/addresses.ts). Addresses are compared as written: `x.a[0]` and `x.a` are
// different sources, as in Terraform. Pure (no cdktf): lib/review uses it on cdk.tf.json.

export interface MoveStatement {
  readonly from: string;
  readonly to: string;
  /** Where the block comes from, for messages: a construct path, or `moved[3]`. */
  readonly where: string;
}

export type MoveProblemKind = 'duplicate-to' | 'duplicate-from' | 'cycle' | 'redundant' | 'from-declared';

export interface MoveProblem {
  readonly kind: MoveProblemKind;
  /** The block that breaks the rule (the second of a pair; the first of a cycle). */
  readonly statement: MoveStatement;
  /** The prop of the block that is wrong, for a ConfigError: "moved from" or "moved to". */
  readonly prop: 'moved from' | 'moved to';
  /** The wrong value (an address). */
  readonly value: string;
  /** What is allowed instead, with the reason (the Terraform error it avoids) and the fix. */
  readonly allowed: string;
}

/** Where the rename-in-a-chain recipe is documented; the messages point there. */
export const RENAME_DOC = 'docs/adopting-a-terragrunt-stack.md#renaming-during-adoption';

/**
 * The problems Terraform would report for these moved blocks, in the blocks' order (empty when Terraform
 * accepts them). `declared` maps each address the configuration declares to where it is declared.
 */
export function moveProblems(
  moves: readonly MoveStatement[],
  declared: ReadonlyMap<string, string>,
): MoveProblem[] {
  const problems: MoveProblem[] = [];
  const byFrom = new Map<string, MoveStatement>();
  const byTo = new Map<string, MoveStatement>();
  for (const m of moves) {
    if (m.from === m.to) {
      problems.push({
        kind: 'redundant',
        statement: m,
        prop: 'moved from',
        value: m.from,
        allowed: `an address other than its destination (a move to itself is Terraform's "Redundant move statement"); drop the block`,
      });
      continue;
    }
    const sameTo = byTo.get(m.to);
    if (sameTo) {
      problems.push({
        kind: 'duplicate-to',
        statement: m,
        prop: 'moved from',
        value: m.from,
        allowed:
          `one source per destination: ${m.to} already moves from ${sameTo.from} (${sameTo.where}); Terraform refuses ` +
          `two ("Ambiguous move statements"). To rename a resource that already moves from a module address, chain ` +
          `the moves with renamedFrom(resource, '${m.from}') instead of movedFrom (${RENAME_DOC})`,
      });
    } else byTo.set(m.to, m);
    const sameFrom = byFrom.get(m.from);
    if (sameFrom) {
      problems.push({
        kind: 'duplicate-from',
        statement: m,
        prop: 'moved from',
        value: m.from,
        allowed:
          `one destination per source: ${m.from} already moves to ${sameFrom.to} (${sameFrom.where}); Terraform refuses ` +
          `two ("Ambiguous move statements"). Keep one moved block from it`,
      });
    } else byFrom.set(m.from, m);
    const still = declared.get(m.from);
    if (still !== undefined) {
      problems.push({
        kind: 'from-declared',
        statement: m,
        prop: 'moved from',
        value: m.from,
        allowed:
          `an address the stack no longer declares: ${m.from} is still declared by ${still} ` +
          `(Terraform: "Moved object still exists")`,
      });
    }
  }
  // Cycles: follow from -> to (one `to` per `from` once duplicates are reported). Each block is visited once.
  const state = new Map<string, 'open' | 'done'>();
  for (const start of byFrom.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && !state.has(at)) {
      state.set(at, 'open');
      path.push(at);
      at = byFrom.get(at)?.to;
    }
    if (at !== undefined && state.get(at) === 'open') {
      const cycle = path.slice(path.indexOf(at));
      const first = byFrom.get(cycle[0])!;
      problems.push({
        kind: 'cycle',
        statement: first,
        prop: 'moved to',
        value: first.to,
        allowed:
          `a chain that ends at a declared resource; these moves form a cycle: ${[...cycle, cycle[0]].join(' -> ')} ` +
          `(Terraform: "Cyclic dependency in move statements")`,
      });
    }
    for (const p of path) state.set(p, 'done');
  }
  return problems;
}

/** One line per problem: `<where>: invalid <prop> = "<value>"; allowed: <allowed>` (the ConfigError format). */
export function formatMoveProblem(p: MoveProblem): string {
  return `${p.statement.where}: invalid ${p.prop} = ${JSON.stringify(p.value)}; allowed: ${p.allowed}`;
}
