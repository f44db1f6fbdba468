// Runs payloads/t3-probe.py with python3 against a loopback WebSocket + HTTP server written here (plain ws://,
// a fake DoH endpoint, a switchable session endpoint) with sub-second intervals, and reads its metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptPath } from '../../lib/core/paths';
import { closedPort, run } from '../support/fakes';

const SCRIPT = scriptPath('t3-probe.py');
const FAST = {
  PROBE_PING_INTERVAL: '0.2',
  PROBE_RECV_TIMEOUT: '0.6',
  PROBE_CONNECT_TIMEOUT: '0.8',
  PROBE_SESSION_INTERVAL: '0.2',
  PROBE_SESSION_TIMEOUT: '1',
  PROBE_BACKOFF_STEP: '0.1',
  PROBE_BACKOFF_MAX: '0.3',
};

interface WsPeer {
  readonly path: string;
  readonly host: string;
  readonly socket: Duplex;
  readonly texts: string[];
  readonly pongs: string[];
  closeCode?: number;
}

/** Loopback server: WebSocket on any path (/echo echoes, /silent never answers, /hang never completes the
 * handshake, /reject answers 403), /dns-query (DoH JSON), /api/auth/session (status switchable). */
class FakeT3 {
  readonly peers: WsPeer[] = [];
  readonly dohQueries: { url: string; accept: string | undefined }[] = [];
  sessionStatus = 200;
  private readonly sockets = new Set<Duplex>();
  private server!: http.Server;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/dns-query') {
        this.dohQueries.push({ url: req.url ?? '', accept: req.headers.accept });
        const name = url.searchParams.get('name');
        const answer = name === 'probe.test' ? [{ name, type: 1, TTL: 60, data: '127.0.0.1' }] : [];
        res.writeHead(200, { 'content-type': 'application/dns-json' });
        res.end(JSON.stringify({ Status: answer.length ? 0 : 3, Answer: answer }));
      } else if (url.pathname === '/api/auth/session') {
        res.writeHead(this.sessionStatus, { 'content-type': 'application/json' });
        res.end('{"authenticated":false}');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    this.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => this.upgrade(req, socket));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex): void {
    socket.on('error', () => undefined);
    this.sockets.add(socket);
    const path = req.url ?? '/';
    if (path === '/hang') return;
    if (path === '/reject') {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const peer: WsPeer = { path, host: req.headers.host ?? '', socket, texts: [], pongs: [] };
    this.peers.push(peer);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const frame = parseClientFrame(buf);
        if (!frame) break;
        buf = buf.subarray(frame.size);
        if (frame.opcode === 0x1) {
          peer.texts.push(frame.payload.toString());
          if (path === '/echo') socket.write(serverFrame(0x1, frame.payload));
        } else if (frame.opcode === 0xa) {
          peer.pongs.push(frame.payload.toString());
        } else if (frame.opcode === 0x8) {
          peer.closeCode = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
        }
        if (!frame.masked) socket.destroy(); // clients must mask
      }
    });
  }

  /** Peers whose connection is still open, on `path`. */
  open(path: string): WsPeer[] {
    return this.peers.filter((p) => p.path === path && !p.socket.destroyed && !p.socket.writableEnded);
  }

  /** Sends a close frame with `code` to every open peer on `path`, then ends the TCP connection. */
  closeAll(path: string, code: number): WsPeer[] {
    const peers = this.open(path);
    for (const p of peers) {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code);
      p.socket.write(serverFrame(0x8, payload));
      setTimeout(() => p.socket.end(), 300);
    }
    return peers;
  }

  pingAll(path: string, text: string): WsPeer[] {
    const peers = this.open(path);
    for (const p of peers) p.socket.write(serverFrame(0x9, Buffer.from(text)));
    return peers;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function parseClientFrame(
  buf: Buffer,
): { opcode: number; masked: boolean; payload: Buffer; size: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let len = buf[1] & 0x7f;
  let off = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    off = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    off = 10;
  }
  const maskLen = masked ? 4 : 0;
  if (buf.length < off + maskLen + len) return undefined;
  const mask = buf.subarray(off, off + maskLen);
  const payload = Buffer.from(buf.subarray(off + maskLen, off + maskLen + len));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  return { opcode, masked, payload, size: off + maskLen + len };
}

function serverFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new Error('test frames are small');
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

interface Probe {
  readonly metricsUrl: string;
  readonly child: ChildProcess;
  stderr: string;
}

const probes: Probe[] = [];

