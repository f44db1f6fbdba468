// Synth diff: what a change to the app does to the synthesized configuration, stack by stack, without
// Terraform, state or credentials. Input: two maps stack name -> cdk.tf.json (base and head). The caller
// (the CLI) synthesizes both revisions; this module is pure.
//
// Per stack: resources and data sources added, removed, changed (attribute paths, old -> new; cdktf `//`
// metadata ignored), renamed (a base address that is gone from head and is the `from` of a head `moved`
// block whose `to` exists in head — a rename, not a removal), and changes of the other top-level blocks
// (terraform/backend, provider, variable, output, locals). A stack present only in head or only in base
// is added/removed as a whole.
//
// Secrets are never printed: values are masked by lib/validation/secret-mask.ts and shown as `(sensitive)`.
//
// Stateful destroys: a managed resource of a stateful kind (lib/review/stateful.ts: PVs, PVCs, namespaces,
// secrets, stateful sets, helm releases, CNPG/KubeVirt/CDI manifests, Vault mounts, ...) that is removed
// without a rename is listed in `statefulDestroys`; `exitCodeFor` turns that into exit 2 unless destroys are
// allowed. A stack removed from the app counts too (conservatively): nothing plans it any more, and the
// usual reason is a rename of the stack, i.e. of its state key.
import { type AttributeChange, type Json, diffValues, formatChange } from './value-diff';
import { secretMarks } from '../validation/secret-mask';
import { statefulReason } from './stateful';
import {
  type CdkTfJson,
  type Mode,
  type TfElement,
  configAddress,
  elementsOf,
  importBlocks,
  movedBlocks,
  settingsOf,
} from '../terraform/tf-json';
import {
  COMMENT_LIMIT,
  type CommentSection,
  codeSpan,
  escapeHtml,
  fenceFor,
  joinComment,
  splitComments,
} from '../core/markdown';

export const SYNTH_DIFF_MARKER = '<!-- infra-cdktf:synth-diff -->';

export type SynthApp = Readonly<Record<string, CdkTfJson>>;

export interface AddedElement {
  readonly address: string;
  readonly mode: Mode;
  readonly type: string;
  /** A head `moved` block brings it from this (legacy) address. */
  readonly movedFrom?: string;
  /** A head `import` block imports it with this id. */
  readonly importId?: string;
}

export interface RemovedElement {
  readonly address: string;
  readonly mode: Mode;
  readonly type: string;
  /** Set for stateful managed resources: why destroying it loses data. */
  readonly stateful?: string;
}

export interface ChangedElement {
  readonly address: string;
  readonly mode: Mode;
  readonly type: string;
  readonly changes: readonly AttributeChange[];
}

export interface RenamedElement {
  readonly from: string;
  readonly to: string;
  readonly mode: Mode;
  readonly type: string;
  /** Attribute changes between the old and the new address (often none). */
  readonly changes: readonly AttributeChange[];
}

export type StackStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface StackDiff {
  readonly stack: string;
  readonly status: StackStatus;
  readonly added: readonly AddedElement[];
  readonly removed: readonly RemovedElement[];
  readonly changed: readonly ChangedElement[];
  readonly renamed: readonly RenamedElement[];
  /** Changes of terraform/provider/variable/output/locals (paths start with the block name). */
  readonly settings: readonly AttributeChange[];
  /** A `terraform.backend` change: the stack would point at another state. */
  readonly backendChanged: boolean;
}

export interface StatefulDestroy {
  readonly stack: string;
  readonly address: string;
  readonly reason: string;
}

export interface SynthDiffResult {
  /** Every stack in base or head, sorted by name. */
  readonly stacks: readonly StackDiff[];
  readonly stacksAdded: readonly string[];
  readonly stacksRemoved: readonly string[];
  readonly statefulDestroys: readonly StatefulDestroy[];
}

function maskedDiff(type: string, before: Json | undefined, after: Json | undefined): AttributeChange[] {
  return diffValues(before, after, {
    beforeSensitive: secretMarks(type, before),
    afterSensitive: secretMarks(type, after),
  });
}

function elements(json: CdkTfJson | undefined, where: string): Map<string, TfElement> {
  if (json === undefined) return new Map();
  const out = elementsOf(json, 'managed', where);
  for (const [k, v] of elementsOf(json, 'data', where)) out.set(k, v);
  return out;
}

