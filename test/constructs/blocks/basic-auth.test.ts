import { describe, expect, it } from 'vitest';
import { Fn } from 'cdktf';
import { BasicAuth, type BasicAuthProps } from '../../../constructs/blocks/basic-auth';
import { vaultKvSecret } from '../../../lib/terraform/providers';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

const credentialsOf = (s: ReturnType<typeof testStack>) =>
  Fn.jsondecode(vaultKvSecret(s, 'app', 'app').data.lookup('users'));

describe('BasicAuth', () => {
  it('renders an htpasswd Secret (data ignored: bcrypt salts per apply) and the Middleware that reads it', () => {
    const s = testStack();
    const auth = new BasicAuth(s, 'basic_auth', {
      namespace: namespaceNamed('app'),
      credentials: credentialsOf(s),
      secretName: 'basic-auth-secret',
      middlewareName: 'basic-auth',
    });
    const json = synth(s);
    const secret = resource(json, 'kubernetes_secret', 'basic_auth');
    expect(secret.metadata).toEqual({ name: 'basic-auth-secret', namespace: 'app' });
    expect(secret.type).toBe('Opaque');
    expect(secret.lifecycle).toEqual({ ignore_changes: ['data'] });
    expect(secret.data.auth).toBe(
      '${join("\\n", [ for key, val in jsondecode(data.vault_kv_secret_v2.app.data["users"]): "${key}:${bcrypt(val, 10)}"])}',
    );
    const mw = resource(json, 'kubernetes_manifest', 'basic_auth_middleware');
    expect(mw.manifest).toEqual({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'basic-auth', namespace: 'app' },
      spec: { basicAuth: { secret: '${kubernetes_secret.basic_auth.metadata[0].name}' } },
    });
    expect(auth.middlewareName).toBe('basic-auth');
  });

  it('takes the cost and both Terraform names', () => {
    const s = testStack();
    new BasicAuth(s, 'edge', {
      namespace: namespaceNamed('app'),
      credentials: credentialsOf(s),
      secretName: 'htpasswd',
      middlewareName: 'edge-auth',
      bcryptCost: 12,
      secretAddressName: 'htpasswd',
      middlewareAddressName: 'edge_mw',
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_secret', 'htpasswd').data.auth).toContain('bcrypt(val, 12)');
    expect(resource(json, 'kubernetes_manifest', 'edge_mw').manifest.metadata.name).toBe('edge-auth');
  });

  it('refuses literal credentials, a bad cost and bad names', () => {
    const build = (props: Partial<BasicAuthProps>) => () => {
      const s = testStack();
      return new BasicAuth(s, 'auth', {
        namespace: namespaceNamed('app'),
        credentials: credentialsOf(s),
        secretName: 'basic-auth-secret',
        middlewareName: 'basic-auth',
        ...props,
      });
    };
    expect(expectConfigError(build({ credentials: { alice: 'pw' } })).prop).toBe('credentials');
    expect(expectConfigError(build({ bcryptCost: 3 })).prop).toBe('bcryptCost');
    expect(expectConfigError(build({ middlewareName: 'Bad_Name' })).prop).toBe('middlewareName');
  });
});
