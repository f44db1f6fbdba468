// AnubisSite's policy under real Terraform: the synthesized ConfigMap value and checksum annotation, run as
// outputs from <root>/cdktf.out/stacks/<stack>/ with tree payloads this test writes (its own text), give
// `bots:` + the comments payload + our trusted-local rule + the rules (payload or literal, trimmed) + the
// store block, byte for byte, and the checksum is its SHA-256. With a payload missing, the guard names the
// stack and the file. When the tree mirror and the reference rendering are both on this machine, the
// payloads extracted from the tree render the reference exactly (skipped elsewhere, e.g. in CI).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Tier } from '../../../lib/conventions/tiers';
import { serviceFromName } from '../../../constructs/blocks/service';
import { AnubisSite, type AnubisSiteProps } from '../../../constructs/patterns/anubis-site';
import { MODULE_PAYLOADS } from '../../../lib/review/tree-module-payloads';
import { treeHeredoc } from '../../../lib/terraform/tree-payload';
import type { TerraformStack } from 'cdktf';
import { tempDir } from '../../support/fakes';
import { resource, synth, testStack } from '../../support/synth';
import { tool } from '../../support/tools';
import { REFERENCE_DEFAULT_POLICY } from '../../support/anubis-tree';

const tmp = tempDir('anubis-policy-tf-');
afterAll(() => tmp.cleanup());

const STORE = 'redis://redis-master.redis.svc.cluster.local:6379/7';
const COMMENTS = '# our comment one\n# our comment two\n';
const RULES = '\n\n- name: our-only-rule\n  path_regex: .*\n  action: CHALLENGE\n\n';
const TRUSTED = [
  '- name: trusted-local-networks',
  '  action: ALLOW',
  '  remote_addresses:',
  '  - "10.0.0.0/8"',
  '  - "172.16.0.0/12"',
  '  - "192.168.0.0/16"',
  '  - "100.64.0.0/10"',
  '  - "fc00::/7"',
  '  - "fe80::/10"',
].join('\n');
const STORE_BLOCK = `\n\nstore:\n  backend: valkey\n  parameters:\n    url: "${STORE}"\n`;
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

let n = 0;
/** Plans the site's policy value and checksum as outputs; `payloads` maps module payload key -> text. */
function evaluate(
  props: Partial<AnubisSiteProps> | ((stack: TerraformStack) => Partial<AnubisSiteProps>),
  payloads: Record<string, string>,
  stackPayloads: Record<string, string> = {},
): { ok: true; policy: string; checksum: string } | { ok: false; error: string } {
  const stack = testStack('sites');
  new AnubisSite(stack, 'anubis', {
    name: 'site',
    namespace: { name: 'web', tier: Tier.AUX },
    backend: serviceFromName('web'),
    ...(typeof props === 'function' ? props(stack) : props),
  });
  const json = synth(stack);
  const cm = resource(json, 'kubernetes_config_map', 'anubis_policy');
  const deploy = resource(json, 'kubernetes_deployment', 'anubis');
  const root = path.join(tmp.dir, `r${n++}`);
  for (const [file, text] of Object.entries(payloads)) {
    const to = path.join(root, 'tree-payloads', '_modules', file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, text);
  }
  for (const [file, text] of Object.entries(stackPayloads)) {
    const to = path.join(root, 'tree-payloads', 'sites', file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, text);
  }
  const dir = path.join(root, 'cdktf.out', 'stacks', 'sites');
  fs.mkdirSync(dir, { recursive: true });
  const output = (value: string, guards: unknown) => ({ value, precondition: guards });
  fs.writeFileSync(
    path.join(dir, 'main.tf.json'),
    JSON.stringify({
      output: {
        policy: output(cm.data['botPolicies.yaml'], cm.lifecycle.precondition),
        checksum: output(
          deploy.spec.template.metadata.annotations['checksum/policy'],
          deploy.lifecycle.precondition,
        ),
      },
    }),
  );
  const cli = path.join(tmp.dir, 'empty.tfrc');
  fs.writeFileSync(cli, '');
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: cli };
  const tf = tool('terraform');
  const apply = spawnSync(tf, ['apply', '-auto-approve', '-input=false', '-no-color'], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  if (apply.status !== 0) return { ok: false, error: apply.stderr.replace(/\s+/g, ' ') };
  const out = JSON.parse(
    execFileSync(tf, ['output', '-json'], { cwd: dir, env, encoding: 'utf8' }),
  ) as Record<string, { value: string }>;
  return { ok: true, policy: out.policy.value, checksum: out.checksum.value };
}