function diffStack(stack: string, base: CdkTfJson | undefined, head: CdkTfJson | undefined): StackDiff {
  const b = elements(base, `base ${stack}`);
  const h = elements(head, `head ${stack}`);
  const moves = head ? movedBlocks(head, `head ${stack}`) : [];
  const imports = head ? importBlocks(head) : new Map<string, string>();
  const baseMoves = new Set(
    (base ? movedBlocks(base, `base ${stack}`) : []).map((m) => `${m.from}\u0000${m.to}`),
  );

  // from (config address) -> to (config address), only where `to` exists in head.
  const renameTo = new Map<string, string>();
  const movedInto = new Map<string, string>();
  for (const m of moves) {
    const to = configAddress(m.to);
    if (!h.has(to)) continue;
    renameTo.set(configAddress(m.from), to);
    if (!baseMoves.has(`${m.from}\u0000${m.to}`)) movedInto.set(to, m.from);
  }

  const added: AddedElement[] = [];
  const removed: RemovedElement[] = [];
  const changed: ChangedElement[] = [];
  const renamed: RenamedElement[] = [];
  const renameTargets = new Set<string>();

  for (const [address, el] of b) {
    if (h.has(address)) {
      const after = h.get(address) as TfElement;
      const changes = maskedDiff(el.type, el.body, after.body);
      if (changes.length > 0) changed.push({ address, mode: el.mode, type: el.type, changes });
      continue;
    }
    const to = renameTo.get(address);
    if (to !== undefined && !b.has(to)) {
      const target = h.get(to) as TfElement;
      renameTargets.add(to);
      renamed.push({
        from: address,
        to,
        mode: el.mode,
        type: target.type,
        changes: maskedDiff(el.type, el.body, target.body),
      });
      continue;
    }
    const stateful = el.mode === 'managed' ? statefulReason(el.type, el.body) : undefined;
    removed.push({ address, mode: el.mode, type: el.type, ...(stateful ? { stateful } : {}) });
  }
  for (const [address, el] of h) {
    if (b.has(address) || renameTargets.has(address)) continue;
    const movedFrom = movedInto.get(address);
    const importId = imports.get(address);
    added.push({
      address,
      mode: el.mode,
      type: el.type,
      ...(movedFrom !== undefined ? { movedFrom } : {}),
      ...(importId !== undefined ? { importId } : {}),
    });
  }

  const bs = base ? settingsOf(base) : {};
  const hs = head ? settingsOf(head) : {};
  const settings =
    base && head
      ? diffValues(bs, hs, { beforeSensitive: secretMarks('', bs), afterSensitive: secretMarks('', hs) })
      : [];
  const backendChanged = settings.some((c) => c.path[0] === 'terraform' && c.path[1] === 'backend');

  let status: StackStatus;
  if (!base) status = 'added';
  else if (!head) status = 'removed';
  else
    status =
      added.length + removed.length + changed.length + renamed.length + settings.length > 0
        ? 'changed'
        : 'unchanged';
  return { stack, status, added, removed, changed, renamed, settings, backendChanged };
}

/** Compares two synthesized apps (stack name -> cdk.tf.json). Throws SynthJsonError on a malformed file. */
export function diffSynth(base: SynthApp, head: SynthApp): SynthDiffResult {
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
  const has = (app: SynthApp, n: string): boolean => Object.prototype.hasOwnProperty.call(app, n);
  const stacks = names.map((n) =>
    diffStack(n, has(base, n) ? base[n] : undefined, has(head, n) ? head[n] : undefined),
  );
  const statefulDestroys: StatefulDestroy[] = [];
  for (const s of stacks) {
    for (const r of s.removed)
      if (r.stateful) statefulDestroys.push({ stack: s.stack, address: r.address, reason: r.stateful });
  }
  return {
    stacks,
    stacksAdded: stacks.filter((s) => s.status === 'added').map((s) => s.stack),
    stacksRemoved: stacks.filter((s) => s.status === 'removed').map((s) => s.stack),
    statefulDestroys,
  };
}

