// Reads a synth output directory (`npm run synth -- --outdir DIR`): DIR/stacks/<stack>/cdk.tf.json, the
// layout cdktf uses. Shared by the synth diff and the address lock, which both compare what synth wrote.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CdkTfJson, SynthJsonError } from '../terraform/tf-json';
import { isObject } from '../review/value-diff';

/** Stack name -> parsed cdk.tf.json, sorted by name. Throws SynthJsonError with one clear message. */
export function readSynthOutput(dir: string): Record<string, CdkTfJson> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new SynthJsonError(`${dir}: no such directory (expected a synth output directory)`);
  }
  const stacksDir = path.join(dir, 'stacks');
  if (!fs.existsSync(stacksDir)) {
    // An app with no stacks writes only the manifest.
    if (fs.existsSync(path.join(dir, 'manifest.json'))) return {};
    throw new SynthJsonError(`${dir}: not a synth output directory (no stacks/ and no manifest.json)`);
  }
  const out: Record<string, CdkTfJson> = {};
  for (const name of fs.readdirSync(stacksDir).sort()) {
    if (!fs.statSync(path.join(stacksDir, name)).isDirectory()) continue;
    const file = path.join(stacksDir, name, 'cdk.tf.json');
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new SynthJsonError(`${file}: missing (stack ${name} was not synthesized completely)`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new SynthJsonError(`${file}: invalid JSON (${(err as Error).message})`);
    }
    if (!isObject(value)) throw new SynthJsonError(`${file}: not a cdk.tf.json object`);
    out[name] = value;
  }
  return out;
}
