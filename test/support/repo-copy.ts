// A throwaway copy of the project (sources, configs, tools; node_modules symlinked) for tests that run the
// real commands and must not touch the working tree: a type error planted in a stack, a deploy that writes
// tier-0 state under <copy>/state/.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/core/paths';

const COPIED = [
  'main.ts',
  'stacks',
  'constructs',
  'lib',
  'payloads',
  'tools',
  'cdktf.json',
  'package.json',
  'tsconfig.json',
  'tsconfig.app.json',
  'addresses.lock.json',
];

/** Copies the project into a new temp dir and returns its path; the caller removes it. */
export function copyRepo(prefix = 'infra-cdktf-copy-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const entry of COPIED) {
    fs.cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}
