import { describe, expect, it } from 'vitest';
import { Lazy } from 'cdktf';
import { tokenTracesEnabled, withoutTokenTraces } from '../../../lib/synth/token-traces';
import { synthDefinition } from '../../support/synth';
import tts from '../../../stacks/tts';
import blog from '../../../stacks/blog';

const creationStack = () =>
  (Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] }).creationStack;

describe('withoutTokenTraces', () => {
  it('cdktf records a creation stack per token by default; not inside the call; restored after', () => {
    expect(tokenTracesEnabled()).toBe(true);
    expect(creationStack().length).toBeGreaterThan(0);
    expect(withoutTokenTraces(() => [tokenTracesEnabled(), creationStack()])).toEqual([false, []]);
    expect(tokenTracesEnabled()).toBe(true);
    expect(creationStack().length).toBeGreaterThan(0);
  });

  it('restores the traces when the call throws', () => {
    expect(() =>
      withoutTokenTraces(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tokenTracesEnabled()).toBe(true);
  });

  it('keep = true (SYNTH_DEBUG) leaves them on', () => {
    expect(withoutTokenTraces(() => creationStack().length > 0, true)).toBe(true);
  });

  it('nests: the inner call restores the outer state', () => {
    withoutTokenTraces(() => {
      withoutTokenTraces(() => undefined, true);
      expect(tokenTracesEnabled()).toBe(false);
    });
    expect(tokenTracesEnabled()).toBe(true);
  });

  it('synthesized output is the same with and without traces', () => {
    for (const def of [tts, blog]) {
      // A site override bypasses the per-definition cache: both are fresh synths.
      const traced = synthDefinition(def, {});
      const untraced = withoutTokenTraces(() => synthDefinition(def, {}));
      expect(untraced).toEqual(traced);
    }
  });
});
