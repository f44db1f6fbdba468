// Providers like the root terragrunt.hcl, created lazily once per stack by whatever first needs them:
// kubernetes everywhere, vault where a Vault data source/resource is used, cloudflare (with its api key
// from Vault) only where Cloudflare resources are created, kubectl where kubectl_manifest is used.
import type { Construct } from 'constructs';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { VaultProvider } from '@cdktf/provider-vault/lib/provider';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { DataVaultKvSecretV2 } from '@cdktf/provider-vault/lib/data-vault-kv-secret-v2';
import { named } from './addresses';
import { invalid } from '../validation/errors';
import { KubectlProvider, KUBECTL_SOURCE, KUBECTL_VERSION } from './kubectl';
import { siteOf } from '../conventions/site';

/** `required_providers` entries, exactly as the root terragrunt.hcl generates them. */
export const PROVIDER_REQUIREMENTS = {
  kubernetes: { source: 'hashicorp/kubernetes', version: '>= 3.2.1' },
  vault: { source: 'hashicorp/vault', version: '~> 4.0' },
  cloudflare: { source: 'cloudflare/cloudflare', version: '~> 4' },
  kubectl: { source: KUBECTL_SOURCE, version: KUBECTL_VERSION },
} as const;

/** Default of the `kube_config_path` variable (terragrunt passes `-var kube_config_path=<repo>/config`). */
export const KUBE_CONFIG_DEFAULT = '~/.kube/config';

function once<T extends Construct>(scope: Construct, id: string, create: (stack: TerraformStack) => T): T {
  const stack = TerraformStack.of(scope);
  return (stack.node.tryFindChild(id) as T | undefined) ?? create(stack);
}

function requireProvider(stack: TerraformStack, name: keyof typeof PROVIDER_REQUIREMENTS): void {
  stack.addOverride(`terraform.required_providers.${name}`, { ...PROVIDER_REQUIREMENTS[name] });
}

/** The `kube_config_path` variable. */
export function kubeConfigPath(scope: Construct): TerraformVariable {
  return once(scope, 'var-kube_config_path', (stack) =>
    named(
      stack,
      TerraformVariable,
      'kube_config_path',
      {
        type: 'string',
        default: KUBE_CONFIG_DEFAULT,
        description: 'Path of the kubeconfig (terragrunt passed -var kube_config_path=<repo>/config).',
      },
      'var-kube_config_path',
    ),
  );
}

export function useKubernetes(scope: Construct): KubernetesProvider {
  return once(scope, 'provider-kubernetes', (stack) => {
    const p = new KubernetesProvider(stack, 'provider-kubernetes', {
      configPath: kubeConfigPath(stack).stringValue,
    });
    requireProvider(stack, 'kubernetes');
    return p;
  });
}

export function useVault(scope: Construct): VaultProvider {
  return once(scope, 'provider-vault', (stack) => {
    const p = new VaultProvider(stack, 'provider-vault', {
      address: siteOf(stack).vaultAddress,
      skipChildToken: true,
    });
    requireProvider(stack, 'vault');
    return p;
  });
}

export function useKubectl(scope: Construct): KubectlProvider {
  return once(scope, 'provider-kubectl', (stack) => {
    const p = new KubectlProvider(stack, 'provider-kubectl', {
      configPath: kubeConfigPath(stack).stringValue,
      loadConfigFile: true,
    });
    requireProvider(stack, 'kubectl');
    return p;
  });
}

/**
 * A `data.vault_kv_secret_v2.<name>` in the stack (mount `secret`), created once per name: values are
 * read at plan time, so they never appear in the synthesized JSON.
 */
const vaultPaths = new WeakMap<DataVaultKvSecretV2, string>();

export function vaultKvSecret(scope: Construct, name: string, secretPath: string): DataVaultKvSecretV2 {
  const id = `data-vault-kv:${name}`;
  const data = once(scope, id, (stack) => {
    useVault(stack);
    const d = named(stack, DataVaultKvSecretV2, name, { mount: 'secret', name: secretPath }, id);
    vaultPaths.set(d, secretPath);
    return d;
  });
  const existing = vaultPaths.get(data);
  if (existing !== secretPath) {
    invalid(
      TerraformStack.of(scope),
      `vaultKvSecret(${name}) path`,
      secretPath,
      `"${existing}" (the path this data source already reads)`,
    );
  }
  return data;
}

export function useCloudflare(scope: Construct): CloudflareProvider {
  return once(scope, 'provider-cloudflare', (stack) => {
    const platform = vaultKvSecret(stack, 'cf_platform', 'platform');
    const p = new CloudflareProvider(stack, 'provider-cloudflare', {
      apiKey: platform.data.lookup('cloudflare_api_key'),
      email: siteOf(stack).cloudflareEmail,
    });
    requireProvider(stack, 'cloudflare');
    return p;
  });
}
