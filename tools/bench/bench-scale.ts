// `npm run bench:scale [-- --stacks N] [--runs R]`: synthesizes a generated app of N stacks (default 154,
// the tree's size; tools/bench/bench-scale-app.ts) in a fresh process, R times (default 3), and prints medians
// of wall time and peak RSS, the resources synthesized and the time per stack; the same for N = 10, 40 and
// 154, to show how time and memory grow. Method and figures: docs/performance.md.
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

const USAGE = 'usage: npm run bench:scale [-- --stacks N] [--runs R]';
/** Targets at N = 154 (docs/performance.md). */
const TARGET = { wallMs: 15_000, rssMiB: 1536, perStackGrowth: 1.5 } as const;
const GROWTH_SIZES = [10, 40, 154];

function option(argv: readonly string[], name: string, fallback: number, max: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v < 1 || v > max) {
    process.stderr.write(
      `bench:scale: invalid ${name} ${argv[i + 1] ?? ''}; allowed: 1 to ${max} (${USAGE})\n`,
    );
    process.exit(2);
  }
  return v;
}

const argv = process.argv.slice(2);
if (argv.includes('-h') || argv.includes('--help')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const unknown = argv.filter((a) => a.startsWith('-') && a !== '--stacks' && a !== '--runs');
if (unknown.length) {
  process.stderr.write(`bench:scale: unknown option ${unknown[0]} (${USAGE})\n`);
  process.exit(2);
}
const stacks = option(argv, '--stacks', 154, 5000);
const runs = option(argv, '--runs', 3, 50);

const dist = __dirname;
const preload = path.join(dist, 'bench-rss.js');
const app = path.join(dist, 'bench-scale-app.js');

interface Row {
  readonly n: number;
  readonly resources: number;
  /** Wall time of the process, spawn to exit. */
  readonly wallMs: number;
  /** In-process synth time (runSynth's total: declare, validate, write), i.e. wall minus startup. */
  readonly synthMs: number;
  readonly rssMiB: number;
}

const TOTAL = /^total \((\d+) stacks\)\s+resources\s+(\d+)\s+data\s+\d+\s+moved\s+\d+\s+(\d+) ms$/m;

function parseTotal(sample: ProcessSample): { resources: number; synthMs: number } {
  const m = TOTAL.exec(sample.stdout);
  if (!m) throw new Error(`bench-scale-app printed no total line:\n${sample.stdout.slice(-500)}`);
  return { resources: Number(m[2]), synthMs: Number(m[3]) };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
try {
  const sizes = [...new Set([...GROWTH_SIZES, stacks])].sort((a, b) => a - b);
  const synthArgs = (n: number) => [app, '--stacks', String(n), '--outdir', path.join(work, `out-${n}`)];
  // Warm-up (disk cache) and discovery of the provider modules the app loads, for the floor.
  const warm = measureProcess(preload, synthArgs(Math.max(...sizes)));
  const floor = path.join(work, 'floor.js');
  fs.writeFileSync(floor, floorScript(warm.providerModules));

  const loadBefore = loadAverage();
  const samples = new Map<number, ProcessSample[]>(sizes.map((n) => [n, []]));
  const floors: ProcessSample[] = [];
  // Rounds interleave the sizes, so a burst of load elsewhere hits every size alike.
  for (let r = 0; r < runs; r++) {
    floors.push(measureProcess(preload, [floor]));
    for (const n of sizes) {
      process.stderr.write(`bench:scale: run ${r + 1}/${runs}, ${n} stacks\n`);
      samples.get(n)!.push(measureProcess(preload, synthArgs(n)));
    }
  }
  const floorMs = median(floors.map((s) => s.ms));
  const floorRss = median(floors.map((s) => s.rssMiB));
  const rows: Row[] = sizes.map((n) => {
    const xs = samples.get(n)!;
    const totals = xs.map(parseTotal);
    return {
      n,
      resources: totals[0].resources,
      wallMs: median(xs.map((s) => s.ms)),
      synthMs: median(totals.map((t) => t.synthMs)),
      rssMiB: median(xs.map((s) => s.rssMiB)),
    };
  });

  const num = (v: number, width: number, digits = 0) => v.toFixed(digits).padStart(width);
  // Marginal cost of one more stack: the slope from the next smaller size (fixed costs cancel out).
  const slope = (i: number, f: (r: Row) => number) =>
    i === 0 ? undefined : (f(rows[i]) - f(rows[i - 1])) / (rows[i].n - rows[i - 1].n);
  const lines = [
    `bench:scale, ${runs} runs each, medians (node ${process.version}, ${os.cpus().length} cpus, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB)`,
    `${loadBefore} before, ${loadAverage()} after`,
    `floor (cdktf + ${warm.providerModules.length} provider modules): ${num(floorMs, 0)} ms, ${num(floorRss, 0)} MiB`,
    '',
    ' stacks  resources   wall ms  synth ms  ms/stack  marginal ms/stack  peak RSS MiB  marginal KiB/stack',
    ...rows.map((r, i) => {
      const ms = slope(i, (x) => x.synthMs);
      const kib = slope(i, (x) => x.rssMiB * 1024);
      return (
        `${num(r.n, 7)}  ${num(r.resources, 9)}  ${num(r.wallMs, 8)}  ${num(r.synthMs, 8)}  ` +
        `${num(r.synthMs / r.n, 8, 1)}  ${ms === undefined ? ''.padStart(17) : num(ms, 17, 1)}  ` +
        `${num(r.rssMiB, 12)}  ${kib === undefined ? ''.padStart(18) : num(kib, 18)}` +
        (r.n === stacks ? '  <- --stacks' : '')
      );
    }),
    '',
    'wall: spawn to exit. synth: in-process declare + validate + write (wall minus startup and module',
    'loading). ms/stack: synth / stacks. marginal: the slope from the previous row (fixed costs cancel).',
  ];
  // Growth. Time per stack must not grow with N: a per-stack cost that rises means work that is
  // quadratic somewhere (e.g. a validation walking every stack for each stack). It falls instead: a fixed
  // in-process cost (JIT warm-up, first use of each construct) is spread over more stacks. Checked on
  // both the average (synth / stacks) and the marginal cost (slope between sizes), against the smallest.
  const growthRows = rows.filter((r) => GROWTH_SIZES.includes(r.n));
  const perStack = growthRows.map((r) => r.synthMs / r.n);
  const slopes = growthRows.slice(1).map((r, i) => {
    const prev = growthRows[i];
    return {
      label: `${prev.n}->${r.n}`,
      ms: (r.synthMs - prev.synthMs) / (r.n - prev.n),
      kib: ((r.rssMiB - prev.rssMiB) * 1024) / (r.n - prev.n),
    };
  });
  const avgGrowth = Math.max(...perStack.slice(1)) / perStack[0];
  const marginalGrowth = Math.max(...slopes.slice(1).map((x) => x.ms)) / slopes[0].ms;
  const growth = Math.max(avgGrowth, marginalGrowth);
  const small = growthRows[0];
  const large = growthRows[growthRows.length - 1];
  const fixedMs = large.synthMs - slopes[slopes.length - 1].ms * large.n;
  lines.push(
    `time per stack (${GROWTH_SIZES.join('/')} stacks): average ${perStack.map((x) => x.toFixed(1)).join(' / ')} ms, ` +
      `marginal ${slopes.map((x) => `${x.label} ${x.ms.toFixed(1)}`).join(', ')} ms`,
    `growth vs ${small.n} stacks (largest ratio): average x${avgGrowth.toFixed(2)}, marginal x${marginalGrowth.toFixed(2)} ` +
      `(below 1: a fixed ~${fixedMs.toFixed(0)} ms in-process warm-up spread over more stacks)`,
    `memory: peak RSS +${(large.rssMiB - small.rssMiB).toFixed(0)} MiB for ${large.n - small.n} more stacks ` +
      `(marginal ${slopes.map((x) => `${x.label} ${x.kib.toFixed(0)}`).join(', ')} KiB per stack)`,
  );
  const checks = [
    [`wall at ${large.n} <= ${TARGET.wallMs / 1000} s`, large.wallMs <= TARGET.wallMs],
    [`peak RSS at ${large.n} <= ${TARGET.rssMiB / 1024} GiB`, large.rssMiB <= TARGET.rssMiB],
    [`time per stack grows at most ${TARGET.perStackGrowth}x`, growth <= TARGET.perStackGrowth],
  ] as const;
  lines.push(`targets: ${checks.map(([what, ok]) => `${what}: ${ok ? 'ok' : 'MISSED'}`).join('; ')}`, '');
  process.stdout.write(lines.join('\n'));
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
