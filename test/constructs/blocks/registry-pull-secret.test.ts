import { describe, expect, it } from 'vitest';
import {
  RegistryPullSecret,
  type RegistryPullSecretProps,
} from '../../../constructs/blocks/registry-pull-secret';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import { vaultKvSecret } from '../../../lib/terraform/providers';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

describe('RegistryPullSecret', () => {
  it('renders a dockerconfigjson Secret from a username and a referenced password; name is a reference', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    const pat = vaultKvSecret(s, 'viktor', 'viktor').data.lookup('github_pat');
    const secret = new RegistryPullSecret(s, 'ghcr_credentials', {
      namespace: ns,
      name: 'ghcr-credentials',
      registry: 'ghcr.io',
      username: 'someone',
      password: pat,
    });
    expect(resource(synth(s), 'kubernetes_secret', 'ghcr_credentials')).toEqual({
      metadata: { name: 'ghcr-credentials', namespace: '${kubernetes_namespace.app.metadata[0].name}' },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson':
          '${jsonencode({"auths" = {"ghcr.io" = {"username" = "someone", "password" = data.vault_kv_secret_v2.viktor.data["github_pat"], "auth" = base64encode(join(":", ["someone", data.vault_kv_secret_v2.viktor.data["github_pat"]]))}}})}',
      },
    });
    expect(secret.name).toMatch(/^\$\{TfToken/);
  });

  it('addressName sets the Terraform name', () => {
    const s = testStack();
    new RegistryPullSecret(s, 'pull', {
      namespace: namespaceNamed('app'),
      name: 'ghcr-credentials',
      registry: 'ghcr.io',
      username: 'someone',
      password: vaultKvSecret(s, 'viktor', 'viktor').data.lookup('github_pat'),
      addressName: 'ghcr',
    });
    expect(resource(synth(s), 'kubernetes_secret', 'ghcr').type).toBe('kubernetes.io/dockerconfigjson');
  });

  it('refuses a literal password (never shown), a bad registry or name, an unknown prop', () => {
    const build = (props: Partial<RegistryPullSecretProps>) => () => {
      const s = testStack('g');
      return new RegistryPullSecret(s, 'pull', {
        namespace: namespaceNamed('app'),
        name: 'ghcr-credentials',
        registry: 'ghcr.io',
        username: 'someone',
        password: vaultKvSecret(s, 'viktor', 'viktor').data.lookup('github_pat'),
        ...props,
      });
    };
    const literal = expectConfigError(build({ password: 'ghp_notarealtoken0000' }));
    expect(literal.prop).toBe('password');
    expect(literal.message).toContain('a Terraform reference (e.g. a Vault read), never a literal password');
    expect(literal.message).not.toContain('ghp_');
    expect(expectConfigError(build({ registry: 'https://ghcr.io' })).prop).toBe('registry');
    expect(expectConfigError(build({ name: 'Bad_Name' })).prop).toBe('name');
    expect(expectConfigError(build({ username: '' })).prop).toBe('username');
    expect(expectConfigError(build({ bogus: 1 } as never)).message).toContain('bogus');
  });
});
