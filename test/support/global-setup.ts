// Builds dist/ once per test run so CLI tests can run the real bundled entry points as subprocesses
// (`node dist/<tool>.js ...`), exactly as `npm run <tool>` does.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export default function setup(): void {
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [path.join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
