import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import sreToolbox from '../../stacks/sre-toolbox';
import { STACKS } from '../../stacks';
import { Ignore } from '../../lib/conventions/lifecycle';
import { REPO_ROOT } from '../../lib/core/paths';
import { addresses, resource, resolveNames, synthDefinition, type Json } from '../support/synth';
import { expectNoSecretMaterial } from '../support/secrets';

const json = synthDefinition(sreToolbox);
const api = resolveNames(json, resource(json, 'kubernetes_deployment', 'api_deployment'));
const worker = resolveNames(json, resource(json, 'kubernetes_deployment', 'worker'));
const apiC: Json = api.spec.template.spec.container[0];
const workerC: Json = worker.spec.template.spec.container[0];
const envOf = (c: Json): Record<string, unknown> =>
  Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? e.value_from.secret_key_ref]));

describe('stack sre-toolbox', () => {
  it('snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('is registered, runs after the shared services, and its file stays under 80 lines', () => {
    expect(STACKS).toContain(sreToolbox);
    expect(sreToolbox.after).toEqual(['platform', 'vault', 'external-secrets', 'dbaas', 'redis']);
    const lines = fs
      .readFileSync(path.join(REPO_ROOT, 'stacks', 'sre-toolbox.ts'), 'utf8')
      .split('\n').length;
    expect(lines).toBeLessThan(80);
  });

  it('addresses', () => {
    expect([...addresses(json)].sort()).toEqual([
      'data.vault_auth_backend.vault_auth',
      'kubernetes_deployment.api_deployment',
      'kubernetes_deployment.worker',
      'kubernetes_ingress_v1.api_ingress',
      'kubernetes_manifest.api_secrets',
      'kubernetes_manifest.db_secret',
      'kubernetes_namespace.sre-toolbox',
      'kubernetes_persistent_volume.toolkits',
      'kubernetes_persistent_volume_claim.toolkits',
      'kubernetes_secret.vault',
      'kubernetes_service.api',
      'vault_approle_auth_backend_role.vault',
      'vault_approle_auth_backend_role_secret_id.vault',
      'vault_mount.vault_kv',
      'vault_policy.vault',
    ]);
  });

  it('no secret value in the synthesized JSON', () => {
    expectNoSecretMaterial(json);
  });

  it('API (uvicorn on 8080, /health probes) and Celery worker from one image; the worker has no port or probes', () => {
    expect(apiC.image).toBe(workerC.image);
    expect(apiC.image).toMatch(/^ghcr\.io\/sxmxc\/backend:[0-9a-f]{40}$/);
    expect(apiC.command).toEqual(['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8080']);
    expect(apiC.port).toEqual([{ name: 'http', container_port: 8080, protocol: 'TCP' }]);
    expect(apiC.readiness_probe.http_get).toEqual({ path: '/health', port: '8080' });
    expect(workerC.command).toEqual([
      'celery',
      '-A',
      'worker.worker:celery_app',
      'worker',
      '--loglevel=INFO',
    ]);
    expect([workerC.port, workerC.readiness_probe, workerC.liveness_probe]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect([api.metadata.name, worker.metadata.name]).toEqual(['sre-toolbox', 'sre-toolbox-worker']);
    expect(Object.keys(json.resource?.kubernetes_service ?? {})).toEqual(['api']);
    for (const d of [api, worker]) {
      expect(d.metadata.annotations['keel.sh/policy']).toBe('never');
      expect(d.lifecycle.ignore_changes).toEqual([
        ...Ignore.kyvernoPodDnsConfig,
        ...Ignore.keelPollAnnotations,
        ...Ignore.tierLabel,
      ]);
    }
  });

  it('API and worker share the same environment: shared services from the site config, Vault by AppRole', () => {
    expect(envOf(workerC)).toEqual(envOf(apiC));
    expect(envOf(apiC)).toEqual({
      APP_ENV: 'production',
      REDIS_URL: 'redis://redis-master.redis.svc.cluster.local:6379/0',
      FRONTEND_BASE_URL: 'https://sre-toolbox.viktorbarzin.me',
      VAULT_ADDR: 'https://vault.viktorbarzin.me',
      VAULT_AUTH_METHOD: 'approle',
      VAULT_KV_MOUNT: 'sre-toolbox',
      VAULT_TLS_SKIP_VERIFY: 'false',
      BOOTSTRAP_ADMIN_USERNAME: 'admin',
      AUTH_JWT_SECRET: { name: 'sre-toolbox-secrets', key: 'AUTH_JWT_SECRET', optional: false },
      BOOTSTRAP_ADMIN_PASSWORD: {
        name: 'sre-toolbox-secrets',
        key: 'BOOTSTRAP_ADMIN_PASSWORD',
        optional: false,
      },
      DATABASE_URL: { name: 'sre-toolbox-db', key: 'DATABASE_URL', optional: false },
      VAULT_APPROLE_ROLE_ID: { name: 'sre-toolbox-approle', key: 'role_id', optional: false },
      VAULT_APPROLE_SECRET_ID: { name: 'sre-toolbox-approle', key: 'secret_id', optional: false },
    });
    for (const d of [api, worker]) {
      expect(d.spec.template.metadata.annotations['dependency.kyverno.io/wait-for']).toBe(
        'pg-cluster-rw.dbaas.svc.cluster.local:5432,redis-master.redis.svc.cluster.local:6379',
      );
      expect(d.spec.template.spec.init_container[0].env[0]).toEqual({
        name: 'REQUIRED_ENV',
        value: 'AUTH_JWT_SECRET DATABASE_URL VAULT_APPROLE_ROLE_ID VAULT_APPROLE_SECRET_ID',
      });
    }
  });

  it('hosts come from the site config', () => {
    const other = synthDefinition(sreToolbox, { postgresqlHost: 'pg.example', redisHost: 'redis.example' });
    const c = resource(other, 'kubernetes_deployment', 'worker').spec.template.spec.container[0];
    expect(envOf(c).REDIS_URL).toBe('redis://redis.example:6379/0');
    const db = resource(other, 'kubernetes_manifest', 'db_secret').manifest.spec.target.template.data;
    expect(db.DATABASE_URL).toBe(
      'postgresql+asyncpg://sre_toolbox:{{ .password }}@pg.example:5432/sre_toolbox',
    );
  });

  it('secrets: JWT secret and bootstrap admin password from Vault; DB password from the database engine', () => {
    const es = resource(json, 'kubernetes_manifest', 'api_secrets').manifest.spec;
    expect(es.data).toEqual([
      { secretKey: 'AUTH_JWT_SECRET', remoteRef: { key: 'sre-toolbox', property: 'jwt_secret' } },
      {
        secretKey: 'BOOTSTRAP_ADMIN_PASSWORD',
        remoteRef: { key: 'sre-toolbox', property: 'admin_password' },
      },
    ]);
    const db = resource(json, 'kubernetes_manifest', 'db_secret').manifest.spec;
    expect(db.secretStoreRef.name).toBe('vault-database');
    expect(db.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'static-creds/pg-sre-toolbox', property: 'password' } },
    ]);
    expect(db.target.template.data.DATABASE_URL).toBe(
      'postgresql+asyncpg://sre_toolbox:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/sre_toolbox',
    );
  });

  it('Vault: AppRole bound to a policy that reads only the toolbox KV v2 mount', () => {
    expect(resource(json, 'vault_mount', 'vault_kv')).toMatchObject({
      path: 'sre-toolbox',
      type: 'kv',
      options: { version: '2' },
    });
    const policy: string = resource(json, 'vault_policy', 'vault').policy;
    expect(
      [...policy.matchAll(/^path "([^"]+)" \{\n {2}capabilities = (\[[^\]]*\])/gm)].map((m) => [m[1], m[2]]),
    ).toEqual([
      ['sre-toolbox/data/*', '["read"]'],
      ['sre-toolbox/metadata/*', '["read", "list"]'],
    ]);
    const role = resource(json, 'vault_approle_auth_backend_role', 'vault');
    expect(role).toMatchObject({
      role_name: 'sre-toolbox',
      token_policies: ['${vault_policy.vault.name}'],
      token_ttl: 86400,
      token_max_ttl: 86400,
    });
    expect(json.data?.vault_auth_backend?.vault_auth).toEqual({ path: 'approle' });
    const creds = resolveNames(json, resource(json, 'kubernetes_secret', 'vault'));
    expect(creds.metadata).toEqual({ name: 'sre-toolbox-approle', namespace: 'sre-toolbox' });
  });

  it('toolkit bundles on a shared NFS volume mounted by both at /app/data (no Recreate needed)', () => {
    const pv = resource(json, 'kubernetes_persistent_volume', 'toolkits');
    expect(pv.spec[0].persistent_volume_source.csi.volume_attributes.share).toBe('/srv/nfs/sre-toolbox');
    for (const d of [api, worker]) {
      expect(d.spec.template.spec.container[0].volume_mount).toEqual([
        { name: 'toolkits', mount_path: '/app/data', read_only: false },
      ]);
      expect(d.spec.template.spec.volume[0].persistent_volume_claim.claim_name).toBe('sre-toolbox-toolkits');
      expect(d.spec.strategy).toBeUndefined();
    }
  });

  it('ingress: Authentik forward-auth in front (auth required), proxied host', () => {
    const ing = resolveNames(json, resource(json, 'kubernetes_ingress_v1', 'api_ingress'));
    expect(ing.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toMatch(
      /traefik-authentik-forward-auth@kubernetescrd/,
    );
    expect(ing.spec.rule[0].host).toBe('sre-toolbox.viktorbarzin.me');
    expect(ing.spec.rule[0].http.path[0].backend.service).toEqual({
      name: 'sre-toolbox',
      port: { number: 80 },
    });
    expect(resolveNames(json, resource(json, 'kubernetes_service', 'api')).spec.port).toEqual([
      { name: 'http', port: 80, target_port: '8080', protocol: 'TCP' },
    ]);
  });
});
