import { describe, expect, it } from 'vitest';
import { secretFindings } from './secrets';
import type { TfJson } from './synth';

const stack = (resource: Record<string, unknown>): TfJson => ({ terraform: {}, resource }) as TfJson;

describe('secretFindings (the stack secret scan)', () => {
  it('flags key material, hashes, tokens, literal credentials and literal Secret data', () => {
    const found = secretFindings(
      stack({
        kubernetes_config_map: {
          a: { data: { pem: '-----BEGIN PRIVATE KEY-----\nx', h: '$2b$12$abcdefghijklmnopqrstuv' } },
        },
        kubernetes_deployment: {
          d: {
            env: [
              { name: 'API_TOKEN', value: 'abc' },
              { name: 'PLAIN', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
              { name: 'TOTP', value: 'JBSWY3DPEHPK3PXPJBSWY3DP' },
            ],
          },
        },
        kubernetes_secret: { s: { data: { k: 'literal' } } },
      }),
    );
    expect(found).toEqual([
      '$.resource.kubernetes_config_map.a.data.pem: key material / credential URL',
      '$.resource.kubernetes_config_map.a.data.h: bcrypt hash',
      '$.resource.kubernetes_deployment.d.env[0]: literal value for API_TOKEN',
      '$.resource.kubernetes_deployment.d.env[1].value: long hex token',
      '$.resource.kubernetes_deployment.d.env[2].value: base32 TOTP secret',
      'kubernetes_secret.s.data.k: not a reference',
    ]);
  });

  it('passes references, secretKeyRefs, pinned images and zone ids', () => {
    const clean = stack({
      kubernetes_deployment: {
        d: {
          image: 'ghcr.io/x/y:12f47011786067ff684a84bf1cd5ab16554b48b5',
          env: [{ name: 'API_TOKEN', value_from: { secret_key_ref: { name: 's', key: 'API_TOKEN' } } }],
        },
      },
      cloudflare_record: { r: { zone_id: 'fd2c5dd4efe8fe38958944e74d0ced6d' } },
      kubernetes_secret: { s: { data: { k: '${vault_approle_auth_backend_role.x.role_id}' } } },
    });
    expect(secretFindings(clean)).toEqual([]);
  });
});
