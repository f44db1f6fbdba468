// Plan analysis of the rehearsal, on plans Terraform 1.11 produced for the fixture cases
// (test/fixtures/rehearsal/plans: `rehearse --keep` of test/support/rehearsal-fixture.ts, trimmed to
// resource_changes). No terraform needed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../lib/review/plan-render';
import {
  analyseRehearsal,
  formatRehearsal,
  formatSummary,
  normalizePath,
  parseReviewed,
  RehearsalFormatError,
  summaryRow,
} from '../../../lib/review/rehearsal';
import { FIXTURE, REVIEWED } from '../../support/rehearsal-fixture';

const plan = (c: string) =>
  parsePlan(fs.readFileSync(path.join(FIXTURE, 'plans', `${c}.json`), 'utf8'), `${c}.json`);
const reviewed = (c: string) =>
  parseReviewed(JSON.stringify(REVIEWED[c as 'reviewed']), `${c}.json`).reviewed;

const MOVES = [
  { from: 'module.site.kubernetes_config_map.settings', to: 'kubernetes_config_map.site_settings' },
  { from: 'kubernetes_config_map.window["down"]', to: 'kubernetes_config_map.window_down' },
  { from: 'kubernetes_config_map.window["up"]', to: 'kubernetes_config_map.window_up' },
];

describe('analyseRehearsal', () => {
  it('clean: every moved block honoured (module call and for_each keys), no change', () => {
    const r = analyseRehearsal('clean', plan('clean'));
    expect(r.moves).toEqual(MOVES);
    expect(r.changes).toEqual([]);
    expect(r.clean).toBe(true);
    expect(summaryRow(r).result).toBe('clean');
  });

  it('changed value: address, moved-from, action, path, tree vs ours', () => {
    const r = analyseRehearsal('changed', plan('changed'));
    expect(r.changes).toEqual([
      {
        address: 'kubernetes_config_map.window_down',
        movedFrom: 'kubernetes_config_map.window["down"]',
        action: 'update',
        path: 'data.direction',
        tree: '"down"',
        ours: '"DOWN"',
        sensitivityOnly: false,
      },
    ]);
    expect(r.clean).toBe(false);
    expect(formatRehearsal(r)).toContain('      data.direction: tree "down" | ours "DOWN"  [UNREVIEWED]');
  });

  it('a reviewed difference makes the same change clean, with its reason', () => {
    const r = analyseRehearsal('reviewed', plan('reviewed'), reviewed('reviewed'));
    expect(r.changes.map((c) => c.reviewed)).toEqual([
      'fixture: upper-case direction is the intended improvement',
    ]);
    expect(r.clean).toBe(true);
    expect(summaryRow(r)).toMatchObject({
      reviewed: 1,
      unreviewed: 0,
      result: 'clean (reviewed differences only)',
    });
  });

  it('a reviewed difference that matches nothing is stale and fails the stack', () => {
    const r = analyseRehearsal('clean', plan('clean'), reviewed('reviewed'));
    expect(r.stale).toHaveLength(1);
    expect(r.clean).toBe(false);
    expect(formatRehearsal(r).join('\n')).toContain(
      'STALE reviewed difference kubernetes_config_map.window_down',
    );
  });

  it('a reviewed entry for another path does not cover the change', () => {
    const other = [
      { address: 'kubernetes_config_map.window_down', paths: ['metadata[0].name'], reason: 'x' },
    ];
    const r = analyseRehearsal('changed', plan('changed'), other);
    expect(r.clean).toBe(false);
    expect(r.stale).toHaveLength(1);
  });

  it('missing moved block: destroy + create of the same type, each with a hint', () => {
    const r = analyseRehearsal('unmoved', plan('unmoved'));
    expect(r.moves).toEqual(MOVES.filter((m) => m.from !== 'kubernetes_config_map.window["up"]'));
    expect(r.changes.map((c) => [c.action, c.address])).toEqual([
      ['delete', 'kubernetes_config_map.window["up"]'],
      ['create', 'kubernetes_config_map.window_up'],
    ]);
    expect(r.changes[0].hint).toBe(
      'destroyed while kubernetes_config_map.window_up is created: missing moved block from kubernetes_config_map.window["up"]?',
    );
    expect(r.clean).toBe(false);
  });

  it('sensitivity-only change: same value, the tree marks it sensitive, ours does not; value masked', () => {
    const r = analyseRehearsal('sensitivity', plan('sensitivity'));
    expect(r.changes).toEqual([
      {
        address: 'kubernetes_config_map.site_settings',
        movedFrom: 'module.site.kubernetes_config_map.settings',
        action: 'update',
        path: 'data.secret',
        tree: '(sensitive)',
        ours: '"tls-secret"',
        sensitivityOnly: true,
      },
    ]);
    const text = formatRehearsal(r).join('\n');
    expect(text).toContain(
      'data.secret: value unchanged, sensitivity only (tree sensitive, ours not sensitive)',
    );
    expect(text).not.toContain('tls-secret');
    expect(summaryRow(r).sensitivityOnly).toBe(1);
  });

  it('summary table has one row per stack', () => {
    const rows = ['clean', 'changed'].map((c) => summaryRow(analyseRehearsal(c, plan(c))));
    expect(formatSummary(rows)).toEqual([
      'stack    moves  changes  reviewed  unreviewed  sens-only  stale  result',
      'clean    3      0        0         0           0          0      clean',
      'changed  3      1        0         1           0          0      NOT CLEAN',
    ]);
  });
});

describe('parseReviewed', () => {
  it('names the file and the entry on a bad entry', () => {
    expect(() => parseReviewed('{"stack":"x","reviewed":[{"address":"a"}]}', 'rehearsal/x.json')).toThrow(
      new RehearsalFormatError('rehearsal/x.json', 'reviewed[0]: needs "address" and a non-empty "reason"'),
    );
    expect(() =>
      parseReviewed('{"stack":"x","reviewed":[{"address":"a","reason":"r","action":"move"}]}', 'f'),
    ).toThrow(/reviewed\[0\]: action must be one of create, update, delete, replace/);
    expect(() => parseReviewed('nope', 'f')).toThrow(/^f: not JSON/);
  });

  it('normalises ["ident"] to .ident for matching', () => {
    expect(normalizePath('data["direction"]')).toBe('data.direction');
    expect(normalizePath('data["cleanup.sh"]')).toBe('data["cleanup.sh"]');
  });

  it('the committed reviewed differences parse and name their stack', () => {
    const dir = path.resolve(__dirname, '..', '..', '..', 'rehearsal');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'results.json')) {
      const r = parseReviewed(fs.readFileSync(path.join(dir, f), 'utf8'), f);
      expect(r.stack).toBe(f.replace(/\.json$/, ''));
      expect(r.reviewed.length).toBeGreaterThan(0);
    }
  });
});
