import { describe, expect, it } from 'vitest';
import {
  diffValues,
  formatChange,
  formatPath,
  leavesOf,
  mergeMarks,
  renderValue,
} from '../../../lib/review/value-diff';

const lines = (b: unknown, a: unknown, marks = {}): string[] =>
  diffValues(b, a, marks).map((c) => {
    const { sign, text } = formatChange(c);
    return `${sign} ${text}`;
  });

describe('formatPath', () => {
  it('prints Terraform-style paths', () => {
    expect(formatPath(['spec', 0, 'template', 0, 'metadata', 0, 'labels', 'app.kubernetes.io/name'])).toBe(
      'spec[0].template[0].metadata[0].labels["app.kubernetes.io/name"]',
    );
    expect(formatPath(['.dockerconfigjson'])).toBe('[".dockerconfigjson"]');
  });
});

describe('diffValues', () => {
  it('reports changed, added and removed leaves; null, absent and empty are all "not set"', () => {
    expect(lines({ a: 1, b: 'x', c: null, d: [], e: {} }, { a: 2, c: 'new', d: null, f: true })).toEqual([
      '~ a: 1 -> 2',
      '- b: "x"',
      '+ c: "new"',
      '+ f: true',
    ]);
  });

  it('compares lists index by index and recurses into nested blocks', () => {
    expect(lines({ l: [{ n: 1 }, { n: 2 }] }, { l: [{ n: 1 }, { n: 3 }, { n: 4 }] })).toEqual([
      '~ l[1].n: 2 -> 3',
      '+ l[2].n: 4',
    ]);
  });

  it('shows a kind change as the old leaves going and the new ones coming', () => {
    expect(lines({ v: 'a' }, { v: ['a', 'b'] })).toEqual(['- v: "a"', '+ v[0]: "a"', '+ v[1]: "b"']);
  });

  it('masks sensitive values: a nested leaf, a whole value, a value that becomes sensitive', () => {
    expect(
      lines(
        { o: { p: 'old', u: 1 } },
        { o: { p: 'new', u: 2 } },
        { beforeSensitive: { o: { p: true } }, afterSensitive: { o: { p: true } } },
      ),
    ).toEqual(['~ o.p: (sensitive) -> (sensitive)', '~ o.u: 1 -> 2']);
    expect(
      lines({ s: 'same' }, { s: 'same' }, { beforeSensitive: { s: true }, afterSensitive: { s: true } }),
    ).toEqual([]);
    expect(lines('a', 'b', { beforeSensitive: true, afterSensitive: true })).toEqual([
      '~ (value): (sensitive) -> (sensitive)',
    ]);
    expect(lines({ s: 'x' }, { s: 'x' }, { afterSensitive: { s: true } })).toEqual([
      '~ s: "x" -> (sensitive)',
    ]);
    expect(lines({ m: { k: 'v1' } }, { m: { k: 'v2' } }, { afterSensitive: { m: true } })).toEqual([
      '~ m: {"k":"v1"} -> (sensitive)',
    ]);
  });

  it('renders unknown values as (known after apply), including attributes absent from after', () => {
    expect(lines({ id: 'x', n: 1 }, { n: 1 }, { afterUnknown: { id: true } })).toEqual([
      '~ id: "x" -> (known after apply)',
    ]);
    expect(lines(null, { name: 'a' }, { afterUnknown: { uid: true, meta: [{ v: true }] } })).toEqual([
      '+ name: "a"',
      '+ uid: (known after apply)',
      '+ meta[0].v: (known after apply)',
    ]);
  });

  it('never renders a sensitive subtree inside a compound value', () => {
    expect(renderValue({ user: 'u', password: 'hunter2' }, { password: true })).toBe(
      '{"user":"u","password":"(sensitive)"}',
    );
    expect(leavesOf({ a: { b: 'secret-b' } }, { a: true })).toEqual([{ path: ['a'], value: '(sensitive)' }]);
  });

  it('cuts long values', () => {
    const [c] = diffValues({ v: 'x'.repeat(500) }, { v: 'y' });
    expect(c.before?.length).toBe(200);
    expect(c.before?.endsWith('…')).toBe(true);
  });
});

describe('mergeMarks', () => {
  it('marks a leaf when either side marks it', () => {
    expect(mergeMarks({ a: true }, { b: [false, true] })).toEqual({ a: true, b: [false, true] });
    expect(mergeMarks(true, { b: true })).toBe(true);
    expect(mergeMarks(undefined, { b: true })).toEqual({ b: true });
  });
});
