// The synth runner behind `npm run synth` (tools/cli/synth.ts): synthesizes stack definitions offline into
// <outdir>/stacks/<stack>/cdk.tf.json (the layout `cdktf deploy` uses), one result line per stack on
// stdout, progress on stderr (redrawn in place on a TTY, plain lines in CI and pipes). Output is written to
// a temporary directory and swapped in only when every stack synthesized: an invalid app never leaves a
// partial output. A failing stack's error names the stack and the construct path.
//
// It lives in lib/ (not in the CLI file) so other CLIs can reuse it: esbuild bundles an imported CLI's
// `require.main === module` guard into the importer, where it would be true.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp } from './app';
import { backendFor } from '../terraform/backends';
import { ConfigError } from '../validation/errors';
import type { InfraStack, StackDefinition } from './stack';
import { describeSynthError, stackCounts, suppressionLines, type StackCounts } from './synth-report';
import { withoutTokenTraces } from './token-traces';

process.env.CHECKPOINT_DISABLE ??= '1';

const USAGE = 'usage: npm run synth [-- <stack>...] [--outdir DIR] [--list]';

class UsageError extends Error {}

interface Args {
  readonly stacks: string[];
  readonly outdir: string;
  readonly list: boolean;
  readonly help: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const stacks: string[] = [];
  let outdir = 'cdktf.out';
  let list = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--list') list = true;
    else if (a === '-h' || a === '--help') help = true;
    else if (a === '--outdir') {
      const dir = argv[++i];
      if (!dir) throw new UsageError(`--outdir needs a directory (${USAGE})`);
      outdir = dir;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (${USAGE})`);
    else stacks.push(a);
  }
  return { stacks, outdir, list, help };
}

export interface SynthIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Progress redraws in place on a TTY; plain lines otherwise (CI, pipes). */
  readonly tty: boolean;
}

const processIo: SynthIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  tty: !!process.stderr.isTTY && !process.env.CI,
};

function listStacks(definitions: readonly StackDefinition[], io: SynthIo): void {
  const width = Math.max(5, ...definitions.map((d) => d.name.length));
  for (const def of [...definitions].sort((a, b) => a.name.localeCompare(b.name))) {
    const backend = Object.keys(backendFor(def.name))[0];
    const after = def.after?.length ? `  after ${def.after.join(',')}` : '';
    io.stdout(`${def.name.padEnd(width)}  ${backend.padEnd(5)}  ${def.description}${after}\n`);
  }
}

/**
 * The path of the last construct in depth-first order, usually the one declared last; undefined when
 * build() declared nothing yet (only the `builtIns` InfraStack adds itself exist).
 */
function lastDeclared(stack: InfraStack, builtIns: number): string | undefined {
  const all = stack.node.findAll();
  return all.length > builtIns ? all[all.length - 1].node.path : undefined;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

function resultLine(name: string, c: StackCounts, ms: number, width: number): string {
  return `${name.padEnd(width)}  resources ${pad(c.resources, 3)}  data ${pad(c.dataSources, 2)}  moved ${pad(c.moved, 2)}  ${pad(ms.toFixed(0), 5)} ms`;
}

/**
 * Synthesizes `definitions` as the CLI does; returns the exit code (0 ok, 1 failed, 2 bad usage). cdktf's token
 * creation stacks are off meanwhile (a third of the synth time; lib/synth/token-traces.ts) unless SYNTH_DEBUG
 * is set.
 */
export function runSynth(
  definitions: readonly StackDefinition[],
  argv: readonly string[],
  io: SynthIo = processIo,
): number {
  return withoutTokenTraces(() => synthesize(definitions, argv, io), !!process.env.SYNTH_DEBUG);
}

function synthesize(definitions: readonly StackDefinition[], argv: readonly string[], io: SynthIo): number {
  const t0 = performance.now();
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.stderr(`synth: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (args.list) {
    listStacks(definitions, io);
    return 0;
  }

  const finalDir = path.resolve(args.outdir);
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  // --outdir a/b/c works like mkdir -p: the temporary directory is a sibling of the final one.
  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  fs.rmSync(tmpDir, { recursive: true, force: true });
  const progress = (msg: string) => io.stderr(io.tty ? `\r\x1b[K${msg}` : `${msg}\n`);

  let current = '';
  // While a stack's build() runs, remember which stack and which construct was declared last: an error
  // that is not a ConfigError (which names its construct itself) then still points at the stack file.
  let building: InfraStack | undefined;
  let builtIns = 0; // constructs InfraStack itself adds (backend, provider, variable) before build()
  let declared = 0;
  const selected = args.stacks.length ? new Set(args.stacks).size : definitions.length;
  const tracked = definitions.map((def): StackDefinition => ({
    ...def,
    build: (stack) => {
      current = def.name;
      // On a TTY, declaring is progress too (plain CI logs keep one line per stack, from synthesis).
      if (io.tty) progress(`declare [${++declared}/${selected}] ${def.name}`);
      building = stack;
      builtIns = stack.node.findAll().length;
      def.build(stack);
      building = undefined;
    },
  }));
  try {
    const built = buildApp(tracked, { outdir: tmpDir, only: args.stacks });
    current = '';
    const { app, stacks } = built;
    const width = Math.max(24, ...stacks.map((s) => s.stackName.length));
    const session = { outdir: app.outdir, skipValidation: false, manifest: app.manifest };
    const ms = new Map(built.buildMs);
    for (const stack of stacks) {
      current = stack.stackName;
      const t = performance.now();
      stack.prepareStack();
      ms.set(current, (ms.get(current) ?? 0) + performance.now() - t);
    }
    const lines: string[] = [];
    const suppressed: string[] = [];
    const total: StackCounts = { resources: 0, dataSources: 0, moved: 0 };
    stacks.forEach((stack, i) => {
      current = stack.stackName;
      progress(`synth [${i + 1}/${stacks.length}] ${current}`);
      const t = performance.now();
      stack.synthesizer.synthesize(session);
      const file = path.join(app.outdir, app.manifest.forStack(stack).synthesizedStackPath);
      const counts = stackCounts(JSON.parse(fs.readFileSync(file, 'utf8')));
      total.resources += counts.resources;
      total.dataSources += counts.dataSources;
      total.moved += counts.moved;
      lines.push(resultLine(current, counts, (ms.get(current) ?? 0) + performance.now() - t, width));
      suppressed.push(...suppressionLines(current, stack.suppressions));
    });
    current = '';
    const appErrors = app.node.validate();
    if (appErrors.length) throw new Error(`app validation failed:\n  ${appErrors.join('\n  ')}`);
    app.manifest.writeToFile();
    fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, finalDir);
    if (io.tty) io.stderr('\r\x1b[K');
    io.stdout(lines.map((l) => `${l}\n`).join(''));
    io.stdout(`${resultLine(`total (${stacks.length} stacks)`, total, performance.now() - t0, width)}\n`);
    // Rule findings the stacks accept for tree parity, each with its reason (lib/synth/rules.ts).
    io.stdout(suppressed.map((l) => `${l}\n`).join(''));
    io.stderr(`synth: wrote ${path.relative(process.cwd(), finalDir) || '.'}/stacks/*/cdk.tf.json\n`);
    return 0;
  } catch (e) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    if (io.tty) io.stderr('\r\x1b[K');
    let message = describeSynthError(e, current);
    if (building && !(e instanceof ConfigError)) {
      const last = lastDeclared(building, builtIns);
      message += ` (while declaring the stack${last ? `; near construct ${last}` : ''})`;
    }
    io.stderr(`synth failed: ${message}\n`);
    if (process.env.SYNTH_DEBUG && e instanceof Error && !(e instanceof ConfigError))
      io.stderr(`${e.stack}\n`);
    return 1;
  }
}
