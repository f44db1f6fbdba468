// Runs once per test run: the preflight (every missing tool in one line; no test is skipped for a missing
// tool), then builds dist/ so CLI tests can run the real bundled entry points as subprocesses
// (`node dist/<tool>.js ...`), exactly as `npm run <tool>` does.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { preflight } from './tools';

export default function setup(): void {
  const missing = preflight();
  if (missing) {
    const err = new Error(missing);
    err.stack = missing; // one line, no stack trace
    throw err;
  }
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [path.join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
