// Static checks of .woodpecker/pr-plan.yml (no YAML parser needed: the file is kept in a plain shape):
// every command is .ci/run or an executable file in tools/ci/ (so everything the pipeline runs is tested
// here), cluster credentials reach only the label-gated plan step, and every secret is documented.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../lib/core/paths';
import { parsePlan, renderPlanComment } from '../../../lib/review/plan-render';
import { mixedPlan } from '../../fixtures/plans/plans';

const yml = fs.readFileSync(path.join(REPO_ROOT, '.woodpecker/pr-plan.yml'), 'utf8');
const docs = fs.readFileSync(path.join(REPO_ROOT, 'docs/pr-plans.md'), 'utf8');

interface Step {
  name: string;
  text: string;
  commands: string[];
  secrets: string[];
}

function steps(): Step[] {
  const body = yml.slice(yml.indexOf('\nsteps:\n'));
  return body
    .split(/\n {2}- name: /)
    .slice(1)
    .map((chunk) => {
      const [name] = chunk.split('\n');
      const commands: string[] = [];
      const lines = chunk.split('\n');
      const at = lines.findIndex((l) => l.trim() === 'commands:');
      for (const l of lines.slice(at + 1)) {
        const m = /^ {6}- (.+)$/.exec(l);
        if (!m) break;
        commands.push(m[1]);
      }
      const secrets = [...chunk.matchAll(/from_secret: (\S+)/g)].map((m) => m[1]);
      return { name, text: chunk, commands, secrets };
    });
}

describe('.woodpecker/pr-plan.yml', () => {
  const all = steps();

  it('runs on pull requests: test, synth-diff, plan', () => {
    expect(yml).toMatch(/^when:\n {2}- event: pull_request\n/m);
    expect(all.map((s) => s.name)).toEqual(['test', 'synth-diff', 'plan']);
    expect(yml).toContain('depth: 0');
  });

  it('every command is .ci/run or an executable script of this repository', () => {
    for (const step of all) {
      expect(step.commands.length, step.name).toBeGreaterThan(0);
      for (const c of step.commands) {
        if (c === 'apk add --no-cache nodejs npm' || c === '.ci/run') continue;
        expect(c, `${step.name}: ${c}`).toMatch(/^tools\/ci\/[a-z0-9-]+\.sh$/);
        const file = path.join(REPO_ROOT, c);
        expect(fs.existsSync(file), c).toBe(true);
        expect(fs.statSync(file).mode & 0o111, `${c} is executable`).not.toBe(0);
      }
    }
  });

  it('cluster credentials reach only the plan step, which a maintainer opts into with the plan label', () => {
    const byName = Object.fromEntries(all.map((s) => [s.name, s]));
    expect(byName.test.secrets).toEqual([]);
    expect(byName['synth-diff'].secrets).toEqual(['forgejo_token']);
    expect(byName.plan.secrets).toEqual([
      'forgejo_token',
      'pg_conn_str',
      'vault_token',
      'kubeconfig',
      'tls_fullchain',
      'tls_privkey',
      'git_crypt_key_b64',
      'discord_f1_channel_ids',
    ]);
    expect(byName.plan.text).toContain(`evaluate: '"plan" in split(CI_COMMIT_PULL_REQUEST_LABELS, ",")'`);
  });

  it('every secret is documented in docs/pr-plans.md', () => {
    for (const secret of new Set(all.flatMap((s) => s.secrets))) expect(docs).toContain(`\`${secret}\``);
  });
});

describe('docs/pr-plans.md', () => {
  it('shows the plan comment the renderer produces for the mixedPlan fixture, verbatim', () => {
    const rendered = renderPlanComment([
      { stack: 'tts', plan: parsePlan(JSON.stringify(mixedPlan()), 'tts.json') },
    ]);
    expect(docs).toContain(`<!-- prettier-ignore -->\n\`\`\`\`markdown\n${rendered.trimEnd()}\n\`\`\`\`\n`);
  });
});
