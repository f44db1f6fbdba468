// `cdktf diff|deploy` of a pg-backend stack without PG_CONN_STR: the synthesized backend has no conn_str
// (Terraform reads PG_CONN_STR, as the tree does), so `terraform init` would dial the driver's default,
// 127.0.0.1:5432, and fail with a connection error that names neither the variable nor the stack. The app
// refuses first, naming both. Terraform cannot do it itself: the backend is configured at init, before any
// expression of the configuration is evaluated.
//
// cdktf runs the app the same way for synth, list, diff and deploy (only CDKTF_OUTDIR/CDKTF_CONTEXT_JSON
// in the environment), so the app reads the command from the cdktf CLI process that started it (its
// ancestor: cdktf -> sh -c "<app>" -> node dist/main.js). Synth and list need no credentials; neither does
// `npm run synth` (a different entry point).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** cdktf commands that run Terraform against the stack's state (need the backend's credentials). */
export const STATE_COMMANDS: ReadonlySet<string> = new Set([
  'diff',
  'plan',
  'deploy',
  'apply',
  'destroy',
  'watch',
  'output',
  'outputs',
]);

export interface StackBackend {
  readonly name: string;
  /** Tier-0 stacks keep local state: no credentials. */
  readonly tier0: boolean;
}

/**
 * The message to stop with when `argv` (the cdktf CLI's arguments: command, then stacks and options) runs
 * Terraform against a pg stack and PG_CONN_STR is unset; undefined when nothing is missing.
 */
export function missingBackendCredentials(
  stacks: readonly StackBackend[],
  argv: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (!argv || env.PG_CONN_STR) return undefined;
  const words = argv.filter((a) => !a.startsWith('-'));
  const command = words[0];
  if (command === undefined || !STATE_COMMANDS.has(command)) return undefined;
  const known = new Map(stacks.map((s) => [s.name, s]));
  const named = words.slice(1).filter((w) => known.has(w));
  const selected = named.length ? named.map((n) => known.get(n)!) : stacks;
  const pg = selected.filter((s) => !s.tier0).map((s) => s.name);
  if (!pg.length) return undefined;
  const list = pg.length > 3 ? `${pg.slice(0, 3).join(', ')} and ${pg.length - 3} more` : pg.join(', ');
  return (
    `cdktf ${command}: PG_CONN_STR is not set. Stack ${list} keeps its state in the pg backend ` +
    `(schema_name = the stack name, no conn_str in the config: Terraform reads PG_CONN_STR), so terraform init ` +
    `would fail with "dial tcp 127.0.0.1:5432". Run: export PG_CONN_STR='postgres://<user>:<password>@<host>:5432/<db>' ` +
    `(cdktf synth / npm run synth need no credentials)`
  );
}

/** A process's parent pid and argv, from /proc (Linux) or ps (macOS, BSD); undefined when unknown. */
function processInfo(pid: number): { ppid: number; argv: string[] } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { ppid, argv };
  } catch {
    const r = spawnSync('ps', ['-o', 'ppid=', '-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    const m = r.status === 0 ? /^\s*(\d+)\s+(.*)$/.exec(r.stdout.trim()) : null;
    return m ? { ppid: Number(m[1]), argv: m[2].split(/\s+/) } : undefined;
  }
}

const isCdktfBin = (arg: string): boolean => {
  const base = path.basename(arg);
  return base === 'cdktf' || (base === 'cdktf.js' && arg.includes('cdktf-cli'));
};

/** The arguments of the cdktf CLI that started this process (`['diff', 'blog']`), if one did. */
export function cdktfInvocation(startPid = process.ppid): string[] | undefined {
  let pid = startPid;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    const info = processInfo(pid);
    if (!info) return undefined;
    const at = info.argv.findIndex(isCdktfBin);
    if (at >= 0) return info.argv.slice(at + 1);
    pid = info.ppid;
  }
  return undefined;
}
