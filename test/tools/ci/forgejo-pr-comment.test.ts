// Runs tools/ci/forgejo-pr-comment.sh under `busybox sh`, with the real curl and jq, against a fake Forgejo
// API on 127.0.0.1 that keeps the pull request's comments in memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../lib/core/paths';
import { PLAN_COMMENT_MARKER } from '../../../lib/review/plan-render';
import { SYNTH_DIFF_MARKER } from '../../../lib/review/synth-diff';
import {
  FakeBins,
  type FakeServer,
  type RecordedRequest,
  closedPort,
  run,
  startFakeServer,
  tempDir,
} from '../../support/fakes';

const SCRIPT = path.join(REPO_ROOT, 'tools', 'ci', 'forgejo-pr-comment.sh');
const TOKEN = 'f0e1d2c3b4a5968778695a4b3c2d1e0f12345678';
const BASE = '/api/v1/repos/viktor/infra';

interface Comment {
  id: number;
  body: string;
  user: { login: string };
}

/** A fake Forgejo: comments of PR 42, with optional injected failures per "METHOD path". */
class FakeForgejo {
  comments: Comment[] = [];
  nextId = 100;
  failures = new Map<string, { status: number; body: object | string }>();
  server!: FakeServer;

  async start(): Promise<void> {
    this.server = await startFakeServer((req) => this.handle(req));
  }

  reset(comments: Array<[number, string]> = []): void {
    this.comments = comments.map(([id, body]) => ({ id, body, user: { login: 'someone' } }));
    this.nextId = 100;
    this.failures.clear();
    this.server.requests.length = 0;
  }

  private handle(req: RecordedRequest) {
    const path = req.url.split('?')[0];
    const failure = this.failures.get(`${req.method} ${path}`);
    if (failure) return failure;
    if (req.headers.authorization !== `token ${TOKEN}`)
      return { status: 401, body: { message: 'unauthorized' } };
    if (req.method === 'GET' && path === `${BASE}/issues/42/comments`) return { body: this.comments };
    if (req.method === 'POST' && path === `${BASE}/issues/42/comments`) {
      const c = { id: this.nextId++, body: JSON.parse(req.body).body, user: { login: 'ci' } };
      this.comments.push(c);
      return { status: 201, body: c };
    }
    const m = /^\/api\/v1\/repos\/viktor\/infra\/issues\/comments\/(\d+)$/.exec(path);
    const c = m && this.comments.find((x) => x.id === Number(m[1]));
    if (m && !c) return { status: 404, body: { message: 'comment not found' } };
    if (c && req.method === 'PATCH') {
      c.body = JSON.parse(req.body).body;
      return { body: c };
    }
    if (c && req.method === 'DELETE') {
      this.comments = this.comments.filter((x) => x !== c);
      return { status: 204 };
    }
    return { status: 404, body: { message: `no route ${req.method} ${path}` } };
  }

  calls(): string[] {
    return this.server.requests.map((r) => `${r.method} ${r.url.replace(BASE, '')}`);
  }
}

const forgejo = new FakeForgejo();
const tmp = tempDir('forgejo-comment-');
const fakes = new FakeBins();
fakes.add('curl', `exec "${findBin('curl')}" "$@"`);

function findBin(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  throw new Error(`${name} not found on PATH`);
}

beforeAll(() => forgejo.start());
afterAll(async () => {
  await forgejo.server.close();
  tmp.cleanup();
  fakes.cleanup();
});
afterEach(() => {
  // The token never reaches argv: curl reads it from stdin.
  for (const c of fakes.calls('curl')) expect(c.args.join(' ')).not.toContain(TOKEN);
});

function part(name: string, body: string): string {
  const file = path.join(tmp.dir, name);
  fs.writeFileSync(file, body);
  return file;
}

const plan1 = () =>
  part('comment-1.md', `${PLAN_COMMENT_MARKER}\n### Terraform plan\n\npart one "quoted" \\ \n`);
const plan2 = () => part('comment-2.md', `${PLAN_COMMENT_MARKER}\n### Terraform plan (part 2/3)\n\ntwo\n`);
const plan3 = () => part('comment-3.md', `${PLAN_COMMENT_MARKER}\n### Terraform plan (part 3/3)\n\nthree\n`);

function post(files: string[], env: Record<string, string | undefined> = {}) {
  return run(['busybox', 'sh', SCRIPT, ...files], {
    path: fakes.path(),
    env: {
      FORGEJO_URL: `${forgejo.server.url}/`,
      FORGEJO_TOKEN: TOKEN,
      REPO: 'viktor/infra',
      PR_NUMBER: '42',
      ...env,
    },
  });
}

const others: Array<[number, string]> = [
  [1, 'LGTM'],
  // A reply quoting our comment contains the marker, but not at the start: not ours.
  [2, `> ${SYNTH_DIFF_MARKER}\n> ### Synth diff\n\nwhy is this changing?`],
];

