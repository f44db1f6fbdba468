// The address lock: `addresses.lock.json` records every synthesized resource address per stack, so that a
// change which makes an address disappear (a construct id renamed, a resource dropped) fails the check
// unless it comes with a `moved` block — a Terraform address is how state finds a resource, and an address
// that silently disappears is a destroy (plus a create under the new name).
//
//   { "version": 1, "stacks": { "<stack>": ["type.name", ...sorted] } }
//
// Only managed resources are locked: data sources hold no state, so renaming one loses nothing.
// Addresses are configuration addresses (`type.name`); count/for_each instances are not listed. A moved
// block covers a locked address when its `from` is that address, with or without an instance key
// (`type.name[0]` covers `type.name`), and its `to` is a resource of the current stack.
// Everything runs on sets: linear in the number of addresses.
import {
  type CdkTfJson,
  configAddress,
  elementsOf,
  movedBlocks,
  resourceAddresses,
} from '../terraform/tf-json';
import { formatMoveProblem, moveProblems, RENAME_DOC } from '../terraform/moves';
import { isObject } from './value-diff';

export const LOCK_VERSION = 1;
export const LOCK_UPDATE_COMMAND = 'npm run lock:update';

export interface AddressLock {
  readonly version: 1;
  /** Stack name -> sorted resource addresses. */
  readonly stacks: Readonly<Record<string, readonly string[]>>;
}

export interface LockViolation {
  readonly stack: string;
  /** Absent when the whole stack disappeared. */
  readonly address?: string;
  /** What to do about it, in one sentence or two. */
  readonly fix: string;
}

export interface LockAddition {
  readonly stack: string;
  /** Absent when the whole stack is new. */
  readonly address?: string;
}

export interface LockCheck {
  readonly ok: boolean;
  readonly violations: readonly LockViolation[];
  /** New stacks and addresses: fine, but the lock should be updated to record them. */
  readonly additions: readonly LockAddition[];
  /** Locked addresses covered by a moved block (renames): fine, the lock should be updated. */
  readonly renames: readonly { readonly stack: string; readonly from: string; readonly to: string }[];
}

export class LockFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockFormatError';
  }
}

/** The resource addresses of one synthesized stack, sorted (resources only; data sources hold no state). */
export function addressesOf(cdkTfJson: CdkTfJson): string[] {
  return resourceAddresses(cdkTfJson);
}

/** A lock for the whole app (stack name -> cdk.tf.json); stacks and addresses sorted. */
export function buildLock(app: Readonly<Record<string, CdkTfJson>>): AddressLock {
  const stacks: Record<string, string[]> = {};
  for (const name of Object.keys(app).sort()) stacks[name] = addressesOf(app[name]);
  return { version: LOCK_VERSION, stacks };
}

/** The lock file text: stable (sorted), two-space JSON, trailing newline. */
export function serializeLock(lock: AddressLock): string {
  const stacks: Record<string, string[]> = {};
  for (const name of Object.keys(lock.stacks).sort()) stacks[name] = [...lock.stacks[name]].sort();
  return `${JSON.stringify({ version: lock.version, stacks }, null, 2)}\n`;
}

/** Parses and checks lock file text; throws LockFormatError with one clear message. */
export function parseLock(text: string, source = 'addresses.lock.json'): AddressLock {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new LockFormatError(`${source}: invalid JSON (${(err as Error).message})`);
  }
  if (!isObject(value)) throw new LockFormatError(`${source}: not an object`);
  if (value.version !== LOCK_VERSION) {
    throw new LockFormatError(
      `${source}: unsupported version ${JSON.stringify(value.version)} (expected ${LOCK_VERSION})`,
    );
  }
  const stacks = value.stacks;
  if (!isObject(stacks))
    throw new LockFormatError(`${source}: "stacks" must be an object of stack name -> address list`);
  for (const [name, list] of Object.entries(stacks)) {
    if (!Array.isArray(list) || !list.every((a) => typeof a === 'string')) {
      throw new LockFormatError(`${source}: stacks.${name} must be a list of address strings`);
    }
  }
  return { version: LOCK_VERSION, stacks: stacks as Record<string, string[]> };
}

function addressFix(stack: string, address: string): string {
  return (
    `stack ${stack}: address ${address} disappeared without a moved block. ` +
    `If this is a rename, add a moved block from it: movedFrom(resource, '${address}'), or, when the resource ` +
    `already moves from a legacy module address, renamedFrom(resource, '${address}') to chain the moves ` +
    `(${RENAME_DOC}); ` +
    `if it is a deliberate destroy, run \`${LOCK_UPDATE_COMMAND}\` and say so in the PR.`
  );
}

