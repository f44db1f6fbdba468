// `npm run synth [-- <stack>...] [--outdir DIR] [--list]`: synthesizes the app offline into
// cdktf.out/stacks/<stack>/cdk.tf.json (the layout `cdktf deploy` uses), one result line per stack on
// stdout, progress on stderr. Output is written to a temporary directory and swapped in only when every
// stack synthesized: an invalid app never leaves a partial cdktf.out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp } from '../lib/app';
import { backendFor } from '../lib/backends';
import { ConfigError } from '../lib/errors';
import { describeSynthError, stackCounts, type StackCounts } from '../lib/synth-report';
import { STACKS } from '../stacks';

process.env.CHECKPOINT_DISABLE ??= '1';

interface Args {
  readonly stacks: string[];
  readonly outdir: string;
  readonly list: boolean;
}

function parseArgs(argv: string[]): Args {
  const stacks: string[] = [];
  let outdir = 'cdktf.out';
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--list') list = true;
    else if (a === '--outdir') outdir = argv[++i] ?? fail('--outdir needs a directory');
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: npm run synth [-- <stack>...] [--outdir DIR] [--list]\n');
      process.exit(0);
    } else if (a.startsWith('-'))
      fail(`unknown option ${a} (usage: npm run synth [-- <stack>...] [--outdir DIR] [--list])`);
    else stacks.push(a);
  }
  return { stacks, outdir, list };
}

function fail(message: string): never {
  process.stderr.write(`synth: ${message}\n`);
  process.exit(1);
}

function listStacks(): void {
  for (const def of [...STACKS].sort((a, b) => a.name.localeCompare(b.name))) {
    const backend = Object.keys(backendFor(def.name))[0];
    const after = def.after?.length ? ` after ${def.after.join(',')}` : '';
    process.stdout.write(`${def.name.padEnd(22)} ${backend.padEnd(5)}${after}  ${def.description}\n`);
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

function line(name: string, c: StackCounts, ms: number, width: number): string {
  return `${name.padEnd(width)}  resources ${pad(c.resources, 3)}  data ${pad(c.dataSources, 2)}  moved ${pad(c.moved, 2)}  ${pad(ms.toFixed(0), 5)} ms`;
}

function main(): void {
  const t0 = performance.now();
  const args = parseArgs(process.argv.slice(2));
  if (args.list) return listStacks();

  const finalDir = path.resolve(args.outdir);
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  const tty = process.stderr.isTTY && !process.env.CI;
  const progress = (msg: string) => {
    if (tty) process.stderr.write(`\r\x1b[K${msg}`);
    else process.stderr.write(`${msg}\n`);
  };

  let current = '';
  try {
    const built = buildApp(STACKS, { outdir: tmpDir, only: args.stacks });
    const { app, stacks } = built;
    const width = Math.max(5, ...stacks.map((s) => s.stackName.length));
    const session = { outdir: app.outdir, skipValidation: false, manifest: app.manifest };
    const ms = new Map(built.buildMs);
    for (const stack of stacks) {
      current = stack.stackName;
      const t = performance.now();
      stack.prepareStack();
      ms.set(current, (ms.get(current) ?? 0) + performance.now() - t);
    }
    const lines: string[] = [];
    const total: StackCounts = { resources: 0, dataSources: 0, moved: 0 };
    stacks.forEach((stack, i) => {
      current = stack.stackName;
      progress(`synth [${i + 1}/${stacks.length}] ${current}`);
      const t = performance.now();
      stack.synthesizer.synthesize(session);
      const file = path.join(app.outdir, app.manifest.forStack(stack).synthesizedStackPath);
      const counts = stackCounts(JSON.parse(fs.readFileSync(file, 'utf8')));
      const elapsed = (ms.get(current) ?? 0) + performance.now() - t;
      total.resources += counts.resources;
      total.dataSources += counts.dataSources;
      total.moved += counts.moved;
      lines.push(line(current, counts, elapsed, width));
    });
    current = '';
    const appErrors = app.node.validate();
    if (appErrors.length) throw new Error(`app validation failed:\n  ${appErrors.join('\n  ')}`);
    app.manifest.writeToFile();
    fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, finalDir);
    if (tty) process.stderr.write('\r\x1b[K');
    process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
    process.stdout.write(
      `${line(`total (${stacks.length} stacks)`, total, performance.now() - t0, width).replace(/^/, '')}\n`,
    );
    process.stderr.write(
      `synth: wrote ${path.relative(process.cwd(), finalDir) || '.'}/stacks/*/cdk.tf.json\n`,
    );
  } catch (e) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    if (tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`synth failed: ${describeSynthError(e, current)}\n`);
    if (process.env.SYNTH_DEBUG && e instanceof Error && !(e instanceof ConfigError))
      process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
  }
}

main();
