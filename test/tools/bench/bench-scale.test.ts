import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchPlan, type BenchStackPlan } from '../../../lib/tooling/bench-plan';
import { readSynthOutput } from '../../../lib/synth/synth-output';
import { runSynth } from '../../../lib/synth/synth-run';
import type { CdkTfJson } from '../../../lib/terraform/tf-json';
import { tokenTracesEnabled } from '../../../lib/synth/token-traces';
import { benchStacks } from '../../../tools/bench/bench-scale-app';
import { distCli, run, tempDir } from '../../support/fakes';

const tmp = tempDir('bench-scale-');
afterAll(() => tmp.cleanup());

const quiet = { stdout: () => undefined, stderr: () => undefined, tty: false };

function synthesize(defs: ReturnType<typeof benchStacks>, only: string[] = []): Record<string, CdkTfJson> {
  const out = path.join(tmp.dir, `out-${Math.random().toString(36).slice(2)}`);
  let err = '';
  const code = runSynth(defs, [...only, '--outdir', out], { ...quiet, stderr: (t) => (err += t) });
  expect(err).not.toMatch(/synth failed/);
  expect(code).toBe(0);
  return readSynthOutput(out);
}

type Json = Record<string, Record<string, Record<string, unknown>>>;
const types = (json: CdkTfJson) => new Set(Object.keys((json as Json).resource ?? {}));
const has = (json: CdkTfJson, type: string) => types(json).has(type);
const tlsSecrets = (json: CdkTfJson) =>
  Object.values((json as Json).resource?.kubernetes_secret ?? {}).filter(
    (s) => (s as { type?: string }).type === 'kubernetes.io/tls',
  ).length;

/** What the plan promises, read back from the synthesized stack. */
function features(
  json: CdkTfJson,
): Omit<BenchStackPlan, 'name' | 'kind' | 'secretEnv' | 'dataVolume' | 'dns'> {
  return {
    namespace: has(json, 'kubernetes_namespace'),
    ingress: has(json, 'kubernetes_ingress_v1'),
    nfs: has(json, 'kubernetes_persistent_volume'),
    cronJob: has(json, 'kubernetes_cron_job_v1'),
    tlsSecret: tlsSecrets(json) > 0,
  };
}

describe('bench app generator (tools/bench/bench-scale-app.ts)', () => {
  it('N = 3 synthesizes 3 valid stacks: namespace, deployment, service, ingress', () => {
    const out = synthesize(benchStacks(3));
    expect(Object.keys(out)).toEqual(['bench-000', 'bench-001', 'bench-002']);
    for (const json of Object.values(out)) {
      for (const t of ['kubernetes_deployment', 'kubernetes_service']) expect(types(json), t).toContain(t);
      expect((json as Json).terraform.backend).toHaveProperty('pg');
    }
    expect(Object.values(out).filter((j) => has(j, 'kubernetes_ingress_v1')).length).toBeGreaterThan(0);
    expect(tokenTracesEnabled()).toBe(true); // runSynth restored cdktf's token traces
  });

  it('every kind synthesizes, and each stack has exactly the features its plan says', () => {
    const plan = benchPlan(154);
    const pick = new Map<string, BenchStackPlan>();
    for (const p of plan) if (!pick.has(p.kind)) pick.set(p.kind, p);
    // Plus the web variants: without ingress, existing namespace, NFS + CronJob, non-proxied and internal DNS.
    const web = plan.filter((p) => p.kind === 'web');
    for (const f of [
      (p: BenchStackPlan) => !p.ingress,
      (p: BenchStackPlan) => !p.namespace,
      (p: BenchStackPlan) => p.nfs && p.cronJob,
      (p: BenchStackPlan) => p.dns === 'non-proxied' && p.ingress,
      (p: BenchStackPlan) => p.dns === 'internal' && p.ingress,
      (p: BenchStackPlan) => p.secretEnv && p.dataVolume,
    ]) {
      const p = web.find(f)!;
      pick.set(p.name, p);
    }
    const chosen = [...pick.values()];
    const out = synthesize(
      benchStacks(plan),
      chosen.map((p) => p.name),
    );
    for (const p of chosen) {
      const json = out[p.name];
      const { namespace, ingress, nfs, cronJob, tlsSecret } = p;
      expect(features(json), p.name).toEqual({ namespace, ingress, nfs, cronJob, tlsSecret });
      if (p.dns === 'non-proxied' && p.ingress) expect(has(json, 'cloudflare_record')).toBe(true);
      if (p.secretEnv) expect(has(json, 'kubernetes_manifest')).toBe(true);
      if (p.dataVolume) expect(has(json, 'kubernetes_persistent_volume_claim')).toBe(true);
    }
    expect(has(out[pick.get('anubis')!.name], 'kubernetes_pod_disruption_budget_v1')).toBe(true);
    expect(has(out[pick.get('gpu')!.name], 'kubernetes_role_binding')).toBe(true);
  });
});

describe('bench CLIs', () => {
  it('bench-scale-app --stacks N synthesizes N stacks into --outdir', async () => {
    const out = path.join(tmp.dir, 'cli');
    const r = await run([process.execPath, distCli('bench-scale-app'), '--stacks', '2', '--outdir', out], {
      env: { CI: 'true' },
    });
    expect(r.stderr).not.toMatch(/failed/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^total \(2 stacks\)\s+resources\s+\d+/m);
    expect(Object.keys(readSynthOutput(out))).toEqual(['bench-000', 'bench-001']);
  });

  it('bench-scale-app refuses a bad stack count (exit 2, one message)', async () => {
    const r = await run([process.execPath, distCli('bench-scale-app'), '--stacks', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'bench-scale-app: bench app: invalid stack count NaN; allowed: an integer from 1 to 9999 ' +
        '(usage: node dist/bench-scale-app.js [--stacks N] [--outdir DIR])',
    );
  });

  it('bench:scale refuses bad options before measuring anything (exit 2)', async () => {
    const bad = await run([process.execPath, distCli('bench-scale'), '--stacks', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'bench:scale: invalid --stacks 0; allowed: 1 to 5000 (usage: npm run bench:scale [-- --stacks N] [--runs R])',
    );
    const unknown = await run([process.execPath, distCli('bench-scale'), '--fast']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^bench:scale: unknown option --fast \(usage: /);
    expect(unknown.stdout).toBe('');
  });
});
