// Validates synthesized Terraform JSON with real Terraform and the stub providers, offline:
// per configuration `terraform init -backend=false`, `terraform validate -json`, then
// `terraform plan -refresh=false` on an empty local state (validate does not resolve moved blocks,
// so ambiguous or invalid `moved` pairs, bad indexes into data sources and count/for_each errors only
// show up in a plan). The backend section is removed: no state is read or written anywhere else.
import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configStrings, writeDataKeys } from './data-keys';
import { operatorStandIns } from '../../lib/conventions/operator-variables';

export interface TfDiagnostic {
  severity: string;
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number } };
}

export interface ValidateResult {
  name: string;
  ok: boolean;
  resources: number;
  seconds: number;
  /** Which step failed: init, validate or plan. */
  step?: 'init' | 'validate' | 'plan';
  diagnostics: TfDiagnostic[];
}

export const TERRAFORM = process.env['TERRAFORM_BINARY'] ?? 'terraform';

/** Terraform's `version -json`; throws one line naming what to install when it is not on PATH. */
export function requireTerraform(): string {
  try {
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: os.devNull };
    return execFileSync(TERRAFORM, ['version', '-json'], {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    throw new Error(
      `terraform not found (${TERRAFORM}): install Terraform >= 1.5 (tested with 1.11.4) on PATH`,
    );
  }
}

const running = new Set<ChildProcess>();

/** Stops the terraform processes validateConfig has running (for a CLI that is interrupted). */
export function stopRunning(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const c of running) c.kill(signal);
}

function run(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      TERRAFORM,
      args,
      { cwd, env: { ...process.env, ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        running.delete(child);
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    running.add(child);
  });
}

/** Terraform JSON without the `terraform.backend` section. */
export function withoutBackend(config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  const tf = out['terraform'];
  if (tf && typeof tf === 'object') {
    const { backend: _backend, ...rest } = tf as Record<string, unknown>;
    out['terraform'] = rest;
  }
  return out;
}

function countResources(config: Record<string, unknown>): number {
  const r = (config['resource'] ?? {}) as Record<string, Record<string, unknown>>;
  return Object.values(r).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

function planDiagnostics(stdout: string): TfDiagnostic[] {
  const out: TfDiagnostic[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const msg = JSON.parse(line) as { type?: string; diagnostic?: TfDiagnostic };
      if (msg.type === 'diagnostic' && msg.diagnostic?.severity === 'error') out.push(msg.diagnostic);
    } catch {
      // not a JSON line
    }
  }
  return out;
}

const FILE_FN_RE =
  /\b(?:file|filebase64|filemd5|filesha1|filesha256|filesha512|filebase64sha256|filebase64sha512|templatefile)\(\s*"((?:\$\{path\.(?:root|module|cwd)\}\/)?[^"$]+)"/g;

/**
 * Files the configuration reads with file()/templatefile() by literal relative path: copied from
 * `sourceDir` (where the configuration normally lives) when they exist there, otherwise (secrets/, not
 * in git) a placeholder, so validation does not depend on local secrets. Only paths that stay inside
 * `sandbox` are written. Returns the relative paths that got placeholders.
 */
