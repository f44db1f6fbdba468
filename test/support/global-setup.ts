// Runs once per test run: the preflight (every missing tool in one line; no test is skipped for a missing
// tool), then builds dist/ so CLI tests can run the real bundled entry points as subprocesses
// (`node dist/<tool>.js ...`), exactly as `npm run <tool>` does. Every temporary directory of the run
// (cdktf's Testing outdirs, fakes, CLI work dirs) goes under one per-run root: TMPDIR is set before the
// workers fork, they and their subprocesses inherit it, and teardown removes the root.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { preflight } from './tools';

export default function setup(): () => void {
  const missing = preflight();
  if (missing) {
    const err = new Error(missing);
    err.stack = missing; // one line, no stack trace
    throw err;
  }
  const root = path.resolve(__dirname, '..', '..');
  const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-test-run-'));
  // Traversable by others: the PostgreSQL end-to-end runs its server as an unprivileged user (initdb refuses
  // root), whose data directory lives below this root.
  fs.chmodSync(runTmp, 0o755);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = runTmp;
  execFileSync(process.execPath, [path.join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(runTmp, { recursive: true, force: true });
  };
}
