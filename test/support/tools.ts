// The external tools the test suite runs, found once (PATH, then Debian's PostgreSQL directory), and the
// preflight that names every missing one in one line (test/support/global-setup.ts). Tests that need a tool
// call `tool(name)`: after the preflight it cannot be missing, so nothing is ever skipped silently.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Minimum Terraform for the end-to-end tests (the pinned CI version is 1.11.4). */
export const TERRAFORM_MIN = [1, 11] as const;

interface Requirement {
  /** What the line says is missing. */
  readonly what: string;
  /** The Debian package that provides it. */
  readonly apt?: string;
  /** Returns undefined when present, else why not (e.g. "missing", "1.5.7 < 1.11"). */
  readonly check: () => string | undefined;
}

const PG_BINS = ['initdb', 'pg_ctl', 'postgres', 'psql'] as const;
export type PgBin = (typeof PG_BINS)[number];

/** Absolute path of `name` on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A PostgreSQL binary: PATH first, then the newest /usr/lib/postgresql/<v>/bin (Debian keeps them there). */
export function pgBin(name: PgBin): string | undefined {
  const found = onPath(name);
  if (found) return found;
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs
    .readdirSync(base)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const file = path.join(base, v, 'bin', name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

function terraformProblem(): string | undefined {
  const r = spawnSync('terraform', ['version', '-json'], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  if (r.error || r.status !== 0) return 'terraform';
  const version = String((JSON.parse(r.stdout) as { terraform_version?: string }).terraform_version ?? '');
  const [major, minor] = version.split('.').map(Number);
  if (major > TERRAFORM_MIN[0] || (major === TERRAFORM_MIN[0] && minor >= TERRAFORM_MIN[1])) return undefined;
  return `terraform >= ${TERRAFORM_MIN.join('.')} (found ${version})`;
}

const REQUIREMENTS: readonly Requirement[] = [
  ...['bash', 'busybox', 'jq', 'curl', 'git', 'python3'].map((bin) => ({
    what: bin,
    apt: bin,
    check: () => (onPath(bin) ? undefined : bin),
  })),
  {
    what: 'PostgreSQL server binaries',
    apt: 'postgresql',
    check: () => {
      const missing = PG_BINS.filter((b) => !pgBin(b));
      return missing.length ? `PostgreSQL (${missing.join(', ')})` : undefined;
    },
  },
  { what: 'terraform', check: terraformProblem },
];

/** Every missing or too old tool, in one line, or undefined when all are there. */
export function preflight(): string | undefined {
  const problems: string[] = [];
  const apt: string[] = [];
  for (const r of REQUIREMENTS) {
    const problem = r.check();
    if (problem === undefined) continue;
    problems.push(problem);
    if (r.apt) apt.push(r.apt);
  }
  if (!problems.length) return undefined;
  const install = [
    apt.length ? `apt-get install ${apt.join(' ')}` : '',
    problems.some((p) => p.startsWith('terraform'))
      ? `terraform >= ${TERRAFORM_MIN.join('.')} from releases.hashicorp.com`
      : '',
  ].filter(Boolean);
  return `test preflight: missing ${problems.join(', ')}; install: ${install.join('; ')} (or run .ci/run, which does)`;
}

/** Path of a required tool; throws in one line if missing (the preflight has already reported it). */
export function tool(name: string): string {
  const found = (PG_BINS as readonly string[]).includes(name) ? pgBin(name as PgBin) : onPath(name);
  if (!found) throw new Error(`${name} is not installed (see the test preflight line)`);
  return found;
}
