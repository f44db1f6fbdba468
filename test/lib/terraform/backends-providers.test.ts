import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendFor, isTier0, localStatePath, TIER0_STACKS } from '../../../lib/terraform/backends';
import {
  vaultKvSecret,
  useVault,
  useKubectl,
  useCloudflare,
  PROVIDER_REQUIREMENTS,
} from '../../../lib/terraform/providers';
import { synth, testStack } from '../../support/synth';

describe('backends like the root terragrunt.hcl', () => {
  it.each(['infra', 'platform', 'cnpg', 'vault', 'dbaas', 'external-secrets'])(
    'tier-0 %s keeps local state under state/stacks/',
    (name) => {
      expect(isTier0(name)).toBe(true);
      const json = synth(testStack(name));
      expect(json.terraform.backend).toEqual({
        local: { path: `../../../state/stacks/${name}/terraform.tfstate` },
      });
    },
  );

  it('the local path is <repo>/state/stacks/<stack>/terraform.tfstate from cdktf.out/stacks/<stack>/', () => {
    const workdir = '/repo/cdktf.out/stacks/vault';
    expect(path.resolve(workdir, localStatePath('vault'))).toBe('/repo/state/stacks/vault/terraform.tfstate');
  });

  it.each(['tts', 'forgejo', 'blog'])('%s uses pg with schema_name = stack and no conn_str', (name) => {
    expect(isTier0(name)).toBe(false);
    const json = synth(testStack(name));
    expect(json.terraform.backend).toEqual({ pg: { schema_name: name } });
    expect(JSON.stringify(json)).not.toContain('conn_str');
    expect(JSON.stringify(json)).not.toMatch(/postgres:\/\//);
  });

  it('tier-0 list is exactly the root list', () => {
    expect(TIER0_STACKS).toEqual(['infra', 'platform', 'cnpg', 'vault', 'dbaas', 'external-secrets']);
    expect(backendFor('monitoring')).toEqual({ pg: { schema_name: 'monitoring' } });
  });
});

describe('providers like the root terragrunt.hcl', () => {
  it('every stack gets the kubernetes provider fed by kube_config_path', () => {
    const json = synth(testStack('plain'));
    expect(json.terraform.required_providers).toEqual({
      kubernetes: { source: 'hashicorp/kubernetes', version: '>= 3.2.1' },
    });
    expect(json.provider).toEqual({ kubernetes: [{ config_path: '${var.kube_config_path}' }] });
    expect(json.variable).toEqual({
      kube_config_path: {
        type: 'string',
        default: '~/.kube/config',
        description: 'Path of the kubeconfig (terragrunt passed -var kube_config_path=<repo>/config).',
      },
    });
  });

  it('vault, cloudflare and kubectl are emitted exactly, once, when used', () => {
    const s = testStack('all');
    useVault(s);
    useVault(s);
    useKubectl(s);
    useCloudflare(s);
    useCloudflare(s);
    const json = synth(s);
    expect(json.terraform.required_providers).toEqual({
      kubernetes: { source: 'hashicorp/kubernetes', version: '>= 3.2.1' },
      vault: { source: 'hashicorp/vault', version: '~> 4.0' },
      cloudflare: { source: 'cloudflare/cloudflare', version: '~> 4' },
      kubectl: { source: 'gavinbunney/kubectl', version: '~> 1.14' },
    });
    expect(PROVIDER_REQUIREMENTS.kubectl).toEqual({ source: 'gavinbunney/kubectl', version: '~> 1.14' });
    expect(json.provider?.vault).toEqual([
      { address: 'https://vault.viktorbarzin.me', skip_child_token: true },
    ]);
    expect(json.provider?.kubectl).toEqual([
      { config_path: '${var.kube_config_path}', load_config_file: true },
    ]);
    expect(json.provider?.cloudflare).toEqual([
      {
        api_key: '${data.vault_kv_secret_v2.cf_platform.data["cloudflare_api_key"]}',
        email: 'vbarzin@gmail.com',
      },
    ]);
    expect(json.data).toEqual({ vault_kv_secret_v2: { cf_platform: { mount: 'secret', name: 'platform' } } });
  });

  it('vault data sources are named exactly and shared per name', () => {
    const s = testStack('vaulty');
    const a = vaultKvSecret(s, 'viktor', 'viktor');
    const b = vaultKvSecret(s, 'viktor', 'viktor');
    expect(a).toBe(b);
    vaultKvSecret(s, 'forgejo_viktor', 'viktor');
    const json = synth(s);
    expect(json.data?.vault_kv_secret_v2).toEqual({
      viktor: { mount: 'secret', name: 'viktor' },
      forgejo_viktor: { mount: 'secret', name: 'viktor' },
    });
    expect(a.data.lookup('github_pat')).toMatch(/^\$\{TfToken/);
  });

  it('asking for one data source name with two paths is an error', () => {
    const s = testStack('vaulty2');
    vaultKvSecret(s, 'viktor', 'viktor');
    expect(() => vaultKvSecret(s, 'viktor', 'other')).toThrow(
      'vaulty2: invalid vaultKvSecret(viktor) path = "other"; allowed: "viktor" (the path this data source already reads)',
    );
  });

  it('site values can be overridden per app', () => {
    const s = testStack('site', {
      vaultAddress: 'https://vault.example.test',
      cloudflareEmail: 'ops@example.test',
    });
    useCloudflare(s);
    const json = synth(s);
    expect(json.provider?.vault).toEqual([{ address: 'https://vault.example.test', skip_child_token: true }]);
    expect(json.provider?.cloudflare?.[0].email).toBe('ops@example.test');
  });
});
