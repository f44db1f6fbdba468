// Runs payloads/registry-integrity.sh under busybox sh against a fake OCI registry on 127.0.0.1.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { scriptPath } from '../../lib/core/paths';
import { type FakeResponse, type FakeServer, closedPort, run, startFakeServer } from '../support/fakes';

const SCRIPT = scriptPath('registry-integrity.sh');
const BUSYBOX = fs.realpathSync('/usr/bin/busybox');

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const blob = (label: string) => sha(`blob:${label}`);

interface Repo {
  tags: Record<string, string>; // tag -> manifest digest
  manifests: Map<string, { body: string; mediaType: string }>;
  blobs: Set<string>;
}

/** An in-memory registry: repositories hold content-addressed manifests and blobs. */
class Registry {
  readonly repos = new Map<string, Repo>();

  repo(name: string): Repo {
    let r = this.repos.get(name);
    if (!r) this.repos.set(name, (r = { tags: {}, manifests: new Map(), blobs: new Set() }));
    return r;
  }

  /** Adds an image manifest with a config and layers (all blobs present); returns its digest. */
  image(repo: string, layers: string[], mediaType = OCI_MANIFEST): string {
    const r = this.repo(repo);
    const config = blob(`config:${layers.join(',')}`);
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 10 },
      layers: layers.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: blob(l),
        size: 10,
      })),
    });
    const digest = sha(body);
    r.manifests.set(digest, { body, mediaType });
    r.blobs.add(config);
    for (const l of layers) r.blobs.add(blob(l));
    return digest;
  }

  /** Adds an index / manifest list over child manifests; returns its digest. */
  index(repo: string, children: string[], mediaType = OCI_INDEX): string {
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: children.map((digest) => ({ mediaType: OCI_MANIFEST, digest, size: 100 })),
    });
    const digest = sha(body);
    this.repo(repo).manifests.set(digest, { body, mediaType });
    return digest;
  }

  tag(repo: string, tag: string, digest: string): this {
    this.repo(repo).tags[tag] = digest;
    return this;
  }
}

interface FakeOptions {
  catalog?: () => FakeResponse | undefined;
  /** Catalog page size when the client asks for more; default: everything in one page. */
  catalogPage?: number;
  auth?: string;
}

async function fakeRegistry(reg: Registry, opts: FakeOptions = {}): Promise<FakeServer> {
  return startFakeServer((req) => {
    if (opts.auth !== undefined && req.headers.authorization !== opts.auth) return { status: 401, body: {} };
    const url = new URL(req.url, 'http://fake');
    if (url.pathname === '/v2/_catalog') {
      const override = opts.catalog?.();
      if (override) return override;
      const names = [...reg.repos.keys()].sort();
      const last = url.searchParams.get('last');
      const from = last ? names.findIndex((n) => n > last) : 0;
      const size = Math.min(
        Number(url.searchParams.get('n') ?? names.length),
        opts.catalogPage ?? names.length,
      );
      const page = from < 0 ? [] : names.slice(from, from + size);
      const more = from >= 0 && from + size < names.length;
      const headers: Record<string, string> = {};
      if (more) headers.link = `</v2/_catalog?n=${size}&last=${page[page.length - 1]}>; rel="next"`;
      return { body: { repositories: page }, headers };
    }
    const m = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+)$/.exec(url.pathname);
    const repo = m ? reg.repos.get(m[1]) : undefined;
    if (!m || !repo) return { status: 404, body: { errors: [{ code: 'NAME_UNKNOWN' }] } };
    if (m[2] === 'tags/list') return { body: { name: m[1], tags: Object.keys(repo.tags) } };
    const [kind, ref] = m[2].split('/');
    if (kind === 'manifests') {
      const digest = repo.tags[ref] ?? ref;
      const man = repo.manifests.get(digest);
      if (!man) return { status: 404, body: { errors: [{ code: 'MANIFEST_UNKNOWN' }] } };
      return { body: man.body, headers: { 'content-type': man.mediaType, 'docker-content-digest': digest } };
    }
    return repo.blobs.has(ref) ? { status: 200 } : { status: 404 };
  });
}

/** app: multi-arch index (2 platforms sharing a base layer) as v1 and latest; a plain manifest as v0. */
function healthyRegistry(): { reg: Registry; amd64: string; arm64: string; idx: string } {
  const reg = new Registry();
  const amd64 = reg.image('viktor/app', ['base', 'app-amd64']);
  const arm64 = reg.image('viktor/app', ['base', 'app-arm64']);
  const idx = reg.index('viktor/app', [amd64, arm64]);
  reg.tag('viktor/app', 'v1', idx).tag('viktor/app', 'latest', idx);
  reg.tag('viktor/app', 'v0', reg.image('viktor/app', ['base', 'old'], DOCKER_MANIFEST));
  reg.tag('viktor/infra/ci', 'abc123', reg.image('viktor/infra/ci', ['ci1', 'ci2', 'ci3']));
  return { reg, amd64, arm64, idx };
}

