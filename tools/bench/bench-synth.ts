// `npm run bench:synth [-- --runs N] [--stack NAME]`: full synth of the real app as a fresh process, N
// times, next to the floor: a process that only loads cdktf and the provider modules the stacks use; then
// a one-stack synth exactly as a user types it (`npm run synth -- <stack>`, npm and the build check
// included), and what that stack loads on its own. Prints medians of wall time and peak RSS, and the
// ratio to the floor.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  floorScript,
  loadAverage,
  measureProcess,
  median,
  type ProcessSample,
} from '../../lib/tooling/bench-process';
import { intFlag, runCli, UsageError } from '../../lib/tooling/cli-args';

const USAGE =
  'usage: npm run bench:synth [-- --runs N] [--stack NAME]   (N from 1 to 50, default 5; NAME default blog)';
let runs = 5;
let oneStack = 'blog';
const code = runCli(
  'bench:synth',
  USAGE,
  process.argv.slice(2),
  { '--runs': 'value', '--stack': 'value' },
  (args) => {
    runs = intFlag(args, '--runs', 5, 1, 50);
    const v = args.flags['--stack'];
    if (typeof v === 'string') {
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(v))
        throw new UsageError(`invalid --stack "${v}"; allowed: a stack name`);
      oneStack = v;
    }
    return -1; // arguments are valid: run the benchmark below
  },
);
if (code !== -1) process.exit(code);

const dist = __dirname;
const preload = path.join(dist, 'bench-rss.js');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
const outdir = path.join(work, 'cdktf.out');
try {
  const synthArgs = [path.join(dist, 'synth.js'), '--outdir', outdir];
  // Warm-up (disk cache) and discovery of the provider modules a full synth loads.
  const warm = measureProcess(preload, synthArgs);
  const floor = path.join(work, 'floor.js');
  fs.writeFileSync(floor, floorScript(warm.providerModules));

  const synth: ProcessSample[] = [];
  const floors: ProcessSample[] = [];
  const loadBefore = loadAverage();
  for (let i = 0; i < runs; i++) {
    floors.push(measureProcess(preload, [floor]));
    synth.push(measureProcess(preload, synthArgs));
  }
  // One stack as the user runs it: npm, the build's up-to-date check, then the synth process.
  const repo = path.join(dist, '..');
  const one: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const r = spawnSync('npm', ['run', '--silent', 'synth', '--', oneStack, '--outdir', outdir], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    if (r.status !== 0)
      throw new Error(`npm run synth -- ${oneStack} failed (exit ${r.status}):\n${r.stderr}`);
    if (i > 0) one.push(performance.now() - t0); // the first run is a warm-up
  }
  // The same stack as a bare process: what it loads (the bundle's inline requires, tools/lazy-imports.mjs).
  const bare = measureProcess(preload, [path.join(dist, 'synth.js'), oneStack, '--outdir', outdir]);
  const s = { ms: median(synth.map((x) => x.ms)), rss: median(synth.map((x) => x.rssMiB)) };
  const f = { ms: median(floors.map((x) => x.ms)), rss: median(floors.map((x) => x.rssMiB)) };
  const fmt = (label: string, ms: number, rss: number) =>
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${rss.toFixed(0).padStart(5)} MiB`;
  process.stdout.write(
    [
      `bench:synth, ${runs} runs each, medians (node ${process.version}, ${os.cpus().length} cpus)`,
      `${loadBefore} before, ${loadAverage()} after`,
      fmt('floor (cdktf + provider modules)', f.ms, f.rss),
      fmt('full synth (npm run synth)', s.ms, s.rss),
      `ratio: time ${(s.ms / f.ms).toFixed(2)}x, rss ${(s.rss / f.rss).toFixed(2)}x (target: time < 1.5x)`,
      `${`one stack (npm run synth -- ${oneStack})`.padEnd(34)} ${median(one).toFixed(0).padStart(6)} ms`,
      `provider modules loaded: ${warm.providerModules.length} (full synth), ${bare.providerModules.length} (${oneStack} alone: ${bare.ms.toFixed(0)} ms, ${bare.rssMiB.toFixed(0)} MiB)`,
      '',
    ].join('\n'),
  );
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
