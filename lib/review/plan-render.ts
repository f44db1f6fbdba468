// Renders `terraform show -json` plans (one per stack) as one PR comment: a hidden marker line (so a bot can
// update its comment in place), a per-stack summary table with a total row, a warning block listing every
// destroy and replace, then one collapsible section per stack with attribute-level changes. Sensitive values
// (Terraform's marks plus the name rules of secret-mask.ts) are shown as `(sensitive)`, unknown ones as
// `(known after apply)`. Long comments are split at the forge's size limit (see markdown.ts).
//
// Counting: add = ["create"], change = ["update"], destroy = ["delete"], replace = ["delete","create"]
// (destroy-before-create) or ["create","delete"] (create-before-destroy); move = `previous_address` differs
// from `address`; import = `change.importing` is set. A move or import is counted on top of its action
// (a moved resource that also changes counts in both). No-op changes, data-source reads and `forget` are
// counted nowhere (reads and forgets are still listed in the stack section).
import {
  type AttributeChange,
  type Marks,
  type PathSegment,
  UNKNOWN,
  cut,
  diffValues,
  formatChange,
  formatPath,
  isObject,
  leavesOf,
  mergeMarks,
  renderValue,
} from './value-diff';
import { secretMarks } from '../validation/secret-mask';
import { statefulReason } from './stateful';
import {
  COMMENT_LIMIT,
  type CommentSection,
  codeSpan,
  escapeHtml,
  fenceFor,
  joinComment,
  splitComments,
  tableCell,
} from '../core/markdown';

export const PLAN_COMMENT_MARKER = '<!-- infra-cdktf:plan-comment -->';

/** Attribute lines shown per resource before "… N more". */
export const MAX_ATTRIBUTE_LINES = 100;
/** Key attributes shown for a create or delete. */
export const MAX_KEY_ATTRIBUTES = 10;

// ---------------------------------------------------------------------------------------------------------
// Input: the subset of the plan JSON we read (format_version 1.x). Unknown properties are ignored.

export interface PlanChange {
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: Marks;
  readonly before_sensitive?: Marks;
  readonly after_sensitive?: Marks;
  readonly replace_paths?: readonly (readonly PathSegment[])[];
  readonly importing?: { readonly id?: string; readonly identity?: unknown } | null;
}

export interface ResourceChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly module_address?: string;
  readonly mode?: string;
  readonly type: string;
  readonly name: string;
  readonly index?: unknown;
  readonly deposed?: string;
  readonly change: PlanChange;
  readonly action_reason?: string;
}

export interface TerraformPlan {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, PlanChange>>;
}

export interface StackPlan {
  readonly stack: string;
  readonly plan: TerraformPlan;
}

export class PlanFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFormatError';
  }
}

/** Parses and checks one `terraform show -json` plan; `source` names it in errors (file name). */
export function parsePlan(text: string, source: string): TerraformPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PlanFormatError(`${source}: invalid JSON (${(err as Error).message})`);
  }
  return validatePlan(value, source);
}

/** Checks the shape we rely on; throws PlanFormatError naming `source` and the offending field. */
export function validatePlan(value: unknown, source: string): TerraformPlan {
  const fail = (msg: string): never => {
    throw new PlanFormatError(`${source}: ${msg}`);
  };
  if (!isObject(value)) return fail('not a terraform show -json plan (the top level is not an object)');
  const fv = value.format_version;
  if (typeof fv !== 'string') return fail('not a terraform show -json plan (no format_version)');
  const major = /^(\d+)\.\d+/.exec(fv)?.[1];
  if (major !== '1') return fail(`unsupported format_version ${JSON.stringify(fv)} (this tool reads 1.x)`);
  if ('values' in value && !('resource_changes' in value) && !('planned_values' in value)) {
    return fail('this is a state, not a plan (run terraform show -json on a saved plan file)');
  }
  const rc = value.resource_changes;
  if (rc !== undefined && rc !== null) {
    if (!Array.isArray(rc)) return fail('resource_changes is not a list');
    rc.forEach((r, i) => {
      const where = `resource_changes[${i}]`;
      if (!isObject(r)) return fail(`${where} is not an object`);
      for (const k of ['address', 'type', 'name'] as const) {
        if (typeof r[k] !== 'string') fail(`${where}.${k} is missing or not a string`);
      }
      const ch = r.change;
      if (!isObject(ch) || !Array.isArray(ch.actions) || !ch.actions.every((a) => typeof a === 'string')) {
        fail(`${where} (${String(r.address)}): change.actions is missing or not a list of strings`);
      }
      return undefined;
    });
  }
  const oc = value.output_changes;
  if (oc !== undefined && oc !== null) {
    if (!isObject(oc)) return fail('output_changes is not an object');
    for (const [name, ch] of Object.entries(oc)) {
      if (!isObject(ch) || !Array.isArray(ch.actions)) fail(`output_changes.${name}.actions is missing`);
    }
  }
  return value as unknown as TerraformPlan;
}

