// Runs tools/ci/pr-plan.sh with fake `npm`, `terraform` and `git` first on PATH (recording their argv),
// the real jq, and the real tools/ci/forgejo-pr-comment.sh posting to a fake Forgejo API on 127.0.0.1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../lib/core/paths';
import { PLAN_COMMENT_MARKER } from '../../../lib/review/plan-render';
import { SYNTH_DIFF_MARKER } from '../../../lib/review/synth-diff';
import { FakeBins, type FakeServer, run, startFakeServer, tempDir } from '../../support/fakes';

const SCRIPT = path.join(REPO_ROOT, 'tools', 'ci', 'pr-plan.sh');
const TOKEN = 'abcdef0123456789abcdef0123456789abcdef01';

// npm run --silent <script> -- <args>: synth writes cdk.tf.json files for $FAKE_STACKS (name:backend ...);
// diff writes $FAKE_DIFF_JSON to --out and a synth-diff part to --comment-dir, exits $FAKE_DIFF_RC;
// plan-comment writes one plan part holding the plan files it was given.
const FAKE_NPM = `
script=$3
shift 4
case "$script" in
  synth)
    [ "\${FAKE_SYNTH_RC:-0}" = 0 ] || { echo 'synth failed: boom' >&2; exit 1; }
    for spec in $FAKE_STACKS; do
      mkdir -p "$2/stacks/\${spec%%:*}"
      printf '{"terraform":{"backend":{"%s":{}}}}' "\${spec#*:}" > "$2/stacks/\${spec%%:*}/cdk.tf.json"
    done ;;
  diff)
    while [ $# -gt 0 ]; do
      case "$1" in --out) out=$2; shift ;; --comment-dir) cdir=$2; shift ;; esac
      shift
    done
    printf '%s' "$FAKE_DIFF_JSON" > "$out"
    mkdir -p "$cdir"
    printf '<!-- infra-cdktf:synth-diff -->\n### Synth diff\n\nsynth diff body\n' > "$cdir/comment-1.md"
    exit "\${FAKE_DIFF_RC:-0}" ;;
  plan-comment)
    dir=$2
    shift 2
    mkdir -p "$dir"
    { printf '<!-- infra-cdktf:plan-comment -->\n### Terraform plan\n\n'; for f in "$@"; do cat "$f"; done; } > "$dir/comment-1.md"
    echo "$dir/comment-1.md" ;;
  *) echo "fake npm: unexpected script $script" >&2; exit 9 ;;
esac
`;

// terraform -chdir=DIR <verb> ...: fails plan for stacks in $FAKE_TF_FAIL; show prints a plan JSON that
// records whether the credentials, the kubeconfig file and the TLS files were there.
const FAKE_TERRAFORM = `
stack=$(basename "\${1#-chdir=}")
case "$2" in
  init) echo 'Terraform has been successfully initialized!' ;;
  plan)
    case " $FAKE_TF_FAIL " in *" $stack "*) echo "Error: connection refused ($stack)" >&2; exit 1 ;; esac
    for a in "$@"; do case "$a" in -out=*) echo "binary plan of $stack" > "\${a#-out=}" ;; esac; done
    echo 'Plan: 1 to add, 0 to change, 0 to destroy.' ;;
  show)
    kube=missing; [ -f "$TF_VAR_kube_config_path" ] && kube=$(cat "$TF_VAR_kube_config_path")
    tls=missing; [ -f secrets/privkey.pem ] && tls=present
    gitcrypt=missing; [ -f secrets/git-crypt-key ] && gitcrypt=$(cat secrets/git-crypt-key)
    printf '{"stack":"%s","pg":"%s","vault":"%s","kube":"%s","tls":"%s","gitcrypt":"%s"}\n' "$stack" "$PG_CONN_STR" "$VAULT_TOKEN" "$kube" "$tls" "$gitcrypt" ;;
esac
`;

const FAKE_GIT = `
case "$1" in
  fetch) exit "\${FAKE_FETCH_RC:-0}" ;;
  merge-base) echo 0123456789abcdef0123456789abcdef01234567 ;;
  *) echo "fake git: unexpected $*" >&2; exit 9 ;;
esac
`;

interface Comment {
  id: number;
  body: string;
}

// Each test gets its own fake Forgejo (and comment store), fake binaries and work directory, so the tests
// run concurrently: each waits on its bash run.
interface Context {
  readonly server: FakeServer;
  readonly fakes: FakeBins;
  readonly tmp: { dir: string; cleanup(): void };
  /** The fake Forgejo's comments on pull request 7. */
  comments: Comment[];
  nextId: number;
  failPosts: boolean;
}