/** 2 when a stateful resource would be destroyed and destroys are not allowed, else 0. */
export function exitCodeFor(result: SynthDiffResult, opts: { allowDestroy?: boolean } = {}): 0 | 2 {
  return result.statefulDestroys.length > 0 && !opts.allowDestroy ? 2 : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Markdown

function counts(s: StackDiff): string {
  const parts: string[] = [];
  if (s.added.length) parts.push(`${s.added.length} added`);
  if (s.removed.length) parts.push(`${s.removed.length} removed`);
  if (s.changed.length) parts.push(`${s.changed.length} changed`);
  if (s.renamed.length) parts.push(`${s.renamed.length} renamed`);
  if (s.settings.length)
    parts.push(`${s.settings.length} setting ${s.settings.length === 1 ? 'change' : 'changes'}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

function changeLines(changes: readonly AttributeChange[]): string {
  return changes
    .map((c) => {
      const { sign, text } = formatChange(c);
      return `${sign}     ${text.length > 1000 ? `${text.slice(0, 999)}…` : text}\n`;
    })
    .join('');
}

function stackBlocks(s: StackDiff): string[] {
  const blocks: string[] = [];
  if (s.backendChanged) blocks.push('! terraform.backend changed: this stack would use another state\n');
  if (s.settings.length) blocks.push(`~ (stack settings)\n${changeLines(s.settings)}`);
  for (const r of s.renamed) {
    blocks.push(`> ${r.to}  # renamed from ${r.from} (moved block)\n${changeLines(r.changes)}`);
  }
  for (const r of s.removed) {
    blocks.push(
      `- ${r.address}  # removed${r.stateful ? `; STATEFUL: ${r.stateful} — would be destroyed` : ''}\n`,
    );
  }
  for (const a of s.added) {
    const notes = [a.movedFrom !== undefined ? `moved from ${a.movedFrom}` : 'added'];
    if (a.importId !== undefined) notes.push(`imported (id ${a.importId})`);
    blocks.push(`+ ${a.address}  # ${notes.join('; ')}\n`);
  }
  for (const c of s.changed) blocks.push(`~ ${c.address}  # changed\n${changeLines(c.changes)}`);
  return blocks;
}

function section(s: StackDiff): CommentSection {
  const title = codeSpan(s.stack);
  const label = s.status === 'added' ? ' (new stack)' : s.status === 'removed' ? ' (stack removed)' : '';
  const blocks = stackBlocks(s);
  const fence = fenceFor(blocks.join(''));
  const what = escapeHtml(`${blocks.length} ${blocks.length === 1 ? 'entry' : 'entries'}`);
  return {
    open: `#### ${title}${label} — ${counts(s)}\n\n<details><summary>${what}</summary>\n\n${fence}diff\n`,
    continuedOpen: `#### ${title} (continued)\n\n<details><summary>${what} (continued)</summary>\n\n${fence}diff\n`,
    close: `${fence}\n\n</details>\n\n`,
    blocks,
  };
}

function head(result: SynthDiffResult): (label: string) => string {
  const changed = result.stacks.filter((s) => s.status !== 'unchanged');
  const lines: string[] = [];
  if (changed.length === 0) lines.push(`${result.stacks.length} stacks synthesized: no changes.\n\n`);
  else {
    lines.push(
      `${changed.length} of ${result.stacks.length} stacks differ` +
        (result.stacksAdded.length ? `; new: ${result.stacksAdded.map(codeSpan).join(', ')}` : '') +
        (result.stacksRemoved.length ? `; removed: ${result.stacksRemoved.map(codeSpan).join(', ')}` : '') +
        '.\n\n',
    );
  }
  if (result.statefulDestroys.length > 0) {
    lines.push(
      '> [!CAUTION]\n> **Stateful resources would be destroyed** (removed without a `moved` block):\n>\n',
    );
    let budget = 30_000;
    for (let i = 0; i < result.statefulDestroys.length; i++) {
      const d = result.statefulDestroys[i];
      const line = `> - ${codeSpan(d.address)} in ${codeSpan(d.stack)} — ${d.reason}\n`;
      budget -= line.length;
      if (budget < 0) {
        lines.push(`> - … and ${result.statefulDestroys.length - i} more\n`);
        break;
      }
      lines.push(line);
    }
    lines.push(
      '>\n> If this is a rename, add a moved block from the old address; if it is deliberate, allow destroys.\n\n',
    );
  }
  const backend = result.stacks.filter((s) => s.backendChanged);
  if (backend.length) {
    lines.push(
      `> [!WARNING]\n> The backend changed in ${backend.map((s) => codeSpan(s.stack)).join(', ')}: those stacks would use another state.\n\n`,
    );
  }
  const intro = lines.join('');
  return (label) => `### Synth diff${label}\n\n${intro}`;
}

/** The synth diff as one Markdown comment (no size limit). Unchanged stacks are not listed. */
export function renderSynthDiffMarkdown(result: SynthDiffResult): string {
  const sections = result.stacks.filter((s) => s.status !== 'unchanged').map(section);
  return joinComment({ marker: SYNTH_DIFF_MARKER, head: head(result), sections });
}

/** The same, split into comment bodies of at most `limit` characters (see lib/core/markdown.ts). */
export function renderSynthDiffComments(result: SynthDiffResult, limit: number = COMMENT_LIMIT): string[] {
  return splitComments({
    marker: SYNTH_DIFF_MARKER,
    head: head(result),
    continuationHeader: (k, n) => `### Synth diff (part ${k}/${n})\n\n`,
    sections: result.stacks.filter((s) => s.status !== 'unchanged').map(section),
    limit,
  });
}