function danglingMoveFix(stack: string, address: string, to: string): string {
  return (
    `stack ${stack}: address ${address} disappeared; its moved block points to ${to}, which is not a resource of the stack ` +
    `(Terraform would destroy it). Point the moved block at the new address, or if the destroy is deliberate run ` +
    `\`${LOCK_UPDATE_COMMAND}\` and say so in the PR.`
  );
}

function stackFix(stack: string, count: number): string {
  return (
    `stack ${stack} disappeared (${count} locked ${count === 1 ? 'address' : 'addresses'}): its state would no longer be planned. ` +
    `If the stack was renamed, keep its old name (the name is the state key); if it is deliberately removed, ` +
    `run \`${LOCK_UPDATE_COMMAND}\` and say so in the PR.`
  );
}

/**
 * Moved blocks of one synthesized stack that Terraform would refuse (two to one address, two from one, a
 * cycle, a move from a declared address), one message each. Synth refuses them already; this catches
 * output written by other means (a hand edit, an older synth).
 */
export function stackMoveProblems(stack: string, json: CdkTfJson): string[] {
  const where = `stack ${stack}`;
  const declared = new Map<string, string>();
  for (const mode of ['managed', 'data'] as const) {
    for (const address of elementsOf(json, mode, where).keys()) declared.set(address, where);
  }
  const moves = movedBlocks(json, where).map((m, i) => ({ ...m, where: `${where}: moved[${i}]` }));
  return moveProblems(moves, declared).map(formatMoveProblem);
}

/**
 * Checks the current app against the lock. A locked address that is gone without a covering moved block,
 * or a locked stack that is gone, is a violation; new stacks and addresses are additions (ok).
 */
export function checkLock(lock: AddressLock, current: Readonly<Record<string, CdkTfJson>>): LockCheck {
  const violations: LockViolation[] = [];
  const additions: LockAddition[] = [];
  const renames: { stack: string; from: string; to: string }[] = [];
  const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

  for (const stack of Object.keys(lock.stacks).sort()) {
    const locked = lock.stacks[stack];
    if (!has(current, stack)) {
      violations.push({ stack, fix: stackFix(stack, locked.length) });
      continue;
    }
    const json = current[stack];
    const now = new Set(addressesOf(json));
    for (const problem of stackMoveProblems(stack, json)) violations.push({ stack, fix: problem });
    const movedFrom = new Map<string, string>();
    for (const m of movedBlocks(json, `stack ${stack}`)) {
      const from = configAddress(m.from);
      // First moved block for an address wins; Terraform rejects two moves from one address anyway.
      if (!movedFrom.has(from)) movedFrom.set(from, configAddress(m.to));
    }
    const lockedSet = new Set(locked);
    for (const address of locked) {
      if (now.has(address)) continue;
      // Follow a chain (old -> older rename -> new) to where it ends; cycles are reported above.
      let to = movedFrom.get(address);
      for (
        let hops = 0;
        to !== undefined && !now.has(to) && movedFrom.has(to) && hops < movedFrom.size;
        hops++
      )
        to = movedFrom.get(to);
      if (to === undefined) violations.push({ stack, address, fix: addressFix(stack, address) });
      else if (!now.has(to)) violations.push({ stack, address, fix: danglingMoveFix(stack, address, to) });
      else renames.push({ stack, from: address, to });
    }
    for (const address of now) if (!lockedSet.has(address)) additions.push({ stack, address });
  }
  for (const stack of Object.keys(current).sort()) {
    if (!has(lock.stacks, stack)) additions.push({ stack });
  }
  additions.sort((a, b) =>
    a.stack === b.stack ? (a.address ?? '').localeCompare(b.address ?? '') : a.stack.localeCompare(b.stack),
  );
  return { ok: violations.length === 0, violations, additions, renames };
}

/** A plain-text report of a check, for a CLI: violations first, then what lock:update would record. */
export function formatLockCheck(result: LockCheck): string {
  const lines: string[] = [];
  for (const v of result.violations) lines.push(`error: ${v.fix}`);
  const newStacks = result.additions.filter((a) => a.address === undefined);
  const newAddresses = result.additions.filter((a) => a.address !== undefined);
  if (newStacks.length) lines.push(`new stacks: ${newStacks.map((a) => a.stack).join(', ')}`);
  for (const a of newAddresses) lines.push(`new address: stack ${a.stack}: ${a.address}`);
  for (const r of result.renames) lines.push(`renamed: stack ${r.stack}: ${r.from} -> ${r.to}`);
  if (result.ok && (result.additions.length || result.renames.length)) {
    lines.push(`the lock is out of date (no destroys): run \`${LOCK_UPDATE_COMMAND}\` to record the changes`);
  }
  if (result.ok && !result.additions.length && !result.renames.length) lines.push('addresses match the lock');
  return `${lines.join('\n')}\n`;
}
