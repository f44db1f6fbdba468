// Synth helpers for tests: build a stack the way the app does (backend, providers, validations on) and
// read the synthesized JSON with small, explicit accessors.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { Testing } from 'cdktf';
import type { SiteConfig } from '../../lib/conventions/site';
import { setSite } from '../../lib/conventions/site';
import { defineStack, InfraStack, type StackDefinition } from '../../lib/synth/stack';
import { RULES, suppressRule } from '../../lib/synth/rules';
import type { INamespace } from '../../constructs/blocks/tiered-namespace';
import { Tier } from '../../lib/conventions/tiers';

// Any value of the synthesized JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface TfJson {
  terraform: {
    backend?: Record<string, Record<string, string>>;
    required_providers?: Record<string, { source: string; version: string }>;
  };
  provider?: Record<string, Json[]>;
  variable?: Record<string, Json>;
  data?: Record<string, Record<string, Json>>;
  resource?: Record<string, Record<string, Json>>;
  moved?: Array<{ from: string; to: string }>;
  output?: Record<string, Json>;
}

const OUTDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-cdktf-test-'));

/** A fresh App writing into the test run's output directory (never a new temporary directory). */
export function testApp(): ReturnType<typeof Testing.app> {
  return Testing.app({ outdir: OUTDIR, stackTraces: false });
}

/** A fresh App (own site config) with one InfraStack named `name`. */
/** A namespace by literal name (as `TieredNamespace.fromName` gives, without the lookup construct). */
export function namespaceNamed(name: string, tier: Tier = Tier.AUX): INamespace {
  return { name, tier };
}

export function testStack(name = 'test-stack', site?: Partial<SiteConfig>): InfraStack {
  const app = Testing.app({ outdir: OUTDIR, stackTraces: false });
  setSite(app, site);
  return new InfraStack(app, defineStack({ name, description: 'test', build: () => undefined }));
}

/**
 * A test stack for unit tests of raw provider bindings (not convention-following workloads): the rule
 * pack's findings are accepted, with that reason.
 */
export function rawTestStack(name = 'test-stack'): InfraStack {
  const stack = testStack(name);
  for (const rule of RULES) suppressRule(stack, rule, 'unit test of a raw provider binding');
  return stack;
}

/** Synthesizes a stack with validations on; `//` metadata is stripped (as in snapshots). */
export function synth(stack: InfraStack): TfJson {
  return JSON.parse(Testing.synth(stack, true)) as TfJson;
}

// Synthesized JSON of registry definitions (default site), per worker: the stack test files and the
// address lock test (test/stacks/address-lock.test.ts) share a worker's module cache, so each stack is
// synthesized once per worker. Kept as text: every caller gets its own copy to read or modify.
const synthCache = new WeakMap<StackDefinition, string>();

/** Builds and synthesizes a registry stack definition (cached per definition unless `site` is given). */
export function synthDefinition(def: StackDefinition, site?: Partial<SiteConfig>): TfJson {
  const cached = site === undefined ? synthCache.get(def) : undefined;
  if (cached !== undefined) return JSON.parse(cached) as TfJson;
  const app = Testing.app({ outdir: OUTDIR, stackTraces: false });
  setSite(app, site);
  const stack = new InfraStack(app, def);
  def.build(stack);
  const text = Testing.synth(stack, true);
  if (site === undefined) {
    synthCache.set(def, text);
    suppressionCache.set(def, [...stack.suppressions]);
  }
  return JSON.parse(text) as TfJson;
}

const suppressionCache = new WeakMap<StackDefinition, InfraStack['suppressions']>();

/** The rule suppressions a registry stack declares (from the cached synth of `synthDefinition`). */
export function registeredSuppressions(def: StackDefinition): InfraStack['suppressions'] {
  if (!suppressionCache.has(def)) synthDefinition(def);
  return suppressionCache.get(def)!;
}

/** A resource's attributes; throws naming what exists when it is missing. */
export function resource(json: TfJson, type: string, name: string): Json {
  const r = json.resource?.[type]?.[name];
  if (r === undefined) {
    throw new Error(`no resource ${type}.${name}; have: ${[...addresses(json)].join(', ')}`);
  }
  return r;
}

/** Every resource of a type, by name. */
export function resourcesOf(json: TfJson, type: string): Record<string, Json> {
  return json.resource?.[type] ?? {};
}

/** Every declared address: `type.name` for resources, `data.type.name` for data sources. */
export function addresses(json: TfJson): Set<string> {
  const out = new Set<string>();
  for (const [type, byName] of Object.entries(json.resource ?? {}))
    for (const n of Object.keys(byName)) out.add(`${type}.${n}`);
  for (const [type, byName] of Object.entries(json.data ?? {}))
    for (const n of Object.keys(byName)) out.add(`data.${type}.${n}`);
  return out;
}

