// Runs payloads/forgejo-retention.sh under busybox sh against a fake Forgejo package API on 127.0.0.1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scriptPath } from '../../lib/core/paths';
import {
  FakeBins,
  type FakeResponse,
  type FakeServer,
  closedPort,
  run,
  startFakeServer,
  tempDir,
} from '../support/fakes';

const SCRIPT = scriptPath('forgejo-retention.sh');
const OWNER = 'viktor';
const TOKEN = 'tok-123';

interface Version {
  readonly name: string;
  readonly version: string;
  readonly created_at: string;
  readonly type?: string;
}

/** `count` versions of one package, `v001`.., one day apart starting 2026-01-01 (v001 oldest). */
function series(name: string, count: number, prefix = 'v'): Version[] {
  return Array.from({ length: count }, (_, i) => ({
    name,
    version: `${prefix}${String(i + 1).padStart(3, '0')}`,
    created_at: new Date(Date.UTC(2026, 0, 1 + i, 12)).toISOString().replace('.000Z', 'Z'),
  }));
}

/** A version created on 2026-<month>-<day>, for the always-kept extras. */
function v(name: string, version: string, createdAt = '2026-12-31T00:00:00Z'): Version {
  return { name, version, created_at: createdAt };
}

/** Deterministic interleaving, so the listing order is not the date order. */
function shuffled<T>(items: readonly T[]): T[] {
  const out: T[] = [];
  const even = items.filter((_, i) => i % 2 === 0);
  const odd = items.filter((_, i) => i % 2 === 1).reverse();
  for (let i = 0; i < Math.max(even.length, odd.length); i++) {
    if (i < odd.length) out.push(odd[i]);
    if (i < even.length) out.push(even[i]);
  }
  return out;
}

interface FakeForgejoOptions {
  /** Status for DELETE of name/version (decoded); default 204. */
  deleteStatus?: (name: string, version: string) => number;
  /** Override the answer for a listing page. */
  page?: (n: number) => FakeResponse | undefined;
  /** Login returned by GET /api/v1/user; default the owner. */
  login?: string;
}

/** A fake Forgejo serving `data` through the package API, 50 per page, like the real one. */
async function fakeForgejo(data: readonly Version[], opts: FakeForgejoOptions = {}): Promise<FakeServer> {
  const items = data.map((d) => ({ id: 1, type: 'container', ...d, owner: { login: OWNER } }));
  return startFakeServer((req) => {
    if (req.headers.authorization !== `token ${TOKEN}`)
      return { status: 401, body: { message: 'token required' } };
    const url = new URL(req.url, 'http://fake');
    if (req.method === 'GET' && url.pathname === '/api/v1/user')
      return { body: { login: opts.login ?? OWNER } };
    if (req.method === 'GET' && url.pathname === `/api/v1/packages/${OWNER}`) {
      if (url.searchParams.get('type') !== 'container') return { status: 400, body: { message: 'type?' } };
      const limit = Number(url.searchParams.get('limit'));
      const n = Number(url.searchParams.get('page'));
      const override = opts.page?.(n);
      if (override) return override;
      return { body: items.slice((n - 1) * limit, n * limit) };
    }
    const del = /^\/api\/v1\/packages\/viktor\/container\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && del) {
      const status = opts.deleteStatus?.(decodeURIComponent(del[1]), decodeURIComponent(del[2])) ?? 204;
      return { status, body: status >= 300 ? { message: `status ${status}` } : '' };
    }
    return { status: 404, body: { message: 'not found' } };
  });
}

function env(srv: FakeServer | string, extra: Record<string, string | undefined> = {}) {
  return {
    FORGEJO_HOST: typeof srv === 'string' ? srv : srv.url,
    FORGEJO_TOKEN: TOKEN,
    FORGEJO_OWNER: OWNER,
    KEEP_LAST_N: '3',
    DRY_RUN: 'false',
    ...extra,
  };
}

const BUSYBOX = fs.realpathSync('/usr/bin/busybox');
// 100 listing pages take ~20 s on a loaded 2-core machine: the page-bound test needs more than run()'s 20 s.
const retention = (e: Record<string, string | undefined>, p?: string) =>
  run(
    [BUSYBOX, 'sh', SCRIPT],
    p === undefined ? { env: e, timeoutMs: 60_000 } : { env: e, path: p, timeoutMs: 60_000 },
  );

