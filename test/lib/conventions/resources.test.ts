import { describe, expect, it } from 'vitest';
import { containerResources, fixedMemory } from '../../../lib/conventions/resources';
import { Size } from '../../../lib/core/units';
import { testStack } from '../../support/synth';

describe('containerResources', () => {
  it('renders the tree shape: requests cpu, memory; limits memory, cpu, gpu; absent sections absent', () => {
    const s = testStack();
    expect(
      containerResources(s, 'resources', {
        cpuRequest: '10m',
        memoryRequest: Size.mebibytes(64),
        memoryLimit: '192Mi',
      }),
    ).toEqual({
      requests: { cpu: '10m', memory: '64Mi' },
      limits: { memory: '192Mi' },
    });
    expect(containerResources(s, 'resources', { cpuRequest: '10m' })).toEqual({ requests: { cpu: '10m' } });
    const gpu = containerResources(s, 'resources', { memoryLimit: Size.gibibytes(8), cpuLimit: '2', gpu: 1 });
    expect(gpu).toEqual({ limits: { memory: '8Gi', cpu: '2', 'nvidia.com/gpu': '1' } });
    expect(Object.keys(gpu.limits!)).toEqual(['memory', 'cpu', 'nvidia.com/gpu']);
    expect(containerResources(s, 'resources', {})).toEqual({});
  });

  it('names the bad quantity, the request above its limit and a bad GPU count', () => {
    const s = testStack('r');
    expect(() => containerResources(s, 'probe.resources', { memoryRequest: '64MB' })).toThrow(
      'r: invalid probe.resources.memoryRequest = "64MB"',
    );
    expect(() =>
      containerResources(s, 'probe.resources', { memoryRequest: '256Mi', memoryLimit: '192Mi' }),
    ).toThrow('r: invalid probe.resources.memory = {"request":"256Mi","limit":"192Mi"}');
    expect(() => containerResources(s, 'resources', { gpu: 0 })).toThrow('r: invalid resources.gpu = 0');
  });

  it('fixedMemory: memory request = limit, as most tree containers', () => {
    expect(containerResources(testStack(), 'resources', fixedMemory('10m', Size.mebibytes(64)))).toEqual({
      requests: { cpu: '10m', memory: '64Mi' },
      limits: { memory: '64Mi' },
    });
  });
});
