// SRE Toolbox (seed 002): FastAPI API + Celery worker, shared PostgreSQL/Redis, Vault by AppRole.
import { siteOf } from '../lib/conventions/site';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';
import { AppDeployment } from '../constructs/blocks/app-deployment';
import { IngressAuth } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { PostgresCredentials } from '../constructs/blocks/postgres-credentials';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { VaultAppRole } from '../constructs/blocks/vault-app-role';
import { WebApp } from '../constructs/patterns/web-app';

export default defineStack({
  name: 'sre-toolbox',
  description: 'SRE Toolbox: FastAPI API + Celery worker on shared PostgreSQL/Redis, Vault by AppRole',
  after: ['platform', 'vault', 'external-secrets', 'dbaas', 'redis'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'sre-toolbox', { tier: Tier.AUX });
    const vault = new VaultAppRole(stack, 'vault', {
      roleName: 'sre-toolbox',
      namespace: ns,
      kvMount: 'sre-toolbox',
      tokenTtlSeconds: 86400, // the app logs in once per process and never renews
    });
    const db = new PostgresCredentials(stack, 'db', {
      name: 'sre-toolbox-db',
      namespace: ns,
      staticRole: 'pg-sre-toolbox',
      database: 'sre_toolbox',
      urlScheme: 'postgresql+asyncpg',
    });
    const vaultEnv = vault.credentialsEnv();
    const toolkits = new NfsVolume(stack, 'toolkits', {
      name: 'sre-toolbox-toolkits',
      namespace: ns,
      nfsPath: '/srv/nfs/sre-toolbox',
    });
    const shared = {
      image: 'ghcr.io/sxmxc/backend:12f47011786067ff684a84bf1cd5ab16554b48b5', // placeholder pin: bump
      keel: false, // commit tags: Terraform owns the image
      env: {
        APP_ENV: 'production',
        REDIS_URL: `redis://${site.redisHost}:6379/0`,
        FRONTEND_BASE_URL: `https://sre-toolbox.${site.rootDomain}`,
        VAULT_ADDR: site.vaultAddress,
        VAULT_AUTH_METHOD: 'approle',
        VAULT_KV_MOUNT: 'sre-toolbox',
        VAULT_TLS_SKIP_VERIFY: 'false',
        BOOTSTRAP_ADMIN_USERNAME: 'admin',
      },
      dependsOnSecrets: ['AUTH_JWT_SECRET', 'DATABASE_URL', ...vaultEnv.map((e) => e.name)],
      volumes: [{ name: 'toolkits', claimName: toolkits.claimName, mountPath: '/app/data' }],
      waitFor: [`${site.postgresqlHost}:5432`, `${site.redisHost}:6379`],
      memoryRequest: '256Mi',
      memoryLimit: '512Mi',
    };
    const kv = (name: string, property: string) => ({ name, vault: { path: 'sre-toolbox', property } });
    const api = new WebApp(stack, 'api', {
      ...shared,
      name: 'sre-toolbox',
      existingNamespace: ns,
      command: ['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8080'],
      port: 8080,
      healthCheckPath: '/health',
      secretEnv: [kv('AUTH_JWT_SECRET', 'jwt_secret'), kv('BOOTSTRAP_ADMIN_PASSWORD', 'admin_password')],
      existingSecretEnv: [db.urlEnv(), ...vaultEnv],
      auth: IngressAuth.REQUIRED,
    });
    new AppDeployment(stack, 'worker', {
      ...shared,
      name: 'sre-toolbox-worker',
      namespace: ns.name,
      command: ['celery', '-A', 'worker.worker:celery_app', 'worker', '--loglevel=INFO'],
      secretEnv: [...api.secretKeyEnv],
    });
  },
});
