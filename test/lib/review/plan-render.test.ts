import { describe, expect, it } from 'vitest';
import {
  PLAN_COMMENT_MARKER,
  PlanFormatError,
  type StackPlan,
  type TerraformPlan,
  classifyActions,
  parsePlan,
  renderPlanComment,
  renderPlanComments,
  summarizeStack,
  validatePlan,
} from '../../../lib/review/plan-render';
import { COMMENT_LIMIT } from '../../../lib/core/markdown';
import { FIXTURE_SECRETS, bigPlan, mixedPlan, ns, plan, rc } from '../../fixtures/plans/plans';

const asPlan = (o: object): TerraformPlan => validatePlan(JSON.parse(JSON.stringify(o)), 'test.json');
const stack = (name: string, o: object): StackPlan => ({ stack: name, plan: asPlan(o) });

/** Checks that a comment body is self-contained: balanced <details> and code fences. */
function expectWellFormed(body: string): void {
  expect(body.split('<details>').length).toBe(body.split('</details>').length);
  const fences = body.split('\n').filter((l) => /^```/.test(l));
  expect(fences.length % 2).toBe(0);
}

describe('parsePlan / validatePlan', () => {
  it('accepts a 1.x plan', () => {
    expect(parsePlan(JSON.stringify(mixedPlan()), 'tts.json').format_version).toBe('1.2');
    expect(
      parsePlan(JSON.stringify({ format_version: '1.0', planned_values: {} }), 'x.json').resource_changes,
    ).toBeUndefined();
  });

  it('rejects invalid JSON naming the file', () => {
    expect(() => parsePlan('{"format_version": ', 'tts.json')).toThrow(PlanFormatError);
    expect(() => parsePlan('{"format_version": ', 'tts.json')).toThrow(/^tts\.json: invalid JSON/);
  });

  it('rejects an unknown format_version major, or none', () => {
    expect(() =>
      parsePlan(JSON.stringify({ format_version: '2.0', resource_changes: [] }), 'a.json'),
    ).toThrow('a.json: unsupported format_version "2.0" (this tool reads 1.x)');
    expect(() => parsePlan(JSON.stringify({ format_version: '0.2' }), 'a.json')).toThrow(
      /unsupported format_version "0.2"/,
    );
    expect(() => parsePlan(JSON.stringify({ resource_changes: [] }), 'a.json')).toThrow(/no format_version/);
    expect(() => parsePlan('[]', 'a.json')).toThrow(/not a terraform show -json plan/);
  });

  it('rejects a state file and malformed resource_changes', () => {
    expect(() => parsePlan(JSON.stringify({ format_version: '1.0', values: {} }), 's.json')).toThrow(
      /state, not a plan/,
    );
    expect(() =>
      parsePlan(JSON.stringify({ format_version: '1.2', resource_changes: {} }), 'p.json'),
    ).toThrow(/resource_changes is not a list/);
    const noActions = {
      format_version: '1.2',
      resource_changes: [{ address: 'a.b', type: 'a', name: 'b', change: {} }],
    };
    expect(() => parsePlan(JSON.stringify(noActions), 'p.json')).toThrow(
      /resource_changes\[0\] \(a\.b\): change\.actions/,
    );
  });
});

describe('classifyActions', () => {
  it('tells the two replace orders apart', () => {
    expect(classifyActions(['delete', 'create'])).toEqual({
      action: 'replace',
      replaceOrder: 'destroy-before-create',
    });
    expect(classifyActions(['create', 'delete'])).toEqual({
      action: 'replace',
      replaceOrder: 'create-before-destroy',
    });
    expect(classifyActions(['no-op']).action).toBe('no-op');
    expect(classifyActions(['read']).action).toBe('read');
    expect(classifyActions(['update', 'delete']).action).toBe('other');
  });
});

describe('summarizeStack', () => {
  const s = summarizeStack('tts', asPlan(mixedPlan()));

  it('counts each kind; no-ops and reads count nowhere', () => {
    expect(s.counts).toEqual({ add: 1, change: 3, destroy: 1, replace: 2, move: 1, import: 1 });
    expect(s.resources.map((r) => r.address)).not.toContain('kubernetes_service.quiet');
    expect(s.resources.find((r) => r.address === 'data.vault_kv_secret_v2.viktor')?.action).toBe('read');
  });

  it('records moves, imports, reasons and stateful destroys', () => {
    const byAddr = new Map(s.resources.map((r) => [r.address, r]));
    expect(byAddr.get('kubernetes_ingress_v1.ingress')?.movedFrom).toBe(
      'module.ingress.kubernetes_ingress_v1.proxied-ingress',
    );
    expect(byAddr.get('cloudflare_record.tts')?.importId).toBe('z1/rec123');
    expect(byAddr.get('kubernetes_persistent_volume_claim.old_data')?.stateful).toBe(
      'persistent volume claim',
    );
    expect(byAddr.get('kubernetes_persistent_volume_claim.models')?.reason).toBe(
      'an attribute cannot be updated in place',
    );
    expect(byAddr.get('kubernetes_config_map.settings')?.stateful).toBeUndefined();
  });

  it('shows attribute changes as path: old -> new, marking what forces replacement', () => {
    const models = s.resources.find((r) => r.address === 'kubernetes_persistent_volume_claim.models');
    expect(models?.lines).toContainEqual({
      sign: '~',
      text: 'spec[0].storage_class_name: "nfs" -> "local-path"',
      forcesReplacement: true,
    });
    expect(models?.lines).toContainEqual({ sign: '~', text: 'id: "tts/models" -> (known after apply)' });
    const dep = s.resources.find((r) => r.address === 'kubernetes_deployment.chatterbox');
    expect(dep?.lines.map((l) => l.text)).toEqual([
      'metadata[0].resource_version: (known after apply)',
      'spec[0].replicas: "1" -> "2"',
      'spec[0].template[0].spec[0].container[0].image: "ghcr.io/x/chatterbox:1.0" -> "ghcr.io/x/chatterbox:1.1"',
      'spec[0].template[0].spec[0].container[0].env[1].value: (sensitive) -> (sensitive)',
    ]);
  });

  it('lists key attributes for creates and deletes', () => {
    const created = s.resources.find((r) => r.address === 'kubernetes_namespace.tts');
    expect(created?.lines.map((l) => `${l.sign} ${l.text}`)).toEqual(['+ metadata[0].name: "tts"']);
    const deleted = s.resources.find((r) => r.address === 'kubernetes_persistent_volume_claim.old_data');
    expect(deleted?.lines.map((l) => l.text)).toContain('metadata[0].name: "old-data"');
    expect(deleted?.lines.every((l) => l.sign === '-')).toBe(true);
  });

  it('a stack without changes (empty, only no-ops, or no resource_changes) says so', () => {
    expect(summarizeStack('a', asPlan(plan([]))).noChanges).toBe(true);
    expect(summarizeStack('b', asPlan({ format_version: '1.2', planned_values: {} })).noChanges).toBe(true);
    const noop = plan([rc('kubernetes_namespace.x', ['no-op'], { before: ns('x'), after: ns('x') })]);
    expect(summarizeStack('c', asPlan(noop)).noChanges).toBe(true);
  });
});

describe('renderPlanComment', () => {
  const body = renderPlanComment([stack('tts', mixedPlan()), stack('empty', plan([]))]);

  it('starts with the hidden marker, then the summary table with a total row', () => {
    expect(body.split('\n')[0]).toBe(PLAN_COMMENT_MARKER);
    expect(body).toContain('| Stack | Add | Change | Destroy | Replace | Move | Import |');
    expect(body).toContain('| `tts` | 1 | 3 | 1 | 2 | 1 | 1 |');
    expect(body).toContain('| `empty` | 0 | 0 | 0 | 0 | 0 | 0 |');
    expect(body).toContain('| **Total** | **1** | **3** | **1** | **2** | **1** | **1** |');
  });

  it('warns about every destroy and replace, with the replace order, before the stack sections', () => {
    const warnings = body.slice(0, body.indexOf('#### '));
    expect(warnings).toContain('> **1 to destroy, 2 to replace**');
    expect(warnings).toMatch(
      /\*\*destroy\*\* `kubernetes_persistent_volume_claim\.old_data` in `tts` — ⚠️ stateful: persistent volume claim/,
    );
    expect(warnings).toContain(
      '**replace** (destroy-before-create) `kubernetes_persistent_volume_claim.models` in `tts`',
    );
    expect(warnings).toContain(
      '**replace** (create-before-destroy) `kubernetes_config_map.settings` in `tts`',
    );
    expect(warnings).toContain('reason: a replace_triggered_by reference changed');
    expect(warnings).not.toContain('kubernetes_deployment.chatterbox');
  });

  it('has one collapsible section per stack; an empty stack says "No changes."', () => {
    expect(body).toContain(
      '#### `tts` — 1 to add, 3 to change, 1 to destroy, 2 to replace, 1 moved, 1 to import',
    );
    expect(body).toContain('<details><summary>10 resource changes</summary>');
    expect(body).toContain('#### `empty`\n\nNo changes.');
    expect(body).toContain(
      '> kubernetes_ingress_v1.ingress  # moved from module.ingress.kubernetes_ingress_v1.proxied-ingress',
    );
    expect(body).toContain('> cloudflare_record.tts  # will be imported (id "z1/rec123")');
    expect(body).toContain(
      '-/+ kubernetes_persistent_volume_claim.models  # must be replaced (destroy-before-create)',
    );
    expect(body).toContain('+/- kubernetes_config_map.settings  # must be replaced (create-before-destroy)');
    expect(body).toContain('~     spec[0].storage_class_name: "nfs" -> "local-path"  # forces replacement');
    expect(body).toContain('<= data.vault_kv_secret_v2.viktor  # will be read during apply');
    expect(body).not.toContain('kubernetes_service.quiet');
    expectWellFormed(body);
  });

  it('never prints a sensitive value (plan marks, nested or whole, and name rules)', () => {
    for (const secret of FIXTURE_SECRETS) expect(body).not.toContain(secret);
    expect(body).toContain('~     data: (sensitive) -> (sensitive)');
    expect(body).toContain('~     options.password: (sensitive) -> (sensitive)');
    expect(body).toContain('~     options.user: "x" -> "y"');
  });

  it('masks whole-value sensitive outputs and shows unknown outputs', () => {
    const p = plan([], {
      output_changes: {
        db_password: {
          actions: ['update'],
          before: 'pw-old-xyz',
          after: 'pw-new-xyz',
          before_sensitive: true,
          after_sensitive: true,
          after_unknown: false,
        },
        endpoint: {
          actions: ['create'],
          before: null,
          after: null,
          before_sensitive: false,
          after_sensitive: false,
          after_unknown: true,
        },
        same: {
          actions: ['no-op'],
          before: 1,
          after: 1,
          before_sensitive: false,
          after_sensitive: false,
          after_unknown: false,
        },
      },
    });
    const out = renderPlanComment([stack('o', p)]);
    expect(out).not.toContain('pw-old-xyz');
    expect(out).not.toContain('pw-new-xyz');
    expect(out).toContain('~ output.db_password: (sensitive) -> (sensitive)');
    expect(out).toContain('+ output.endpoint: (known after apply)');
    expect(out).not.toContain('output.same');
    expect(out).not.toContain('No changes.');
  });

  it('says so when nothing changes anywhere', () => {
    const out = renderPlanComment([stack('a', plan([])), stack('b', plan([]))]);
    expect(out).toContain('2 stacks planned: no changes.');
    expect(out).toContain('No resource will be destroyed or replaced.');
  });

  it('keeps the stacks in the order given and sums the totals', () => {
    const out = renderPlanComment([stack('zeta', bigPlan(2, 1, 'z')), stack('alpha', bigPlan(3, 0, 'a'))]);
    expect(out.indexOf('#### `zeta`')).toBeLessThan(out.indexOf('#### `alpha`'));
    expect(out).toContain('| **Total** | **0** | **5** | **1** | **0** | **0** | **0** |');
  });

  it('refuses the same stack twice', () => {
    expect(() => renderPlanComment([stack('a', plan([])), stack('a', plan([]))])).toThrow(
      /stack "a" is given twice/,
    );
  });

  it('escapes odd stack names and addresses with backticks', () => {
    const p = plan([rc('null_resource.x["a`b"]', ['delete'], { before: { id: '1' } })]);
    const out = renderPlanComment([stack('we|ird', p)]);
    expect(out).toContain('| `we\\|ird` |');
    expect(out).toContain('``null_resource.x["a`b"]``');
  });
});

