// Builds one cdktf App from stack definitions: all of them, or the ones named.
import { App } from 'cdktf';
import { ConfigError, invalid } from '../validation/errors';
import { setSite, type SiteConfig } from '../conventions/site';
import { checkDefinition, InfraStack, type StackDefinition } from './stack';
import { TREE_STACKS } from '../conventions/tree-stacks';

export interface BuildAppOptions {
  /** Output directory. @default CDKTF_OUTDIR or "cdktf.out" (cdktf's own default) */
  readonly outdir?: string;
  /** Stack names to build. @default every definition */
  readonly only?: readonly string[];
  /** Site config overrides. @default the tree's values (lib/conventions/site.ts) */
  readonly site?: Partial<SiteConfig>;
  /** Skip construct validations at synth. @default false */
  readonly skipValidation?: boolean;
}

export interface BuiltApp {
  readonly app: App;
  readonly stacks: readonly InfraStack[];
  /** Milliseconds spent declaring each stack. */
  readonly buildMs: ReadonlyMap<string, number>;
}

/** Checks a set of definitions: unique names, known `after` stacks (tree or registry). */
export function checkRegistry(definitions: readonly StackDefinition[]): void {
  if (!Array.isArray(definitions))
    invalid('stack registry', 'definitions', definitions, 'a list of defineStack(...)');
  definitions.forEach(checkDefinition);
  const names = new Set<string>();
  for (const def of definitions) {
    if (names.has(def.name)) invalid('stack registry', 'name', def.name, 'each stack name once');
    names.add(def.name);
  }
  const known = new Set([...TREE_STACKS, ...names]);
  for (const def of definitions) {
    for (const dep of def.after ?? []) {
      if (!known.has(dep)) {
        invalid(
          `stack ${def.name}`,
          'after',
          dep,
          "the name of a stack of the tree or of this app (e.g. 'platform', 'vault')",
        );
      }
      if (dep === def.name) invalid(`stack ${def.name}`, 'after', dep, 'another stack');
    }
  }
}

export function buildApp(definitions: readonly StackDefinition[], options: BuildAppOptions = {}): BuiltApp {
  checkRegistry(definitions);
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const selected = options.only?.length ? [...new Set(options.only)] : definitions.map((d) => d.name);
  for (const name of selected) {
    if (!byName.has(name)) {
      invalid('synth', 'stack', name, `one of: ${[...byName.keys()].sort().join(', ')}`);
    }
  }

  const app = new App({ outdir: options.outdir, skipValidation: options.skipValidation, stackTraces: false });
  setSite(app, options.site);
  const stacks: InfraStack[] = [];
  const buildMs = new Map<string, number>();
  for (const name of selected) {
    const def = byName.get(name)!;
    const t0 = performance.now();
    const stack = new InfraStack(app, def);
    buildStack(def, stack);
    buildMs.set(name, performance.now() - t0);
    stacks.push(stack);
  }
  const inApp = new Map(stacks.map((s) => [s.stackName, s]));
  for (const stack of stacks) {
    for (const dep of stack.after) {
      const other = inApp.get(dep);
      if (other) stack.addDependency(other);
    }
  }
  return { app, stacks, buildMs };
}

const DUPLICATE_ID = /^There is already a Construct with name '([^']*)' in \S+ \[([^\]]*)\]/;

/** Runs a definition's build(); a construct id used twice becomes a ConfigError naming the scope. */
function buildStack(def: StackDefinition, stack: InfraStack): void {
  try {
    def.build(stack);
  } catch (e) {
    const m = e instanceof Error && !(e instanceof ConfigError) ? DUPLICATE_ID.exec(e.message) : null;
    if (!m) throw e;
    // The message names the scope by id only: find the scope that already has a child with that id.
    const parent = stack.node.findAll().find((c) => c.node.id === m[2] && c.node.tryFindChild(m[1]));
    invalid(
      parent ?? stack,
      'construct id',
      m[1],
      'an id no sibling uses: the id is part of the Terraform address, so pick a distinct one',
    );
  }
}
