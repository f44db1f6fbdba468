import { describe, expect, it } from 'vitest';
import { NodeLabels } from '../../../constructs/blocks/node-labels';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

describe('NodeLabels', () => {
  it('one kubernetes_labels instance per node (for_each over the set of names)', () => {
    const s = testStack();
    new NodeLabels(s, 'gateway_nodes', { nodes: ['n2', 'n3'], labels: { 'example.com/gateway': 'true' } });
    expect(resource(synth(s), 'kubernetes_labels', 'gateway_nodes')).toEqual({
      for_each: '${toset(["n2", "n3"])}',
      api_version: 'v1',
      kind: 'Node',
      metadata: { name: '${each.value}' },
      labels: { 'example.com/gateway': 'true' },
    });
  });

  it('addressName sets the Terraform name', () => {
    const s = testStack();
    new NodeLabels(s, 'x', { nodes: ['n1'], labels: { role: 'a' }, addressName: 'workers' });
    expect(resource(synth(s), 'kubernetes_labels', 'workers').labels).toEqual({ role: 'a' });
  });

  it('refuses no nodes, duplicate or bad node names, no labels and a bad label key', () => {
    const make = (nodes: string[], labels: Record<string, string>) => () =>
      new NodeLabels(testStack(), 'l', { nodes, labels });
    expect(expectConfigError(make([], { a: 'b' })).prop).toBe('nodes');
    expect(expectConfigError(make(['n1', 'n1'], { a: 'b' })).prop).toBe('nodes');
    expect(expectConfigError(make(['N_1'], { a: 'b' })).prop).toBe('nodes[0]');
    expect(expectConfigError(make(['n1'], {})).prop).toBe('labels');
    expect(expectConfigError(make(['n1'], { 'bad key!': 'b' })).prop).toBe('labels key');
  });
});