// ---------------------------------------------------------------------------------------------------------
// Summary model

export type ActionKind = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'forget' | 'no-op' | 'other';
export type ReplaceOrder = 'create-before-destroy' | 'destroy-before-create';

export interface Counts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  move: number;
  import: number;
}

export interface AttributeLine {
  readonly sign: '~' | '+' | '-';
  readonly text: string;
  readonly forcesReplacement?: boolean;
}

export interface ResourceEntry {
  readonly address: string;
  readonly type: string;
  readonly action: ActionKind;
  /** The raw actions, e.g. ["delete","create"]. */
  readonly actions: readonly string[];
  readonly replaceOrder?: ReplaceOrder;
  /** Terraform's action_reason, in words. */
  readonly reason?: string;
  /** Set when the resource moved (`previous_address` differs). */
  readonly movedFrom?: string;
  /** Set when the resource is imported; the import id when known. */
  readonly importId?: string | null;
  readonly deposed?: string;
  /** Why losing it loses data (destroys and replaces of stateful resources only). */
  readonly stateful?: string;
  readonly lines: readonly AttributeLine[];
  /** Attribute lines not shown (over MAX_ATTRIBUTE_LINES). */
  readonly hiddenLines: number;
}

export interface OutputEntry {
  readonly name: string;
  readonly action: ActionKind;
  readonly text: string;
}

export interface StackSummary {
  readonly stack: string;
  readonly counts: Counts;
  /** Every resource change that is not a plain no-op, in plan order. */
  readonly resources: readonly ResourceEntry[];
  readonly outputs: readonly OutputEntry[];
  /** No resource or output changes at all. */
  readonly noChanges: boolean;
}

const REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: 'the object is tainted',
  replace_because_cannot_update: 'an attribute cannot be updated in place',
  replace_by_request: 'replacement was requested (-replace)',
  replace_by_triggers: 'a replace_triggered_by reference changed',
  delete_because_no_resource_config: 'removed from the configuration',
  delete_because_no_module: 'its module was removed from the configuration',
  delete_because_wrong_repetition: 'count/for_each changed',
  delete_because_count_index: 'its count index is out of range',
  delete_because_each_key: 'its for_each key is gone',
  delete_because_no_move_target: 'moved to an address that does not exist',
  read_because_config_unknown: 'its configuration depends on values known only after apply',
  read_because_dependency_pending: 'it depends on pending changes',
  read_because_check_nested: 'it is used by a check block',
};

/** Terraform's action_reason in words (unknown reasons are shown as they are). */
export function describeReason(reason: string): string {
  return REASONS[reason] ?? reason;
}

export function classifyActions(actions: readonly string[]): {
  action: ActionKind;
  replaceOrder?: ReplaceOrder;
} {
  const key = actions.join(',');
  switch (key) {
    case 'create':
      return { action: 'create' };
    case 'update':
      return { action: 'update' };
    case 'delete':
      return { action: 'delete' };
    case 'delete,create':
      return { action: 'replace', replaceOrder: 'destroy-before-create' };
    case 'create,delete':
      return { action: 'replace', replaceOrder: 'create-before-destroy' };
    case 'read':
      return { action: 'read' };
    case 'forget':
      return { action: 'forget' };
    case '':
    case 'no-op':
      return { action: 'no-op' };
    default:
      return { action: 'other' };
  }
}

const KEY_ATTRIBUTES = new Set([
  'name',
  'namespace',
  'id',
  'kind',
  'api_version',
  'apiVersion',
  'image',
  'type',
  'zone_id',
  'content',
  'value',
  'hostname',
  'host',
  'path',
  'storage',
  'storage_class_name',
  'chart',
  'version',
  'repository',
  'schedule',
  'replicas',
]);

