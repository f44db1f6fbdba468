// lock:update — records every synthesized resource address per stack in addresses.lock.json (committed),
// so that an address which disappears without a moved block fails the tests (test/stacks/address-lock.test.ts)
// instead of destroying state. See lib/review/address-lock.ts and docs/pr-plans.md.
//
//   npm run lock:update                 synthesize every stack, rewrite addresses.lock.json, say what changed
//   npm run lock:update -- --check      synthesize and compare; exit 1 when the lock is violated or stale
//   [--lock FILE]                       another lock file (default: addresses.lock.json here)
//
// The app is synthesized exactly as `npm run synth` does (tools/cli/synth.ts, into a temporary directory).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type AddressLock,
  type LockCheck,
  LOCK_UPDATE_COMMAND,
  LockFormatError,
  buildLock,
  checkLock,
  formatLockCheck,
  parseLock,
  serializeLock,
} from '../../lib/review/address-lock';
import type { StackDefinition } from '../../lib/synth/stack';
import { readSynthOutput } from '../../lib/synth/synth-output';
import { type CdkTfJson, SynthJsonError } from '../../lib/terraform/tf-json';
import { STACKS } from '../../stacks';
import { runSynth } from '../../lib/synth/synth-run';

process.env.CHECKPOINT_DISABLE ??= '1';

const USAGE = `usage: ${LOCK_UPDATE_COMMAND} [-- --check] [--lock FILE]`;

export interface LockIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: LockIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/**
 * Why a check fails, as text for a test or CLI, or undefined when the lock matches: an address gone
 * without a moved block (or a stack gone) is a violation; new stacks, new addresses and renames mean the
 * lock is stale — also a failure, so the committed lock always lists every address.
 */
export function lockCheckFailure(result: LockCheck): string | undefined {
  if (result.ok && result.additions.length === 0 && result.renames.length === 0) return undefined;
  return formatLockCheck(result);
}

/** Synthesizes `definitions` as `npm run synth` does and reads the result (stack -> cdk.tf.json). */
export function synthesizeApp(definitions: readonly StackDefinition[]): Record<string, CdkTfJson> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-update-'));
  try {
    let errors = '';
    const out = path.join(tmp, 'out');
    const code = runSynth(definitions, ['--outdir', out], {
      stdout: () => undefined,
      stderr: (t) => (errors += t),
      tty: false,
    });
    if (code !== 0) {
      throw new Error(errors.split('\n').find((l) => l.startsWith('synth failed:')) ?? errors.trim());
    }
    return readSynthOutput(out);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** What an update changes in the lock, one line each. */
function changeLines(result: LockCheck): string[] {
  const lines: string[] = [];
  for (const v of result.violations) {
    lines.push(
      v.address === undefined ? `removed stack: ${v.stack}` : `removed: stack ${v.stack}: ${v.address}`,
    );
  }
  for (const r of result.renames) lines.push(`renamed: stack ${r.stack}: ${r.from} -> ${r.to}`);
  for (const a of result.additions) {
    lines.push(a.address === undefined ? `new stack: ${a.stack}` : `new: stack ${a.stack}: ${a.address}`);
  }
  return lines;
}

function countAddresses(lock: AddressLock): number {
  return Object.values(lock.stacks).reduce((n, list) => n + list.length, 0);
}

/** The CLI; returns the exit code (0 ok, 1 lock violated or stale in --check, or an error, 2 bad usage). */
export function runLockUpdate(
  definitions: readonly StackDefinition[],
  argv: readonly string[],
  io: LockIo = processIo,
): number {
  let check = false;
  let lockFile = 'addresses.lock.json';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') check = true;
    else if (a === '-h' || a === '--help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    } else if (a === '--lock' || a.startsWith('--lock=')) {
      const v = a === '--lock' ? argv[++i] : a.slice('--lock='.length);
      if (!v) {
        io.stderr(`lock:update: --lock needs a file (${USAGE})\n`);
        return 2;
      }
      lockFile = v;
    } else {
      io.stderr(`lock:update: unknown argument ${a} (${USAGE})\n`);
      return 2;
    }
  }

  let app: Record<string, CdkTfJson>;
  try {
    app = synthesizeApp(definitions);
  } catch (err) {
    io.stderr(`lock:update: ${(err as Error).message}\n`);
    return 1;
  }

  let old: AddressLock | undefined;
  let oldText: string | undefined;
  let unreadable: string | undefined;
  if (fs.existsSync(lockFile)) {
    oldText = fs.readFileSync(lockFile, 'utf8');
    try {
      old = parseLock(oldText, lockFile);
    } catch (err) {
      if (!(err instanceof LockFormatError)) throw err;
      unreadable = err.message;
    }
  }

  try {
    if (check) {
      if (old === undefined) {
        io.stderr(
          `lock:update: ${unreadable ?? `${lockFile}: missing`}; run \`${LOCK_UPDATE_COMMAND}\` and commit it\n`,
        );
        return 1;
      }
      const result = checkLock(old, app);
      const failure = lockCheckFailure(result);
      if (failure === undefined) {
        io.stdout(`${lockFile}: ${formatLockCheck(result)}`);
        return 0;
      }
      io.stderr(failure);
      return 1;
    }

    const lock = buildLock(app);
    const text = serializeLock(lock);
    if (unreadable) io.stderr(`lock:update: replacing an unreadable lock (${unreadable})\n`);
    if (old) for (const line of changeLines(checkLock(old, app))) io.stdout(`${line}\n`);
    if (oldText === text) {
      io.stdout(
        `${lockFile}: up to date (${Object.keys(lock.stacks).length} stacks, ${countAddresses(lock)} addresses)\n`,
      );
      return 0;
    }
    fs.writeFileSync(lockFile, text);
    io.stdout(
      `wrote ${lockFile} (${Object.keys(lock.stacks).length} stacks, ${countAddresses(lock)} addresses)\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof SynthJsonError) {
      io.stderr(`lock:update: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) process.exitCode = runLockUpdate(STACKS, process.argv.slice(2));
