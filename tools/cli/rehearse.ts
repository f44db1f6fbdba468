// `npm run rehearse -- --tree <checkout | bare git dir | plain dir> [--rev <rev>] [<stack>...]`: the adoption
// rehearsal. Per stack: build a plain Terraform root from the tree (the stack's .tf files, the modules they
// use, the files terragrunt generates, site tfvars, stand-in secrets/), apply it with the stub providers,
// then plan our synthesized JSON against that state (-refresh=false) and report moves and every change.
// Exit 0 when every stack is clean apart from reviewed differences (rehearsal/<stack>.json), 2 otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SITE } from '../../lib/conventions/site';
import { operatorStandIns } from '../../lib/conventions/operator-variables';
import { REPO_ROOT } from '../../lib/core/paths';
import { parsePlan } from '../../lib/review/plan-render';
import {
  analyseRehearsal,
  formatRehearsal,
  formatSummary,
  parseReviewed,
  summaryRow,
  type ReviewedDifference,
  type StackRehearsal,
  type SummaryRow,
} from '../../lib/review/rehearsal';
import {
  GENERATED_FILES,
  formatRewrite,
  moduleSources,
  rehearsalRootFiles,
  requiredVariables,
  rewriteForTerraform111,
  siteTfvars,
  usedProviders,
  type Rewrite,
} from '../../lib/review/rehearsal-tree';
import {
  declaredPayloads,
  payloadContent,
  payloadSource,
  REPO_PAYLOAD_STACK,
  treePayloadRelPath,
} from '../../lib/review/tree-payloads';
import { prepareStubProviders } from '../tf-stub/install';
import { scanDataKeys } from '../tf-stub/data-keys';
import { openTree, type TreeSource } from '../../lib/tooling/tree-source';

const USAGE = `usage: npm run rehearse -- --tree <tree checkout | bare git dir | dir> [--rev <git rev>] [options] [<stack>...]

Applies each stack's tree HCL with the stub providers, then plans our synthesized JSON against that state
(terraform plan -refresh=false) and reports moves and changes. No stacks: every stack we have that the
tree also has.

options:
  --rev <rev>          tree revision (git trees only; default HEAD)
  --ours <dir>         a synthesized cdktf.out (holding stacks/<stack>/cdk.tf.json) instead of synthesizing
  --reviewed <dir>     reviewed differences, <dir>/<stack>.json (default: rehearsal/)
  --record <file>      write the result per stack into <file> (e.g. rehearsal/results.json), merged by stack
  --keep <dir>         build the rehearsal roots in <dir> and keep them (default: a temporary dir, removed)
  -h, --help           this text

exit: 0 every stack clean (reviewed differences only), 2 otherwise (or bad usage)`;

