// `npm run validate [-- <stack>...] [--no-synth]`: synthesizes (unless --no-synth), then checks every
// (or each named) stack's cdktf.out/stacks/<stack>/cdk.tf.json with real Terraform and the offline stub
// providers (tools/tf-stub, docs/terraform-stubs.md): init -backend=false, validate, plan -refresh=false
// on an empty local state. One line per stack on stdout; Terraform's diagnostics follow a FAIL line.
// Exit 0 all ok, 1 any failure, 2 usage error. Two stacks at a time; temp dirs are removed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareStubProviders } from '../tf-stub/install';
import { formatResult, pool, requireTerraform, validateConfig } from '../tf-stub/validate';

const USAGE = 'usage: npm run validate [-- <stack>...] [--no-synth] [--out DIR]';
const HELP = `${USAGE}

Checks synthesized stacks with real Terraform (>= 1.5, on PATH) and offline stub providers:
terraform init -backend=false, terraform validate, terraform plan -refresh=false on an empty local
state (catches ambiguous moved blocks, which validate does not). No network, no credentials.

  <stack>...   only these stacks (default: every stack in cdktf.out/stacks)
  --no-synth   reuse the existing cdktf.out instead of running synth first
  --out DIR    synthesized output directory (default: cdktf.out)
  -h, --help   this help
`;

interface Args {
  stacks: string[];
  synth: boolean;
  out: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { stacks: [], synth: true, out: 'cdktf.out' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--no-synth') args.synth = false;
    else if (a === '--out') {
      const v = argv[++i];
      if (!v) throw new UsageError(`--out needs a directory (${USAGE})`);
      args.out = v;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (${USAGE})`);
    else args.stacks.push(a);
  }
  return args;
}

/** Named stacks the app does not define (`synth --list`): a usage error, not a failed check. */
function unknownStacks(root: string, names: readonly string[]): string[] {
  if (!names.length) return [];
  const list = spawnSync(process.execPath, [path.join(root, 'dist', 'synth.js'), '--list'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (list.status !== 0) return [];
  const known = new Set(list.stdout.split('\n').map((l) => l.split(/\s+/)[0]));
  return names.filter((n) => !known.has(n));
}

export async function main(argv: readonly string[], root = path.resolve(__dirname, '..')): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`validate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    requireTerraform();
  } catch (e) {
    process.stderr.write(`validate: ${(e as Error).message}\n`);
    return 1;
  }
  const out = path.resolve(root, args.out);
  if (args.synth) {
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'dist', 'synth.js'), ...args.stacks, '--outdir', out],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (r.status !== 0) {
      process.stderr.write(`validate: synth failed (exit ${r.status})\n`);
      return r.status === 2 || unknownStacks(root, args.stacks).length ? 2 : 1;
    }
  }
  const stacksDir = path.join(out, 'stacks');
  const available = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : [];
  const missing = args.stacks.filter((s) => !available.includes(s));
  if (missing.length) {
    process.stderr.write(`validate: no synthesized stack ${missing.join(', ')} in ${stacksDir} (${USAGE})\n`);
    return 2;
  }
  const stacks = args.stacks.length ? args.stacks : available;
  if (!stacks.length) {
    process.stderr.write(`validate: no stacks in ${stacksDir}: run npm run synth\n`);
    return 1;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-validate-'));
  const t0 = performance.now();
  try {
    const { env } = prepareStubProviders({ dir: path.join(tmp, 'stubs') });
    const results = await pool(stacks, 2, async (stack) => {
      const config = JSON.parse(
        fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8'),
      ) as Record<string, unknown>;
      // same depth as cdktf.out/stacks/<stack>, so relative file() paths (../../../secrets/...) stay in tmp
      const work = path.join(tmp, 'repo', 'cdktf.out', 'stacks', stack);
      const r = await validateConfig(stack, config, work, env, {
        sourceDir: path.join(stacksDir, stack),
        sandbox: path.join(tmp, 'repo'),
      });
      process.stdout.write(formatResult(r).join('\n') + '\n');
      return r;
    });
    const failed = results.filter((r) => !r.ok);
    process.stderr.write(
      `validate: ${results.length - failed.length}/${results.length} stacks ok in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    return failed.length ? 1 : 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`validate: ${String((e as Error).stack ?? e)}\n`);
      process.exitCode = 1;
    },
  );
}
