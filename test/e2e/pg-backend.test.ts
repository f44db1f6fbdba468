// End to end against a real PostgreSQL (a throwaway cluster on loopback) and real Terraform with the offline
// stub providers (tools/tf-stub): the backends our stacks synthesize keep real state where the tree keeps it.
//   (a) a pg stack's apply writes its state to schema <stack>; the next plan has no changes
//   (b) two concurrent applies of one stack: one fails on the lock (or waits with -lock-timeout); the state
//       stays valid JSON and its serial advances once per successful apply
//   (c) a construct id renamed with renamedFrom plans moves only (a chain after a legacy module move);
//       without it the address lock and the synth diff stop the change first, and the plan would destroy
//   (d) a tier-0 stack's local state lands at <repo>/state/stacks/<stack>/terraform.tfstate
// The test app is small and app-shaped (InfraStack: backend, kubernetes provider, validations) so this file
// stays well under a minute. `cdktf diff` without PG_CONN_STR is in test/e2e/cdktf-credentials.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerraformVariable } from 'cdktf';
import { DataResource } from 'cdktf/lib/terraform-data-resource';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { movedFrom, named, renamedFrom } from '../../lib/terraform/addresses';
import { buildApp } from '../../lib/synth/app';
import { defineStack, type InfraStack, type StackDefinition } from '../../lib/synth/stack';
import { buildLock, checkLock } from '../../lib/review/address-lock';
import { diffSynth, exitCodeFor } from '../../lib/review/synth-diff';
import { readSynthOutput } from '../../lib/synth/synth-output';
import { prepareStubProviders } from '../../tools/tf-stub/install';
import { run, tempDir, type RunResult } from '../support/fakes';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { tool } from '../support/tools';

const STACK = 'e2e-web';
const TIER0 = 'cnpg';
const LEGACY = 'module.site.kubernetes_secret.tls';

/** v1: `web` (moves from a legacy module), v2: renamed to `site` with renamedFrom, v3: renamed without it. */
type Version = 'v1' | 'v2' | 'v3';

function webStack(version: Version): StackDefinition {
  return defineStack({
    name: STACK,
    description: 'e2e pg stack',
    build(stack: InfraStack) {
      const id = version === 'v1' ? 'web' : 'site';
      const secret = named(stack, Secret, id, { metadata: { name: 'web-tls', namespace: 'default' } });
      movedFrom(secret, LEGACY);
      if (version === 'v2') renamedFrom(secret, 'kubernetes_secret.web');
      named(stack, ConfigMap, 'settings', { metadata: { name: 'settings', namespace: 'default' } });
      // A resource replaced on every run (-var run=N). With run >= 2 its apply holds the lock until the
      // test releases it (after the concurrent apply has failed), not for a fixed time; bounded at 30 s.
      const runVar = new TerraformVariable(stack, 'run', { type: 'string', default: '0' });
      const wait = `i=0; while [ ! -e '${releaseFile()}' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done`;
      const slow = new DataResource(stack, 'slow', {
        triggersReplace: [runVar.stringValue],
        provisioners: [{ type: 'local-exec', command: `[ \${tonumber(var.run)} -le 1 ] || { ${wait}; }` }],
      });
      slow.overrideLogicalId('slow');
    },
  });
}

const tier0Stack = defineStack({
  name: TIER0,
  description: 'e2e tier-0 stack',
  build(stack) {
    named(stack, ConfigMap, 'marker', { metadata: { name: 'marker', namespace: 'default' } });
  },
});

let pg: TestPostgres;
let work: { dir: string; cleanup(): void };
/** Created by (b) once the second apply has failed: the first apply's provisioner then finishes. */
const releaseFile = () => path.join(work.dir, 'release-first-apply');
let tfEnv: Record<string, string>;
const terraform = tool('terraform');

/** Synthesizes the test app into <work>/<name>/cdktf.out (a repo-shaped dir: state/ lands next to it). */
function synthApp(name: string, version: Version): string {
  const repo = path.join(work.dir, name);
  const outdir = path.join(repo, 'cdktf.out');
  fs.mkdirSync(outdir, { recursive: true });
  buildApp([webStack(version), tier0Stack], { outdir }).app.synth();
  return repo;
}

const stackDir = (repo: string, stack: string) => path.join(repo, 'cdktf.out', 'stacks', stack);

async function tf(dir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return run([terraform, `-chdir=${dir}`, ...args, '-no-color'], {
    env: { ...tfEnv, ...extraEnv },
    timeoutMs: 60_000,
  });
}

