// lock:update (tools/cli/lock-update.ts) on a synthetic registry, synthesized by the real runner: writes the
// lock, checks it, fails on an address that disappears without a moved block (naming the stack, the address
// and the fix), accepts a moved rename (asking for a lock update), and records deliberate destroys.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { Namespace } from '@cdktf/provider-kubernetes/lib/namespace';
import { PersistentVolumeClaim } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim';
import { parseLock, serializeLock } from '../../../lib/review/address-lock';
import { movedFrom, named } from '../../../lib/terraform/addresses';
import { type StackDefinition, defineStack } from '../../../lib/synth/stack';
import { lockCheckFailure, runLockUpdate } from '../../../tools/cli/lock-update';
import { tempDir } from '../../support/fakes';

const tmp = tempDir('lock-update-');
afterAll(() => tmp.cleanup());

interface Version {
  cm: string;
  movedFromSettings?: boolean;
  pvc: boolean;
}

const media = (v: Version): StackDefinition =>
  defineStack({
    name: 'media',
    description: 'media',
    build: (s) => {
      named(s, Namespace, 'media', { metadata: { name: 'media' } }, 'namespace');
      const cm = named(s, ConfigMap, v.cm, { metadata: { name: 'settings', namespace: 'media' } });
      if (v.movedFromSettings) movedFrom(cm, 'kubernetes_config_map.settings');
      if (v.pvc) {
        named(s, PersistentVolumeClaim, 'data', {
          metadata: { name: 'data', namespace: 'media' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        });
      }
    },
  });
const other = defineStack({
  name: 'other',
  description: 'other',
  build: (s) => void named(s, Namespace, 'other', { metadata: { name: 'other' } }),
});
const original = [media({ cm: 'settings', pvc: true }), other];

function lockUpdate(defs: readonly StackDefinition[], ...args: string[]) {
  const io = { out: '', err: '' };
  const code = runLockUpdate(defs, args, {
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
  });
  return { code, ...io };
}

const lockFile = (name: string) => path.join(tmp.dir, name);

describe('lock:update', () => {
  it('writes a sorted lock of every resource address (no data sources), then reports it up to date', () => {
    const file = lockFile('write.json');
    const r = lockUpdate(original, '--lock', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${file} (2 stacks, 4 addresses)\n`);
    const text = fs.readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual({
      version: 1,
      stacks: {
        media: [
          'kubernetes_config_map.settings',
          'kubernetes_namespace.media',
          'kubernetes_persistent_volume_claim.data',
        ],
        other: ['kubernetes_namespace.other'],
      },
    });
    expect(serializeLock(parseLock(text))).toBe(text);
    expect(lockUpdate(original, `--lock=${file}`).out).toBe(`${file}: up to date (2 stacks, 4 addresses)\n`);
    const check = lockUpdate(original, '--check', '--lock', file);
    expect(check.code).toBe(0);
    expect(check.out).toBe(`${file}: addresses match the lock\n`);
  });

  it('--check fails when an address disappears without a moved block: stack, address and fix', () => {
    const file = lockFile('rename.json');
    lockUpdate(original, '--lock', file);
    const renamed = [media({ cm: 'config', pvc: true }), other];
    const r = lockUpdate(renamed, '--check', '--lock', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'error: stack media: address kubernetes_config_map.settings disappeared without a moved block. ' +
        'If this is a rename, add a moved block from it',
    );
    expect(r.err).toContain('if it is a deliberate destroy, run `npm run lock:update` and say so in the PR.');
    expect(r.err).toContain('new address: stack media: kubernetes_config_map.config');
  });

  it('--check accepts the rename with a moved block as no destroy, but asks for a lock update', () => {
    const file = lockFile('moved.json');
    lockUpdate(original, '--lock', file);
    const moved = [media({ cm: 'config', movedFromSettings: true, pvc: true }), other];
    const r = lockUpdate(moved, '--check', '--lock', file);
    expect(r.err).not.toContain('error:');
    expect(r.err).toContain(
      'renamed: stack media: kubernetes_config_map.settings -> kubernetes_config_map.config',
    );
    expect(r.err).toContain('the lock is out of date (no destroys): run `npm run lock:update`');
    expect(r.code).toBe(1);
    // Recording it makes the check pass.
    expect(lockUpdate(moved, '--lock', file).out).toContain(
      'renamed: stack media: kubernetes_config_map.settings -> kubernetes_config_map.config\n',
    );
    expect(lockUpdate(moved, '--check', '--lock', file).code).toBe(0);
  });

  it('a deliberate destroy is recorded by lock:update and named in its output', () => {
    const file = lockFile('destroy.json');
    lockUpdate(original, '--lock', file);
    const r = lockUpdate([media({ cm: 'settings', pvc: false })], '--lock', file);
    expect(r.code).toBe(0);
    expect(r.out).toContain('removed: stack media: kubernetes_persistent_volume_claim.data\n');
    expect(r.out).toContain('removed stack: other\n');
    expect(parseLock(fs.readFileSync(file, 'utf8')).stacks).toEqual({
      media: ['kubernetes_config_map.settings', 'kubernetes_namespace.media'],
    });
  });

  it('--check reports a new stack as a stale lock', () => {
    const file = lockFile('new-stack.json');
    lockUpdate([other], '--lock', file);
    const r = lockUpdate(original, '--check', '--lock', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('new stacks: media');
    expect(r.err).toContain('run `npm run lock:update`');
  });

  it('a missing or unreadable lock: --check says to run lock:update; lock:update replaces it', () => {
    const missing = lockFile('missing.json');
    const r = lockUpdate(original, '--check', '--lock', missing);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`lock:update: ${missing}: missing; run \`npm run lock:update\` and commit it\n`);

    const conflicted = lockFile('conflict.json');
    fs.writeFileSync(conflicted, '<<<<<<< HEAD\n{"version": 1}\n=======\n');
    const c = lockUpdate(original, '--check', '--lock', conflicted);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(
      /^lock:update: .*conflict\.json: invalid JSON .*; run `npm run lock:update` and commit it\n$/,
    );
    const u = lockUpdate(original, '--lock', conflicted);
    expect(u.code).toBe(0);
    expect(u.err).toMatch(/^lock:update: replacing an unreadable lock \(.*invalid JSON/);
    expect(parseLock(fs.readFileSync(conflicted, 'utf8')).stacks.other).toEqual([
      'kubernetes_namespace.other',
    ]);
  });

  it('a synth failure is one message, exit 1; bad usage exit 2', () => {
    const broken = defineStack({
      name: 'broken',
      description: 'broken',
      build: () => {
        throw new Error('boom');
      },
    });
    const r = lockUpdate([broken], '--lock', lockFile('never.json'));
    expect(r.code).toBe(1);
    expect(r.err).toBe('lock:update: synth failed: stack broken: boom (while declaring the stack)\n');
    expect(fs.existsSync(lockFile('never.json'))).toBe(false);
    const u = lockUpdate(original, '--bogus');
    expect(u.code).toBe(2);
    expect(u.err).toContain('lock:update: unknown argument --bogus');
  });

  it('lockCheckFailure: undefined only when the lock matches exactly', () => {
    const ok = { ok: true, violations: [], additions: [], renames: [] };
    expect(lockCheckFailure(ok)).toBeUndefined();
    expect(lockCheckFailure({ ...ok, additions: [{ stack: 'x' }] })).toContain('new stacks: x');
  });
});