/** Moved blocks as a map from -> to. */
export function moves(json: TfJson): Map<string, string> {
  return new Map((json.moved ?? []).map((m) => [m.from, m.to]));
}

/**
 * Checks the parity contract: every address the tree has is either synthesized or the `from` of a
 * moved block whose `to` is synthesized. Returns the offending addresses (empty = parity).
 */
export function missingTreeAddresses(json: TfJson, treeAddresses: readonly string[]): string[] {
  const have = addresses(json);
  const moved = moves(json);
  return treeAddresses.filter((a) => !have.has(a) && !(moved.has(a) && have.has(moved.get(a)!)));
}

/** Synthesized addresses no tree address maps to (directly or through a moved block): what a port adds. */
export function addedAddresses(json: TfJson, treeAddresses: readonly string[]): string[] {
  const moved = moves(json);
  const covered = new Set(treeAddresses.map((a) => moved.get(a) ?? a));
  return [...addresses(json)].filter((a) => !covered.has(a));
}

/** The synthesized resource behind a tree address (following its moved block), names resolved. */
export function atTreeAddress(json: TfJson, treeAddress: string): Json {
  const address = moves(json).get(treeAddress) ?? treeAddress;
  const [type, name] = address.split('.');
  return resolveNames(json, resource(json, type, name));
}

/**
 * Replaces references to other resources' names (`${kubernetes_namespace.x.metadata[0].name}`) with the
 * literal name that resource declares, so literal values can be compared with the tree.
 */
export function resolveNames<T>(json: TfJson, value: T): T {
  const text = JSON.stringify(value).replace(
    /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.metadata\[0\]\.name\}/g,
    (whole, type: string, name: string) => {
      const meta = json.resource?.[type]?.[name]?.metadata;
      const literal = Array.isArray(meta) ? meta[0]?.name : meta?.name;
      return typeof literal === 'string' ? literal : whole;
    },
  );
  return JSON.parse(text) as T;
}

/** A construct-level error check: the thrown message names path, prop, value and what is allowed. */
export function expectConfigError(fn: () => unknown): {
  message: string;
  constructPath: string;
  prop: string;
} {
  try {
    fn();
  } catch (e) {
    const err = e as { name?: string; message: string; constructPath: string; prop: string };
    if (err.name !== 'ConfigError') throw e;
    return err;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

const registeredCache = new Map<string, TfJson>();

/**
 * The synthesized JSON of a registered stack, computed once per test worker (files share the cache
 * because vitest runs them with `isolate: false`). Treat the result as read-only.
 */
export function synthRegistered(def: StackDefinition): TfJson {
  let json = registeredCache.get(def.name);
  if (!json) {
    json = synthDefinition(def);
    registeredCache.set(def.name, json);
  }
  return json;
}

/**
 * Every interpolation (`${...}`) and directive (`%{...}`) Terraform would evaluate in a string of the
 * JSON, except references and function calls: what is left is text that should have been escaped
 * (a shell `${VAR}` in a script, say) and would break or change the plan.
 */
export function unescapedTemplates(value: Json): string[] {
  const found: string[] = [];
  const reference =
    /^(var|data|local|each|count|path|terraform|module|self)\.|^[a-z0-9]+_[a-z0-9_]+\.|^[a-z][a-z0-9_]*\(/;
  // Only top-level interpolations are checked: inside one (`${join("\n", [for k, v in m: "${k}"])}`)
  // a nested template is part of the expression. `$${` and `%%{` are escapes.
  const scan = (v: string): void => {
    let depth = 0;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (depth > 0) {
        if (c === '{') depth++;
        else if (c === '}') depth--;
      } else if ((c === '$' || c === '%') && v[i + 1] === c) {
        i++; // an escape: the next character is literal
      } else if (c === '$' && v[i + 1] === '{') {
        const head = /^[^}\n]{0,60}/.exec(v.slice(i + 2))![0];
        if (!reference.test(head)) found.push(`\${${head}`);
        depth = 1;
        i++;
      } else if (c === '%' && v[i + 1] === '{') {
        found.push('%{');
        depth = 1;
        i++;
      }
    }
  };
  const walk = (v: Json): void => {
    if (typeof v === 'string') {
      scan(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return found;
}

/** The TLS secret name as the tree's state holds it: `var.tls_secret_name` is declared sensitive. */
export const SENSITIVE_TLS_SECRET_NAME = '${sensitive("tls-secret")}';
