// SealedSecrets: one kubernetes_manifest per tree payload file matching the glob, keyed by file name (the
// tree's `for_each = fileset(path.module, "sealed-*.yaml")` keys). The for_each and body expressions are
// evaluated by Terraform itself over a payload folder, so the keys are proven, not assumed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SealedSecrets } from '../../../constructs/blocks/sealed-secrets';
import { run, tempDir } from '../../support/fakes';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const inner = (expr: string) => {
  expect(expr.startsWith('${') && expr.endsWith('}')).toBe(true);
  return expr.slice(2, -1);
};

describe('SealedSecrets', () => {
  it('iterates the payload folder with the tree glob and decodes each file', () => {
    const s = testStack('app');
    new SealedSecrets(s, 'sealed_secrets');
    const r = resource(synth(s), 'kubernetes_manifest', 'sealed_secrets');
    expect(r.for_each).toBe('${fileset("${path.root}/../../../tree-payloads/app", "sealed-*.yaml")}');
    expect(r.manifest).toBe('${yamldecode(file("${path.root}/../../../tree-payloads/app/${each.value}"))}');
  });

  it('refuses a glob that leaves the stack directory', () => {
    const s = testStack('app');
    expect(expectConfigError(() => new SealedSecrets(s, 'x', { pattern: '../*.yaml' })).prop).toBe(
      'tree payload set',
    );
  });

  // Against the real binary: terraform is required (test/support/global-setup.ts preflight), never skipped.
  it('yields the tree keys: the matching file names, each decoded; no folder is the empty set', async () => {
    const s = testStack('app');
    new SealedSecrets(s, 'sealed_secrets');
    const r = resource(synth(s), 'kubernetes_manifest', 'sealed_secrets');
    const set = inner(r.for_each as string);
    const body = inner(r.manifest as string).replace('${each.value}', '${k}');
    const t = tempDir('sealed-secrets-');
    try {
      const root = path.join(t.dir, 'cdktf.out', 'stacks', 'app');
      fs.mkdirSync(root, { recursive: true });
      const payloads = path.join(t.dir, 'tree-payloads', 'app');
      fs.mkdirSync(payloads, { recursive: true });
      fs.writeFileSync(path.join(payloads, 'sealed-a.yaml'), 'kind: SealedSecret\nmetadata:\n  name: a\n');
      fs.writeFileSync(path.join(payloads, 'sealed-b.yaml'), 'kind: SealedSecret\nmetadata:\n  name: b\n');
      fs.writeFileSync(path.join(payloads, 'other.yaml'), 'kind: ConfigMap\n');
      const emptyRoot = path.join(t.dir, 'empty', 'cdktf.out', 'stacks', 'app');
      fs.mkdirSync(emptyRoot, { recursive: true });
      const config = {
        output: {
          keys: { value: `\${${set}}` },
          names: { value: `\${{ for k in ${set} : k => ${body}.metadata.name }}` },
        },
      };
      const env = { TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
      const outputs = async (dir: string) => {
        fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config));
        expect(
          (await run(['terraform', `-chdir=${dir}`, 'init', '-input=false', '-backend=false'], { env })).code,
        ).toBe(0);
        expect(
          (await run(['terraform', `-chdir=${dir}`, 'apply', '-auto-approve', '-input=false'], { env })).code,
        ).toBe(0);
        const out = await run(['terraform', `-chdir=${dir}`, 'output', '-json'], { env });
        return JSON.parse(out.stdout) as Record<string, { value: unknown }>;
      };
      const full = await outputs(root);
      expect(full.keys.value).toEqual(['sealed-a.yaml', 'sealed-b.yaml']);
      expect(full.names.value).toEqual({ 'sealed-a.yaml': 'a', 'sealed-b.yaml': 'b' });
      const none = await outputs(emptyRoot);
      expect(none.keys.value).toEqual([]);
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
