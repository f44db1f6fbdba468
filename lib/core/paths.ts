// Where the repository is, both when running from source (tests) and from the esbuild bundle in dist/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { terraformLiteral } from '../terraform/tf-literal';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'cdktf.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root (cdktf.json) above ${start}`);
    dir = parent;
  }
}

/** Absolute path of the repository root (the directory holding cdktf.json). */
export const REPO_ROOT = findRepoRoot(__dirname);

/** Absolute path of a first-party payload (a file under payloads/, shipped into pods and VMs). */
export function scriptPath(name: string): string {
  return path.join(REPO_ROOT, 'payloads', name);
}

const scriptCache = new Map<string, string>();

/**
 * Contents of a file under payloads/: the same file the tests execute is what synth renders into a
 * ConfigMap or a container command. Read once per process.
 */
export function readScript(name: string): string {
  let text = scriptCache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(scriptPath(name), 'utf8');
    scriptCache.set(name, text);
  }
  return text;
}

/**
 * A script as a Terraform attribute value: escaped so Terraform applies the file byte for byte (it reads
 * `${`/`%{` in JSON strings as templates). Use this, not readScript, wherever a script is synthesized.
 */
export function scriptForTerraform(name: string): string {
  return terraformLiteral(readScript(name));
}
