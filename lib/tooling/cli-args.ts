// Argument handling shared by the small CLIs (docs:stacks, bench:synth, bench:scale): every flag is
// checked before anything runs; `--help`/`-h` prints usage and exits 0 with no side effect; an unknown
// flag or a bad value prints one line and exits 2.

/** Flags a CLI takes: a boolean switch, or one taking a value (`--runs 5` or `--runs=5`). */
export type FlagSpec = Readonly<Record<string, 'switch' | 'value'>>;

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | true>>;
  readonly positional: readonly string[];
}

export class UsageError extends Error {}

/** Parses `argv` against `spec`; `'help'` when -h/--help is present. Throws UsageError. */
export function parseFlags(argv: readonly string[], spec: FlagSpec, positional = false): ParsedArgs | 'help' {
  if (argv.includes('-h') || argv.includes('--help')) return 'help';
  const flags: Record<string, string | true> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-')) {
      if (!positional) throw new UsageError(`unexpected argument ${a}`);
      rest.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option ${name}`);
    if (kind === 'switch') {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      flags[name] = true;
    } else {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
      flags[name] = v;
    }
  }
  return { flags, positional: rest };
}

/** An integer flag value in [min, max], or `fallback` when absent. Throws UsageError. */
export function intFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const raw = args.flags[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || v < min || v > max) {
    throw new UsageError(`invalid ${name} ${JSON.stringify(raw)}; allowed: an integer from ${min} to ${max}`);
  }
  return v;
}

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/**
 * Runs a CLI: parses, then calls `main` only with valid arguments. Returns the exit code: 0 for help,
 * 2 for a usage error (one line on stderr), else main's.
 */
export function runCli(
  name: string,
  usage: string,
  argv: readonly string[],
  spec: FlagSpec,
  main: (args: ParsedArgs) => number | void,
  options: { readonly positional?: boolean; readonly io?: CliIo } = {},
): number {
  const io = options.io ?? processIo;
  let args: ParsedArgs | 'help';
  try {
    args = parseFlags(argv, spec, options.positional ?? false);
    if (args === 'help') {
      io.stdout(`${usage}\n`);
      return 0;
    }
    return main(args) ?? 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`${name}: ${e.message} (${usage})\n`);
    return 2;
  }
}
