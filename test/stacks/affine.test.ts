// Parity of stacks/affine with the tree's stacks/affine (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import affine, { AFFINE_IMAGE } from '../../stacks/affine';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(affine);
const TREE_ADDRESSES = [
  'kubernetes_manifest.external_secret',
  'data.kubernetes_secret.eso_secrets',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_namespace.affine',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_encrypted',
  'kubernetes_deployment.affine',
  'kubernetes_service.affine',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]',
  'module.ingress.kubernetes_manifest.buffering[0]',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const ENV_NAMES = [
  'REDIS_SERVER_HOST',
  'AFFINE_INDEXER_ENABLED',
  'NODE_OPTIONS',
  'AFFINE_SERVER_EXTERNAL_URL',
  'AFFINE_SERVER_HTTPS',
  'MAILER_HOST',
  'MAILER_PORT',
  'MAILER_USER',
  'MAILER_PASSWORD',
  'MAILER_SENDER',
  'DATABASE_URL',
];

describe('stack affine', () => {
  it('is in the registry, after platform and vault, with pg state under schema "affine"', () => {
    expect(STACKS).toContain(affine);
    expect(affine.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'affine' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('syncs the app secret whole and templates the DB URL from the static role', () => {
    const kv = at('kubernetes_manifest.external_secret').manifest;
    expect(kv.spec.dataFrom).toEqual([{ extract: { key: 'affine' } }]);
    expect(kv.spec.refreshInterval).toBe('15m');
    const db = at('kubernetes_manifest.db_external_secret').manifest;
    expect(db.metadata.name).toBe('affine-db-creds');
    expect(db.spec.secretStoreRef).toEqual({ name: 'vault-database', kind: 'ClusterSecretStore' });
    expect(db.spec.target.template.data).toEqual({
      DATABASE_URL: 'postgresql://affine:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/affine',
    });
    expect(db.spec.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'static-creds/pg-affine', property: 'password' } },
    ]);
  });

  it('runs the migration and the server with one image, one environment and the same mounts', () => {
    const d = comparable(at('kubernetes_deployment.affine'));
    const [init] = d.spec.template.spec.init_container;
    const [server] = d.spec.template.spec.container;
    expect(init.name).toBe('migration');
    expect(init.command).toEqual([
      'sh',
      '-c',
      'npx prisma migrate deploy && SERVER_FLAVOR=script node ./dist/main.js run',
    ]);
    for (const c of [init, server]) {
      expect(c.image).toBe(AFFINE_IMAGE);
      expect(c.env.map((e: Json) => e.name)).toEqual(ENV_NAMES);
      expect(c.volume_mount).toEqual([
        { name: 'data', mount_path: '/root/.affine/storage', sub_path: 'storage' },
        { name: 'data', mount_path: '/root/.affine/config', sub_path: 'config' },
      ]);
      expect(c.resources).toEqual({
        requests: { cpu: '50m', memory: '128Mi' },
        limits: { memory: '512Mi' },
      });
    }
    expect(AFFINE_IMAGE).toBe('ghcr.io/toeverything/affine:0.26.6');
    const env = Object.fromEntries(server.env.map((e: Json) => [e.name, e.value ?? e.value_from]));
    expect(env.REDIS_SERVER_HOST).toBe('redis-master.redis.svc.cluster.local');
    expect(env.MAILER_HOST).toBe('mail.viktorbarzin.me');
    expect(env.MAILER_SENDER).toBe('AFFiNE <info@viktorbarzin.me>');
    expect(env.MAILER_PASSWORD).toBe(
      '${jsondecode(data.kubernetes_secret.eso_secrets.data["mailserver_accounts"])["info@viktorbarzin.me"]}',
    );
    expect(env.DATABASE_URL).toEqual({ secret_key_ref: { name: 'affine-db-creds', key: 'DATABASE_URL' } });
    expect(server.port).toEqual([{ container_port: 3010 }]);
    expect(server.liveness_probe).toEqual({
      http_get: { path: '/info', port: '3010' },
      initial_delay_seconds: 120,
      period_seconds: 30,
      timeout_seconds: 10,
    });
    expect(server.readiness_probe).toEqual({
      http_get: { path: '/info', port: '3010' },
      initial_delay_seconds: 60,
      period_seconds: 10,
      timeout_seconds: 5,
    });
    expect(d.spec.template.metadata.annotations).toEqual({
      'diun.enable': 'true',
      'diun.include_tags': '^\\d+\\.\\d+\\.\\d+$',
      'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432,redis-master.redis:6379',
    });
    expect(d.metadata.labels).toEqual({
      app: 'affine',
      tier: '4-aux',
      'sablier.enable': 'true',
      'sablier.group': 'affine',
      'sablier.ready-after': '5s',
    });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].replicas',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].init_container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
  });

  it('serves affine with its own login, holding sync requests while the pod wakes', () => {
    const i = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const chain = i.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).not.toContain('authentik');
    expect(chain).toContain('-buffering-affine@kubernetescrd');
    expect(i.metadata.annotations['gethomepage.dev/description']).toBe('Knowledge base');
    const sablier = at('module.ingress.kubectl_manifest.sablier[0]').yaml_body as string;
    expect(sablier).toContain('"group": "affine"');
    expect(sablier).toContain('"blocking"');
    expect(at('module.ingress.kubernetes_manifest.buffering[0]').manifest.spec).toEqual({
      buffering: { maxRequestBodyBytes: 524288000 },
    });
  });
});