interface Args {
  tree: string;
  rev?: string;
  ours?: string;
  reviewed: string;
  record?: string;
  keep?: string;
  stacks: string[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const out: Partial<Args> & { stacks: string[] } = { stacks: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--tree') out.tree = value();
    else if (a === '--rev') out.rev = value();
    else if (a === '--ours') out.ours = value();
    else if (a === '--reviewed') out.reviewed = value();
    else if (a === '--record') out.record = value();
    else if (a === '--keep') out.keep = value();
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else out.stacks.push(a);
  }
  if (!out.tree) throw new UsageError('--tree <path> is required');
  return { reviewed: path.join(REPO_ROOT, 'rehearsal'), ...out, tree: out.tree };
}

interface Tf {
  env: NodeJS.ProcessEnv;
  version: string;
}

function terraform(tf: Tf, cwd: string, args: string[], extraEnv: Record<string, string> = {}): string {
  const r = spawnSync(process.env['TERRAFORM_BINARY'] ?? 'terraform', args, {
    cwd,
    env: { ...tf.env, ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.error) throw new Error(`terraform ${args[0]}: ${r.error.message}`);
  if (r.status !== 0) {
    // Errors are on stderr; the plan Terraform printed before failing (stdout) only when stderr is empty.
    const text = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(0, 40).join('\n');
    throw new Error(`terraform ${args.join(' ')} failed in ${cwd}:\n${text}`);
  }
  return r.stdout;
}

const STAND_IN_CERT = 'rehearsal stand-in certificate (the same file on both sides)\n';
const STAND_IN_KEY = 'rehearsal stand-in key (the same file on both sides)\n';
/** The infra repository's git-crypt key: the tree reads `.git/git-crypt/keys/default`, we `secrets/git-crypt-key`. */
const STAND_IN_GIT_CRYPT_KEY = 'rehearsal stand-in git-crypt key (the same file on both sides)\n';

function writeSecrets(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'fullchain.pem'), STAND_IN_CERT);
  fs.writeFileSync(path.join(dir, 'privkey.pem'), STAND_IN_KEY);
  fs.writeFileSync(path.join(dir, 'git-crypt-key'), STAND_IN_GIT_CRYPT_KEY);
}

/** The tree's git-crypt key where its stacks read it (`${path.root}/../../.git/git-crypt/keys/default`). */
function writeTreeGitCryptKey(stackDir: string): void {
  const dir = path.join(stackDir, '..', '..', '.git', 'git-crypt', 'keys');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'default'), STAND_IN_GIT_CRYPT_KEY);
}

function tfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== '.terraform') out.push(...tfFiles(p));
    else if (e.isFile() && e.name.endsWith('.tf')) out.push(p);
  }
  return out;
}

/** Whether a synthesized cdk.tf.json declares any resource or data source. */
function declaresResources(ourJson: string): boolean {
  const parsed = JSON.parse(ourJson) as { resource?: object; data?: object };
  return Object.keys(parsed.resource ?? {}).length + Object.keys(parsed.data ?? {}).length > 0;
}

interface TreeRoot {
  rootDir: string;
  rewrites: Rewrite[];
  notes: string[];
  texts: string[];
}

