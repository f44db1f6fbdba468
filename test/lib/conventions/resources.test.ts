import { describe, expect, it } from 'vitest';
import { containerResources } from '../../../lib/conventions/resources';
import { testStack } from '../../support/synth';

describe('containerResources', () => {
  it('passes valid resources through, keeping absent sections absent', () => {
    const s = testStack();
    expect(
      containerResources(s, 'resources', {
        requests: { cpu: '10m', memory: '64Mi' },
        limits: { memory: '192Mi' },
      }),
    ).toEqual({
      requests: { cpu: '10m', memory: '64Mi' },
      limits: { memory: '192Mi' },
    });
    expect(containerResources(s, 'resources', { requests: { cpu: '10m' } })).toEqual({
      requests: { cpu: '10m' },
    });
  });

  it('names the bad quantity and the request above its limit', () => {
    const s = testStack('r');
    expect(() => containerResources(s, 'probe.resources', { requests: { memory: '64MB' } })).toThrow(
      'r: invalid probe.resources.requests.memory = "64MB"',
    );
    expect(() =>
      containerResources(s, 'probe.resources', {
        requests: { memory: '256Mi' },
        limits: { memory: '192Mi' },
      }),
    ).toThrow('r: invalid probe.resources.memory = {"request":"256Mi","limit":"192Mi"}');
  });
});
