// Parity of stacks/health with the tree's stacks/health (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import health from '../../stacks/health';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(health);
const ingress = (call: string) => [
  `module.${call}.kubernetes_ingress_v1.proxied-ingress`,
  `module.${call}.kubectl_manifest.sablier[0]`,
  `module.${call}.kubernetes_manifest.buffering[0]`,
];
const TREE_ADDRESSES = [
  'kubernetes_namespace.health',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.uploads_encrypted',
  'kubernetes_deployment.health',
  'kubernetes_service.health',
  ...ingress('ingress'),
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  ...ingress('ingress_test'), // dns_type unset: no record
  ...ingress('ingress_api'),
  'module.ingress_api.cloudflare_record.non_proxied_a[0]',
  'module.ingress_api.cloudflare_record.non_proxied_aaaa[0]',
  'kubernetes_manifest.external_secret_db',
  'kubernetes_manifest.external_secret_kv',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const middlewares = (call: string): string[] =>
  (
    at(`module.${call}.kubernetes_ingress_v1.proxied-ingress`).metadata.annotations[
      'traefik.ingress.kubernetes.io/router.middlewares'
    ] as string
  ).split(',');

describe('stack health', () => {
  it('is in the registry, after platform, with pg state under schema "health"', () => {
    expect(STACKS).toContain(health);
    expect(health.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'health' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('keeps uploads on an encrypted volume the resizer grows to 5Gi', () => {
    const pvc = comparable(at('kubernetes_persistent_volume_claim.uploads_encrypted'));
    expect(pvc.metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '10%',
      'resize.topolvm.io/increase': '100%',
      'resize.topolvm.io/storage_limit': '5Gi',
    });
    expect(pvc.spec).toEqual({
      access_modes: ['ReadWriteOnce'],
      storage_class_name: 'proxmox-lvm-encrypted',
      resources: { requests: { storage: '2Gi' } },
    });
    expect(pvc.lifecycle).toEqual({ ignore_changes: ['spec[0].resources[0].requests'] });
  });

  it('runs the app with the DB URL and kv keys from the ESO secrets, Sablier-parked', () => {
    const d = comparable(at('kubernetes_deployment.health'));
    expect(d.metadata.labels).toEqual({
      app: 'health',
      tier: '4-aux',
      'sablier.enable': 'true',
      'sablier.group': 'health',
      'sablier.ready-after': '5s',
    });
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    expect(d.spec.template.metadata.annotations).toEqual({
      'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432',
    });
    const c = d.spec.template.spec.container[0];
    expect(c.image).toBe('viktorbarzin/health:latest');
    expect(c.port).toEqual([{ container_port: 3000 }]);
    expect(c.env.map((e: Json) => e.name)).toEqual([
      'DATABASE_URL',
      'SECRET_KEY',
      'UPLOAD_DIR',
      'WEBAUTHN_RP_ID',
      'WEBAUTHN_ORIGIN',
      'COOKIE_SECURE',
      'PUSH_VAPID_PRIVATE_KEY',
      'PUSH_VAPID_PUBLIC_KEY',
      'PUSH_VAPID_SUBJECT',
      'DEV_AUTH_EMAIL',
    ]);
    expect(c.env[1].value_from).toEqual({
      secret_key_ref: { name: 'health-kv-secrets', key: 'secret_key' },
    });
    expect(c.resources).toEqual({ requests: { cpu: '15m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'spec[0].replicas',
      ].sort(),
    );
    expect(comparable(at('kubernetes_service.health')).spec.port).toEqual([
      { name: 'http', port: 80, target_port: '3000' },
      { name: 'api', port: 8000, target_port: '8000' },
    ]);
  });

  it('templates the asyncpg URL from the static role and maps the four kv properties', () => {
    const db = at('kubernetes_manifest.external_secret_db').manifest;
    expect(db.spec.secretStoreRef).toEqual({ name: 'vault-database', kind: 'ClusterSecretStore' });
    expect(db.spec.target.template.data.DATABASE_URL).toBe(
      'postgresql+asyncpg://health:{{ .db_password }}@postgresql.dbaas.svc.cluster.local:5432/health',
    );
    const kv = at('kubernetes_manifest.external_secret_kv').manifest;
    expect(kv.spec.data.map((d: Json) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual([
      ['secret_key', 'health', 'secret_key'],
      ['push_vapid_private_key', 'health', 'push_vapid_private_key'],
      ['push_vapid_public_key', 'health', 'push_vapid_public_key'],
      ['push_vapid_subject', 'health', 'push_vapid_subject'],
    ]);
  });

  it('gates the public UI with Authentik and its own rate limit instead of the shared one', () => {
    const chain = middlewares('ingress');
    expect(chain).toContain('traefik-authentik-forward-auth@kubernetescrd');
    expect(chain).not.toContain('traefik-rate-limit@kubernetescrd');
    expect(chain.at(-1)).toBe('traefik-health-rate-limit@kubernetescrd');
  });

  it('serves the LAN test host without SSO, local-only, and hides it from the homepage', () => {
    const i = at('module.ingress_test.kubernetes_ingress_v1.proxied-ingress');
    expect(i.spec.rule[0].host).toBe('health-test.viktorbarzin.lan');
    expect(middlewares('ingress_test')).toContain('traefik-local-only@kubernetescrd');
    expect(middlewares('ingress_test')).not.toContain('traefik-authentik-forward-auth@kubernetescrd');
    expect(i.metadata.annotations['gethomepage.dev/enabled']).toBe('false');
  });

  it('routes only /api/ingest to the API port, holding requests while the pod wakes', () => {
    const i = at('module.ingress_api.kubernetes_ingress_v1.proxied-ingress');
    expect(i.spec.rule[0].http.path).toEqual([
      { path: '/api/ingest', backend: { service: { name: 'health', port: { number: 8000 } } } },
    ]);
    expect(middlewares('ingress_api').at(-1)).toBe('traefik-strip-auth-headers@kubernetescrd');
    const sablier = at('module.ingress_api.kubectl_manifest.sablier[0]').yaml_body as string;
    expect(sablier).toContain('"group": "health"');
    expect(sablier).toContain('"blocking"');
  });
});
