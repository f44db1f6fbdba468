// `npm run payloads -- --from <tree checkout | bare git dir> [--rev <rev>]`: copies the tree payloads our
// synthesized stacks declare (they read `tree-payloads/<stack>/<file>` at plan time) from the tree's
// `stacks/<stack>/<file>` into tree-payloads/ (git ignored); module payloads (`tree-payloads/_modules/...`)
// are extracted from the module's HCL (lib/review/tree-module-payloads.ts). `--stand-ins` writes deterministic stand-ins
// for the missing ones instead (CI has no tree); `--check` only lists what is missing. Reads cdktf.out
// (run `npm run synth` first) or `--ours <dir>`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/core/paths';
import { openTree } from '../../lib/tooling/tree-source';
import {
  declaredPayloads,
  describeSource,
  payloadContent,
  payloadSource,
  standInPayload,
  treePayloadRelPath,
  type DeclaredPayload,
} from '../../lib/review/tree-payloads';

const USAGE = `usage: npm run payloads -- (--from <tree> [--rev <rev>] | --stand-ins | --check) [--ours <cdktf.out>] [--dest <dir>]

  --from <tree>   copy every declared payload from the tree's stacks/<stack>/<file>
                  (tree-payloads/_modules/*: extracted from the tree module's HCL)
  --rev <rev>     tree revision (git trees; default HEAD)
  --stand-ins     write deterministic stand-ins for the declared payloads that are missing (CI)
  --check         list missing payloads; exit 2 when any is missing
  --ours <dir>    synthesized output to scan (default: cdktf.out)
  --dest <dir>    repository root to write tree-payloads/ into (default: this repository)`;

function fail(message: string): number {
  console.error(`payloads: ${message}`);
  return 2;
}

export function main(argv: readonly string[]): number {
  let from: string | undefined;
  let rev: string | undefined;
  let mode: 'from' | 'stand-ins' | 'check' | undefined;
  let ours = path.join(REPO_ROOT, 'cdktf.out');
  let dest = REPO_ROOT;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => {
      const v = argv[++i];
      return v === undefined || v.startsWith('--') ? undefined : v;
    };
    if (a === '-h' || a === '--help') {
      console.log(USAGE);
      return 0;
    } else if (a === '--from') {
      from = value();
      mode = 'from';
      if (!from) return fail('--from needs a value (--help for usage)');
    } else if (a === '--rev') {
      rev = value();
      if (!rev) return fail('--rev needs a value (--help for usage)');
    } else if (a === '--stand-ins') mode = 'stand-ins';
    else if (a === '--check') mode = 'check';
    else if (a === '--ours' || a === '--dest') {
      const v = value();
      if (!v) return fail(`${a} needs a value (--help for usage)`);
      if (a === '--ours') ours = path.resolve(v);
      else dest = path.resolve(v);
    } else return fail(`unknown argument ${a} (--help for usage)`);
  }
  if (!mode) return fail('one of --from, --stand-ins, --check is required (--help for usage)');
  const stacksDir = path.join(ours, 'stacks');
  if (!fs.existsSync(stacksDir)) return fail(`${stacksDir} is missing: run npm run synth first`);
  // Module payloads (tree-payloads/_modules/...) are shared: several stacks declare the same one.
  const byPath = new Map<string, DeclaredPayload>();
  for (const s of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, s, 'cdk.tf.json');
    if (!fs.existsSync(file)) continue;
    for (const p of declaredPayloads(fs.readFileSync(file, 'utf8')))
      byPath.set(treePayloadRelPath(p.stack, p.file), p);
  }
  const declared = [...byPath.values()];
  const target = (p: DeclaredPayload) => path.join(dest, treePayloadRelPath(p.stack, p.file));
  const write = (p: DeclaredPayload, content: Buffer | string) => {
    fs.mkdirSync(path.dirname(target(p)), { recursive: true });
    fs.writeFileSync(target(p), content);
  };
  if (mode === 'check') {
    const missing = declared.filter((p) => !fs.existsSync(target(p)));
    for (const p of missing)
      console.log(`missing: stack ${p.stack} needs ${treePayloadRelPath(p.stack, p.file)}`);
    console.log(`${declared.length} declared, ${missing.length} missing`);
    return missing.length ? 2 : 0;
  }
  if (mode === 'stand-ins') {
    let n = 0;
    for (const p of declared.filter((d) => !fs.existsSync(target(d)))) {
      write(p, standInPayload(p));
      n++;
    }
    console.log(`${declared.length} declared, ${n} stand-ins written`);
    return 0;
  }
  let tree;
  try {
    tree = openTree(from!, rev);
  } catch (e) {
    return fail((e as Error).message);
  }
  const tmp = fs.mkdtempSync(path.join(dest, '.payloads-'));
  let failed = 0;
  try {
    for (const p of declared) {
      let rel: string;
      try {
        rel = payloadSource(p).file;
      } catch (e) {
        console.log(`failed: ${(e as Error).message}`);
        failed++;
        continue;
      }
      if (!tree.has(rel)) {
        console.log(
          `missing: stack ${p.stack} declares ${treePayloadRelPath(p.stack, p.file)}, but the tree has no ${rel}`,
        );
        failed++;
        continue;
      }
      tree.extract(rel, tmp);
      try {
        write(p, payloadContent(p, fs.readFileSync(path.join(tmp, rel))));
      } catch (e) {
        console.log(`failed: ${treePayloadRelPath(p.stack, p.file)}: ${(e as Error).message}`);
        failed++;
        continue;
      }
      console.log(`copied ${describeSource(p)} -> ${treePayloadRelPath(p.stack, p.file)}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(
    `${declared.length} declared, ${declared.length - failed} copied from ${tree.name} ${tree.rev}`,
  );
  return failed ? 2 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
