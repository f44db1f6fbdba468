import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../lib/conventions/site';
import { OPERATOR_VARIABLES } from '../../../lib/conventions/operator-variables';
import {
  moduleSources,
  rehearsalRootFiles,
  requiredVariables,
  rewriteForTerraform111,
  rewriteNullGuards,
  rewriteStringPlus,
  siteTfvars,
  usedProviders,
} from '../../../lib/review/rehearsal-tree';
import { declaredPayloads, standInPayload } from '../../../lib/review/tree-payloads';

describe('Terraform 1.11 rewrites of the rehearsal copy', () => {
  it('turns `x == null || f(x)` into a conditional, reported with file and line', () => {
    const text =
      'variable "s" {\n  validation {\n    condition = var.s == null || contains(["a"], coalesce(var.s.k, "a"))\n  }\n}\n';
    const r = rewriteNullGuards('m/main.tf', text);
    expect(r.text).toContain(
      'condition = (var.s == null ? true : contains(["a"], coalesce(var.s.k, "a")))\n',
    );
    expect(r.rewrites).toEqual([
      expect.objectContaining({
        file: 'm/main.tf',
        line: 3,
        after: '(var.s == null ? true : contains(["a"], coalesce(var.s.k, "a")))',
      }),
    ]);
  });

  it('turns `x != null && f(x) ? a : b` into `(x != null ? f(x) : false) ? a : b`', () => {
    const r = rewriteNullGuards(
      'f.tf',
      '  v = var.n != null && startswith(var.n, "anubis-") ? "yes" : null,\n',
    );
    expect(r.text).toBe('  v = (var.n != null ? startswith(var.n, "anubis-") : false) ? "yes" : null,\n');
  });

  it('leaves guards that need no short-circuit alone (`== null &&`, plain comparisons)', () => {
    const text = 'a = var.x == "none" || var.x == "app"\nb = var.y == null && true\n';
    expect(rewriteNullGuards('f.tf', text)).toEqual({ text, rewrites: [] });
  });

  it('turns `join(...) + local.x` into format("%s%s", join(...), local.x)', () => {
    const text = 'y = join("\\n", [\n  "a",\n  trimspace(local.b),\n]) + local.store\n';
    const r = rewriteStringPlus('anubis.tf', text);
    expect(r.text).toBe(
      'y = format("%s%s", join("\\n", [\n  "a",\n  trimspace(local.b),\n]), local.store)\n',
    );
    expect(r.rewrites).toHaveLength(1);
    expect(rewriteForTerraform111('anubis.tf', text).rewrites).toHaveLength(1);
  });
});

describe('the generated root files', () => {
  it('keeps the tree constraints of the providers the stack uses; Cloudflare brings the Vault data source', () => {
    const hcl = [
      'resource "kubernetes_namespace" "x" {}\nresource "cloudflare_record" "r" {}\nresource "kubectl_manifest" "m" {}',
    ];
    const r = rehearsalRootFiles(usedProviders(hcl), hcl);
    expect(r.dropped).toEqual(['authentik', 'proxmox', 'helm (provider block)']);
    expect(r.unstubbed).toEqual([]);
    expect(r.files['providers.tf']).toContain('source  = "hashicorp/kubernetes"\n      version = ">= 3.2.1"');
    expect(r.files['providers.tf']).toContain('source  = "hashicorp/vault"\n      version = "~> 4.0"');
    expect(r.files['providers.tf']).toContain('source  = "gavinbunney/kubectl"\n      version = "~> 1.14"');
    expect(r.files['providers.tf']).toContain(
      'provider "vault" {\n  address          = "https://vault.viktorbarzin.me"',
    );
    expect(r.files['cloudflare_provider.tf']).toContain(
      'data.vault_kv_secret_v2.cf_platform.data["cloudflare_api_key"]',
    );
    expect(r.files['tiers.tf']).toContain('gpu = "2-gpu"');
  });

  it('leaves out providers (and cloudflare_provider.tf) the stack does not use', () => {
    const r = rehearsalRootFiles(usedProviders(['resource "kubernetes_namespace" "x" {}']));
    expect(r.dropped).toEqual([
      'vault',
      'cloudflare',
      'authentik',
      'kubectl',
      'proxmox',
      'helm (provider block)',
    ]);
    expect(Object.keys(r.files)).toEqual(['providers.tf', 'tiers.tf']);
    expect(r.files['providers.tf']).not.toContain('provider "kubectl"');
    const reads = [
      'resource "kubernetes_namespace" "x" {}',
      'x = data.vault_kv_secret_v2.cf_platform.data["k"]',
    ];
    expect(Object.keys(rehearsalRootFiles(usedProviders(reads), reads).files)).toContain(
      'cloudflare_provider.tf',
    );
  });

  it('names providers a stack uses that have no stub', () => {
    expect(rehearsalRootFiles(new Set(['kubernetes', 'helm'])).unstubbed).toEqual(['helm']);
  });

  it('feeds required variables from the site config and names the ones it cannot', () => {
    const vars = requiredVariables([
      'variable "tls_secret_name" {\n  type      = string\n  sensitive = true\n}\nvariable "nfs_server" { type = string }\n' +
        'variable "x" {\n  default = 1\n}\nvariable "unknown_setting" {}\n',
    ]);
    expect(vars).toEqual(['nfs_server', 'tls_secret_name', 'unknown_setting']);
    expect(siteTfvars(vars, DEFAULT_SITE)).toEqual({
      values: { nfs_server: '192.168.1.127', tls_secret_name: 'tls-secret' },
      missing: ['unknown_setting'],
    });
  });

  it('feeds an operator-supplied variable its stand-in, the value our side gets too', () => {
    const vars = requiredVariables(['variable "discord_f1_channel_ids" { type = string }\n']);
    expect(siteTfvars(vars, DEFAULT_SITE)).toEqual({
      values: { discord_f1_channel_ids: OPERATOR_VARIABLES['discord_f1_channel_ids'].standIn },
      missing: [],
    });
  });

  it('finds relative module sources', () => {
    expect(
      moduleSources(
        'module "a" {\n  source = "../../modules/kubernetes/x"\n}\nmodule "b" {\n  source = "hashicorp/y"\n}\n',
      ),
    ).toEqual(['../../modules/kubernetes/x']);
  });
});

describe('tree payloads', () => {
  it('are declared by the paths a synthesized stack reads', () => {
    const json = JSON.stringify({
      resource: {
        x: { y: { data: { a: '${file("${path.root}/../../../tree-payloads/forgejo/files/cleanup.sh")}' } } },
      },
    });
    expect(declaredPayloads(json)).toEqual([{ stack: 'forgejo', file: 'files/cleanup.sh' }]);
  });

  it('have deterministic stand-ins that say what they stand in for', () => {
    const p = { stack: 'forgejo', file: 'files/cleanup.sh' };
    expect(standInPayload(p)).toBe(standInPayload(p));
    expect(standInPayload(p)).toMatch(/^# stand-in for the tree's stacks\/forgejo\/files\/cleanup\.sh/);
  });
});