const deletes = (srv: FakeServer) =>
  srv.requests
    .filter((r) => r.method === 'DELETE')
    .map((r) => r.url)
    .sort();
const listPages = (srv: FakeServer) =>
  srv.requests
    .filter((r) => r.method === 'GET' && r.url.startsWith(`/api/v1/packages/${OWNER}?`))
    .map((r) => new URL(r.url, 'http://fake').searchParams.get('page'));
const delUrl = (name: string, version: string) =>
  `/api/v1/packages/${OWNER}/container/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;

// Concurrent: every case has its own fake Forgejo (and temp dirs) and waits on its script run.
describe.concurrent('forgejo-retention.sh', () => {
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  async function forgejo(data: readonly Version[], opts?: FakeForgejoOptions) {
    const srv = await fakeForgejo(data, opts);
    cleanups.push(() => srv.close());
    return srv;
  }

  it('parses under busybox sh', async () => {
    const r = await run(['busybox', 'sh', '-n', SCRIPT]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  it('lists three pages and deletes all but the newest N, latest and cache tags of every package', async () => {
    const app = [
      ...series('app', 56),
      v('app', 'latest', '2026-01-02T00:00:00Z'), // old, but always kept
      v('app', 'cache', '2025-01-01T00:00:00Z'),
      v('app', 'buildcache', '2025-01-01T00:00:00Z'),
      v('app', 'Cache-v2', '2025-01-01T00:00:00Z'),
    ];
    const web = series('web', 50);
    const tiny = series('tiny', 2);
    const data = shuffled([...app, ...web, ...tiny]); // 112 items: pages of 50, 50, 12
    const srv = await forgejo(data);

    const r = await retention(env(srv, { KEEP_LAST_N: '45' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(listPages(srv)).toEqual(['1', '2', '3', '4']);
    const expected = [
      ...series('app', 11).map((x) => delUrl('app', x.version)), // v001..v011; v012..v056 are the newest 45
      ...series('web', 5).map((x) => delUrl('web', x.version)),
    ].sort();
    expect(deletes(srv)).toEqual(expected);
    expect(r.stdout).toContain('package app: versions=60 kept=49 to_delete=11 deleted=11 failed=0\n');
    expect(r.stdout).toContain('package web: versions=50 kept=45 to_delete=5 deleted=5 failed=0\n');
    expect(r.stdout).toContain('package tiny: versions=2 kept=2 to_delete=0 deleted=0 failed=0\n');
    expect(r.stdout).toContain(
      'total: packages=3 versions=112 kept=96 to_delete=16 deleted=16 failed=0 dry_run=false\n',
    );
    for (const keep of [
      'latest (latest)',
      'cache (cache)',
      'buildcache (cache)',
      'Cache-v2 (cache)',
      'v012 (newest)',
    ])
      expect(r.stdout).toContain(`keep app:${keep}`);
    // Every request carried the token.
    expect(srv.requests.every((q) => q.headers.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('orders by the instant in created_at, not by its text, and ignores non-container items', async () => {
    const srv = await forgejo([
      v('app', 'a', '2026-01-09T23:00:00Z'),
      v('app', 'b', '2026-01-10T01:00:00+03:00'), // 2026-01-09T22:00Z: older than a despite sorting after it
      v('app', 'c', '2026-01-09T23:30:00.5+00:00'), // newest
      { ...v('app', 'npm1', '2020-01-01T00:00:00Z'), type: 'npm' },
    ]);
    const r = await retention(env(srv, { KEEP_LAST_N: '2' }));
    expect(r.code).toBe(0);
    expect(deletes(srv)).toEqual([delUrl('app', 'b')]);
    expect(r.stderr).toContain('1 listed item(s) are not container packages and were ignored');
  });

  it('keeps digest-named (untagged) versions and undatable versions without counting them', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const srv = await forgejo([
      ...series('app', 4),
      v('app', digest, '2020-01-01T00:00:00Z'),
      v('app', 'weird', 'yesterday'),
    ]);
    const r = await retention(env(srv, { KEEP_LAST_N: '2' }));
    expect(r.code).toBe(0);
    expect(deletes(srv)).toEqual([delUrl('app', 'v001'), delUrl('app', 'v002')]);
    expect(r.stdout).toContain(`keep app:${digest} (digest)`);
    expect(r.stdout).toContain('keep app:weird (undated)');
    expect(r.stdout).toContain('package app: versions=6 kept=4 to_delete=2 deleted=2 failed=0');
  });

  it('deletes nothing when N is larger than the number of versions', async () => {
    const srv = await forgejo([...series('app', 5), ...series('web', 7)]);
    const r = await retention(env(srv, { KEEP_LAST_N: '10' }));
    expect(r.code).toBe(0);
    expect(deletes(srv)).toEqual([]);
    expect(r.stdout).toContain(
      'total: packages=2 versions=12 kept=12 to_delete=0 deleted=0 failed=0 dry_run=false',
    );
  });

  it('dry run is the default: no DELETE is sent and every would-be URL is printed', async () => {
    const srv = await forgejo(shuffled([...series('app', 5), ...series('infra/ci', 4)]));
    const r = await retention(env(srv, { KEEP_LAST_N: '2', DRY_RUN: undefined }));
    expect(r.code).toBe(0);
    expect(deletes(srv)).toEqual([]);
    expect(srv.requests.every((q) => q.method === 'GET')).toBe(true);
    const printed = r.stdout
      .split('\n')
      .filter((l) => l.includes('DRY-RUN would DELETE '))
      .map((l) => l.split('DRY-RUN would DELETE ')[1])
      .sort();
    expect(printed).toEqual(
      [
        delUrl('app', 'v001'),
        delUrl('app', 'v002'),
        delUrl('app', 'v003'),
        delUrl('infra/ci', 'v001'),
        delUrl('infra/ci', 'v002'),
      ]
        .map((u) => srv.url + u)
        .sort(),
    );
    expect(r.stdout).toContain('to_delete=5 deleted=0 failed=0 dry_run=true');
  });

  it('warns when the token belongs to someone other than the owner (the dry run cannot see the 403)', async () => {
    const srv = await forgejo(series('app', 3), { login: 'ci-pusher' });
    const r = await retention(env(srv, { KEEP_LAST_N: '1', DRY_RUN: 'true' }));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('the token belongs to ci-pusher, not to the package owner viktor');
  });

  it('a 403 on a DELETE fails the run after the other deletes were attempted, with the owner hint', async () => {
    const srv = await forgejo(shuffled([...series('app', 6), ...series('web', 4)]), {
      deleteStatus: (name, version) => (name === 'app' && version === 'v002' ? 403 : 204),
    });
    const r = await retention(env(srv, { KEEP_LAST_N: '2' }));
    expect(r.code).toBe(1);
    expect(deletes(srv)).toEqual(
      [
        ...['v001', 'v002', 'v003', 'v004'].map((x) => delUrl('app', x)),
        ...['v001', 'v002'].map((x) => delUrl('web', x)),
      ].sort(),
    );
    expect(r.stderr).toContain(`FAILED DELETE ${srv.url}${delUrl('app', 'v002')}: HTTP 403`);
    expect(r.stderr).toContain(
      'The token must belong to the package owner viktor (or to an owner of the organisation',
    );
    expect(r.stdout).toContain('package app: versions=6 kept=2 to_delete=4 deleted=3 failed=1');
    expect(r.stdout).toContain('package web: versions=4 kept=2 to_delete=2 deleted=2 failed=0');
  });

  it('a 401 on every DELETE fails the run and still attempts each one', async () => {
    const srv = await forgejo(series('app', 4), { deleteStatus: () => 401 });
    const r = await retention(env(srv, { KEEP_LAST_N: '1' }));
    expect(r.code).toBe(1);
    expect(deletes(srv)).toHaveLength(3);
    expect(r.stderr).toContain('3 DELETE(s) were refused with 401/403');
  });

  it('a 500 on a DELETE fails the run after the others', async () => {
    const srv = await forgejo(series('app', 5), {
      deleteStatus: (_name, version) => (version === 'v001' ? 500 : 204),
    });
    const r = await retention(env(srv, { KEEP_LAST_N: '2' }));
    expect(r.code).toBe(1);
    expect(deletes(srv)).toEqual(['v001', 'v002', 'v003'].map((x) => delUrl('app', x)).sort());
    expect(r.stderr).toContain('HTTP 500');
    expect(r.stderr).toContain('failed with a server error (5xx)');
    expect(r.stderr).not.toContain('refused with 401/403');
    expect(r.stdout).toContain('deleted=2 failed=1');
  });

  it('a failed listing on page 2 exits non-zero before any DELETE', async () => {
    for (const bad of [
      { status: 500, body: 'boom' },
      { body: '[{"name": "app", ' },
      { body: { message: 'x' } },
    ]) {
      const srv = await forgejo(series('app', 120), { page: (n) => (n === 2 ? bad : undefined) });
      const r = await retention(env(srv));
      expect(r.code).toBe(3);
      expect(listPages(srv)).toEqual(['1', '2']);
      expect(deletes(srv)).toEqual([]);
      expect(r.stderr).toMatch(/listing failed: page 2: (HTTP 500|the answer is not a JSON array)/);
      expect(r.stderr).toContain('nothing was deleted');
    }
  });

  it('a page that only looks like a JSON array fails the listing before any DELETE', async () => {
    const srv = await forgejo(series('app', 120), {
      page: (n) => (n === 2 ? { body: '[{"name": "app",]' } : undefined),
    });
    const r = await retention(env(srv));
    expect(r.code).toBe(3);
    expect(deletes(srv)).toEqual([]);
    expect(r.stderr).toContain('listing failed: the listing is not valid JSON');
  });

  it('an unreachable Forgejo exits non-zero', async () => {
    const port = await closedPort();
    const r = await retention(env(`http://127.0.0.1:${port}`));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('listing failed: page 1: no answer');
  });

  it('an empty registry is fine', async () => {
    const srv = await forgejo([]);
    const r = await retention(env(srv));
    expect(r.code).toBe(0);
    expect(listPages(srv)).toEqual(['1']);
    expect(r.stdout).toContain(
      'total: packages=0 versions=0 kept=0 to_delete=0 deleted=0 failed=0 dry_run=false',
    );
  });

  it('URL-encodes package names and versions', async () => {
    const srv = await forgejo([
      v('infra/ci', '1.0+build.7', '2026-01-01T00:00:00Z'),
      v('infra/ci', 'build:7', '2026-01-02T00:00:00Z'),
      v('infra/ci', '2.0', '2026-01-03T00:00:00Z'),
    ]);
    const r = await retention(env(srv, { KEEP_LAST_N: '1' }));
    expect(r.code).toBe(0);
    expect(deletes(srv)).toEqual([
      `/api/v1/packages/${OWNER}/container/infra%2Fci/1.0%2Bbuild.7`,
      `/api/v1/packages/${OWNER}/container/infra%2Fci/build%3A7`,
    ]);
  });

  it(
    'stops with an error at the page bound instead of acting on a partial listing',
    { timeout: 90_000 },
    async () => {
      // the default bound is 100 pages; a low MAX_PAGES shows the same refusal in a few requests
      expect(fs.readFileSync(scriptPath('forgejo-retention.sh'), 'utf8')).toContain(
        'MAX_PAGES=${MAX_PAGES:-100}',
      );
      const srv = await forgejo([], { page: (n) => ({ body: [v('app', `p${n}`)] }) });
      const r = await retention(env(srv, { MAX_PAGES: '3' }));
      expect(r.code).toBe(3);
      expect(listPages(srv)).toHaveLength(3);
      expect(deletes(srv)).toEqual([]);
      expect(r.stderr).toContain('still not at the end after 3 pages');
    },
  );

  describe('invalid environment: exit 2, one message, no request', () => {
    const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
      ['no host', { FORGEJO_HOST: undefined }, /FORGEJO_HOST is not set/],
      ['host without scheme', { FORGEJO_HOST: 'forgejo.local' }, /must start with http/],
      ['scheme without a host', { FORGEJO_HOST: 'http:///' }, /FORGEJO_HOST needs a host after the scheme/],
      ['empty authority before a path', { FORGEJO_HOST: 'http:///api' }, /needs a host after the scheme/],
      ['credentials in the URL', { FORGEJO_HOST: 'http://u:p@forgejo' }, /without credentials/],
      ['no token', { FORGEJO_TOKEN: '' }, /FORGEJO_TOKEN is not set/],
      ['token with a newline', { FORGEJO_TOKEN: 'a\nX-Evil: 1' }, /must not contain whitespace/],
      ['no owner', { FORGEJO_OWNER: undefined }, /FORGEJO_OWNER is not set/],
      ['max pages not a number', { MAX_PAGES: 'many' }, /MAX_PAGES must be an integer from 1 to 1000/],
      ['max pages too large', { MAX_PAGES: '5000' }, /MAX_PAGES must be an integer from 1 to 1000/],
      ['owner with a slash', { FORGEJO_OWNER: 'vik/tor' }, /not a valid Forgejo user name/],
      ['owner with a space', { FORGEJO_OWNER: 'vik tor' }, /not a valid Forgejo user name/],
      ['owner with leading dash', { FORGEJO_OWNER: '-viktor' }, /not a valid Forgejo user name/],
      ['owner with trailing dot', { FORGEJO_OWNER: 'viktor.' }, /not a valid Forgejo user name/],
      ['owner with doubled punctuation', { FORGEJO_OWNER: 'vik__tor' }, /not a valid Forgejo user name/],
      ['owner longer than 40', { FORGEJO_OWNER: 'a'.repeat(41) }, /not a valid Forgejo user name/],
      ['KEEP_LAST_N=0', { KEEP_LAST_N: '0' }, /KEEP_LAST_N must be an integer >= 1/],
      ['KEEP_LAST_N=-1', { KEEP_LAST_N: '-1' }, /KEEP_LAST_N must be an integer >= 1/],
      ['KEEP_LAST_N=ten', { KEEP_LAST_N: 'ten' }, /KEEP_LAST_N must be an integer >= 1/],
      ['KEEP_LAST_N=1.5', { KEEP_LAST_N: '1.5' }, /KEEP_LAST_N must be an integer >= 1/],
      ['DRY_RUN=yes', { DRY_RUN: 'yes' }, /DRY_RUN must be 'true' or 'false'/],
      ['DRY_RUN=TRUE', { DRY_RUN: 'TRUE' }, /DRY_RUN must be 'true' or 'false'/],
    ];
    it.each(cases)('%s', async (_label, extra, message) => {
      const srv = await forgejo(series('app', 5));
      const r = await retention(env(srv, extra));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(srv.requests).toEqual([]);
    });

    it('accepts a valid 40-character owner with inner punctuation', async () => {
      const owner = `a.b-c_d${'e'.repeat(33)}`;
      const srv = await startFakeServer(() => ({ body: [] }));
      cleanups.push(() => srv.close());
      const r = await retention(env(srv, { FORGEJO_OWNER: owner }));
      expect(r.code).toBe(0);
      expect(srv.requests.some((q) => q.url.startsWith(`/api/v1/packages/${owner}?`))).toBe(true);
    });
  });

  describe('curl and jq', () => {
    /** A PATH holding only busybox applets (and whatever the test adds): no curl, no jq. */
    function bareBin(): string {
      const t = tempDir('bare-bin-');
      cleanups.push(() => t.cleanup());
      for (const applet of ['sh', 'mktemp', 'rm', 'cat', 'head', 'tr', 'printf', 'sed', 'ln'])
        fs.symlinkSync(BUSYBOX, path.join(t.dir, applet));
      return t.dir;
    }

    it('exits 2 when they are missing and apk is not available', async () => {
      const srv = await forgejo(series('app', 5));
      const r = await retention(env(srv), bareBin());
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("required tool 'curl' is not installed");
      expect(srv.requests).toEqual([]);
    });

    it('installs them with apk when they are missing', async () => {
      const dir = bareBin();
      const which = async (tool: string) => (await run(['sh', '-c', `command -v ${tool}`])).stdout.trim();
      const [curl, jq] = [await which('curl'), await which('jq')];
      const bins = new FakeBins().add('apk', `ln -s '${curl}' '${dir}/curl' && ln -s '${jq}' '${dir}/jq'`);
      cleanups.push(() => bins.cleanup());
      const srv = await forgejo(series('app', 3));
      const r = await retention(env(srv, { KEEP_LAST_N: '1' }), bins.path(dir));
      expect(r.code).toBe(0);
      expect(bins.calls('apk').map((c) => c.args)).toEqual([['add', '--no-cache', 'curl', 'jq']]);
      expect(deletes(srv)).toEqual([delUrl('app', 'v001'), delUrl('app', 'v002')]);
    });
  });
});