const contexts: Context[] = [];
afterAll(async () => {
  for (const c of contexts.splice(0)) {
    await c.server.close();
    c.fakes.cleanup();
    c.tmp.cleanup();
  }
});

async function setup(): Promise<Context> {
  const state = { comments: [] as Comment[], nextId: 1, failPosts: false };
  const server = await startFakeServer((req) => {
    const p = req.url.split('?')[0];
    if (state.failPosts && req.method !== 'GET')
      return { status: 500, body: { message: 'database is locked' } };
    if (req.method === 'GET' && p === '/api/v1/repos/viktor/infra/issues/7/comments')
      return { body: state.comments };
    if (req.method === 'POST' && p === '/api/v1/repos/viktor/infra/issues/7/comments') {
      const c = { id: state.nextId++, body: JSON.parse(req.body).body };
      state.comments.push(c);
      return { status: 201, body: c };
    }
    const m = /\/issues\/comments\/(\d+)$/.exec(p);
    const c = m && state.comments.find((x) => x.id === Number(m[1]));
    if (c && req.method === 'PATCH') {
      c.body = JSON.parse(req.body).body;
      return { body: c };
    }
    if (c && req.method === 'DELETE') {
      state.comments = state.comments.filter((x) => x !== c);
      return { status: 204 };
    }
    return { status: 404, body: { message: 'not found' } };
  });
  const fakes = new FakeBins().add('npm', FAKE_NPM).add('terraform', FAKE_TERRAFORM).add('git', FAKE_GIT);
  const t: Context = Object.assign(state, { server, fakes, tmp: tempDir('pr-plan-') });
  contexts.push(t);
  return t;
}

const diffJson = (changed: string[], removed: string[] = []) =>
  JSON.stringify({ changedStacks: changed, stacksRemoved: removed, statefulDestroys: [] });

const CREDS = {
  PG_CONN_STR: 'postgres://terraform:pg-secret@pg/terraform',
  VAULT_TOKEN: 'hvs.vault-secret',
  KUBECONFIG_DATA: 'apiVersion: v1\nkind: Config',
};

function prPlan(t: Context, env: Record<string, string | undefined>) {
  return run(['bash', SCRIPT], {
    cwd: t.tmp.dir,
    path: t.fakes.path(),
    env: {
      BASE_REF: 'origin/main',
      FORGEJO_URL: t.server.url,
      FORGEJO_TOKEN: TOKEN,
      REPO: 'viktor/infra',
      PR_NUMBER: '7',
      FAKE_STACKS: 'alpha:pg beta:pg vault:local',
      FAKE_DIFF_JSON: diffJson(['alpha']),
      ...env,
    },
  });
}

const npmScripts = (t: Context) => t.fakes.calls('npm').map((c) => c.args[2]);
const tfCalls = (t: Context) => t.fakes.calls('terraform').map((c) => c.args);
const clearCalls = (t: Context) => fs.writeFileSync(path.join(t.fakes.dir, '.calls.jsonl'), '');

