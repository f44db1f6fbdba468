// Measuring a fresh Node process for the benchmarks (tools/bench/bench-synth.ts, tools/bench/bench-scale.ts):
// wall time from spawn to exit, and the peak RSS and provider modules reported by the bench-rss preload
// (dist/bench-rss.js), read back from a JSON-lines file.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ProcessSample {
  /** Wall time from spawn to exit. */
  readonly ms: number;
  /** Peak resident set size of the process. */
  readonly rssMiB: number;
  /** Provider binding modules the process loaded (absolute paths). */
  readonly providerModules: string[];
  readonly stdout: string;
}

/**
 * Runs `node --require <preload> ...args` with CI=true (plain progress output) and returns its sample;
 * throws with the process' stderr when it fails.
 */
export function measureProcess(preload: string, args: readonly string[]): ProcessSample {
  const report = path.join(os.tmpdir(), `bench-${process.pid}-${Math.random().toString(36).slice(2)}.jsonl`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, ...args], {
    env: { ...process.env, BENCH_REPORT: report, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  try {
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
    const line = JSON.parse(fs.readFileSync(report, 'utf8').trim().split('\n').pop()!);
    return { ms, rssMiB: line.maxRssKiB / 1024, providerModules: line.providerModules, stdout: r.stdout };
  } finally {
    fs.rmSync(report, { force: true });
  }
}

/** The median (upper median for an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** A script that only loads cdktf and the given modules: the floor a synth process cannot go below. */
export function floorScript(modules: readonly string[]): string {
  return [require.resolve('cdktf'), ...modules].map((m) => `require(${JSON.stringify(m)});`).join('\n');
}

/** "load average 0.52 0.61 0.70" (1, 5 and 15 minutes), for next to the figures. */
export function loadAverage(): string {
  return `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}
