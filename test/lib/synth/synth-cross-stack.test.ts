import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { named } from '../../../lib/terraform/addresses';
import { defineStack } from '../../../lib/synth/stack';
import { runSynth } from '../../../lib/synth/synth-run';
import { tempDir } from '../../support/fakes';

const tmp = tempDir('cross-stack-');
afterAll(() => tmp.cleanup());

// Why runSynth keeps cdktf's preparing pass (prepareStack) although it costs a resolve of every stack:
// that pass is what finds a cross-stack reference and, through the backend (lib/terraform/backends.ts), refuses it.
// Without it the reference would be synthesized dangling. See docs/performance.md.
describe('a cross-stack reference', () => {
  it('fails the synth with one clear message and writes nothing', () => {
    let shared: ConfigMap | undefined;
    const alpha = defineStack({
      name: 'alpha',
      description: 'owns the config map',
      build: (s) => {
        shared = named(s, ConfigMap, 'cm', { metadata: { name: 'cm', namespace: 'x' } });
      },
    });
    const beta = defineStack({
      name: 'beta',
      description: 'refers to it',
      build: (s) => {
        named(s, ConfigMap, 'copy', { metadata: { name: shared!.metadata.name, namespace: 'x' } });
      },
    });
    let err = '';
    const out = path.join(tmp.dir, 'out');
    const io = { stdout: () => undefined, stderr: (t: string) => (err += t), tty: false };
    expect(runSynth([alpha, beta], ['--outdir', out], io)).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
    expect(err.trim()).toBe(
      'synth failed: stack beta: Resolution error: cross-stack references are not supported: stacks only declare ordering (after).',
    );
  });
});