describe.concurrent('pr-plan.sh', () => {
  it('without credentials: synth, synth diff against the base, the synth diff posted; no terraform', async () => {
    const t = await setup();
    const r = await prPlan(t, {});
    expect(r.code, r.stderr).toBe(0);
    expect(npmScripts(t)).toEqual(['synth', 'diff']);
    expect(t.fakes.calls('npm')[0].args).toEqual(['run', '--silent', 'synth', '--', '--outdir', 'cdktf.out']);
    expect(t.fakes.calls('npm')[1].args).toEqual([
      'run',
      '--silent',
      'diff',
      '--',
      '--base',
      'origin/main',
      '--head-dir',
      'cdktf.out',
      '--format',
      'json',
      '--out',
      expect.stringMatching(/\/synth-diff\.json$/),
      '--comment-dir',
      expect.stringMatching(/\/synth-diff$/),
    ]);
    expect(tfCalls(t)).toEqual([]);
    expect(r.stderr).toContain('pr-plan: no cluster credentials: no terraform plan, posting the synth diff');
    expect(t.comments.map((c) => c.body)).toEqual([
      `${SYNTH_DIFF_MARKER}\n### Synth diff\n\nsynth diff body\n`,
    ]);
  });

  it('with credentials: init, plan and show -json per changed pg stack; the plan comment replaces the synth diff', async () => {
    const t = await setup();
    t.comments = [{ id: 50, body: `${SYNTH_DIFF_MARKER}\nfrom a run without credentials` }];
    t.nextId = 51;
    const r = await prPlan(t, { ...CREDS, FAKE_DIFF_JSON: diffJson(['alpha', 'beta']) });
    expect(r.code, r.stderr).toBe(0);
    const calls = tfCalls(t);
    expect(calls.map((a) => [a[0], a[1]])).toEqual([
      ['-chdir=cdktf.out/stacks/alpha', 'init'],
      ['-chdir=cdktf.out/stacks/alpha', 'plan'],
      ['-chdir=cdktf.out/stacks/alpha', 'show'],
      ['-chdir=cdktf.out/stacks/beta', 'init'],
      ['-chdir=cdktf.out/stacks/beta', 'plan'],
      ['-chdir=cdktf.out/stacks/beta', 'show'],
    ]);
    expect(calls[0]).toEqual(['-chdir=cdktf.out/stacks/alpha', 'init', '-input=false', '-no-color']);
    expect(calls[1]).toEqual([
      '-chdir=cdktf.out/stacks/alpha',
      'plan',
      '-input=false',
      '-no-color',
      '-lock=false',
      expect.stringMatching(/^-out=\/.*\/plans\/alpha\.tfplan$/),
    ]);
    expect(calls[2]).toEqual([
      '-chdir=cdktf.out/stacks/alpha',
      'show',
      '-json',
      expect.stringMatching(/^\/.*\/plans\/alpha\.tfplan$/),
    ]);
    const planComment = t.fakes.calls('npm').find((c) => c.args[2] === 'plan-comment')!;
    expect(planComment.args.slice(4)).toEqual([
      '--out-dir',
      expect.stringMatching(/\/plan-comment$/),
      expect.stringMatching(/\/plans\/alpha\.json$/),
      expect.stringMatching(/\/plans\/beta\.json$/),
    ]);
    // One comment, updated in place: the plan (everything was planned, nothing stateful destroyed).
    expect(t.comments).toHaveLength(1);
    expect(t.comments[0].id).toBe(50);
    expect(t.comments[0].body.startsWith(`${PLAN_COMMENT_MARKER}\n### Terraform plan`)).toBe(true);
    // terraform saw the credentials and the kubeconfig file.
    expect(t.comments[0].body).toContain(
      '{"stack":"alpha","pg":"postgres://terraform:pg-secret@pg/terraform","vault":"hvs.vault-secret","kube":"apiVersion: v1\nkind: Config","tls":"missing","gitcrypt":"missing"}',
    );
    expect(r.stderr).toContain('pr-plan: alpha: Plan: 1 to add, 0 to change, 0 to destroy.');
    // Nothing with secrets is left behind: plans, plan JSON and the kubeconfig lived in the work directory.
    const out = calls[1][5].slice('-out='.length);
    expect(fs.existsSync(path.dirname(path.dirname(out)))).toBe(false);
  });

  it('a changed tier-0 stack is not planned (local state): the synth diff joins the plan', async () => {
    const t = await setup();
    const r = await prPlan(t, { ...CREDS, FAKE_DIFF_JSON: diffJson(['alpha', 'vault']) });
    expect(r.code, r.stderr).toBe(0);
    expect(tfCalls(t).map((a) => a[0])).not.toContain('-chdir=cdktf.out/stacks/vault');
    expect(r.stderr).toContain('pr-plan: vault: local (tier-0) state, not planned in CI');
    expect(t.comments.map((c) => c.body.split('\n')[0])).toEqual([PLAN_COMMENT_MARKER, SYNTH_DIFF_MARKER]);
  });

  it('a failing plan: the other stacks are planned, a failure part is posted with the synth diff, exit 1', async () => {
    const t = await setup();
    const r = await prPlan(t, {
      ...CREDS,
      FAKE_DIFF_JSON: diffJson(['alpha', 'beta']),
      FAKE_TF_FAIL: 'alpha',
      CI_PIPELINE_URL: 'https://ci.example.org/repos/1/pipeline/9',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'pr-plan: alpha: terraform failed; last lines:\n' +
        '  Terraform has been successfully initialized!\n' +
        '  Error: connection refused (alpha)\n',
    );
    expect(r.stderr).toContain('pr-plan: terraform failed for: alpha');
    expect(
      tfCalls(t)
        .filter((a) => a[1] === 'show')
        .map((a) => a[0]),
    ).toEqual(['-chdir=cdktf.out/stacks/beta']);
    expect(t.comments.map((c) => c.body.split('\n').slice(0, 2).join(' '))).toEqual([
      `${PLAN_COMMENT_MARKER} ### Terraform plan`,
      `${PLAN_COMMENT_MARKER} ### Terraform plan failed`,
      `${SYNTH_DIFF_MARKER} ### Synth diff`,
    ]);
    expect(t.comments[1].body).toContain(
      'terraform could not plan: `alpha` \n\nThe error is in the pipeline log (https://ci.example.org/repos/1/pipeline/9).',
    );
  });

  it('a stateful destroy: the comment is posted, then exit 2; the allow-destroy label passes --allow-destroy', async () => {
    const t = await setup();
    const r = await prPlan(t, { FAKE_DIFF_RC: '2' });
    expect(r.code).toBe(2);
    expect(t.comments).toHaveLength(1);
    expect(r.stderr).toContain('stateful resources would be destroyed (see the comment)');

    clearCalls(t);
    const allowed = await prPlan(t, { CI_COMMIT_PULL_REQUEST_LABELS: 'infra,allow-destroy' });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(t.fakes.calls('npm')[1].args).toContain('--allow-destroy');
    clearCalls(t);
    await prPlan(t, { CI_COMMIT_PULL_REQUEST_LABELS: 'not-allow-destroy' });
    expect(t.fakes.calls('npm')[1].args).not.toContain('--allow-destroy');
  });

  it('TLS files and the git-crypt key from the environment exist while terraform runs and are removed afterwards', async () => {
    const t = await setup();
    const r = await prPlan(t, {
      ...CREDS,
      TLS_FULLCHAIN: 'CERT',
      TLS_PRIVKEY: 'KEY',
      GIT_CRYPT_KEY_B64: Buffer.from('KEYBYTES').toString('base64'),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(t.comments[0].body).toContain('"tls":"present","gitcrypt":"KEYBYTES"');
    expect(fs.existsSync(path.join(t.tmp.dir, 'secrets/git-crypt-key'))).toBe(false);
    expect(fs.existsSync(path.join(t.tmp.dir, 'secrets/privkey.pem'))).toBe(false);
    expect(fs.existsSync(path.join(t.tmp.dir, 'secrets'))).toBe(false);
  });

  it('incomplete credentials: says which are missing and posts the synth diff', async () => {
    const t = await setup();
    const r = await prPlan(t, { PG_CONN_STR: 'postgres://x', KUBECONFIG_DATA: 'k' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('credentials incomplete (missing: VAULT_TOKEN): no terraform plan');
    expect(tfCalls(t)).toEqual([]);
  });

  it('without FORGEJO_TOKEN: prints the comment instead of posting it', async () => {
    const t = await setup();
    const r = await prPlan(t, { FORGEJO_TOKEN: undefined });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${SYNTH_DIFF_MARKER}\n### Synth diff\n\nsynth diff body\n`);
    expect(r.stderr).toContain('FORGEJO_TOKEN is not set: not posting');
    expect(t.server.requests).toHaveLength(0);
  });

  it('takes the Woodpecker variables: merge base with the fetched target branch, CI_REPO, CI_COMMIT_PULL_REQUEST', async () => {
    const t = await setup();
    const r = await prPlan(t, {
      BASE_REF: undefined,
      REPO: undefined,
      PR_NUMBER: undefined,
      FORGEJO_URL: undefined,
      CI_FORGE_URL: t.server.url,
      CI_REPO: 'viktor/infra',
      CI_COMMIT_PULL_REQUEST: '7',
      CI_COMMIT_TARGET_BRANCH: 'master',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(t.fakes.calls('git').map((c) => c.args)).toEqual([
      ['fetch', '--no-tags', '--quiet', 'origin', '+refs/heads/master:refs/remotes/origin/master'],
      ['merge-base', 'HEAD', 'origin/master'],
    ]);
    expect(t.fakes.calls('npm')[1].args.slice(4, 6)).toEqual([
      '--base',
      '0123456789abcdef0123456789abcdef01234567',
    ]);
    expect(t.comments).toHaveLength(1);
  });

  it.each([
    [{ BASE_REF: undefined }, 'pr-plan: no base: set BASE_REF, or CI_COMMIT_TARGET_BRANCH'],
    [
      { BASE_REF: undefined, CI_COMMIT_TARGET_BRANCH: 'main', FAKE_FETCH_RC: '128' },
      'cannot fetch the target branch main',
    ],
    [{ FAKE_SYNTH_RC: '1' }, 'pr-plan: npm run synth failed'],
    [{ FAKE_DIFF_RC: '1' }, 'pr-plan: npm run diff failed (exit 1)'],
    [{ FAKE_DIFF_JSON: '{"stacks": []}' }, 'pr-plan: npm run diff wrote no usable JSON'],
  ])('fails early with one message: %j', async (env, message) => {
    const t = await setup();
    const r = await prPlan(t, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(t.server.requests).toHaveLength(0);
  });

  it('a posting failure fails the run', async () => {
    const t = await setup();
    t.failPosts = true;
    const r = await prPlan(t, {});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('failed: HTTP 500: database is locked');
    expect(r.stderr).toContain('pr-plan: posting the pull request comment failed');
    expect(r.stderr).not.toContain(TOKEN);
  });
});
