import { describe, expect, it } from 'vitest';
import def from '../../stacks/company-acme-corp';
import { addresses, resource, synthDefinition } from '../support/synth';

const json = synthDefinition(def);

describe('stack company-acme-corp', () => {
  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('is a development VM on block 0 with its own pg state and the usual dependencies', () => {
    expect(def.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'company-acme-corp' } });
    expect([...addresses(json)].sort()).toEqual([
      'cloudflare_record.acme-corp',
      'data.vault_kv_secret_v2.cf_platform',
      'kubectl_manifest.acme-corp_vm',
      'kubernetes_limit_range_v1.acme-corp',
      'kubernetes_manifest.acme-corp_vm_cloud-init',
      'kubernetes_namespace.acme-corp_namespace',
      'kubernetes_network_policy_v1.acme-corp',
      'kubernetes_resource_quota.acme-corp_namespace',
      'kubernetes_service_v1.acme-corp_vm',
      'vault_approle_auth_backend_role.acme-corp',
      'vault_policy.acme-corp',
    ]);
    const vm = JSON.parse(resource(json, 'kubectl_manifest', 'acme-corp_vm').yaml_body);
    expect(vm.metadata.labels['company-vm/profile']).toBe('development');
    expect(vm.spec.template.spec.domain.memory.guest).toBe('8Gi');
    expect(
      resource(json, 'kubernetes_service_v1', 'acme-corp_vm').spec.port.map((p: { port: number }) => p.port),
    ).toEqual([8100, 8101, 8102, 8103]);
    expect(json.output!['acme-corp_vm_oauth_redirect_uris'].value.github).toBe(
      'https://acme-corp.viktorbarzin.me:8101/gitlab/users/auth/github/callback',
    );
  });

  it('synthesizes no secret material', () => {
    expect(JSON.stringify(json)).not.toMatch(
      /-----BEGIN|AGE-SECRET-KEY|ghp_|glpat-|hvs\.|"cloudflare_api_key":/,
    );
  });
});
