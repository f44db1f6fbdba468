// Moved blocks Terraform would refuse are refused at synth (a ConfigError naming the block), in the lock
// check and in the synth diff; a rename during the adoption window is a chain (renamedFrom).
import { describe, expect, it } from 'vitest';
import type { Construct } from 'constructs';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { movedFrom, named, renamedFrom } from '../../../lib/terraform/addresses';
import { moveProblems, type MoveStatement } from '../../../lib/terraform/moves';
import { checkLock, stackMoveProblems } from '../../../lib/review/address-lock';
import { expectConfigError, synth, testStack } from '../../support/synth';

const cm = (scope: Construct, name: string) => named(scope, ConfigMap, name, { metadata: { name } });
const LEGACY = 'module.ingress.kubernetes_config_map.proxied-ingress';

describe('moved blocks Terraform refuses are refused at synth', () => {
  it('two moves to one address (the rename the lock message used to suggest)', () => {
    const s = testStack('dup-to');
    const web = cm(s, 'web');
    movedFrom(web, LEGACY);
    movedFrom(web, 'kubernetes_config_map.ingress');
    const err = expectConfigError(() => synth(s));
    expect(err.constructPath).toBe('dup-to/web/moved-from:kubernetes_config_map.ingress');
    expect(err.message).toBe(
      'dup-to/web/moved-from:kubernetes_config_map.ingress: invalid moved from = "kubernetes_config_map.ingress"; ' +
        `allowed: one source per destination: kubernetes_config_map.web already moves from ${LEGACY} ` +
        `(dup-to/web/moved-from:${LEGACY}); Terraform refuses two ("Ambiguous move statements"). ` +
        'To rename a resource that already moves from a module address, chain the moves with ' +
        "renamedFrom(resource, 'kubernetes_config_map.ingress') instead of movedFrom " +
        '(docs/adopting-a-terragrunt-stack.md#renaming-during-adoption)',
    );
  });

  it('two moves from one address', () => {
    const s = testStack('dup-from');
    movedFrom(cm(s, 'a'), 'kubernetes_config_map.old');
    movedFrom(cm(s, 'b'), 'kubernetes_config_map.old');
    const err = expectConfigError(() => synth(s));
    expect(err.message).toBe(
      'dup-from/b/moved-from:kubernetes_config_map.old: invalid moved from = "kubernetes_config_map.old"; ' +
        'allowed: one destination per source: kubernetes_config_map.old already moves to kubernetes_config_map.a ' +
        '(dup-from/a/moved-from:kubernetes_config_map.old); Terraform refuses two ("Ambiguous move statements"). ' +
        'Keep one moved block from it',
    );
  });

  it('a move from an address the stack still declares', () => {
    const s = testStack('still');
    cm(s, 'b');
    movedFrom(cm(s, 'a'), 'kubernetes_config_map.b');
    const err = expectConfigError(() => synth(s));
    expect(err.message).toBe(
      'still/a/moved-from:kubernetes_config_map.b: invalid moved from = "kubernetes_config_map.b"; ' +
        'allowed: an address the stack no longer declares: kubernetes_config_map.b is still declared by still/b ' +
        '(Terraform: "Moved object still exists")',
    );
  });

  it('a cycle (hand-written output: through the API a chain always ends at a declared resource)', () => {
    const problems = moveProblems(
      [
        { from: 'x.a', to: 'x.b', where: 'one' },
        { from: 'x.b', to: 'x.c', where: 'two' },
        { from: 'x.c', to: 'x.a', where: 'three' },
        { from: 'x.d', to: 'x.e', where: 'four' },
      ],
      new Map([['x.e', 'e']]),
    );
    expect(problems.map((p) => [p.kind, p.statement.where, p.value, p.allowed])).toEqual([
      [
        'cycle',
        'one',
        'x.b',
        'a chain that ends at a declared resource; these moves form a cycle: x.a -> x.b -> x.c -> x.a ' +
          '(Terraform: "Cyclic dependency in move statements")',
      ],
    ]);
  });

  it('a move to itself', () => {
    const [p] = moveProblems([{ from: 'x.a', to: 'x.a', where: 'w' }], new Map());
    expect(p.kind).toBe('redundant');
    expect(p.allowed).toContain('"Redundant move statement"');
  });

  it('renamedFrom refuses an instance key and a repeated address', () => {
    const s = testStack('rn');
    const a = cm(s, 'a');
    expect(expectConfigError(() => renamedFrom(a, 'kubernetes_config_map.x[0]')).message).toBe(
      'rn/a: invalid renamed from = "kubernetes_config_map.x[0]"; allowed: a resource address without an instance key, such as type.name',
    );
    renamedFrom(a, 'kubernetes_config_map.x');
    expect(expectConfigError(() => renamedFrom(a, 'kubernetes_config_map.x')).message).toBe(
      'rn/a: invalid renamed from = "kubernetes_config_map.x"; allowed: an address not already in its rename history (kubernetes_config_map.x)',
    );
  });
});

