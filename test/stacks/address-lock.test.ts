// The address lock over the real registry: every stack is synthesized (through test/support/synth.ts,
// shared with the stack tests of the same worker) and checked against the committed addresses.lock.json.
// A failure prints the stack, the address and the fix; `npm run lock:update` rewrites the lock on purpose.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LockCheck, checkLock, formatLockCheck, parseLock } from '../../lib/review/address-lock';
import { REPO_ROOT } from '../../lib/core/paths';
import type { CdkTfJson } from '../../lib/terraform/tf-json';
import { lockCheckFailure } from '../../tools/cli/lock-update';
import { STACKS } from '../../stacks';
import { synthDefinition } from '../support/synth';

describe('addresses.lock.json', () => {
  let result: LockCheck;

  beforeAll(() => {
    const file = path.join(REPO_ROOT, 'addresses.lock.json');
    const lock = parseLock(fs.readFileSync(file, 'utf8'), file);
    const current: Record<string, CdkTfJson> = {};
    for (const def of STACKS) current[def.name] = synthDefinition(def) as unknown as CdkTfJson;
    result = checkLock(lock, current);
  });

  it('no locked address disappears without a moved block (a destroy of state)', () => {
    if (!result.ok) expect.fail(formatLockCheck({ ...result, additions: [], renames: [] }));
  });

  it('lists every synthesized stack and address (new ones: run `npm run lock:update`)', () => {
    if (result.ok) {
      const failure = lockCheckFailure(result);
      if (failure !== undefined) expect.fail(failure);
    }
    expect(result.additions.length + result.renames.length + result.violations.length).toBe(0);
  });
});
