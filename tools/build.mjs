// Bundles the app (main.ts) and every TypeScript entry point under tools/cli/ and tools/bench/ into
// dist/<name>.js with esbuild.
// Why: running compiled JS avoids a TS loader on every synth (~0.3 s per process); node_modules stay
// external so provider bindings are still loaded by deep path, lazily, one file each.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entryDirs = ['tools/cli', 'tools/bench'];
const entryPoints = [
  { in: join(root, 'main.ts'), out: 'main' },
  ...entryDirs.flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => ({ in: join(root, dir, f), out: f.replace(/\.ts$/, '') })),
  ),
  // the stub Terraform provider process (docs/terraform-stubs.md)
  { in: join(root, 'tools', 'tf-stub', 'plugin.ts'), out: 'tf-stub-plugin' },
];

await build({
  entryPoints,
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The stub Terraform provider process (docs/terraform-stubs.md): Terraform starts it several times per
// command, so its dependencies are bundled in (gRPC loads in a fraction of the time from one file).
await build({
  entryPoints: [{ in: join(root, 'tools', 'tf-stub', 'plugin.ts'), out: 'tf-stub-plugin' }],
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
});
