// t3-roster: derive the DevVM's t3 desired state (accounts, sticky ports, dispatch table, ttyd user map)
// from the Authentik `T3 Users` membership. Thin CLI around lib/domain/roster.ts: argument parsing and file I/O
// only. Prints JSON on stdout; on bad input prints one line on stderr, nothing on stdout, and exits 2.
import * as fs from 'node:fs';
import {
  deriveDesiredState,
  parseAdminEmails,
  parseMembers,
  parsePorts,
  RosterError,
} from '../../lib/domain/roster';

const USAGE = 'usage: t3-roster derive --members FILE --admin-emails a@x,b@y [--ports FILE]';

class UsageError extends Error {}

interface DeriveArgs {
  members: string;
  adminEmails: string;
  ports?: string;
}

const FLAGS: Record<string, keyof DeriveArgs> = {
  '--members': 'members',
  '--admin-emails': 'adminEmails',
  '--ports': 'ports',
};

function parseDeriveArgs(argv: readonly string[]): DeriveArgs {
  const got: Partial<DeriveArgs> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const key = FLAGS[flag];
    if (key === undefined) {
      throw new UsageError(
        arg.startsWith('-')
          ? `unknown flag ${JSON.stringify(flag)}`
          : `unexpected argument ${JSON.stringify(arg)}`,
      );
    }
    if (got[key] !== undefined) throw new UsageError(`${flag} given twice`);
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
    }
    got[key] = value;
  }
  if (got.members === undefined) throw new UsageError('--members is required');
  if (got.adminEmails === undefined) throw new UsageError('--admin-emails is required (pass "" for none)');
  return got as DeriveArgs;
}

function readJson(flag: string, file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`cannot read ${flag} file ${JSON.stringify(file)}: ${err.code ?? err.message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${flag} file ${JSON.stringify(file)} is not valid JSON: ${(e as Error).message}`);
  }
}

function derive(argv: readonly string[]): string {
  const args = parseDeriveArgs(argv);
  const members = parseMembers(readJson('--members', args.members));
  const ports = args.ports === undefined ? {} : parsePorts(readJson('--ports', args.ports));
  const admins = parseAdminEmails(args.adminEmails);
  const ds = deriveDesiredState(members, admins, ports);
  const out = {
    accounts: ds.accounts,
    dispatch: ds.dispatch,
    ports: ds.ports,
    ttyd_user_map: ds.ttyd_user_map,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function main(argv: readonly string[]): number {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === '-h' || cmd === '--help' || cmd === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (cmd === undefined) throw new UsageError(`missing subcommand (${USAGE})`);
    if (cmd !== 'derive') throw new UsageError(`unknown subcommand ${JSON.stringify(cmd)} (${USAGE})`);
    process.stdout.write(derive(rest));
    return 0;
  } catch (e) {
    const bad = e instanceof UsageError || e instanceof RosterError;
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`t3-roster: ${bad ? '' : 'internal error: '}${msg}\n`);
    return bad ? 2 : 1;
  }
}

process.exitCode = main(process.argv.slice(2));
