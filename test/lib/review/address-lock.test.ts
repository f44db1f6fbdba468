import { describe, expect, it } from 'vitest';
import {
  LockFormatError,
  addressesOf,
  buildLock,
  checkLock,
  formatLockCheck,
  parseLock,
  serializeLock,
} from '../../../lib/review/address-lock';
import type { CdkTfJson } from '../../../lib/terraform/tf-json';

const stackJson = (resources: Record<string, string[]>, extra: Record<string, unknown> = {}): CdkTfJson => {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const [type, names] of Object.entries(resources)) {
    resource[type] = Object.fromEntries(
      names.map((n) => [n, { '//': { metadata: { path: n } }, metadata: { name: n } }]),
    );
  }
  return {
    '//': { metadata: {} },
    terraform: {},
    data: { vault_kv_secret_v2: { viktor: { mount: 'secret' } } },
    resource,
    ...extra,
  };
};

const base = {
  tts: stackJson({
    kubernetes_deployment: ['chatterbox'],
    kubernetes_namespace: ['tts'],
    kubernetes_service: ['chatterbox'],
  }),
  forgejo: stackJson({ kubernetes_namespace: ['forgejo'] }),
};

describe('addressesOf / buildLock / serializeLock', () => {
  it('lists resource addresses only (data sources hold no state), sorted', () => {
    expect(addressesOf(base.tts)).toEqual([
      'kubernetes_deployment.chatterbox',
      'kubernetes_namespace.tts',
      'kubernetes_service.chatterbox',
    ]);
    expect(addressesOf({})).toEqual([]);
  });

  it('builds a stable lock file', () => {
    const lock = buildLock(base);
    expect(lock).toEqual({
      version: 1,
      stacks: {
        forgejo: ['kubernetes_namespace.forgejo'],
        tts: [
          'kubernetes_deployment.chatterbox',
          'kubernetes_namespace.tts',
          'kubernetes_service.chatterbox',
        ],
      },
    });
    const text = serializeLock(lock);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text).stacks)).toEqual(['forgejo', 'tts']);
    expect(parseLock(text)).toEqual(lock);
  });

  it('parseLock refuses a bad lock file with one clear message', () => {
    expect(() => parseLock('{')).toThrow(LockFormatError);
    expect(() => parseLock('{')).toThrow(/^addresses\.lock\.json: invalid JSON/);
    expect(() => parseLock('{"version":2,"stacks":{}}')).toThrow(
      'addresses.lock.json: unsupported version 2 (expected 1)',
    );
    expect(() => parseLock('{"version":1,"stacks":{"a":[1]}}')).toThrow(
      'stacks.a must be a list of address strings',
    );
  });
});

