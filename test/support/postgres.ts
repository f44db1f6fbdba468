// A throwaway PostgreSQL cluster on loopback for end-to-end tests of the pg backend: initdb in a temp dir
// (trust auth, fsync off), a free port, the socket in the same dir. As root (CI containers), the server runs
// as the `postgres` user (or `nobody`): PostgreSQL refuses to run as root. Binaries from PATH or
// /usr/lib/postgresql/<v>/bin (test/support/tools.ts); the preflight has checked they exist.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { tool } from './tools';

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/terraform_state?sslmode=disable`, for PG_CONN_STR. */
  readonly connStr: string;
  readonly port: number;
  /** Runs one SQL statement with psql; returns stdout (unaligned, tuples only), throws on error. */
  sql(statement: string): string;
  /** Stops the server and removes its directory. */
  stop(): void;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** uid/gid to run the server as when we are root: `postgres` if it exists, else `nobody`. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    if (line) {
      const [, , uid, gid] = line.split(':');
      return { uid: Number(uid), gid: Number(gid) };
    }
  }
  throw new Error('running as root and there is no postgres or nobody user to run PostgreSQL as');
}

function must(bin: string, args: string[], opts: SpawnSyncOptions): string {
  const r = spawnSync(tool(bin), args, { encoding: 'utf8', timeout: 60_000, ...opts });
  if (r.status !== 0) {
    throw new Error(
      `${bin} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.error?.message ?? ''}${r.stderr}${r.stdout}`,
    );
  }
  return String(r.stdout);
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-pg-'));
  const data = path.join(dir, 'data');
  const user = serverUser();
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const asServer: SpawnSyncOptions = {
    ...(user ?? {}),
    cwd: dir,
    env: { PATH: process.env.PATH, LC_ALL: 'C' },
  };
  must(
    'initdb',
    ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    asServer,
  );
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  must(
    'pg_ctl',
    ['-D', data, '-o', opts, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start'],
    asServer,
  );
  const stop = () => {
    spawnSync(tool('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], {
      ...asServer,
      stdio: 'ignore',
    });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const psql = (db: string, statement: string) =>
    must(
      'psql',
      [
        '-X',
        '-q',
        '-At',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        db,
        '-c',
        statement,
      ],
      {
        env: { PATH: process.env.PATH },
      },
    );
  try {
    psql('postgres', 'create database terraform_state');
  } catch (e) {
    stop();
    throw e;
  }
  return {
    connStr: `postgres://postgres@127.0.0.1:${port}/terraform_state?sslmode=disable`,
    port,
    sql: (statement) => psql('terraform_state', statement).trim(),
    stop,
  };
}