describe('renderPlanComments (splitting)', () => {
  it('returns a single body when it fits, identical to the unsplit comment', () => {
    const stacks = [stack('tts', mixedPlan())];
    expect(renderPlanComments(stacks)).toEqual([renderPlanComment(stacks)]);
  });

  it('splits a large plan into bodies of at most 65,535 characters; summary and warnings lead the first', () => {
    const stacks = [stack('big', bigPlan(700, 3, 'big')), stack('small', bigPlan(2, 0, 'small'))];
    const bodies = renderPlanComments(stacks);
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    bodies.forEach((b, i) => {
      expect(b.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(b.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true);
      expectWellFormed(b);
      if (i > 0) expect(b).toContain(`(part ${i + 1}/${bodies.length})`);
    });
    expect(bodies[0]).toContain(`### Terraform plan (part 1/${bodies.length})`);
    expect(bodies[0]).toContain('| **Total** | **0** | **702** | **3** |');
    expect(bodies[0]).toContain('**destroy** `kubernetes_persistent_volume_claim.big_data_2` in `big`');
    for (const b of bodies.slice(1)) expect(b).not.toContain('| **Total**');
    // The huge stack is split inside its details, with "(continued)" headers.
    expect(bodies[1]).toContain('#### `big` (continued)');
    // Nothing is lost: every resource appears exactly once across the bodies.
    const seen = bodies.join('').match(/^~ kubernetes_deployment\.big_\d+ {2}#/gm) ?? [];
    expect(seen.length).toBe(700);
    expect(new Set(seen).size).toBe(700);
  });

  it('splits at stack boundaries when every stack fits in a comment', () => {
    const stacks = Array.from({ length: 6 }, (_, i) => stack(`s${i}`, bigPlan(100, 0, `s${i}`)));
    const bodies = renderPlanComments(stacks);
    expect(bodies.length).toBeGreaterThan(1);
    for (const b of bodies) {
      expect(b.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(b).not.toContain('(continued)');
      expectWellFormed(b);
    }
  });

  it('keeps the first body under the limit even with a thousand destroys (the warning list is cut)', () => {
    const bodies = renderPlanComments([stack('doom', bigPlan(0, 1000, 'doom'))]);
    expect(bodies[0].length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(bodies[0]).toMatch(/> - … and \d+ more \(see the stack sections below\)/);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  });

  it('honours a smaller limit', () => {
    const bodies = renderPlanComments([stack('tts', mixedPlan()), stack('big', bigPlan(80, 0, 'b'))], 6_000);
    expect(bodies.length).toBeGreaterThan(2);
    for (const b of bodies) {
      expect(b.length).toBeLessThanOrEqual(6_000);
      expectWellFormed(b);
    }
  });
});