describe('checkLock', () => {
  const lock = buildLock(base);

  it('passes when nothing changed', () => {
    const r = checkLock(lock, base);
    expect(r).toEqual({ ok: true, violations: [], additions: [], renames: [] });
    expect(formatLockCheck(r)).toBe('addresses match the lock\n');
  });

  it('fails when an address disappears without a moved block, saying how to fix it', () => {
    const current = {
      ...base,
      tts: stackJson({
        kubernetes_deployment: ['tts_chatterbox'],
        kubernetes_namespace: ['tts'],
        kubernetes_service: ['chatterbox'],
      }),
    };
    const r = checkLock(lock, current);
    expect(r.ok).toBe(false);
    expect(r.violations).toEqual([
      {
        stack: 'tts',
        address: 'kubernetes_deployment.chatterbox',
        fix:
          'stack tts: address kubernetes_deployment.chatterbox disappeared without a moved block. If this is a rename, ' +
          "add a moved block from it: movedFrom(resource, 'kubernetes_deployment.chatterbox'), or, when the resource " +
          "already moves from a legacy module address, renamedFrom(resource, 'kubernetes_deployment.chatterbox') to " +
          'chain the moves (docs/adopting-a-terragrunt-stack.md#renaming-during-adoption); ' +
          'if it is a deliberate destroy, run `npm run lock:update` ' +
          'and say so in the PR.',
      },
    ]);
    expect(r.additions).toEqual([{ stack: 'tts', address: 'kubernetes_deployment.tts_chatterbox' }]);
    expect(formatLockCheck(r)).toMatch(
      /^error: stack tts: address kubernetes_deployment\.chatterbox disappeared/,
    );
  });

  it('passes a rename that comes with a moved block (also from an indexed address)', () => {
    const current = {
      ...base,
      tts: stackJson(
        {
          kubernetes_deployment: ['tts_chatterbox'],
          kubernetes_namespace: ['namespace'],
          kubernetes_service: ['chatterbox'],
        },
        {
          moved: [
            { from: 'kubernetes_deployment.chatterbox', to: 'kubernetes_deployment.tts_chatterbox' },
            { from: 'kubernetes_namespace.tts[0]', to: 'kubernetes_namespace.namespace' },
          ],
        },
      ),
    };
    const r = checkLock(lock, current);
    expect(r.ok).toBe(true);
    expect(r.renames).toEqual([
      { stack: 'tts', from: 'kubernetes_deployment.chatterbox', to: 'kubernetes_deployment.tts_chatterbox' },
      { stack: 'tts', from: 'kubernetes_namespace.tts', to: 'kubernetes_namespace.namespace' },
    ]);
    expect(formatLockCheck(r)).toContain('run `npm run lock:update` to record the changes');
  });

  it('fails when the moved block points at an address that does not exist', () => {
    const current = {
      ...base,
      tts: stackJson(
        { kubernetes_namespace: ['tts'], kubernetes_service: ['chatterbox'] },
        { moved: [{ from: 'kubernetes_deployment.chatterbox', to: 'kubernetes_deployment.typo' }] },
      ),
    };
    const r = checkLock(lock, current);
    expect(r.ok).toBe(false);
    expect(r.violations[0].fix).toContain(
      'its moved block points to kubernetes_deployment.typo, which is not a resource of the stack',
    );
  });

  it('reports new addresses and new stacks as additions (ok, lock:update suggested)', () => {
    const current = {
      ...base,
      forgejo: stackJson({ kubernetes_namespace: ['forgejo'], kubernetes_deployment: ['forgejo'] }),
      newstack: stackJson({ kubernetes_namespace: ['n'] }),
    };
    const r = checkLock(lock, current);
    expect(r.ok).toBe(true);
    expect(r.additions).toEqual([
      { stack: 'forgejo', address: 'kubernetes_deployment.forgejo' },
      { stack: 'newstack' },
    ]);
    const text = formatLockCheck(r);
    expect(text).toContain('new stacks: newstack');
    expect(text).toContain('new address: stack forgejo: kubernetes_deployment.forgejo');
    expect(text).toContain('npm run lock:update');
  });

  it('fails when a whole stack disappears', () => {
    const r = checkLock(lock, { tts: base.tts });
    expect(r.ok).toBe(false);
    expect(r.violations).toEqual([
      { stack: 'forgejo', fix: expect.stringMatching(/^stack forgejo disappeared \(1 locked address\)/) },
    ]);
    expect(r.violations[0].fix).toContain('npm run lock:update');
  });

  // Speed is a benchmark's job (docs/performance.md), not a timed test's: this checks the worst case at the
  // tree's size is handled completely.
  it('handles the whole tree: 154 stacks x 50 resources, each with a rename and a drop', () => {
    const app: Record<string, CdkTfJson> = {};
    for (let s = 0; s < 154; s++) {
      const names = Array.from({ length: 50 }, (_, i) => `r${i}`);
      app[`stack${s}`] = stackJson({
        kubernetes_deployment: names.slice(0, 25),
        kubernetes_service: names.slice(25),
      });
    }
    const big = buildLock(app);
    // Every stack renames one resource with a moved block and drops another: the worst case does real work.
    const current: Record<string, CdkTfJson> = {};
    for (let s = 0; s < 154; s++) {
      const names = Array.from({ length: 50 }, (_, i) => `r${i}`);
      current[`stack${s}`] = stackJson(
        { kubernetes_deployment: ['renamed', ...names.slice(1, 25)], kubernetes_service: names.slice(26) },
        { moved: [{ from: 'kubernetes_deployment.r0', to: 'kubernetes_deployment.renamed' }] },
      );
    }
    const r = checkLock(big, current);
    expect(r.violations).toHaveLength(154);
    expect(r.renames).toHaveLength(154);
  });
});