const env = (srv: FakeServer | string, extra: Record<string, string | undefined> = {}) => ({
  REGISTRY_URL: typeof srv === 'string' ? srv : srv.url,
  ...extra,
});
const probe = (e: Record<string, string | undefined>) => run([BUSYBOX, 'sh', SCRIPT], { env: e });
const paths = (srv: FakeServer, method: string) =>
  srv.requests.filter((r) => r.method === method).map((r) => new URL(r.url, 'http://fake').pathname);

// Concurrent: every case has its own fake registry and waits on its script run.
describe.concurrent('registry-integrity.sh', () => {
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  async function serve(reg: Registry, opts?: FakeOptions) {
    const srv = await fakeRegistry(reg, opts);
    cleanups.push(() => srv.close());
    return srv;
  }

  it('parses under busybox sh', async () => {
    expect(await run([BUSYBOX, 'sh', '-n', SCRIPT])).toMatchObject({ code: 0, stderr: '' });
  });

  it('passes when every manifest and blob is present, following indexes to their children', async () => {
    const { reg, amd64, arm64 } = healthyRegistry();
    const srv = await serve(reg);
    const r = await probe(env(srv));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // 3 tags of app (latest, v0, v1) + 1 of ci; manifests: latest + its 2 children, v1 (children seen),
    // v0, abc123 = 6; blobs per repo, each once: app config x3 + base, app-amd64, app-arm64, old = 7; ci 4.
    expect(r.stdout).toContain('summary: repos=2 tags=4 tags_skipped=0 manifests=6 blobs=11 missing=0\n');
    expect(paths(srv, 'GET')).toContain(`/v2/viktor/app/manifests/${amd64}`);
    expect(paths(srv, 'GET')).toContain(`/v2/viktor/app/manifests/${arm64}`);
    const heads = paths(srv, 'HEAD');
    expect(heads).toHaveLength(11);
    expect(new Set(heads).size).toBe(11);
    expect(heads).toContain(`/v2/viktor/app/blobs/${blob('base')}`);
    expect(heads).toContain(`/v2/viktor/infra/ci/blobs/${blob('ci3')}`);
    expect(paths(srv, 'GET').filter((p) => p.includes('/blobs/'))).toEqual([]);
    const manifestGets = srv.requests.filter((q) => q.url.includes('/manifests/'));
    for (const q of manifestGets)
      for (const t of [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST])
        expect(q.headers.accept).toContain(t);
    expect(srv.requests[0].url).toBe('/v2/_catalog?n=1000');
    expect(srv.requests.every((q) => q.headers.authorization === undefined)).toBe(true);
  });

  it('names a missing blob and a missing child manifest, checks everything else, exits 1', async () => {
    const { reg, arm64 } = healthyRegistry();
    reg.repo('viktor/app').manifests.delete(arm64);
    reg.repo('viktor/app').blobs.delete(blob('old'));
    const srv = await serve(reg);
    const r = await probe(env(srv));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`MISSING manifest viktor/app@${arm64} (manifest latest): HTTP 404\n`);
    expect(r.stdout).toContain(`MISSING blob viktor/app@${blob('old')} (manifest v0): HTTP 404\n`);
    // The other repository was still checked in full.
    expect(paths(srv, 'HEAD')).toContain(`/v2/viktor/infra/ci/blobs/${blob('ci3')}`);
    expect(r.stdout).toMatch(/summary: repos=2 tags=4 tags_skipped=0 manifests=6 blobs=\d+ missing=2\n/);
  });

  it('names a tag whose manifest is missing', async () => {
    const reg = new Registry();
    reg.tag('viktor/app', 'gone', sha('nothing'));
    reg.tag('viktor/app', 'ok', reg.image('viktor/app', ['l1']));
    const srv = await serve(reg);
    const r = await probe(env(srv));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MISSING manifest viktor/app:gone: HTTP 404\n');
    expect(r.stdout).toContain('summary: repos=1 tags=2 tags_skipped=0 manifests=2 blobs=2 missing=1\n');
  });

  it('reports a child manifest whose content does not match its digest', async () => {
    const reg = new Registry();
    const child = reg.image('viktor/app', ['l1']);
    const m = reg.repo('viktor/app').manifests.get(child)!;
    reg.repo('viktor/app').manifests.set(child, { ...m, body: m.body.replace('"size":10', '"size":11') }); // bit rot
    reg.tag('viktor/app', 'v1', reg.index('viktor/app', [child], DOCKER_LIST));
    const srv = await serve(reg);
    const r = await probe(env(srv));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `BROKEN manifest viktor/app@${child} (manifest v1): content has digest sha256:`,
    );
  });

  it('a failing catalog request exits 2 without checking anything', async () => {
    const srv = await serve(healthyRegistry().reg, { catalog: () => ({ status: 500, body: 'boom' }) });
    const r = await probe(env(srv));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read the catalog: HTTP 500');
    expect(srv.requests).toHaveLength(1);
  });

  it('an unreadable catalog or an unreachable registry exits 2', async () => {
    const srv = await serve(healthyRegistry().reg, { catalog: () => ({ body: '<html>' }) });
    expect((await probe(env(srv))).code).toBe(2);
    const port = await closedPort();
    const r = await probe(env(`http://127.0.0.1:${port}`));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read the catalog: no answer');
  });

  it('follows the catalog Link header page by page', async () => {
    const reg = new Registry();
    for (const n of ['a', 'b', 'c', 'd']) reg.repo(`viktor/${n}`); // no tags: keeps the run short
    reg.tag('viktor/e', 't', reg.image('viktor/e', ['e']));
    const srv = await serve(reg, { catalogPage: 2 });
    const r = await probe(env(srv));
    expect(r.code).toBe(0);
    expect(srv.requests.filter((q) => q.url.startsWith('/v2/_catalog')).map((q) => q.url)).toEqual([
      '/v2/_catalog?n=1000',
      '/v2/_catalog?n=2&last=viktor/b',
      '/v2/_catalog?n=2&last=viktor/d',
    ]);
    expect(r.stdout).toContain('summary: repos=5 tags=1 tags_skipped=0 manifests=1 blobs=2 missing=0\n');
  });

  it('checks only REPOSITORIES when given, and at most MAX_TAGS tags with latest first', async () => {
    const { reg } = healthyRegistry();
    for (const t of ['a', 'b', 'c']) reg.tag('viktor/app', t, reg.image('viktor/app', [`x${t}`]));
    const srv = await serve(reg);
    const r = await probe(env(srv, { REPOSITORIES: 'viktor/app', MAX_TAGS: '2' }));
    expect(r.code).toBe(0);
    expect(srv.requests.some((q) => q.url.startsWith('/v2/_catalog'))).toBe(false);
    expect(srv.requests.some((q) => q.url.includes('infra/ci'))).toBe(false);
    const tagGets = paths(srv, 'GET')
      .filter((p) => /\/manifests\/[^:]+$/.test(p))
      .map((p) => p.split('/').pop());
    expect(tagGets).toEqual(['latest', 'v1']);
    expect(r.stdout).toContain('tags=2 tags_skipped=4');
  });

  it('sends basic auth when REGISTRY_USER and REGISTRY_TOKEN are set', async () => {
    const auth = `Basic ${Buffer.from('viktor:pull-token').toString('base64')}`;
    const reg = new Registry();
    reg.tag('viktor/app', 'v1', reg.image('viktor/app', ['l1']));
    const srv = await serve(reg, { auth });
    const r = await probe(env(srv, { REGISTRY_USER: 'viktor', REGISTRY_TOKEN: 'pull-token' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('summary: repos=1 tags=1 tags_skipped=0 manifests=1 blobs=2 missing=0\n');
    expect(srv.requests.every((q) => q.headers.authorization === auth)).toBe(true);
  });

  it('a repository whose tag list fails is reported and the others are still checked', async () => {
    const { reg } = healthyRegistry();
    const srv = await serve(reg);
    const r = await probe(env(srv, { REPOSITORIES: 'viktor/nope viktor/infra/ci' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MISSING tag list viktor/nope: HTTP 404');
    expect(r.stdout).toContain('summary: repos=2 tags=1 tags_skipped=0 manifests=1 blobs=4 missing=1\n');
  });

  describe('invalid environment: exit 2, one message, no request', () => {
    const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
      ['no URL', { REGISTRY_URL: undefined }, /REGISTRY_URL is not set/],
      ['URL without scheme', { REGISTRY_URL: 'forgejo.viktorbarzin.me' }, /must start with http/],
      ['scheme without a host', { REGISTRY_URL: 'https:///' }, /REGISTRY_URL needs a host after the scheme/],
      ['user without token', { REGISTRY_USER: 'viktor' }, /REGISTRY_TOKEN is not/],
      ['token without user', { REGISTRY_TOKEN: 'x' }, /REGISTRY_USER is not/],
      ['MAX_TAGS=0', { MAX_TAGS: '0' }, /MAX_TAGS must be an integer >= 1/],
      ['MAX_TAGS=many', { MAX_TAGS: 'many' }, /MAX_TAGS must be an integer >= 1/],
      ['bad repository', { REPOSITORIES: 'viktor/app ../etc' }, /'..\/etc' is not a valid repository name/],
      ['upper-case repository', { REPOSITORIES: 'Viktor/App' }, /not a valid repository name/],
    ];
    it.each(cases)('%s', async (_label, extra, message) => {
      const srv = await serve(healthyRegistry().reg);
      const r = await probe({ REGISTRY_URL: srv.url, ...extra });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(srv.requests).toEqual([]);
    });
  });
});