async function ok(dir: string, args: string[]): Promise<RunResult> {
  const r = await tf(dir, args);
  if (r.code !== 0)
    throw new Error(`terraform ${args.join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r;
}

/** Gives a re-synthesized stack dir the v1 dir's init (same backend and providers): saves a terraform init. */
function reuseInit(dir: string): void {
  const from = stackDir(v1, STACK);
  fs.cpSync(path.join(from, '.terraform'), path.join(dir, '.terraform'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  fs.copyFileSync(path.join(from, '.terraform.lock.hcl'), path.join(dir, '.terraform.lock.hcl'));
}

interface StateRow {
  readonly serial: number;
  readonly lineage: string;
  readonly addresses: string[];
}

/** The stack's state as the pg backend stored it (schema <stack>, table states, workspace default). */
function pgState(stack: string): StateRow {
  expect(pg.sql(`select name from "${stack}".states`)).toBe('default');
  const state = JSON.parse(pg.sql(`select data from "${stack}".states where name = 'default'`)) as {
    serial: number;
    lineage: string;
    resources: { type: string; name: string }[];
  };
  return {
    serial: state.serial,
    lineage: state.lineage,
    addresses: state.resources.map((r) => `${r.type}.${r.name}`).sort(),
  };
}

async function waitForAdvisoryLock(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (Number(pg.sql("select count(*) from pg_locks where locktype = 'advisory'")) > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the first apply never took the pg advisory lock');
}

let v1: string;
let tier0Apply: Promise<unknown>;

beforeAll(async () => {
  work = tempDir('e2e-pg-');
  const stubs = prepareStubProviders({ dir: path.join(work.dir, 'stubs') });
  pg = await startPostgres();
  tfEnv = { ...stubs.env, PG_CONN_STR: pg.connStr, TF_INPUT: '0' };
  v1 = synthApp('v1', 'v1');
  // (d) needs no PostgreSQL: it runs alongside the rest.
  const t0 = stackDir(v1, TIER0);
  tier0Apply = ok(t0, ['init', '-input=false']).then(() =>
    ok(t0, ['apply', '-auto-approve', '-input=false']),
  );
  tier0Apply.catch(() => undefined);
  await ok(stackDir(v1, STACK), ['init', '-input=false']);
}, 60_000);

afterAll(() => {
  pg?.stop();
  work?.cleanup();
});

describe('pg backend (real PostgreSQL, real Terraform, stub providers)', () => {
  it('(a) apply writes the state to schema <stack>; the next plan has no changes', async () => {
    const dir = stackDir(v1, STACK);
    const backend = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')).terraform.backend;
    expect(backend).toEqual({ pg: { schema_name: STACK } });
    await ok(dir, ['apply', '-auto-approve', '-input=false']);
    const state = pgState(STACK);
    expect(state.addresses).toEqual([
      'kubernetes_config_map.settings',
      'kubernetes_secret.web',
      'terraform_data.slow',
    ]);
    expect(pg.sql(`select count(*) from information_schema.tables where table_schema = '${STACK}'`)).toBe(
      '1',
    );
    const plan = await tf(dir, ['plan', '-input=false', '-detailed-exitcode']);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
  }, 60_000);

  it('(b) two concurrent applies: one fails on the lock, the state stays intact', async () => {
    const dir = stackDir(v1, STACK);
    const before = pgState(STACK);
    const first = tf(dir, ['apply', '-auto-approve', '-input=false', '-var', 'run=2']);
    await waitForAdvisoryLock();
    const second = await tf(dir, ['apply', '-auto-approve', '-input=false', '-var', 'run=3']);
    fs.writeFileSync(releaseFile(), '');
    expect((await first).code).toBe(0);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Error acquiring the state lock');
    const after = pgState(STACK);
    expect(after.lineage).toBe(before.lineage);

    expect(after.addresses).toEqual(before.addresses);
    // One successful apply of a replacement: the serial advanced, and the failed apply wrote nothing.
    expect(after.serial).toBe(before.serial + 1);
  }, 60_000);

  it('(c) a rename with renamedFrom plans moves only; without it the lock and the synth diff stop it', async () => {
    // With the chain: module.site.kubernetes_secret.tls -> kubernetes_secret.web -> kubernetes_secret.site.
    const v2 = synthApp('v2', 'v2');
    const dir = stackDir(v2, STACK);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')).moved).toEqual([
      { from: LEGACY, to: 'kubernetes_secret.web' },
      { from: 'kubernetes_secret.web', to: 'kubernetes_secret.site' },
    ]);
    const v3 = synthApp('v3', 'v3');
    const v3dir = stackDir(v3, STACK);
    reuseInit(dir);
    reuseInit(v3dir);
    // Both plans at once, without the state lock (as the PR pipeline plans): they only read the state.
    const movedRun = tf(dir, ['plan', '-input=false', '-lock=false', '-var', 'run=2', '-detailed-exitcode']);
    const planRun = ok(v3dir, ['plan', '-input=false', '-lock=false', '-var', 'run=2']);
    planRun.catch(() => undefined);

    // Without the moved block: the lock check and the synth diff refuse it before any plan...
    const lock = buildLock(readSynthOutput(path.join(v1, 'cdktf.out')));
    const head = readSynthOutput(path.join(v3, 'cdktf.out'));
    const check = checkLock(lock, head);
    expect(check.ok).toBe(false);
    expect(check.violations.map((v) => v.address)).toEqual(['kubernetes_secret.web']);
    const diff = diffSynth(readSynthOutput(path.join(v1, 'cdktf.out')), head);
    expect(diff.statefulDestroys.map((d) => d.address)).toEqual(['kubernetes_secret.web']);
    expect(exitCodeFor(diff)).toBe(2);

    const moved = await movedRun;
    expect(moved.stdout).toContain('# kubernetes_secret.web has moved to kubernetes_secret.site');
    expect(moved.stdout).toContain('Plan: 0 to add, 0 to change, 0 to destroy.');
    expect(moved.code).toBe(2); // a move is a change to apply (state only)
    // ...and this is what they prevent: the plan would destroy the secret.
    const plan = await planRun;
    expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 1 to destroy/);
  }, 60_000);

  it('(d) a tier-0 stack keeps local state at <repo>/state/stacks/<stack>/terraform.tfstate', async () => {
    const dir = stackDir(v1, TIER0);
    await tier0Apply;
    const file = path.join(v1, 'state', 'stacks', TIER0, 'terraform.tfstate');
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      resources: { type: string; name: string }[];
    };
    expect(state.resources.map((r) => `${r.type}.${r.name}`)).toEqual(['kubernetes_config_map.marker']);
    expect(fs.existsSync(path.join(dir, 'terraform.tfstate'))).toBe(false);
    expect(pg.sql(`select count(*) from information_schema.schemata where schema_name = '${TIER0}'`)).toBe(
      '0',
    );
  }, 60_000);
});
