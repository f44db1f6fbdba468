// Adoption rehearsal, the analysis half (pure; never imports cdktf): reads the `terraform show -json` plan
// of our synthesized stack against the state the tree's HCL applied, lists the moves and every change
// (address, moved-from address, action, attribute path, tree value vs ours, secret-masked), marks
// sensitivity-only changes, and matches changes against the stack's reviewed differences
// (rehearsal/<stack>.json). A stack is clean when every change is reviewed and no reviewed entry is stale.
import { classifyActions, type ActionKind, type ResourceChange, type TerraformPlan } from './plan-render';
import {
  childMarks,
  deepEqual,
  diffValues,
  formatPath,
  isObject,
  type Marks,
  type PathSegment,
} from './value-diff';

/** One intended difference: the change at `address` (and `paths`, prefixes) is reviewed for `reason`. */
export interface ReviewedDifference {
  /** Our address (after moves). */
  readonly address: string;
  /** Expected action; any when absent. */
  readonly action?: ActionKind;
  /** Attribute paths (Terraform syntax, prefix match: `data` covers `data["x.sh"]`); all when absent. */
  readonly paths?: readonly string[];
  /** Why the difference is intended (an improvement, not a parity bug). */
  readonly reason: string;
}

export interface ReviewedFile {
  readonly stack: string;
  readonly reviewed: readonly ReviewedDifference[];
}

export class RehearsalFormatError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'RehearsalFormatError';
  }
}

const ACTIONS: readonly string[] = ['create', 'update', 'delete', 'replace'];

/** Parses and checks a reviewed-differences file; the error names the file and the entry. */
export function parseReviewed(text: string, source: string): ReviewedFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RehearsalFormatError(source, `not JSON (${(e as Error).message})`);
  }
  if (!isObject(data) || typeof data.stack !== 'string' || !Array.isArray(data.reviewed)) {
    throw new RehearsalFormatError(source, 'expected { "stack": string, "reviewed": [...] }');
  }
  const reviewed = data.reviewed.map((e, i): ReviewedDifference => {
    const where = `reviewed[${i}]`;
    if (!isObject(e) || typeof e.address !== 'string' || typeof e.reason !== 'string' || !e.reason.trim()) {
      throw new RehearsalFormatError(source, `${where}: needs "address" and a non-empty "reason"`);
    }
    if (e.action !== undefined && (typeof e.action !== 'string' || !ACTIONS.includes(e.action))) {
      throw new RehearsalFormatError(source, `${where}: action must be one of ${ACTIONS.join(', ')}`);
    }
    if (e.paths !== undefined && (!Array.isArray(e.paths) || e.paths.some((p) => typeof p !== 'string'))) {
      throw new RehearsalFormatError(source, `${where}: paths must be a list of strings`);
    }
    return {
      address: e.address,
      reason: e.reason,
      ...(e.action !== undefined ? { action: e.action as ActionKind } : {}),
      ...(e.paths !== undefined ? { paths: e.paths as string[] } : {}),
    };
  });
  return { stack: data.stack, reviewed };
}

export interface Move {
  readonly from: string;
  readonly to: string;
}

export interface RehearsalChange {
  readonly address: string;
  readonly movedFrom?: string;
  readonly action: ActionKind;
  /** Attribute path; absent for a whole-resource create/delete. */
  readonly path?: string;
  /** Tree value (from state), rendered and masked. */
  readonly tree?: string;
  /** Our value, rendered and masked. */
  readonly ours?: string;
  /** Same value on both sides; only its sensitivity differs. */
  readonly sensitivityOnly: boolean;
  /** The reason of the reviewed difference covering this change, if any. */
  readonly reviewed?: string;
  readonly hint?: string;
}

export interface StackRehearsal {
  readonly stack: string;
  readonly moves: readonly Move[];
  readonly changes: readonly RehearsalChange[];
  /** Reviewed entries that covered no change: the difference is gone, drop the entry. */
  readonly stale: readonly ReviewedDifference[];
  readonly clean: boolean;
}

