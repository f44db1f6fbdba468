import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { terraformLiteral, terraformUnescape } from '../../lib/terraform-string';
import { run, tempDir } from '../support/fakes';

const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

describe('terraformLiteral', () => {
  it('escapes interpolations and directives, nothing else', () => {
    expect(terraformLiteral('a ${B:-c} %{ if } {{ .x }} $x %02X $$')).toBe(
      'a $${B:-c} %%{ if } {{ .x }} $x %02X $$',
    );
    expect(terraformLiteral('$${x}')).toBe('$$${x}');
  });

  it('round-trips through terraformUnescape', () => {
    for (const s of ['${a}${b}', 'x %{y} $${z}', 'plain', '$', '%', '${', '%{']) {
      expect(terraformUnescape(terraformLiteral(s))).toBe(s);
    }
  });

  it.skipIf(!hasTerraform)('is what Terraform itself turns back into the original text', async () => {
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