describe('a rename during the adoption window is a chain', () => {
  it('renamedFrom re-points the legacy module move at the oldest address, renames chain oldest first', () => {
    const s = testStack('chain');
    const web = cm(s, 'web');
    movedFrom(web, LEGACY);
    renamedFrom(web, 'kubernetes_config_map.ingress');
    renamedFrom(web, 'kubernetes_config_map.site');
    expect(synth(s).moved).toEqual([
      { from: LEGACY, to: 'kubernetes_config_map.ingress' },
      { from: 'kubernetes_config_map.ingress', to: 'kubernetes_config_map.site' },
      { from: 'kubernetes_config_map.site', to: 'kubernetes_config_map.web' },
    ]);
  });

  it('the lock check accepts the chain as a rename and refuses two moves to one address', () => {
    const lock = { version: 1 as const, stacks: { s: ['kubernetes_config_map.ingress'] } };
    const resource = { kubernetes_config_map: { web: {} } };
    const chain = {
      resource,
      moved: [
        { from: LEGACY, to: 'kubernetes_config_map.ingress' },
        { from: 'kubernetes_config_map.ingress', to: 'kubernetes_config_map.web' },
      ],
    };
    const ok = checkLock(lock, { s: chain });
    expect(ok.ok).toBe(true);
    expect(ok.renames).toEqual([
      { stack: 's', from: 'kubernetes_config_map.ingress', to: 'kubernetes_config_map.web' },
    ]);

    const ambiguous = {
      resource,
      moved: [
        { from: LEGACY, to: 'kubernetes_config_map.web' },
        { from: 'kubernetes_config_map.ingress', to: 'kubernetes_config_map.web' },
      ],
    };
    const bad = checkLock(lock, { s: ambiguous });
    expect(bad.ok).toBe(false);
    expect(bad.violations.map((v) => v.fix)).toEqual(stackMoveProblems('s', ambiguous));
    expect(bad.violations[0].fix).toMatch(
      /^stack s: moved\[1\]: invalid moved from = "kubernetes_config_map.ingress"; allowed: one source per destination/,
    );
  });

  it('the lock message for a vanished address points at renamedFrom and its docs', () => {
    const check = checkLock(
      { version: 1, stacks: { s: ['kubernetes_config_map.ingress'] } },
      { s: { resource: { kubernetes_config_map: { web: {} } } } },
    );
    expect(check.violations[0].fix).toContain(
      "renamedFrom(resource, 'kubernetes_config_map.ingress') to chain the moves (docs/adopting-a-terragrunt-stack.md#renaming-during-adoption)",
    );
  });

  it('pure check: a chain is fine', () => {
    const chain: MoveStatement[] = [
      { from: 'module.m.x.a', to: 'x.old', where: '1' },
      { from: 'x.old', to: 'x.new', where: '2' },
    ];
    expect(moveProblems(chain, new Map([['x.new', 'n']]))).toEqual([]);
  });
});