async function startProbe(env: Record<string, string>): Promise<Probe> {
  const port = await closedPort();
  const child = spawn(python, [SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: '/tmp',
      PROBE_PORT: String(port),
      PROBE_BIND: '127.0.0.1',
      ...FAST,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const probe: Probe = { metricsUrl: `http://127.0.0.1:${port}/metrics`, child, stderr: '' };
  child.stderr?.on('data', (d: Buffer) => (probe.stderr += d.toString()));
  probes.push(probe);
  return probe;
}

async function scrape(p: Probe): Promise<string> {
  try {
    const res = await fetch(p.metricsUrl);
    return res.ok ? await res.text() : '';
  } catch {
    return '';
  }
}

function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

/** Polls the probe's metrics until `ok` holds (or fails after `ms`, showing metrics and the probe's log). */
async function until(p: Probe, what: string, ok: (m: string) => boolean, ms = 15_000): Promise<string> {
  const deadline = Date.now() + ms;
  let m = '';
  while (Date.now() < deadline) {
    m = await scrape(p);
    if (m && ok(m)) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n--- metrics ---\n${m}\n--- probe log ---\n${p.stderr}`);
}

const up = (leg: string) => (m: string) => sample(m, `t3probe_connected{leg="${leg}"}`) === 1;
const disc = (leg: string, reason: string) => (m: string) =>
  (sample(m, `t3probe_disconnects_total{leg="${leg}",reason="${reason}"}`) ?? 0) >= 1;

// python3 on PATH may be a version manager's shim (a shell script on every start): the interpreter it
// runs is resolved once.
let python = 'python3';
const fakes: FakeT3[] = [];

/** A FakeT3 per test: the tests run concurrently and count their own peers and DoH queries. */
async function startFake(): Promise<FakeT3> {
  const fake = new FakeT3();
  fakes.push(fake);
  await fake.start();
  return fake;
}

beforeAll(async () => {
  const r = await run(['python3', '-c', 'import sys; print(sys.executable)']);
  expect(r.code, r.stderr).toBe(0);
  python = r.stdout.trim();
});

afterAll(async () => {
  for (const p of probes) p.child.kill('SIGTERM');
  await Promise.all(
    probes.map((p) => new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.once('exit', r)))),
  );
  await Promise.all(fakes.map((f) => f.stop()));
});

// Concurrent: the cases mostly wait on the probes' timers.
describe.concurrent('t3-probe', { timeout: 60_000 }, () => {
  it('connects both WebSocket legs (DoH-resolved and pinned), measures RTT, tracks t3serve and close reasons', async () => {
    const fake = await startFake();
    const base = `http://127.0.0.1:${fake.port}`;
    const p = await startProbe({
      PROBE_WS_URL: `ws://probe.test:${fake.port}/echo`,
      PROBE_PIN_IP: '127.0.0.1',
      PROBE_DOH_URL: `${base}/dns-query`,
      PROBE_SESSION_URL: `${base}/api/auth/session`,
      PROBE_RECV_TIMEOUT: '3', // generous: a loaded CI machine must not cause spurious rtt_timeouts here
    });
    let m = await until(p, 'all legs up with an RTT', (t) =>
      ['cloudflare', 'internal', 't3serve'].every(
        (leg) => up(leg)(t) && (sample(t, `t3probe_rtt_seconds{leg="${leg}"}`) ?? -1) >= 0,
      ),
    );
    for (const name of [
      't3probe_connected gauge',
      't3probe_disconnects_total counter',
      't3probe_rtt_seconds gauge',
      't3probe_connection_age_seconds gauge',
      't3probe_last_disconnect_timestamp gauge',
    ]) {
      expect(m).toContain(`# TYPE ${name}`);
      expect(m).toContain(`# HELP ${name.split(' ')[0]} `);
    }
    expect(sample(m, 't3probe_rtt_seconds{leg="cloudflare"}')).toBeLessThan(3);
    // cloudflare resolved probe.test through DoH with the JSON accept header; both legs sent Host probe.test.
    expect(fake.dohQueries.length).toBeGreaterThanOrEqual(1);
    expect(fake.dohQueries[0].accept).toBe('application/dns-json');
    expect(new URL(fake.dohQueries[0].url, 'http://x').searchParams.get('name')).toBe('probe.test');
    expect(new URL(fake.dohQueries[0].url, 'http://x').searchParams.get('type')).toBe('A');
    const echoPeers = fake.peers.filter((x) => x.path === '/echo');
    expect(echoPeers.length).toBeGreaterThanOrEqual(2);
    for (const peer of echoPeers) expect(peer.host).toBe(`probe.test:${fake.port}`);
    expect(echoPeers[0].texts[0]).toMatch(/^ping \d{19}$/);

    // Pings keep flowing and the connection ages.
    // on both legs: the DoH-resolved one may have connected later
    await until(p, 'a few pings', () => {
      const open = fake.open('/echo');
      return open.length >= 2 && open.every((x) => x.texts.length >= 3);
    });
    m = await scrape(p);
    expect(sample(m, 't3probe_connection_age_seconds{leg="cloudflare"}')).toBeGreaterThan(0.2);

    // A server ping is answered with a pong carrying the same payload.
    const pinged = fake.pingAll('/echo', 'hello');
    expect(pinged.length).toBeGreaterThanOrEqual(2);
    await until(p, 'pong', () => pinged.every((x) => x.pongs.includes('hello')));

    // t3serve: 500 -> down with reason http_500; 200 -> up again.
    fake.sessionStatus = 500;
    m = await until(p, 't3serve down', (t) => !up('t3serve')(t) && disc('t3serve', 'http_500')(t));
    expect(sample(m, 't3probe_connection_age_seconds{leg="t3serve"}')).toBe(0);
    fake.sessionStatus = 200;
    await until(p, 't3serve up again', up('t3serve'));

    // The server closes with 4001: counted as closed_4001, the client echoes the close, and reconnects.
    const before = fake.peers.length;
    const t0 = Date.now() / 1000;
    const closed = fake.closeAll('/echo', 4001);
    expect(closed.length).toBeGreaterThanOrEqual(2);
    m = await until(
      p,
      'closed_4001 on both legs',
      (t) => disc('cloudflare', 'closed_4001')(t) && disc('internal', 'closed_4001')(t),
    );
    expect(sample(m, 't3probe_last_disconnect_timestamp{leg="internal"}')).toBeGreaterThanOrEqual(
      Math.floor(t0),
    );
    await until(p, 'the client echoes the close code', () => closed.every((x) => x.closeCode === 4001));
    await until(
      p,
      'reconnected',
      (t) => up('cloudflare')(t) && up('internal')(t) && fake.peers.length >= before + 2,
    );
  });

  it('classifies connect_failed, connect_timeout and rtt_timeout', async () => {
    const fake = await startFake();
    const dead = await closedPort();
    const leg = { PROBE_LEGS: 'internal', PROBE_PIN_IP: '127.0.0.1' };
    const [refused, rejected, hung, silent, nxdomain, noSession] = await Promise.all([
      startProbe({ ...leg, PROBE_WS_URL: `ws://probe.test:${dead}/echo` }),
      startProbe({ ...leg, PROBE_WS_URL: `ws://probe.test:${fake.port}/reject` }),
      startProbe({ ...leg, PROBE_WS_URL: `ws://probe.test:${fake.port}/hang` }),
      startProbe({ ...leg, PROBE_WS_URL: `ws://probe.test:${fake.port}/silent` }),
      startProbe({
        PROBE_LEGS: 'cloudflare',
        PROBE_WS_URL: `ws://nx.test:${fake.port}/echo`,
        PROBE_DOH_URL: `http://127.0.0.1:${fake.port}/dns-query`,
      }),
      startProbe({ PROBE_LEGS: 't3serve', PROBE_SESSION_URL: `http://127.0.0.1:${dead}/api/auth/session` }),
    ]);
    await Promise.all([
      until(refused, 'refused -> connect_failed', disc('internal', 'connect_failed')),
      until(rejected, '403 handshake -> connect_failed', disc('internal', 'connect_failed')),
      until(hung, 'no handshake -> connect_timeout', disc('internal', 'connect_timeout')),
      until(nxdomain, 'DoH without an answer -> connect_failed', disc('cloudflare', 'connect_failed')),
      until(noSession, 'session refused -> connect_failed', disc('t3serve', 'connect_failed')),
      until(silent, 'no echo -> rtt_timeout', (t) => disc('internal', 'rtt_timeout')(t)),
    ]);
    for (const p of [refused, rejected, hung, nxdomain]) {
      const m = await scrape(p);
      expect(m).toMatch(/t3probe_connected\{leg="(internal|cloudflare)"\} 0\n/);
      expect(m).not.toContain('t3probe_rtt_seconds{');
    }
    // Only the legs asked for are reported.
    expect(await scrape(noSession)).not.toContain('leg="cloudflare"');
  });

  it('rejects bad configuration with exit 2 and one line', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PROBE_WS_URL: 'http://x/ws' }, /PROBE_WS_URL must be a ws/],
      [{ PROBE_LEGS: 'cloudflare,bogus' }, /PROBE_LEGS/],
      [{ PROBE_PING_INTERVAL: '0' }, /PROBE_PING_INTERVAL must be a positive number/],
      [{ PROBE_PIN_IP: 'traefik' }, /PROBE_PIN_IP must be an IP address/],
      [{ PROBE_PORT: 'x' }, /PROBE_PORT must be a port number/],
    ];
    const results = await Promise.all(cases.map(([env]) => run([python, SCRIPT], { env })));
    results.forEach((r, i) => {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(cases[i][1]);
    });
  });
});
