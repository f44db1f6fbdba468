// Parity of stacks/paperless-ngx with the tree's stacks/paperless-ngx (HEAD 0cd4afb6): every address the
// tree has is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import paperlessNgx from '../../stacks/paperless-ngx';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(paperlessNgx);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'kubernetes_namespace.paperless-ngx',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_encrypted',
  'kubernetes_deployment.paperless-ngx',
  'kubernetes_service.paperless-ngx',
  'kubernetes_deployment.gotenberg',
  'kubernetes_service.gotenberg',
  'kubernetes_deployment.tika',
  'kubernetes_service.tika',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack paperless-ngx', () => {
  it('is in the registry, after platform and vault, with pg state', () => {
    expect(STACKS).toContain(paperlessNgx);
    expect(paperlessNgx.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'paperless-ngx' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('runs paperless on MySQL and Redis with Tika/Gotenberg conversion and the tree lifecycle', () => {
    const raw = at('kubernetes_deployment.paperless-ngx');
    const d = comparable(raw);
    expect(d.spec.template.metadata.annotations).toEqual({
      'diun.enable': 'true',
      'diun.include_tags': '^\\d+(?:\\.\\d+)?(?:\\.\\d+)?$',
      'dependency.kyverno.io/wait-for': 'mysql.dbaas:3306,redis-master.redis:6379',
    });
    const [c] = d.spec.template.spec.container;
    const env = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? e.value_from]));
    expect(env).toMatchObject({
      PAPERLESS_REDIS: 'redis://redis-master.redis.svc.cluster.local',
      PAPERLESS_DBHOST: 'mysql.dbaas.svc.cluster.local',
      PAPERLESS_DBPASS: { secret_key_ref: { name: 'paperless-ngx-secrets', key: 'db_password' } },
      PAPERLESS_CSRF_TRUSTED_ORIGINS: 'https://paperless-ngx.viktorbarzin.me,https://pdf.viktorbarzin.me',
      PAPERLESS_OCR_USER_ARGS: '{"invalidate_digital_signatures": true}',
      PAPERLESS_TIKA_ENDPOINT: 'http://tika.paperless-ngx.svc.cluster.local:9998',
    });
    expect(c.env).toHaveLength(17);
    expect(raw.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('the converters keep the tree six-entry lifecycle', () => {
    for (const name of ['gotenberg', 'tika']) {
      const raw = at(`kubernetes_deployment.${name}`);
      expect([...raw.lifecycle.ignore_changes].sort()).toEqual(
        [
          'spec[0].template[0].spec[0].dns_config',
          'metadata[0].annotations["keel.sh/policy"]',
          'metadata[0].annotations["keel.sh/trigger"]',
          'metadata[0].annotations["keel.sh/pollSchedule"]',
          'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
          'spec[0].template[0].spec[0].container[0].image',
        ].sort(),
      );
    }
    expect(comparable(at('kubernetes_deployment.gotenberg')).spec.template.spec.container[0].args).toEqual([
      'gotenberg',
      '--chromium-disable-javascript=true',
      '--chromium-allow-list=file:///tmp/.*',
    ]);
    expect(comparable(at('kubernetes_service.tika')).spec.port).toEqual([
      { name: 'http', port: 9998, target_port: '9998', protocol: 'TCP' },
    ]);
  });

  it('serves pdf with its own login; the widget credentials come from Vault', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].host).toBe('pdf.viktorbarzin.me');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
    expect(ingress.metadata.annotations['gethomepage.dev/widget.username']).toBe(
      '${jsondecode(data.vault_kv_secret_v2.secrets.data["homepage_credentials"])["paperless-ngx"].username}',
    );
    expect(ingress.metadata.annotations['gethomepage.dev/widget.fields']).toBe('["total"]');
  });
});