function keyDepth(path: readonly PathSegment[]): number {
  return path.filter((s) => typeof s === 'string').length;
}

/** The attributes that identify a resource being created or destroyed (name, namespace, kind, image, ...). */
function keyAttributes(value: unknown, sensitive: Marks, unknown: Marks, sign: '+' | '-'): AttributeLine[] {
  const leaves = leavesOf(value, sensitive, unknown).filter((l) => l.value !== UNKNOWN);
  let picked = leaves.filter((l) => {
    const last = [...l.path].reverse().find((s) => typeof s === 'string');
    return keyDepth(l.path) <= 3 && typeof last === 'string' && KEY_ATTRIBUTES.has(last);
  });
  if (picked.length === 0) picked = leaves.filter((l) => keyDepth(l.path) === 1);
  return picked
    .slice(0, MAX_KEY_ATTRIBUTES)
    .map((l) => ({ sign, text: `${formatPath(l.path)}: ${l.value}` }));
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

function attributeLines(
  changes: readonly AttributeChange[],
  replacePaths: readonly (readonly PathSegment[])[],
): AttributeLine[] {
  return changes.map((c) => {
    const { sign, text } = formatChange(c);
    const forces = replacePaths.some((p) => startsWith(c.path, p));
    return { sign, text: cut(text, 1000), ...(forces ? { forcesReplacement: true } : {}) };
  });
}

function emptyCounts(): Counts {
  return { add: 0, change: 0, destroy: 0, replace: 0, move: 0, import: 0 };
}

/** Everything the comment shows about one stack's plan. */
export function summarizeStack(stack: string, plan: TerraformPlan): StackSummary {
  const counts = emptyCounts();
  const resources: ResourceEntry[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const ch = rc.change;
    const { action, replaceOrder } = classifyActions(ch.actions);
    const movedFrom =
      rc.previous_address && rc.previous_address !== rc.address ? rc.previous_address : undefined;
    const importing = isObject(ch.importing) ? ch.importing : undefined;
    if (action === 'no-op' && !movedFrom && !importing) continue;
    if (action === 'create') counts.add++;
    else if (action === 'update') counts.change++;
    else if (action === 'delete') counts.destroy++;
    else if (action === 'replace') counts.replace++;
    if (movedFrom) counts.move++;
    if (importing) counts.import++;

    const beforeSensitive = mergeMarks(ch.before_sensitive, secretMarks(rc.type, ch.before));
    const afterSensitive = mergeMarks(ch.after_sensitive, secretMarks(rc.type, ch.after));
    let lines: AttributeLine[];
    if (action === 'create') lines = keyAttributes(ch.after, afterSensitive, ch.after_unknown, '+');
    else if (action === 'delete' || action === 'forget')
      lines = keyAttributes(ch.before, beforeSensitive, undefined, '-');
    else if (action === 'read') lines = [];
    else {
      const diff = diffValues(ch.before, ch.after, {
        beforeSensitive,
        afterSensitive,
        afterUnknown: ch.after_unknown,
      });
      lines = attributeLines(diff, action === 'replace' ? (ch.replace_paths ?? []) : []);
    }
    const destroys = action === 'delete' || action === 'replace';
    const stateful = destroys ? statefulReason(rc.type, ch.before) : undefined;
    resources.push({
      address: rc.address,
      type: rc.type,
      action,
      actions: ch.actions,
      ...(replaceOrder ? { replaceOrder } : {}),
      ...(rc.action_reason ? { reason: describeReason(rc.action_reason) } : {}),
      ...(movedFrom ? { movedFrom } : {}),
      ...(importing ? { importId: typeof importing.id === 'string' ? importing.id : null } : {}),
      ...(rc.deposed ? { deposed: rc.deposed } : {}),
      ...(stateful ? { stateful } : {}),
      lines: lines.slice(0, MAX_ATTRIBUTE_LINES),
      hiddenLines: Math.max(0, lines.length - MAX_ATTRIBUTE_LINES),
    });
  }
  const outputs: OutputEntry[] = [];
  for (const [name, ch] of Object.entries(plan.output_changes ?? {})) {
    const { action } = classifyActions(ch.actions);
    if (action === 'no-op') continue;
    const before = renderValue(ch.before, ch.before_sensitive);
    const after = renderValue(ch.after, ch.after_sensitive, ch.after_unknown);
    const text =
      action === 'create'
        ? `output.${name}: ${after}`
        : action === 'delete'
          ? `output.${name}: ${before}`
          : `output.${name}: ${before} -> ${after}`;
    outputs.push({ name, action, text });
  }
  return { stack, counts, resources, outputs, noChanges: resources.length === 0 && outputs.length === 0 };
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

const COLUMNS: readonly (keyof Counts)[] = ['add', 'change', 'destroy', 'replace', 'move', 'import'];
const PHRASES: Record<keyof Counts, string> = {
  add: 'to add',
  change: 'to change',
  destroy: 'to destroy',
  replace: 'to replace',
  move: 'moved',
  import: 'to import',
};

function countsText(c: Counts): string {
  const parts = COLUMNS.filter((k) => c[k] > 0).map((k) => `${c[k]} ${PHRASES[k]}`);
  return parts.length > 0 ? parts.join(', ') : 'no resource changes';
}

function total(stacks: readonly StackSummary[]): Counts {
  const t = emptyCounts();
  for (const s of stacks) for (const k of COLUMNS) t[k] += s.counts[k];
  return t;
}

const HEAD_TABLE_BUDGET = 20_000;
const HEAD_WARNING_BUDGET = 30_000;

function warningLines(stacks: readonly StackSummary[]): string[] {
  const lines: string[] = [];
  for (const s of stacks) {
    for (const r of s.resources) {
      if (r.action !== 'delete' && r.action !== 'replace') continue;
      const what = r.action === 'delete' ? '**destroy**' : `**replace** (${r.replaceOrder})`;
      const notes: string[] = [];
      if (r.stateful) notes.push(`⚠️ stateful: ${r.stateful}`);
      if (r.deposed) notes.push(`deposed object ${r.deposed}`);
      if (r.reason) notes.push(`reason: ${r.reason}`);
      const tail = notes.length > 0 ? ` — ${notes.join('; ')}` : '';
      lines.push(`> - ${what} ${codeSpan(cut(r.address, 300))} in ${codeSpan(s.stack)}${tail}\n`);
    }
  }
  return lines;
}

/** Keeps lines while they fit `budget` characters, then says how many were left out. */
function bounded(lines: readonly string[], budget: number, more: (n: number) => string): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    if (out.length + lines[i].length > budget) return out + more(lines.length - i);
    out += lines[i];
  }
  return out;
}

