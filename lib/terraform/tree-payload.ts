// Payloads that are the tree's code (scripts, programs, configs a tree stack ships with file(),
// templatefile() or a heredoc) belong to the tree's owner: this project never holds a copy. A stack reads
// them at plan time from `tree-payloads/<stack>/<path in the tree's stack directory>` next to `secrets/`
// (git ignored; `npm run payloads -- --from <tree>` copies them, `--stand-ins` writes CI stand-ins), as
// TlsSecret reads `secrets/`. Terraform runs in cdktf.out/stacks/<stack>/, three levels below the root.
import { TerraformStack, type TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import { REPO_PAYLOAD_STACK, TREE_PAYLOAD_DIR, treePayloadRelPath } from '../review/tree-payloads';
import { MODULE_PAYLOADS, MODULE_PAYLOAD_STACK } from '../review/tree-module-payloads';
import { ANY_KEY, heredocPayloadFile } from '../review/tree-heredocs';
import { invalid } from '../validation/errors';

const DECLARED = new WeakMap<TerraformStack, Set<string>>();
const GUARDS = new WeakMap<TerraformResource, { condition: string; error_message: string }[]>();

const SAFE = /^(?!\/)(?!.*\.\.)[A-Za-z0-9_./-]+$/;

export interface TreePayload {
  /** Path relative to the repository root, e.g. `tree-payloads/forgejo/files/cleanup.sh`. */
  readonly relPath: string;
  /** The file's path as a quoted Terraform string, for expressions of its own (`file(${path})`). */
  readonly path: string;
  /** Terraform expression of the file's content (null when it is missing; `guard` then fails the plan). */
  readonly content: string;
  /**
   * The content as a bare Terraform expression (`file(...)`; a heredoc's `templatefile(..., {})`), to embed
   * in an expression of one's own that checks `fileexists(path)` itself (no `${}`, no missing-file null).
   */
  readonly expression: string;
  /**
   * sha1 of the content (null when the file is missing), for a pod annotation that rolls the pods when
   * the payload changes.
   */
  readonly sha1: string;
  /** `templatefile()` of the payload with `vars` (a Terraform object expression, e.g. `{ port = 80 }`). */
  template(vars: string): string;
  /** Adds a precondition to `resource` that names the stack and the file when the payload is missing. */
  guard(resource: TerraformResource): void;
}

/**
 * Declares that the stack of `scope` ships the tree's file `file` (path inside the tree's stack
 * directory) and returns how to read it at plan time. The declaration is the path in the synthesized
 * JSON: `npm run payloads` and `npm run rehearse` scan cdk.tf.json for `tree-payloads/<stack>/...`.
 */
export function treePayload(scope: IConstruct, file: string): TreePayload {
  if (!SAFE.test(file)) invalid(scope, 'tree payload', file, 'a relative path inside the stack directory');
  const stack = TerraformStack.of(scope);
  const set = DECLARED.get(stack) ?? new Set<string>();
  set.add(file);
  DECLARED.set(stack, set);
  return payloadAt(stack.node.id, treePayloadRelPath(stack.node.id, file));
}

export interface TreeHeredocOptions {
  /** The tree stack's .tf file that holds the heredoc. @default "main.tf" */
  readonly file?: string;
  /** The n-th heredoc with that key in the file, from 0. @default 0 */
  readonly index?: number;
}

const HEREDOC_KEY = /^[A-Za-z0-9_.-]+$/;

/**
 * Declares that the stack of `scope` ships a heredoc the tree writes inline in its stack's .tf file:
 * `key` is the attribute or map key the heredoc is the value of (`command = [.., <<-EOT` -> "command",
 * `"nginx.conf" = <<-EOF` -> "nginx.conf"), or "*" to count over every heredoc of the file. The text is
 * extracted at payload time (lib/review/tree-heredocs.ts) and read at plan time. A heredoc is a template
 * in HCL, so `content` and `template(vars)` both evaluate it with templatefile(): pass the objects its
 * interpolations name (`{ local = { port = 8080 } }` for `${local.port}`).
 */
export function treeHeredoc(scope: IConstruct, key: string, options: TreeHeredocOptions = {}): TreePayload {
  if (key !== ANY_KEY && !HEREDOC_KEY.test(key))
    invalid(
      scope,
      'tree heredoc key',
      key,
      'the key the heredoc is assigned to (letters, digits, "_", ".", "-"), or "*"',
    );
  const file = options.file ?? 'main.tf';
  if (!SAFE.test(file) || !file.endsWith('.tf'))
    invalid(scope, 'tree heredoc file', file, 'a .tf file of the tree stack, e.g. "main.tf"');
  const index = options.index ?? 0;
  if (!Number.isInteger(index) || index < 0) invalid(scope, 'tree heredoc index', index, 'an integer from 0');
  const payload = treePayload(scope, heredocPayloadFile({ file, key, index }));
  const expression = `templatefile(${payload.path}, {})`;
  return {
    ...payload,
    content: payload.template('{}'),
    expression,
    sha1: `\${fileexists(${payload.path}) ? sha1(${expression}) : null}`,
  };
}

/**
 * A tree file outside the stack directory that the tree stack reads by a relative path
 * (`file("${path.module}/../../scripts/update_k8s.sh")` -> `treeRepoPayload(scope, 'scripts/update_k8s.sh')`):
 * `tree-payloads/_repo/<path from the tree root>`, copied and rehearsed like the stack's own files.
 */
export function treeRepoPayload(scope: IConstruct, file: string): TreePayload {
  if (!SAFE.test(file)) invalid(scope, 'tree repo payload', file, 'a relative path from the tree root');
  const stack = TerraformStack.of(scope);
  return payloadAt(stack.node.id, treePayloadRelPath(REPO_PAYLOAD_STACK, file));
}

/**
 * A payload extracted from a tree module's HCL (lib/review/tree-module-payloads.ts), shared by every stack
 * that calls the module: `tree-payloads/_modules/<module>/<file>`, e.g. `anubis_instance/default-policy-rules.yaml`.
 */
export function treeModulePayload(scope: IConstruct, file: string): TreePayload {
  if (!Object.prototype.hasOwnProperty.call(MODULE_PAYLOADS, file)) {
    invalid(scope, 'tree module payload', file, `one of ${Object.keys(MODULE_PAYLOADS).join(', ')}`);
  }
  const stack = TerraformStack.of(scope);
  return payloadAt(stack.node.id, treePayloadRelPath(MODULE_PAYLOAD_STACK, file));
}

function payloadAt(stackName: string, relPath: string): TreePayload {
  const p = `"\${path.root}/../../../${relPath}"`;
  const message = `stack ${stackName}: tree payload ${relPath} is missing; run npm run payloads -- --from <tree checkout> (CI: npm run payloads -- --stand-ins)`;
  return {
    relPath,
    path: p,
    content: `\${fileexists(${p}) ? file(${p}) : null}`,
    expression: `file(${p})`,
    sha1: `\${fileexists(${p}) ? sha1(file(${p})) : null}`,
    template: (vars: string) => `\${fileexists(${p}) ? templatefile(${p}, ${vars}) : null}`,
    guard(resource: TerraformResource) {
      const list = GUARDS.get(resource) ?? [];
      if (list.some((g) => g.error_message === message)) return;
      list.push({ condition: `\${fileexists(${p})}`, error_message: message });
      GUARDS.set(resource, list);
      resource.addOverride('lifecycle.precondition', [...list]);
    },
  };
}

/**
 * Every file of the tree's stack directory matching `pattern` (a Terraform `fileset()` glob, e.g.
 * `sealed-*.yaml`), read at plan time: the set the tree iterates with `for_each = fileset(path.module,
 * pattern)`. `forEach` is that expression over the payload folder, so the instance keys (the relative file
 * names) and with them the addresses are the tree's; `eachContent` is `file()` of the current member.
 * A folder without matches (or no folder at all) is the empty set, as in the tree.
 * The payload tools copy single files only: a tree that gains matching files needs them copied by hand.
 */
export interface TreePayloadSet {
  /** The glob, relative to the tree's stack directory. */
  readonly pattern: string;
  /** `${fileset(<payload folder>, "<pattern>")}`. */
  readonly forEach: string;
  /** `file()` of `each.value` inside the payload folder (use in the resource that carries `forEach`). */
  readonly eachContent: string;
  /** The same as a bare expression (no `${}`), to wrap in a function, e.g. `yamldecode(...)`. */
  readonly eachFileExpression: string;
}

const GLOB = /^(?!\/)(?!.*\.\.)[A-Za-z0-9_.*?/-]+$/;

export function treePayloadSet(scope: IConstruct, pattern: string): TreePayloadSet {
  if (!GLOB.test(pattern))
    invalid(scope, 'tree payload set', pattern, 'a relative glob inside the stack directory');
  const stack = TerraformStack.of(scope);
  const dir = `\${path.root}/../../../${TREE_PAYLOAD_DIR}/${stack.node.id}`;
  const file = `file("${dir}/\${each.value}")`;
  return {
    pattern,
    forEach: `\${fileset("${dir}", "${pattern}")}`,
    eachContent: `\${${file}}`,
    eachFileExpression: file,
  };
}

/** The tree payloads a stack declared (sorted), for tests and tools. */
export function declaredTreePayloads(stack: TerraformStack): string[] {
  return [...(DECLARED.get(stack) ?? [])].sort();
}

export { TREE_PAYLOAD_DIR };