/** The tree side: extract, rewrite, generate, apply. */
function buildTreeRoot(
  tree: TreeSource,
  stack: string,
  work: string,
  tf: Tf,
  keysFile: string,
  ourJson: string,
): TreeRoot {
  const base = path.join(work, 'tree');
  const stackRel = `stacks/${stack}`;
  tree.extract(stackRel, base);
  // The modules the stack uses, and theirs (relative sources only).
  const pending = [stackRel];
  const done = new Set<string>();
  while (pending.length) {
    const rel = pending.pop()!;
    if (done.has(rel)) continue;
    done.add(rel);
    const dir = path.join(base, rel);
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.tf'))) {
      for (const src of moduleSources(fs.readFileSync(path.join(dir, f), 'utf8'))) {
        const target = path.posix.normalize(path.posix.join(rel, src));
        if (target.startsWith('..')) throw new Error(`${rel}/${f}: module source ${src} leaves the tree`);
        if (!done.has(target)) {
          tree.extract(target, base);
          pending.push(target);
        }
      }
    }
  }
  // Tree files outside the stack directory the stack reads by relative path (our `_repo` payloads).
  for (const p of declaredPayloads(ourJson)) {
    if (p.stack === REPO_PAYLOAD_STACK) tree.extract(p.file, base);
  }
  const rootDir = path.join(base, stackRel);
  const notes: string[] = [];
  for (const g of GENERATED_FILES) {
    if (fs.existsSync(path.join(rootDir, g))) {
      fs.rmSync(path.join(rootDir, g));
      notes.push(`replaced the tracked (stale) generated ${stackRel}/${g} with the rehearsal's own`);
    }
  }
  const rewrites: Rewrite[] = [];
  const texts: string[] = [];
  for (const file of tfFiles(base)) {
    const rel = path.relative(base, file);
    const r = rewriteForTerraform111(rel, fs.readFileSync(file, 'utf8'));
    if (r.rewrites.length) fs.writeFileSync(file, r.text);
    rewrites.push(...r.rewrites);
    texts.push(r.text);
  }
  const rootTexts = fs
    .readdirSync(rootDir)
    .filter((n) => n.endsWith('.tf'))
    .map((n) => fs.readFileSync(path.join(rootDir, n), 'utf8'));
  // A tombstone (nothing declared) is rehearsed only against a port that declares nothing either (the
  // plan then proves the empty state stays empty); a live port needs a --rev where the tree is live.
  if (!/^\s*(resource|data|module)\s+"/m.test(rootTexts.join('\n')) && declaresResources(ourJson)) {
    throw new Error(
      `the tree's ${stackRel} declares nothing at this revision (a tombstone?): pick a --rev where it is live`,
    );
  }
  const gen = rehearsalRootFiles(usedProviders(texts), texts);
  if (gen.unstubbed.length) throw new Error(`uses providers without a stub: ${gen.unstubbed.join(', ')}`);
  for (const [name, content] of Object.entries(gen.files))
    fs.writeFileSync(path.join(rootDir, name), content);
  notes.push(`providers.tf: left out ${gen.dropped.join(', ')} (not used by the stack)`);
  const vars = siteTfvars(requiredVariables(rootTexts), DEFAULT_SITE);
  if (vars.missing.length)
    throw new Error(`no site value (lib/conventions/site.ts) for variable(s) ${vars.missing.join(', ')}`);
  fs.writeFileSync(
    path.join(rootDir, 'rehearsal.auto.tfvars.json'),
    JSON.stringify(vars.values, null, 2) + '\n',
  );
  const secrets = path.join(rootDir, 'secrets');
  fs.rmSync(secrets, { recursive: true, force: true });
  writeSecrets(secrets);
  writeTreeGitCryptKey(rootDir);
  fs.writeFileSync(
    keysFile,
    JSON.stringify(scanDataKeys(...texts, ...Object.values(gen.files), ourJson), null, 2) + '\n',
  );
  terraform(tf, rootDir, ['init', '-input=false', '-no-color', '-backend=false']);
  terraform(tf, rootDir, ['apply', '-auto-approve', '-input=false', '-no-color', '-lock=false'], {
    TF_STUB_DATA_KEYS: keysFile,
  });
  return { rootDir, rewrites, notes, texts };
}

interface StackOutcome {
  stack: string;
  result?: StackRehearsal;
  error?: string;
  rewrites: Rewrite[];
}

function loadReviewed(dir: string, stack: string): ReviewedDifference[] {
  const file = path.join(dir, `${stack}.json`);
  if (!fs.existsSync(file)) return [];
  const parsed = parseReviewed(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file) || file);
  if (parsed.stack !== stack) throw new Error(`${file}: "stack" is ${parsed.stack}, expected ${stack}`);
  return [...parsed.reviewed];
}