function renderHead(stacks: readonly StackSummary[]): (partLabel: string) => string {
  const t = total(stacks);
  const changed = stacks.filter((s) => !s.noChanges).length;
  const rows = stacks.map(
    (s) => `| ${tableCell(codeSpan(s.stack))} | ${COLUMNS.map((k) => s.counts[k]).join(' | ')} |\n`,
  );
  const table =
    `| Stack | Add | Change | Destroy | Replace | Move | Import |\n` +
    `| :-- | --: | --: | --: | --: | --: | --: |\n` +
    bounded(rows, HEAD_TABLE_BUDGET, (n) => `| … ${n} more stacks | | | | | | |\n`) +
    `| **Total** | ${COLUMNS.map((k) => `**${t[k]}**`).join(' | ')} |\n`;
  const warnings = warningLines(stacks);
  let warningBlock: string;
  if (warnings.length === 0) {
    warningBlock = 'No resource will be destroyed or replaced.\n\n';
  } else {
    const n = (k: number, word: string): string => `${k} ${word}`;
    warningBlock =
      `> [!CAUTION]\n> **${n(t.destroy, 'to destroy')}, ${n(t.replace, 'to replace')}** — check each before applying:\n>\n` +
      bounded(warnings, HEAD_WARNING_BUDGET, (k) => `> - … and ${k} more (see the stack sections below)\n`) +
      '\n';
  }
  const stackWord = stacks.length === 1 ? 'stack' : 'stacks';
  const intro =
    changed === 0
      ? `${stacks.length} ${stackWord} planned: no changes.\n\n`
      : `${stacks.length} ${stackWord} planned, ${changed} with changes: ${countsText(t)}.\n\n`;
  return (partLabel) => `### Terraform plan${partLabel}\n\n${intro}${table}\n${warningBlock}`;
}

const SIGNS: Record<ActionKind, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '-/+',
  read: '<=',
  forget: '!',
  'no-op': '>',
  other: '?',
};

