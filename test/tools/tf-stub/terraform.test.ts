// Real Terraform with the stub providers, end to end (small configs in a temp dir): the validate CLI
// passes a good configuration (feeding an operator variable its stand-in) and fails an invalid attribute and an ambiguous moved pair with
// Terraform's messages; plan -> apply -> plan converges to "No changes"; a create plan shows computed
// attributes as unknown; a jsondecode()d data key can be indexed and iterated. Needs terraform on PATH
// (fails, not skips, without it).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareStubProviders, requireTerraform, writeDataKeys } from '../../../tools/tf-stub';
import { distCli, run, tempDir } from '../../support/fakes';

const tmp = tempDir('tf-stub-e2e-');
afterAll(() => tmp.cleanup());

const providers = {
  kubernetes: { source: 'hashicorp/kubernetes', version: '>= 3.2.1' },
  vault: { source: 'hashicorp/vault', version: '~> 4.0' },
  kubectl: { source: 'gavinbunney/kubectl', version: '~> 1.14' },
};

const deployment = (spec: Record<string, unknown> = {}) => ({
  metadata: [
    { name: 'web', namespace: 'apps', labels: { token: '${data.vault_kv_secret_v2.app.data["token"]}' } },
  ],
  spec: [
    {
      replicas: '1',
      selector: [{ match_labels: { app: 'web' } }],
      template: [
        { metadata: [{ labels: { app: 'web' } }], spec: [{ container: [{ name: 'web', image: 'nginx' }] }] },
      ],
      ...spec,
    },
  ],
});

const config = (extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) => ({
  terraform: { required_providers: providers, backend: { pg: { conn_str: 'never-used' } } },
  provider: {
    kubernetes: [{ config_path: '~/.kube/config' }],
    vault: [{ address: 'https://vault.invalid', skip_child_token: true }],
    kubectl: [{ config_path: '~/.kube/config', load_config_file: true }],
  },
  data: { vault_kv_secret_v2: { app: { mount: 'secret', name: 'app' } } },
  resource: {
    kubernetes_deployment: { web: deployment(spec) },
    kubectl_manifest: { mw: { yaml_body: 'apiVersion: traefik.io/v1alpha1\nkind: Middleware\n' } },
  },
  ...extra,
});

function writeStack(out: string, name: string, c: unknown): void {
  fs.mkdirSync(path.join(out, 'stacks', name), { recursive: true });
  fs.writeFileSync(path.join(out, 'stacks', name, 'cdk.tf.json'), JSON.stringify(c, null, 2));
}

