// Preloaded (`node --require dist/bench-rss.js ...`) by the benchmarks: on exit, appends this process's
// peak RSS and the provider binding modules it loaded to the JSON-lines file named by BENCH_REPORT.
import * as fs from 'node:fs';

const report = process.env.BENCH_REPORT;
if (report) {
  process.on('exit', () => {
    const providerModules = Object.keys(require.cache).filter((k) =>
      /@cdktf[\\/]provider-[a-z]+[\\/]lib[\\/]/.test(k),
    );
    fs.appendFileSync(
      report,
      `${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, providerModules })}\n`,
    );
  });
}
