// Bundles the app (main.ts) and every TypeScript entry point under tools/cli/ and tools/bench/ into
// dist/<name>.js with esbuild.
// Why: running compiled JS avoids a TS loader on every synth (~0.3 s per process); node_modules stay
// external so provider bindings are still loaded by deep path, lazily, one file each.
//
// `--typecheck` (the cdktf.json app: `cdktf synth|diff|deploy`) first type-checks the app's sources
// (tsconfig.app.json: main.ts, stacks/, constructs/, lib/) and stops with tsc's errors, exit 1, before
// anything is bundled: esbuild strips types, so a misspelled prop would otherwise be dropped silently.
// A stamp of the inputs (dist/.typecheck/app.stamp, written after a clean check) skips tsc
// when nothing changed; otherwise tsc runs incrementally (tsbuildinfo next to the stamp). The bundle step
// is skipped the same way (dist/.build.stamp) when no bundled input changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Inputs of the app's type check: its sources, the TS configs and the installed dependencies. */
const TYPECHECK_INPUTS = ['main.ts', 'stacks', 'constructs', 'lib', 'tsconfig.json', 'tsconfig.app.json'];

function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

function inputStamp() {
  const hash = createHash('sha256');
  for (const file of TYPECHECK_INPUTS.flatMap((p) => filesUnder(join(root, p)))) {
    hash
      .update(`${relative(root, file)}\0`)
      .update(readFileSync(file))
      .update('\0');
  }
  // Dependencies: npm writes this file on every install.
  const lock = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(lock)) hash.update(readFileSync(lock));
  return hash.digest('hex');
}

function typecheck() {
  const t0 = performance.now();
  const cache = join(root, 'dist', '.typecheck');
  const stampFile = join(cache, 'app.stamp');
  const stamp = inputStamp();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.app.json'), '--pretty', 'false'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    // To stderr: cdktf prints the app's stderr when the app fails.
    process.stderr.write(r.stdout + r.stderr);
    process.stderr.write(
      `build: type errors (tsc -p tsconfig.app.json, exit ${r.status ?? r.signal}): nothing was synthesized\n`,
    );
    process.exit(1);
  }
  mkdirSync(cache, { recursive: true });
  writeFileSync(stampFile, stamp);
  if (process.env.BUILD_TIMING)
    process.stderr.write(`build: typecheck ${Math.round(performance.now() - t0)} ms\n`);
}

if (process.argv.includes('--typecheck')) typecheck();

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

// Skipped when nothing it reads changed since the last build (`npm run synth` builds first on every run):
// a content hash of the bundled sources, the TS config and the installed dependencies, and every output
// present. esbuild itself is only loaded when a build is due.
const BUILD_INPUTS = ['main.ts', 'lib', 'constructs', 'stacks', 'tools', 'tsconfig.json', 'package.json'];
function buildStamp() {
  const hash = createHash('sha256');
  for (const file of BUILD_INPUTS.flatMap((p) => filesUnder(join(root, p)))) {
    hash
      .update(`${relative(root, file)}\0`)
      .update(readFileSync(file))
      .update('\0');
  }
  const lock = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(lock)) hash.update(readFileSync(lock));
  return hash.digest('hex');
}
const buildStampFile = join(root, 'dist', '.build.stamp');
const stamp = buildStamp();
const upToDate =
  existsSync(buildStampFile) &&
  readFileSync(buildStampFile, 'utf8') === stamp &&
  entryPoints.every((e) => existsSync(join(root, 'dist', `${e.out}.js`)));
if (upToDate) process.exit(0);
const esbuild = await import('esbuild');
const { build } = esbuild;
const { lazyImports } = await import('./lazy-imports.mjs');

await build({
  entryPoints,
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  // inline requires: a stack's constructs and the bindings load when used (tools/lazy-imports.mjs)
  plugins: [lazyImports(root, esbuild)],
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

writeFileSync(buildStampFile, stamp);
