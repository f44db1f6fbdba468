import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { terraformLiteral } from '../../../lib/terraform/tf-literal';
import { run, tempDir } from '../../support/fakes';

// Against the real binary: terraform is required (test/support/global-setup.ts preflight), never skipped.
describe('terraformLiteral with terraform', () => {
  it('is what Terraform itself turns back into the original text', async () => {
    const t = tempDir('tf-literal-');
    try {
      const text = 'sh: "${TMPDIR:-/tmp}" %{ x } $${y} {{ .z }} printf("%%%02X")\nline2';
      fs.writeFileSync(
        path.join(t.dir, 'main.tf.json'),
        JSON.stringify({ output: { x: { value: terraformLiteral(text) } } }),
      );
      const env = { TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
      expect(
        (await run(['terraform', `-chdir=${t.dir}`, 'init', '-input=false', '-backend=false'], { env })).code,
      ).toBe(0);
      const apply = await run(['terraform', `-chdir=${t.dir}`, 'apply', '-auto-approve', '-input=false'], {
        env,
      });
      expect(apply.code).toBe(0);
      const out = await run(['terraform', `-chdir=${t.dir}`, 'output', '-raw', 'x'], { env });
      expect(out.stdout).toBe(text);
    } finally {
      t.cleanup();
    }
  });
});
