import { describe, expect, it } from 'vitest';
import {
  isReference,
  isSecretKey,
  looksLikeSecretValue,
  manifestKind,
  secretMarks,
} from '../../../lib/validation/secret-mask';

describe('isSecretKey', () => {
  it('matches keys that hold secrets', () => {
    for (const k of [
      'password',
      'DB_PASSWORD',
      'api_token',
      'apiKey',
      'client_secret',
      'secret_id',
      'private_key',
      'htpasswd',
      'auth',
      'tls.key',
      'access-key',
    ])
      expect(isSecretKey(k), k).toBe(true);
  });
  it('leaves references to secrets and ordinary keys alone', () => {
    for (const k of [
      'secret_name',
      'tls_secret_name',
      'secret_key_ref',
      'secretStoreRef',
      'token_ttl',
      'vault_secret_path',
      'name',
      'key',
      'authentik_url',
      'image',
    ])
      expect(isSecretKey(k), k).toBe(false);
  });
});

describe('value shapes', () => {
  it('recognises PEM blocks, JWTs and URLs with a password', () => {
    expect(looksLikeSecretValue('-----BEGIN OPENSSH PRIVATE KEY-----\nabc')).toBe(true);
    expect(looksLikeSecretValue('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig')).toBe(true);
    expect(looksLikeSecretValue('postgres://app:s3cr3t@pg-cluster-rw.dbaas:5432/app')).toBe(true);
    expect(looksLikeSecretValue('https://example.org/path')).toBe(false);
  });
  it('treats pure Terraform references as references', () => {
    expect(isReference('${data.vault_kv_secret_v2.viktor.data["github_pat"]}')).toBe(true);
    expect(isReference('${var.tls_secret_name}')).toBe(true);
    expect(isReference('${base64encode("hunter2")}')).toBe(false);
    expect(isReference('plain')).toBe(false);
  });
});

describe('secretMarks', () => {
  it('masks whole secret attributes of secret resource types, but not references in them', () => {
    const marks = secretMarks('kubernetes_secret_v1', {
      metadata: { name: 'ghcr' },
      data: { '.dockerconfigjson': 'literal', token: '${data.vault_kv_secret_v2.x.data["t"]}' },
    });
    expect(marks).toEqual({ data: { '.dockerconfigjson': true } });
  });

  it('masks env values by their name and leaves by their key', () => {
    const marks = secretMarks('kubernetes_deployment', {
      env: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'DB_PASSWORD', value: 'pw' },
      ],
      config: { api_token: 'tok', secret_name: 'visible' },
    });
    expect(marks).toEqual({ env: [undefined, { value: true }], config: { api_token: true } });
  });

  it('masks helm set_sensitive, dockerconfigjson anywhere, and key material by shape', () => {
    expect(secretMarks('helm_release', { set_sensitive: [{ name: 'x', value: 'y' }] })).toEqual({
      set_sensitive: [{ name: true, value: true }],
    });
    expect(
      secretMarks('kubernetes_config_map', { data: { 'tls.crt': '-----BEGIN CERTIFICATE-----' } }),
    ).toEqual({ data: { 'tls.crt': true } });
  });

  it('keeps ExternalSecret wiring visible (secretKey next to remoteRef)', () => {
    const manifest = {
      manifest: {
        kind: 'ExternalSecret',
        spec: { data: [{ secretKey: 'PASSWD', remoteRef: { key: 'authentik', property: 'smtp_password' } }] },
      },
    };
    expect(secretMarks('kubernetes_manifest', manifest)).toBeUndefined();
  });

  it('masks the data of Secret manifests', () => {
    const m = {
      manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } },
    };
    expect(secretMarks('kubernetes_manifest', m)).toEqual({ manifest: { stringData: { a: true } } });
    expect(
      manifestKind('kubectl_manifest', { yaml_body: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n' }),
    ).toBe('Secret');
    expect(
      secretMarks('kubectl_manifest', { yaml_body: 'apiVersion: v1\nkind: Secret\ndata:\n  a: Yg==\n' }),
    ).toEqual({ yaml_body: true });
  });
});

describe('token formats (lib/validation/credentials.ts) are masked too', () => {
  it('a GitHub or Hugging Face token under an innocent key is shown as (sensitive)', () => {
    const pat = `ghp_${'Qw3'.repeat(10)}`;
    const hf = `hf_${'Er4'.repeat(8)}`;
    expect(
      secretMarks('kubernetes_config_map', { data: { upstream: pat, note: 'fine', model: hf } }),
    ).toEqual({
      data: { upstream: true, model: true },
    });
  });
});
