// Fakes for running the real shell scripts in tests: an HTTP server on 127.0.0.1, fake binaries first on
// PATH that record their arguments, and an async runner (the fake server lives in this process, so a
// synchronous spawn would deadlock it).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeResponse {
  readonly status?: number;
  readonly body?: string | object;
  readonly headers?: Record<string, string>;
}

export type FakeHandler = (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 with a random port. Every request is recorded. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      Promise.resolve()
        .then(() => handler(rec))
        .then(
          (r) => {
            const body =
              typeof r.body === 'string' || r.body === undefined ? (r.body ?? '') : JSON.stringify(r.body);
            const headers = {
              'content-type': typeof r.body === 'object' ? 'application/json' : 'text/plain',
              ...r.headers,
            };
            res.writeHead(r.status ?? 200, headers);
            res.end(body);
          },
          (err: unknown) => {
            res.writeHead(500);
            res.end(String(err));
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A temporary directory removed by the returned cleanup function. */
export function tempDir(prefix = 'infra-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface FakeCall {
  readonly name: string;
  readonly args: string[];
}

/**
 * A directory of fake executables to put first on PATH. Each fake appends one JSON line
 * `{"name": ..., "args": [...]}` to a shared log, then runs the shell body you give it
 * (with "$@" available). Read the calls back with `calls()`.
 */
export class FakeBins {
  readonly dir: string;
  private readonly log: string;
  private readonly cleanupFn: () => void;

  constructor() {
    const t = tempDir('fake-bin-');
    this.dir = t.dir;
    this.cleanupFn = t.cleanup;
    this.log = path.join(this.dir, '.calls.jsonl');
    fs.writeFileSync(this.log, '');
  }

  /**
   * Adds a fake binary. `body` is POSIX sh, run after the call is logged, e.g. `echo 3` or `exit 1`.
   */
  add(name: string, body = 'exit 0'): this {
    const file = path.join(this.dir, name);
    // The logger uses only sh builtins + printf so it works the same under bash, dash and busybox. sed
    // runs only for an argument that needs escaping (a fork per argument was most of a fake's cost).
    const script = [
      '#!/bin/sh',
      `__log='${this.log}'`,
      "__nl='",
      "'",
      `__line='{"name":"${name}","args":['`,
      '__sep=',
      'for __a in "$@"; do',
      '  case $__a in',
      '    *\\\\* | *\\"* | *"$__nl"*) __a=$(printf "%s" "$__a" | sed -e \'s/\\\\/\\\\\\\\/g\' -e \'s/"/\\\\"/g\') ;;',
      '  esac',
      '  __line="$__line$__sep\\"$__a\\""',
      '  __sep=,',
      'done',
      'printf \'%s]}\\n\' "$__line" >> "$__log"',
      body,
      '',
    ].join('\n');
    fs.writeFileSync(file, script, { mode: 0o755 });
    return this;
  }

  calls(name?: string): FakeCall[] {
    const lines = fs.readFileSync(this.log, 'utf8').split('\n').filter(Boolean);
    const all = lines.map((l) => JSON.parse(l) as FakeCall);
    return name ? all.filter((c) => c.name === name) : all;
  }

  /** PATH value with the fakes first. */
  path(rest = process.env.PATH ?? ''): string {
    return `${this.dir}:${rest}`;
  }

  cleanup(): void {
    this.cleanupFn();
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command asynchronously with a clean environment (only what you pass, plus PATH and HOME),
 * so nothing from the developer's shell leaks into a script under test.
 */
export function run(
  argv: readonly string[],
  opts: {
    env?: Record<string, string | undefined>;
    path?: string;
    cwd?: string;
    timeoutMs?: number;
    input?: string;
  } = {},
): Promise<RunResult> {
  const env: Record<string, string> = {
    PATH: opts.path ?? process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LC_ALL: 'C',
  };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A script that exits before reading stdin closes the pipe first: ignore that EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Absolute path of a bundled CLI in dist/ (built by the global test setup). */
export function distCli(name: string): string {
  return path.resolve(__dirname, '..', '..', 'dist', `${name}.js`);
}