const OURS = {
  'anubis_instance/trusted-local-rule-comments.yaml': COMMENTS,
  'anubis_instance/default-policy-rules.yaml': RULES,
};

describe('AnubisSite policy under Terraform', () => {
  it('renders bots:, the comments payload, the trusted rule, the trimmed rules payload and the store block', () => {
    const r = evaluate({ sharedStoreUrl: STORE }, OURS);
    const expected = `bots:\n${COMMENTS.trim()}\n${TRUSTED}\n${RULES.trim()}${STORE_BLOCK}`;
    expect(r).toEqual({ ok: true, policy: expected, checksum: sha(expected) });
  });

  it('renders literal custom rules verbatim (template syntax included), without the rules payload', () => {
    const rules = '- name: odd-header\n  action: DENY\n  expression: headers["X-T"] == "${x}%{y}"';
    const r = evaluate(
      { policyRules: `\n${rules}\n`, trustedLocalCidrs: ['10.0.0.0/8'] },
      { 'anubis_instance/trusted-local-rule-comments.yaml': COMMENTS },
    );
    const expected = `bots:\n${COMMENTS.trim()}\n${TRUSTED.split('\n').slice(0, 4).join('\n')}\n${rules}`;
    expect(r).toEqual({ ok: true, policy: expected, checksum: sha(expected) });
  });

  it("renders custom rules from the stack's heredoc payload as Terraform reads the heredoc (templatefile)", () => {
    const heredoc = '  - name: escaped\n    action: DENY\n    expression: x == "$${y}"\n';
    const r = evaluate(
      (stack) => ({
        policyRules: treeHeredoc(stack, 'policy_rules_yaml'),
        trustedLocalCidrs: ['10.0.0.0/8'],
      }),
      { 'anubis_instance/trusted-local-rule-comments.yaml': COMMENTS },
      { '_heredoc/main.tf/policy_rules_yaml/0': heredoc },
    );
    const rules = '- name: escaped\n    action: DENY\n    expression: x == "${y}"';
    const expected = `bots:\n${COMMENTS.trim()}\n${TRUSTED.split('\n').slice(0, 4).join('\n')}\n${rules}`;
    expect(r).toEqual({ ok: true, policy: expected, checksum: sha(expected) });
  });

  it('fails with the stack and the file when a payload is missing', () => {
    const r = evaluate({}, { 'anubis_instance/trusted-local-rule-comments.yaml': COMMENTS });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toContain(
      'stack sites: tree payload tree-payloads/_modules/anubis_instance/default-policy-rules.yaml is missing',
    );
  });

  const mirror = '/work/.mirror/ViktorBarzin+infra/repo';
  it.skipIf(!fs.existsSync(REFERENCE_DEFAULT_POLICY) || !fs.existsSync(mirror))(
    "renders the tree's reference policy from the payloads extracted from the tree",
    () => {
      const source = MODULE_PAYLOADS['anubis_instance/default-policy-rules.yaml'].source;
      const hcl = execFileSync('git', ['-C', mirror, 'show', `HEAD:${source}`], { encoding: 'utf8' });
      const payloads = Object.fromEntries(
        Object.entries(MODULE_PAYLOADS).map(([file, m]) => [file, m.extract(hcl)]),
      );
      const reference = fs.readFileSync(REFERENCE_DEFAULT_POLICY, 'utf8');
      expect(evaluate({}, payloads)).toEqual({ ok: true, policy: reference, checksum: sha(reference) });
    },
  );
});