function valueAt(v: unknown, path: readonly PathSegment[]): unknown {
  let cur = v;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return cur;
}

function marksAt(m: Marks, path: readonly PathSegment[]): Marks {
  let cur = m;
  for (const seg of path) {
    if (cur === true) return true;
    cur = childMarks(cur, seg);
  }
  return cur;
}

/** True when the marks mark anything at or below the path (a sensitive leaf counts). */
function anySensitive(m: Marks): boolean {
  if (m === true) return true;
  if (Array.isArray(m)) return m.some(anySensitive);
  if (isObject(m)) return Object.values(m as Record<string, Marks>).some(anySensitive);
  return false;
}

/** `data["direction"]` and `data.direction` are the same path (formatPath prints the second). */
export function normalizePath(p: string): string {
  return p.replace(/\["([A-Za-z_][A-Za-z0-9_-]*)"\]/g, '.$1');
}

function covers(entry: ReviewedDifference, c: Omit<RehearsalChange, 'reviewed'>): boolean {
  if (entry.address !== c.address) return false;
  if (entry.action && entry.action !== c.action) return false;
  if (!entry.paths || entry.paths.length === 0 || c.path === undefined) return true;
  const p = normalizePath(c.path);
  return entry.paths
    .map(normalizePath)
    .some((e) => p === e || p.startsWith(`${e}.`) || p.startsWith(`${e}[`));
}

function resourceChanges(rc: ResourceChange, action: ActionKind): Omit<RehearsalChange, 'reviewed'>[] {
  const base = {
    address: rc.address,
    ...(rc.previous_address ? { movedFrom: rc.previous_address } : {}),
    action,
  };
  if (action === 'create' || action === 'delete') return [{ ...base, sensitivityOnly: false }];
  const ch = rc.change;
  const diffs = diffValues(ch.before, ch.after, {
    beforeSensitive: ch.before_sensitive,
    afterSensitive: ch.after_sensitive,
    afterUnknown: ch.after_unknown,
  });
  const out = diffs.map((d) => {
    const raw = (v: unknown) => valueAt(v, d.path);
    const unknown = marksAt(ch.after_unknown, d.path) === true;
    const sensitivityOnly =
      !unknown &&
      deepEqual(raw(ch.before), raw(ch.after)) &&
      anySensitive(marksAt(ch.before_sensitive, d.path)) !==
        anySensitive(marksAt(ch.after_sensitive, d.path));
    return {
      ...base,
      path: formatPath(d.path) || '(value)',
      ...(d.before !== undefined ? { tree: d.before } : { tree: 'null' }),
      ...(d.after !== undefined ? { ours: d.after } : { ours: 'null' }),
      sensitivityOnly,
    };
  });
  // An update whose values and marks render equal (e.g. a nested block re-ordered): still a change.
  return out.length ? out : [{ ...base, sensitivityOnly: false, path: '(no attribute differs)' }];
}

/** Analyses one stack's plan against its reviewed differences. */
export function analyseRehearsal(
  stack: string,
  plan: TerraformPlan,
  reviewed: readonly ReviewedDifference[] = [],
): StackRehearsal {
  const moves: Move[] = [];
  const raw: Omit<RehearsalChange, 'reviewed'>[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const { action } = classifyActions(rc.change.actions);
    if (rc.previous_address && rc.previous_address !== rc.address) {
      moves.push({ from: rc.previous_address, to: rc.address });
    }
    if (action === 'no-op' || action === 'read') continue;
    raw.push(...resourceChanges(rc, action));
  }
  // A delete and a create of the same type: most likely a moved block is missing.
  const typeOf = (a: string) => a.replace(/^(module\.[^.]+\.)+/, '').split('.')[0];
  const withHints = raw.map((c) => {
    const other = raw.find(
      (o) =>
        o !== c &&
        typeOf(o.address) === typeOf(c.address) &&
        ((c.action === 'delete' && o.action === 'create') ||
          (c.action === 'create' && o.action === 'delete')),
    );
    if (!other) return c;
    return {
      ...c,
      hint:
        c.action === 'delete'
          ? `destroyed while ${other.address} is created: missing moved block from ${c.address}?`
          : `created while ${other.address} is destroyed: missing moved block to ${c.address}?`,
    };
  });
  const used = new Set<ReviewedDifference>();
  const changes = withHints.map((c): RehearsalChange => {
    const entry = reviewed.find((e) => covers(e, c));
    if (!entry) return c;
    used.add(entry);
    return { ...c, reviewed: entry.reason };
  });
  const stale = reviewed.filter((e) => !used.has(e));
  moves.sort((a, b) => a.to.localeCompare(b.to));
  return { stack, moves, changes, stale, clean: stale.length === 0 && changes.every((c) => c.reviewed) };
}