describe('forgejo-pr-comment.sh', () => {
  it('creates the comment when the PR has none of ours', async () => {
    forgejo.reset(others);
    const file = plan1();
    const r = await post([file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`created comment 100 (${file})\n`);
    expect(forgejo.calls()).toEqual(['GET /issues/42/comments', 'POST /issues/42/comments']);
    expect(forgejo.comments.map((c) => c.id)).toEqual([1, 2, 100]);
    expect(forgejo.comments[2].body).toBe(fs.readFileSync(file, 'utf8'));
    const postReq = forgejo.server.requests[1];
    expect(postReq.headers['content-type']).toBe('application/json');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(fakes.calls('curl')).toHaveLength(2); // through the recording wrapper (see afterEach)
  });

  it('updates our comment in place (a plan replaces an earlier synth diff), leaving others alone', async () => {
    forgejo.reset([...others, [7, `${SYNTH_DIFF_MARKER}\n### Synth diff\n\nold`]]);
    const file = plan1();
    const r = await post([file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`updated comment 7 (${file})\n`);
    expect(forgejo.calls()).toEqual(['GET /issues/42/comments', 'PATCH /issues/comments/7']);
    expect(forgejo.comments.map((c) => [c.id, c.body.split('\n')[0]])).toEqual([
      [1, 'LGTM'],
      [2, `> ${SYNTH_DIFF_MARKER}`],
      [7, PLAN_COMMENT_MARKER],
    ]);
  });

  it('several parts map to several comments: update in order, create the missing ones', async () => {
    forgejo.reset([
      [9, `${PLAN_COMMENT_MARKER}\nold part 2`],
      ...others,
      [5, `${PLAN_COMMENT_MARKER}\nold part 1`],
    ]);
    const r = await post([plan1(), plan2(), plan3()]);
    expect(r.code, r.stderr).toBe(0);
    expect(forgejo.calls()).toEqual([
      'GET /issues/42/comments',
      'PATCH /issues/comments/5',
      'PATCH /issues/comments/9',
      'POST /issues/42/comments',
    ]);
    const ours = forgejo.comments.filter((c) => c.body.startsWith(PLAN_COMMENT_MARKER));
    expect(ours.map((c) => [c.id, c.body.split('\n')[1]])).toEqual([
      [9, '### Terraform plan (part 2/3)'],
      [5, '### Terraform plan'],
      [100, '### Terraform plan (part 3/3)'],
    ]);
  });

  it('a shorter comment deletes the parts left over from a longer one', async () => {
    forgejo.reset([
      [5, `${PLAN_COMMENT_MARKER}\n1`],
      [6, `${PLAN_COMMENT_MARKER}\n2`],
      [8, `${SYNTH_DIFF_MARKER}\n3`],
      ...others,
    ]);
    const r = await post([plan1()]);
    expect(r.code, r.stderr).toBe(0);
    expect(forgejo.calls()).toEqual([
      'GET /issues/42/comments',
      'PATCH /issues/comments/5',
      'DELETE /issues/comments/6',
      'DELETE /issues/comments/8',
    ]);
    expect(r.stdout).toContain('deleted comment 6 (left over from an earlier run)\n');
    expect(forgejo.comments.map((c) => c.id)).toEqual([5, 1, 2]);
  });

  it('an API error is one message with the request and HTTP status, exit 1, token not shown', async () => {
    forgejo.reset(others);
    forgejo.failures.set(`POST ${BASE}/issues/42/comments`, {
      status: 403,
      body: { message: 'token does not have at least one of required scope(s): [write:issue]' },
    });
    const r = await post([plan1()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `forgejo-pr-comment: POST ${forgejo.server.url}${BASE}/issues/42/comments failed: HTTP 403: ` +
        'token does not have at least one of required scope(s): [write:issue]\n',
    );
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('a non-JSON error body is shown cut; a listing that is not a list is refused', async () => {
    forgejo.reset();
    forgejo.failures.set(`GET ${BASE}/issues/42/comments`, { status: 502, body: 'Bad Gateway\n' });
    const r = await post([plan1()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/issues/42/comments failed: HTTP 502: Bad Gateway');
    forgejo.failures.set(`GET ${BASE}/issues/42/comments`, { status: 200, body: { message: 'weird' } });
    const r2 = await post([plan1()]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('the response is not a list of comments');
    expect(forgejo.calls().filter((c) => !c.startsWith('GET'))).toEqual([]);
  });

  it('an unreachable Forgejo is one message, exit 1', async () => {
    const port = await closedPort();
    const r = await post([plan1()], { FORGEJO_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^forgejo-pr-comment: GET http://127\\.0\\.0\\.1:${port}${BASE}/issues/42/comments: request failed \\(curl exit 7`,
      ),
    );
  });

  it.each([
    [{ FORGEJO_URL: undefined }, 'FORGEJO_URL is not set'],
    [{ FORGEJO_URL: 'forgejo.example.org' }, 'FORGEJO_URL must start with http:// or https://'],
    [{ FORGEJO_TOKEN: undefined }, 'FORGEJO_TOKEN is not set'],
    [{ FORGEJO_TOKEN: 'abc"; rm -rf /' }, 'FORGEJO_TOKEN has characters an access token never has'],
    [{ REPO: 'infra' }, "REPO must be owner/name (got 'infra')"],
    [{ REPO: 'a/b/c' }, "REPO must be owner/name (got 'a/b/c')"],
    [{ PR_NUMBER: 'abc' }, "PR_NUMBER must be a pull request number (got 'abc')"],
    [{ PR_NUMBER: undefined }, "PR_NUMBER must be a pull request number (got '')"],
  ])('bad configuration %j: exit 2 before any request', async (env, message) => {
    forgejo.reset();
    const r = await post([plan1()], env);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(`forgejo-pr-comment: ${message}`), r.stderr).toBe(true);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(forgejo.server.requests).toHaveLength(0);
  });

  it('bad input files: exit 2 before any request', async () => {
    forgejo.reset();
    const noMarker = part('plain.md', '### Terraform plan\n');
    const empty = part('empty.md', '');
    for (const [files, message] of [
      [[], 'usage: FORGEJO_URL=...'],
      [[path.join(tmp.dir, 'missing.md')], 'missing.md: no such file'],
      [[empty], 'empty.md: empty comment'],
      [[plan1(), noMarker], "plain.md: does not start with a '<!-- infra-cdktf:...-->' marker"],
    ] as const) {
      const r = await post([...files]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(forgejo.server.requests).toHaveLength(0);
  });
});