function rehearseStack(
  tree: TreeSource,
  stack: string,
  oursDir: string,
  work: string,
  getTf: () => Tf,
  args: Args,
): StackOutcome {
  const outcome: StackOutcome = { stack, rewrites: [] };
  const dir = path.join(work, stack);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ourFile = path.join(oursDir, 'stacks', stack, 'cdk.tf.json');
  if (!fs.existsSync(ourFile)) throw new Error(`no synthesized ${ourFile}`);
  const ourText = fs.readFileSync(ourFile, 'utf8');
  // Pre-flight: every tree payload our JSON reads must exist in the tree (before any terraform runs).
  const payloads = declaredPayloads(ourText);
  const missing = payloads
    .filter((p) => !tree.has(payloadSource(p).file))
    .map(
      (p) =>
        `stack ${stack}: tree payload ${treePayloadRelPath(p.stack, p.file)} is missing: the tree has no ${payloadSource(p).file}`,
    );
  if (missing.length) throw new Error(missing.join('\n'));
  const tf = getTf();
  const keysFile = path.join(dir, 'data-keys.json');
  const treeRoot = buildTreeRoot(tree, stack, dir, tf, keysFile, ourText);
  outcome.rewrites = treeRoot.rewrites;
  for (const r of treeRoot.rewrites) console.log(`  ${formatRewrite(r)}`);
  for (const n of treeRoot.notes) console.log(`  note: ${n}`);

  // Our side: <ours>/cdktf.out/stacks/<stack>/ three levels below a root with the same secrets/ and the
  // tree's payloads.
  const ours = path.join(dir, 'ours');
  const runDir = path.join(ours, 'cdktf.out', 'stacks', stack);
  fs.mkdirSync(runDir, { recursive: true });
  writeSecrets(path.join(ours, 'secrets'));
  for (const p of payloads) {
    const dest = path.join(ours, treePayloadRelPath(p.stack, p.file));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    // From a fresh extract: the tree root's copies of modules may carry the Terraform 1.11 rewrites.
    const src = payloadSource(p).file;
    const from = path.join(dir, 'payload-sources');
    tree.extract(src, from);
    fs.writeFileSync(dest, payloadContent(p, fs.readFileSync(path.join(from, src))));
  }
  const config = JSON.parse(ourText) as Record<string, unknown>;
  const tfBlock = { ...(config['terraform'] as Record<string, unknown>) };
  delete tfBlock['backend'];
  fs.writeFileSync(
    path.join(runDir, 'cdk.tf.json'),
    JSON.stringify({ ...config, terraform: tfBlock }, null, 2),
  );
  // Operator-supplied variables: the stand-ins the tree side got (siteTfvars), so they plan equal.
  const standIns = operatorStandIns(config);
  if (Object.keys(standIns).length)
    fs.writeFileSync(
      path.join(runDir, 'rehearsal.auto.tfvars.json'),
      JSON.stringify(standIns, null, 2) + '\n',
    );
  fs.copyFileSync(path.join(treeRoot.rootDir, 'terraform.tfstate'), path.join(runDir, 'terraform.tfstate'));
  terraform(tf, runDir, ['init', '-input=false', '-no-color']);
  terraform(
    tf,
    runDir,
    ['plan', '-refresh=false', '-input=false', '-no-color', '-lock=false', '-out=rehearsal.tfplan'],
    {
      TF_STUB_DATA_KEYS: keysFile,
    },
  );
  const json = terraform(tf, runDir, ['show', '-json', 'rehearsal.tfplan']);
  fs.writeFileSync(path.join(runDir, 'plan.json'), json);
  outcome.result = analyseRehearsal(
    stack,
    parsePlan(json, `${stack} plan`),
    loadReviewed(args.reviewed, stack),
  );
  return outcome;
}

function synthOurs(stacks: readonly string[], work: string): string {
  const out = path.join(work, 'cdktf.out');
  const r = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'dist', 'synth.js'), ...stacks, '--outdir', out],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`synth failed:\n${r.stderr}${r.stdout}`);
  return out;
}

function registryStacks(): string[] {
  // The registry, read from the bundled synth's --list (keeps this CLI free of the app's construct tree).
  const out = execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'synth.js'), '--list'], {
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .map((l) => l.split(/\s+/)[0])
    .filter(Boolean);
}

interface RecordEntry {
  tree: string;
  rev: string;
  commit: string;
  terraform: string;
  result: string;
  moves: number;
  changes: number;
  reviewed: number;
  unreviewed: number;
  rewrites: number;
}

