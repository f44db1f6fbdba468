// `npm run bench:synth [-- --runs N]`: full synth of the real app as a fresh process, N times, next to the
// floor: a process that only loads cdktf and the provider modules the stacks use. Prints medians of wall
// time and peak RSS, and the ratio to the floor.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const dist = __dirname;
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;

interface Sample {
  readonly ms: number;
  readonly rssMiB: number;
  readonly providerModules: string[];
}

function measure(args: string[], env: Record<string, string> = {}): Sample {
  const report = path.join(os.tmpdir(), `bench-${process.pid}-${Math.random().toString(36).slice(2)}.jsonl`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', path.join(dist, 'bench-rss.js'), ...args], {
    env: { ...process.env, ...env, BENCH_REPORT: report, CI: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  const line = JSON.parse(fs.readFileSync(report, 'utf8').trim().split('\n').pop()!);
  fs.rmSync(report, { force: true });
  return { ms, rssMiB: line.maxRssKiB / 1024, providerModules: line.providerModules };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
const outdir = path.join(work, 'cdktf.out');
try {
  // Warm-up (disk cache) and discovery of the provider modules a full synth loads.
  const warm = measure([path.join(dist, 'synth.js'), '--outdir', outdir]);
  const floorScript = path.join(work, 'floor.js');
  fs.writeFileSync(
    floorScript,
    [
      `require(${JSON.stringify(require.resolve('cdktf'))});`,
      ...warm.providerModules.map((m) => `require(${JSON.stringify(m)});`),
    ].join('\n'),
  );

  const synth: Sample[] = [];
  const floor: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    floor.push(measure([floorScript]));
    synth.push(measure([path.join(dist, 'synth.js'), '--outdir', outdir]));
  }
  const s = { ms: median(synth.map((x) => x.ms)), rss: median(synth.map((x) => x.rssMiB)) };
  const f = { ms: median(floor.map((x) => x.ms)), rss: median(floor.map((x) => x.rssMiB)) };
  const fmt = (label: string, ms: number, rss: number) =>
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${rss.toFixed(0).padStart(5)} MiB`;
  process.stdout.write(
    [
      `bench:synth, ${runs} runs each, medians (node ${process.version}, ${os.cpus().length} cpus)`,
      fmt('floor (cdktf + provider modules)', f.ms, f.rss),
      fmt('full synth (npm run synth)', s.ms, s.rss),
      `ratio: time ${(s.ms / f.ms).toFixed(2)}x, rss ${(s.rss / f.rss).toFixed(2)}x (target: time < 1.5x)`,
      `provider modules loaded: ${warm.providerModules.length}`,
      '',
    ].join('\n'),
  );
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
