// Builds one cdktf App from stack definitions: all of them, or the ones named.
import { App } from 'cdktf';
import { invalid } from '../validation/errors';
import { setSite, type SiteConfig } from '../conventions/site';
import { InfraStack, type StackDefinition } from './stack';
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
    def.build(stack);
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