function describe(r: ResourceEntry): string {
  const parts: string[] = [];
  switch (r.action) {
    case 'create':
      parts.push('will be created');
      break;
    case 'update':
      parts.push('will be updated in-place');
      break;
    case 'delete':
      parts.push('will be destroyed');
      break;
    case 'replace':
      parts.push(`must be replaced (${r.replaceOrder})`);
      break;
    case 'read':
      parts.push('will be read during apply');
      break;
    case 'forget':
      parts.push('will be removed from state (not destroyed)');
      break;
    case 'no-op':
      break;
    case 'other':
      parts.push(`actions ${JSON.stringify(r.actions)}`);
  }
  if (r.movedFrom) parts.push(`moved from ${r.movedFrom}`);
  if (r.importId !== undefined)
    parts.push(r.importId ? `will be imported (id ${JSON.stringify(r.importId)})` : 'will be imported');
  if (r.deposed) parts.push(`deposed object ${r.deposed}`);
  if (r.stateful) parts.push(`STATEFUL: ${r.stateful}`);
  if (r.reason) parts.push(`reason: ${r.reason}`);
  return parts.join('; ');
}

function resourceBlock(r: ResourceEntry): string {
  const sign = r.action === 'replace' && r.replaceOrder === 'create-before-destroy' ? '+/-' : SIGNS[r.action];
  let out = `${sign} ${r.address}  # ${describe(r)}\n`;
  for (const l of r.lines)
    out += `${l.sign}     ${l.text}${l.forcesReplacement ? '  # forces replacement' : ''}\n`;
  if (r.hiddenLines > 0) out += `      … ${r.hiddenLines} more attribute changes not shown\n`;
  return out;
}

function outputBlock(o: OutputEntry): string {
  return `${SIGNS[o.action]} ${o.text}\n`;
}

function stackSection(s: StackSummary): CommentSection {
  const title = codeSpan(s.stack);
  if (s.noChanges)
    return { open: '', continuedOpen: '', close: '', blocks: [`#### ${title}\n\nNo changes.\n\n`] };
  const blocks = [...s.resources.map(resourceBlock), ...s.outputs.map(outputBlock)];
  const fence = fenceFor(blocks.join(''));
  const n = s.resources.length;
  const what = `${n} resource ${n === 1 ? 'change' : 'changes'}${s.outputs.length > 0 ? `, ${s.outputs.length} output ${s.outputs.length === 1 ? 'change' : 'changes'}` : ''}`;
  return {
    open: `#### ${title} — ${countsText(s.counts)}\n\n<details><summary>${escapeHtml(what)}</summary>\n\n${fence}diff\n`,
    continuedOpen: `#### ${title} (continued)\n\n<details><summary>${escapeHtml(what)} (continued)</summary>\n\n${fence}diff\n`,
    close: `${fence}\n\n</details>\n\n`,
    blocks,
  };
}

function build(stacks: readonly StackPlan[]): {
  head: (label: string) => string;
  sections: CommentSection[];
} {
  const seen = new Set<string>();
  for (const s of stacks) {
    if (seen.has(s.stack)) throw new PlanFormatError(`stack ${JSON.stringify(s.stack)} is given twice`);
    seen.add(s.stack);
  }
  const summaries = stacks.map((s) => summarizeStack(s.stack, s.plan));
  return { head: renderHead(summaries), sections: summaries.map(stackSection) };
}

/** The whole comment as one string (no size limit): for stdout and previews. */
export function renderPlanComment(stacks: readonly StackPlan[]): string {
  const { head, sections } = build(stacks);
  return joinComment({ marker: PLAN_COMMENT_MARKER, head, sections });
}

/**
 * The comment split into bodies of at most `limit` characters (JS string length): split between stacks
 * where possible, inside a stack's details (with a "(continued)" header) when one stack is bigger than a
 * comment. The summary table and the destroy/replace warnings always lead the first body; every body starts
 * with the marker line, and later ones say `(part k/n)`.
 */
export function renderPlanComments(stacks: readonly StackPlan[], limit: number = COMMENT_LIMIT): string[] {
  const { head, sections } = build(stacks);
  return splitComments({
    marker: PLAN_COMMENT_MARKER,
    head,
    continuationHeader: (k, n) => `### Terraform plan (part ${k}/${n})\n\n`,
    sections,
    limit,
  });
}