const SIGN: Partial<Record<ActionKind, string>> = { create: '+', delete: '-', update: '~', replace: '-/+' };

/** The report of one stack, as lines (the CLI prints them). */
export function formatRehearsal(r: StackRehearsal): string[] {
  const out: string[] = [];
  for (const m of r.moves) out.push(`  moved   ${m.from} -> ${m.to}`);
  let lastHeader = '';
  let reasons: string[] = [];
  const flushReasons = () => {
    for (const reason of reasons) out.push(`      reviewed: ${reason}`);
    reasons = [];
  };
  for (const c of r.changes) {
    const header = `  ${SIGN[c.action] ?? c.action} ${c.action} ${c.address}${c.movedFrom ? ` (moved from ${c.movedFrom})` : ''}`;
    if (header !== lastHeader) {
      flushReasons();
      out.push(header);
    }
    lastHeader = header;
    if (c.reviewed && !reasons.includes(c.reviewed)) reasons.push(c.reviewed);
    const mark = c.reviewed ? 'reviewed' : 'UNREVIEWED';
    if (c.path === undefined) {
      out.push(`      [${mark}]${c.hint ? ` ${c.hint}` : ''}`);
      continue;
    }
    const values = c.sensitivityOnly
      ? `value unchanged, sensitivity only (tree ${c.tree === '(sensitive)' ? 'sensitive' : 'not sensitive'}, ours ${c.ours === '(sensitive)' ? 'sensitive' : 'not sensitive'})`
      : `tree ${c.tree} | ours ${c.ours}`;
    out.push(`      ${c.path}: ${values}  [${mark}]`);
  }
  flushReasons();
  for (const s of r.stale) {
    out.push(
      `  STALE reviewed difference ${s.address}${s.paths ? ` ${s.paths.join(', ')}` : ''}: no such change any more (${s.reason})`,
    );
  }
  return out;
}

export interface SummaryRow {
  readonly stack: string;
  readonly moves: number;
  readonly changes: number;
  readonly reviewed: number;
  readonly unreviewed: number;
  readonly sensitivityOnly: number;
  readonly stale: number;
  readonly result: string;
}

export function summaryRow(r: StackRehearsal): SummaryRow {
  const reviewed = r.changes.filter((c) => c.reviewed).length;
  return {
    stack: r.stack,
    moves: r.moves.length,
    changes: r.changes.length,
    reviewed,
    unreviewed: r.changes.length - reviewed,
    sensitivityOnly: r.changes.filter((c) => c.sensitivityOnly).length,
    stale: r.stale.length,
    result: r.clean ? (reviewed ? 'clean (reviewed differences only)' : 'clean') : 'NOT CLEAN',
  };
}

/** The summary table printed after every stack. */
export function formatSummary(rows: readonly SummaryRow[]): string[] {
  const head = ['stack', 'moves', 'changes', 'reviewed', 'unreviewed', 'sens-only', 'stale', 'result'];
  const cells = rows.map((r) => [
    r.stack,
    String(r.moves),
    String(r.changes),
    String(r.reviewed),
    String(r.unreviewed),
    String(r.sensitivityOnly),
    String(r.stale),
    r.result,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...cells.map(line)];
}