function record(file: string, tree: TreeSource, tf: Tf, rows: { row: SummaryRow; rewrites: number }[]): void {
  const existing = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { stacks?: Record<string, RecordEntry> })
    : {};
  const stacks: Record<string, RecordEntry> = { ...(existing.stacks ?? {}) };
  for (const { row, rewrites } of rows) {
    stacks[row.stack] = {
      tree: tree.name,
      rev: tree.rev,
      commit: tree.commit,
      terraform: tf.version,
      result: row.result,
      moves: row.moves,
      changes: row.changes,
      reviewed: row.reviewed,
      unreviewed: row.unreviewed,
      rewrites,
    };
  }
  const sorted = Object.fromEntries(Object.entries(stacks).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(file, JSON.stringify({ stacks: sorted }, null, 2) + '\n');
}

export function main(argv: readonly string[]): number {
  let args: Args;
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    args = parsed;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`rehearse: ${e.message} (--help for usage)`);
      return 2;
    }
    throw e;
  }
  let tree: TreeSource;
  try {
    tree = openTree(args.tree, args.rev);
  } catch (e) {
    console.error(`rehearse: ${(e as Error).message}`);
    return 2;
  }
  const work = args.keep ? path.resolve(args.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-'));
  fs.mkdirSync(work, { recursive: true });
  try {
    const treeStacks = new Set(tree.stacks());
    let stacks = args.stacks;
    if (!stacks.length) {
      const ours = args.ours ? fs.readdirSync(path.join(args.ours, 'stacks')) : registryStacks();
      stacks = ours.filter((s) => treeStacks.has(s)).sort();
    }
    const unknown = stacks.filter((s) => !treeStacks.has(s));
    const oursDir = args.ours
      ? path.resolve(args.ours)
      : synthOurs(
          stacks.filter((s) => treeStacks.has(s)),
          work,
        );
    let tf: Tf | undefined;
    // Terraform and the stubs are set up on first use: a stack failing its pre-flight needs neither.
    const getTf = (): Tf => {
      if (tf) return tf;
      const stubs = prepareStubProviders({ dir: path.join(work, '.stubs') });
      const env = { ...process.env, ...stubs.env };
      const bin = process.env['TERRAFORM_BINARY'] ?? 'terraform';
      const versionJson = execFileSync(bin, ['version', '-json'], { env, encoding: 'utf8' });
      tf = { env, version: (JSON.parse(versionJson) as { terraform_version: string }).terraform_version };
      console.log(`  (terraform ${tf.version}, stub providers)`);
      return tf;
    };
    console.log(`rehearse: tree ${tree.name} ${tree.rev} (${tree.commit.slice(0, 12)})`);
    const rows: { row: SummaryRow; rewrites: number }[] = [];
    let failed = unknown.length > 0;
    for (const s of unknown) console.log(`\n== ${s}: the tree has no stacks/${s} at ${tree.rev}`);
    for (const stack of stacks.filter((s) => treeStacks.has(s))) {
      console.log(`\n== ${stack}`);
      try {
        const o = rehearseStack(tree, stack, oursDir, work, getTf, args);
        for (const line of formatRehearsal(o.result!)) console.log(line);
        const row = summaryRow(o.result!);
        console.log(`  result: ${row.result}`);
        rows.push({ row, rewrites: o.rewrites.length });
        if (!o.result!.clean) failed = true;
      } catch (e) {
        failed = true;
        console.log(`  ERROR: ${(e as Error).message.replace(/\n/g, '\n    ')}`);
        rows.push({
          row: {
            stack,
            moves: 0,
            changes: 0,
            reviewed: 0,
            unreviewed: 0,
            sensitivityOnly: 0,
            stale: 0,
            result: 'ERROR',
          },
          rewrites: 0,
        });
      }
    }
    console.log('\nsummary');
    for (const line of formatSummary(rows.map((r) => r.row))) console.log(`  ${line}`);
    const ran: Tf | undefined = tf;
    if (args.record && ran) {
      record(
        path.resolve(args.record),
        tree,
        ran,
        rows.filter((r) => r.row.result !== 'ERROR'),
      );
    }
    return failed ? 2 : 0;
  } finally {
    if (!args.keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