export function provideFiles(
  config: unknown,
  workDir: string,
  sourceDir: string | undefined,
  sandbox: string,
): string[] {
  const placeholders: string[] = [];
  const all: string[] = [];
  configStrings(config, all);
  for (const m of all.flatMap((t) => [...t.matchAll(FILE_FN_RE)])) {
    const rel = m[1]!.replace(/^\$\{path\.\w+\}\//, './');
    if (path.isAbsolute(rel)) continue;
    const target = path.resolve(workDir, rel);
    if (!target.startsWith(sandbox + path.sep) || fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const source = sourceDir && path.resolve(sourceDir, rel);
    if (source && fs.existsSync(source) && fs.statSync(source).isFile()) fs.copyFileSync(source, target);
    else {
      fs.writeFileSync(target, `tf-stub placeholder for ${rel}\n`);
      placeholders.push(rel);
    }
  }
  return placeholders;
}

/**
 * Validates one configuration in `workDir` (created; the caller removes it). `env` comes from
 * prepareStubProviders. `plan: false` skips the plan step. `sourceDir` / `sandbox`: see provideFiles
 * (the CLI keeps the cdktf.out/stacks/<stack> depth under its temp root so `../../../secrets/x` lands
 * inside it).
 */
export async function validateConfig(
  name: string,
  config: Record<string, unknown>,
  workDir: string,
  env: Record<string, string>,
  {
    plan = true,
    sourceDir,
    sandbox = workDir,
  }: { plan?: boolean; sourceDir?: string; sandbox?: string } = {},
): Promise<ValidateResult> {
  const t0 = performance.now();
  fs.mkdirSync(workDir, { recursive: true });
  const file = path.join(workDir, 'cdk.tf.json');
  const text = JSON.stringify(withoutBackend(config), null, 2);
  fs.writeFileSync(file, text);
  provideFiles(config, workDir, sourceDir, path.resolve(sandbox));
  // No config.tfvars offline: operator-supplied variables get their deterministic stand-ins.
  const standIns = operatorStandIns(config);
  if (Object.keys(standIns).length)
    fs.writeFileSync(
      path.join(workDir, 'operator-stand-ins.auto.tfvars.json'),
      JSON.stringify(standIns, null, 2) + '\n',
    );
  const keysFile = path.join(workDir, '.tf-stub-data-keys.json');
  writeDataKeys([file], keysFile);
  const e = { ...env, TF_STUB_DATA_KEYS: keysFile };
  const done = (step: ValidateResult['step'], diagnostics: TfDiagnostic[]): ValidateResult => ({
    name,
    ok: diagnostics.length === 0,
    resources: countResources(config),
    seconds: (performance.now() - t0) / 1000,
    ...(diagnostics.length ? { step } : {}),
    diagnostics,
  });

  const init = await run(['init', '-backend=false', '-input=false', '-no-color'], workDir, e);
  if (init.code !== 0)
    return done('init', [
      { severity: 'error', summary: 'terraform init failed', detail: init.stderr.trim() },
    ]);

  const val = await run(['validate', '-json', '-no-color'], workDir, e);
  let parsed: { valid?: boolean; diagnostics?: TfDiagnostic[] };
  try {
    parsed = JSON.parse(val.stdout) as typeof parsed;
  } catch {
    return done('validate', [
      { severity: 'error', summary: 'terraform validate failed', detail: (val.stderr || val.stdout).trim() },
    ]);
  }
  const errors = (parsed.diagnostics ?? []).filter((d) => d.severity === 'error');
  if (errors.length || val.code !== 0) {
    return done(
      'validate',
      errors.length
        ? errors
        : [{ severity: 'error', summary: 'terraform validate failed', detail: val.stderr.trim() }],
    );
  }
  if (!plan) return done(undefined, []);

  const p = await run(
    ['plan', '-refresh=false', '-input=false', '-lock=false', '-json', '-no-color'],
    workDir,
    e,
  );
  if (p.code !== 0) {
    const diags = planDiagnostics(p.stdout);
    return done(
      'plan',
      diags.length
        ? diags
        : [{ severity: 'error', summary: 'terraform plan failed', detail: p.stderr.trim() }],
    );
  }
  return done(undefined, []);
}

/** Runs `fn` over `items` with at most `limit` at a time, results in input order. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Human-readable lines for a result: `ok  blog  (12 resources, 3.1 s)` or FAIL + diagnostics. */
export function formatResult(r: ValidateResult): string[] {
  const head = `${r.ok ? 'ok  ' : 'FAIL'} ${r.name}  (${r.resources} resources, ${r.seconds.toFixed(1)} s)`;
  if (r.ok) return [head];
  const lines = [`${head}: terraform ${r.step}`];
  for (const d of r.diagnostics) {
    const where = d.address ?? (d.range ? `${d.range.filename}:${d.range.start.line}` : undefined);
    lines.push(
      `  ${r.name}: ${d.severity === 'warning' ? 'Warning' : 'Error'}: ${d.summary}${where ? ` (${where})` : ''}`,
    );
    for (const l of (d.detail ?? '').split('\n')) if (l.trim()) lines.push(`    ${l}`);
  }
  return lines;
}