function tf(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'terraform',
      args,
      { cwd, env: { ...process.env, ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  requireTerraform(); // throws "terraform not found ...: install Terraform >= 1.5 ..." instead of skipping
});

// The two groups run concurrently: most of their time is Terraform starting plugin processes.
describe.concurrent('terraform with the stub providers', () => {
  describe('npm run validate with the stub providers', () => {
    it('--help exits 0 without side effects; an unknown flag exits 2 with one line', async () => {
      const help = await run([process.execPath, distCli('validate'), '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: npm run validate/);
      const bad = await run([process.execPath, distCli('validate'), '--frobnicate']);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toEqual([expect.stringContaining('unknown option --frobnicate')]);
    });

    it('passes a good stack, fails an invalid attribute and an ambiguous moved pair with Terraform messages', async () => {
      const out = path.join(tmp.dir, 'out');
      // An operator-supplied variable (no default, no config.tfvars offline) plans with its stand-in.
      writeStack(out, 'good', config({ variable: { discord_f1_channel_ids: { type: 'string' } } }));
      writeStack(out, 'typo', config({}, { replicaz: '2' }));
      writeStack(
        out,
        'moves',
        config({
          moved: [
            { from: 'kubernetes_deployment.old_a', to: 'kubernetes_deployment.web' },
            { from: 'kubernetes_deployment.old_b', to: 'kubernetes_deployment.web' },
          ],
        }),
      );
      const r = await run([process.execPath, distCli('validate'), '--no-synth', '--out', out], {
        timeoutMs: 300_000,
        env: { TMPDIR: tmp.dir },
      });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/^ok {3}good {2}\(2 resources, [\d.]+ s\)$/m);
      expect(r.stdout).toMatch(/^FAIL typo .*terraform validate$/m);
      expect(r.stdout).toMatch(/^ {2}typo: Error: Extraneous JSON object property \(cdk\.tf\.json:\d+\)$/m);
      expect(r.stdout).toContain('No argument or block type is named "replicaz".');
      expect(r.stdout).toMatch(/^FAIL moves .*terraform plan$/m);
      expect(r.stdout).toContain('moves: Error: Ambiguous move statements');
      expect(r.stdout).toContain('Each resource can have moved from only one source resource.');
      expect(r.stderr).toContain('validate: 1/3 stacks ok');
      // its own temp dirs are gone (TMPDIR pointed into ours)
      expect(fs.readdirSync(tmp.dir).filter((f) => f.startsWith('tf-validate-'))).toEqual([]);
    }, 300_000);
  });

  describe('plan / apply / plan with the stub providers', () => {
    // One root holds both configurations: the init, plan and apply (each starting every provider) are
    // shared, and the no-changes plan covers the jsondecode()d resources too.
    it('a create plan shows computed attributes unknown; a jsondecode()d data key is a JSON document of the paths the configuration uses; after apply the next plan has no changes', async () => {
      const dir = path.join(tmp.dir, 'apply');
      fs.mkdirSync(dir);
      const { env } = prepareStubProviders({ dir: path.join(tmp.dir, 'stubs') });
      const { terraform: _t, ...rest } = config();
      fs.writeFileSync(
        path.join(dir, 'main.tf.json'),
        JSON.stringify({ terraform: { required_providers: providers }, ...rest }),
      );
      expect(writeDataKeys([path.join(dir, 'main.tf.json')], path.join(dir, 'main-keys.json'))).toEqual({
        'vault_kv_secret_v2.data': ['token'],
      });
      // HCL next to the JSON (providers and their configuration come from main.tf.json)
      fs.writeFileSync(
        path.join(dir, 'people.tf'),
        `data "vault_kv_secret_v2" "s" {
  mount = "secret"
  name  = "s"
}
locals {
  people = jsondecode(data.vault_kv_secret_v2.s.data["people"])
}
resource "kubernetes_config_map" "person" {
  for_each = nonsensitive({ for name, p in local.people : name => p })
  metadata {
    name      = each.key
    namespace = "apps"
  }
  data = {
    mail   = each.value.mail
    first  = each.value.groups[0]
    groups = join(",", [for g in each.value.groups : g])
  }
}
output "svc_user" {
  value     = jsondecode(data.vault_kv_secret_v2.s.data["creds"])["svc"].user
  sensitive = true
}
module "typed" {
  source = "./typed"
  people = local.people
}
output "limits" {
  value     = module.typed.limits
  sensitive = true
}
`,
      );
      // the module's variable type decides the shape the value must convert to
      fs.mkdirSync(path.join(dir, 'typed'));
      fs.writeFileSync(
        path.join(dir, 'typed', 'main.tf'),
        `variable "people" {
  type = map(object({
    mail   = string
    groups = optional(list(string), [])
    limits = optional(object({ cpu = optional(string, "1") }), {})
  }))
}
output "limits" {
  value     = [for p in var.people : p.limits.cpu]
  sensitive = true
}
`,
      );
      const keys = path.join(dir, 'keys.json');
      writeDataKeys(
        [path.join(dir, 'main.tf.json'), path.join(dir, 'people.tf'), path.join(dir, 'typed', 'main.tf')],
        keys,
      );
      const e = { ...env, TF_STUB_DATA_KEYS: keys };

      const init = await tf(['init', '-input=false', '-no-color'], dir, e);
      expect(init.code, init.stderr).toBe(0);
      const plan = await tf(['plan', '-input=false', '-no-color', '-out=create.tfplan'], dir, e);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      /** One resource's part of the plan, up to the next resource. */
      const block = (header: string) => {
        const start = plan.stdout.indexOf(header);
        expect(start, header).toBeGreaterThanOrEqual(0);
        const next = plan.stdout.indexOf('\n  # ', start + 1);
        return plan.stdout.slice(start, next > 0 ? next : undefined);
      };
      // computed attributes of new objects are unknown; the label from the vault data source is sensitive
      const web = block('# kubernetes_deployment.web will be created');
      expect(web).toMatch(/^ {6}\+ id = \(known after apply\)$/m);
      expect(web).toMatch(/^ {10}\+ uid += \(known after apply\)$/m);
      expect(web).toMatch(/^ {10}\+ generation += \(known after apply\)$/m);
      expect(web).toMatch(/^ {10}\+ name += "web"$/m);
      expect(web).toMatch(/^ {14}\+ "token" = \(sensitive value\)$/m);
      const mw = block('# kubectl_manifest.mw will be created');
      expect(mw).toMatch(/^ {6}\+ uid += \(known after apply\)$/m);
      expect(mw).toMatch(/^ {6}\+ yaml_body += \(sensitive value\)$/m);
      // an iterated value has two entries
      expect(plan.stdout.match(/# kubernetes_config_map\.person\[".+"\] will be created/g)).toHaveLength(2);
      expect(plan.stdout).toContain('Plan: 4 to add, 0 to change, 0 to destroy.');

      const apply = await tf(['apply', '-input=false', '-no-color', 'create.tfplan'], dir, e);
      expect(apply.code, apply.stdout + apply.stderr).toBe(0);
      expect(apply.stdout).toContain('Apply complete! Resources: 4 added, 0 changed, 0 destroyed.');
      const out = await tf(['output', '-json', 'svc_user'], dir, e);
      expect(out.code, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout)).toMatch(/^stub-[0-9a-f]{12}$/);
      // limits.cpu comes from the variable type only: a fake, not the optional() default
      const limits = await tf(['output', '-json', 'limits'], dir, e);
      expect(limits.code, limits.stderr).toBe(0);
      expect(JSON.parse(limits.stdout)).toEqual([
        expect.stringMatching(/^stub-/),
        expect.stringMatching(/^stub-/),
      ]);
      const again = await tf(['plan', '-input=false', '-no-color', '-detailed-exitcode'], dir, e);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain('No changes.');
    }, 300_000);
  });
});
