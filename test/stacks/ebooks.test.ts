// Parity of stacks/ebooks with the tree's stacks/ebooks (HEAD 0cd4afb6): every tree address is synthesized or
// moved and the literal values and ignore_changes are the tree's (rehearsal: clean, 22 moves, 0 changes, the
// stubs serving JSON for the homepage_credentials keys both sides jsondecode).
import { describe, expect, it } from 'vitest';
import ebooks, { SEED_SMTP_SCRIPT } from '../../stacks/ebooks';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(ebooks);
const NFS = [
  'nfs_calibre_library_host',
  'nfs_calibre_ingest_host',
  'nfs_mam_farming_host',
  'nfs_calibre_stacks_config_host',
  'nfs_audiobookshelf_audiobooks_host',
  'nfs_audiobookshelf_podcasts_host',
  'nfs_audiobookshelf_metadata_host',
];
const INGRESSES = [
  'calibre_ingress',
  'stacks_ingress',
  'audiobookshelf_ingress',
  'book_search_ingress',
  'book_search_api_ingress',
];
const TREE_ADDRESSES = [
  'kubernetes_namespace.ebooks',
  'kubernetes_manifest.calibre_external_secret',
  'kubernetes_manifest.audiobookshelf_external_secret',
  'kubernetes_manifest.servarr_external_secret',
  'kubernetes_manifest.goodreads_db_external_secret',
  'data.kubernetes_secret.calibre_secrets',
  'data.kubernetes_secret.audiobookshelf_secrets',
  'data.kubernetes_secret.servarr_secrets',
  'module.tls_secret.kubernetes_secret.tls_secret',
  ...NFS.flatMap((m) => [
    `module.${m}.kubernetes_persistent_volume.this`,
    `module.${m}.kubernetes_persistent_volume_claim.this`,
  ]),
  'kubernetes_persistent_volume_claim.calibre_config_iscsi',
  'kubernetes_persistent_volume_claim.abs_config_proxmox',
  'kubernetes_deployment.calibre-web-automated',
  'kubernetes_service.calibre',
  'kubernetes_deployment.annas-archive-stacks',
  'kubernetes_service.annas-archive-stacks',
  'kubernetes_deployment.audiobookshelf',
  'kubernetes_service.audiobookshelf',
  'kubernetes_deployment.book_search',
  'kubernetes_service.book_search',
  'kubernetes_deployment.goodreads_sync',
  ...INGRESSES.map((m) => `module.${m}.kubernetes_ingress_v1.proxied-ingress`),
  'module.audiobookshelf_ingress.cloudflare_record.non_proxied_a[0]',
  'module.audiobookshelf_ingress.cloudflare_record.non_proxied_aaaa[0]',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];
const at = (a: string): Json => atTreeAddress(json, a);
const ENROLLED_IGNORES = [
  'spec[0].template[0].spec[0].dns_config',
  'metadata[0].annotations["keel.sh/policy"]',
  'metadata[0].annotations["keel.sh/trigger"]',
  'metadata[0].annotations["keel.sh/pollSchedule"]',
  'metadata[0].annotations["keel.sh/match-tag"]',
  'metadata[0].annotations["kubernetes.io/change-cause"]',
  'metadata[0].annotations["deployment.kubernetes.io/revision"]',
  'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
  'spec[0].template[0].spec[0].container[0].image',
];

describe('stack ebooks', () => {
  it('is in the registry, after platform, with pg state under schema "ebooks"', () => {
    expect(STACKS).toContain(ebooks);
    expect(ebooks.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'ebooks' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('reads three whole Vault secrets and the rotating DB password, never a value', () => {
    for (const [address, key] of [
      ['calibre_external_secret', 'calibre'],
      ['audiobookshelf_external_secret', 'audiobookshelf'],
      ['servarr_external_secret', 'servarr'],
    ]) {
      const es = at(`kubernetes_manifest.${address}`);
      expect(es.manifest.metadata).toEqual({ name: `${key}-secrets`, namespace: 'ebooks' });
      expect(es.manifest.spec.dataFrom).toEqual([{ extract: { key } }]);
      expect(es.depends_on).toEqual(['kubernetes_namespace.ebooks']);
    }
    const db = at('kubernetes_manifest.goodreads_db_external_secret').manifest.spec;
    expect(db.secretStoreRef).toEqual({ name: 'vault-database', kind: 'ClusterSecretStore' });
    expect(db.data).toEqual([
      {
        secretKey: 'password',
        remoteRef: { key: 'database/static-creds/pg-goodreads-sync', property: 'password' },
      },
    ]);
    expect(db.target.template.data.GOODREADS_DATABASE_URL).toContain('{{ .password }}');
  });

  it('keeps the Calibre config on plain LVM at the provider default wait_until_bound, as the tree', () => {
    const pvc = comparable(at('kubernetes_persistent_volume_claim.calibre_config_iscsi'));
    expect(pvc.wait_until_bound).toBeUndefined();
    expect(pvc.metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '10%',
      'resize.topolvm.io/increase': '50%',
      'resize.topolvm.io/storage_limit': '10Gi',
    });
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm');
    expect(at('kubernetes_persistent_volume_claim.abs_config_proxmox').wait_until_bound).toBe(false);
  });

  it('mounts the NAS shares from 192.168.1.127; mam-farming in the literal namespace', () => {
    for (const m of NFS) {
      const pv = at(`module.${m}.kubernetes_persistent_volume.this`);
      expect(pv.spec[0].persistent_volume_source.csi.volume_attributes.server).toBe('192.168.1.127');
    }
    expect(at('module.nfs_mam_farming_host.kubernetes_persistent_volume_claim.this').metadata.namespace).toBe(
      'ebooks',
    );
  });

  it('re-seeds the SMTP password with the tree script before Calibre-Web starts', () => {
    const d = at('kubernetes_deployment.calibre-web-automated');
    expect(d.wait_for_rollout).toBe(true);
    const init = d.spec.template.spec.init_container[0];
    expect(init.command[0]).toBe('python3');
    expect(init.command[2]).toContain(`tree-payloads/ebooks/${SEED_SMTP_SCRIPT}`);
    expect(init.security_context).toEqual({ run_as_user: '1000', run_as_group: '1000' });
    expect(d.lifecycle.precondition[0].error_message).toContain(SEED_SMTP_SCRIPT);
    expect(d.lifecycle.ignore_changes).toEqual(ENROLLED_IGNORES);
    const c = d.spec.template.spec.container[0];
    expect(c.startup_probe).toEqual({
      http_get: { path: '/', port: '8083' },
      initial_delay_seconds: 10,
      timeout_seconds: 5,
      period_seconds: 5,
      failure_threshold: 24,
    });
  });

  it('serves Calibre as "calibre" (labels app=calibre) and the widget reads the ESO credentials', () => {
    const svc = at('kubernetes_service.calibre');
    expect(svc.metadata.labels).toEqual({ app: 'calibre' });
    expect(svc.spec.selector).toEqual({ app: 'calibre-web-automated' });
    expect(svc.spec.port).toEqual([{ name: 'http', port: 80, target_port: '8083', protocol: 'TCP' }]);
    const ann = at('module.calibre_ingress.kubernetes_ingress_v1.proxied-ingress').metadata.annotations;
    expect(ann['gethomepage.dev/widget.username']).toBe(
      '${jsondecode(data.kubernetes_secret.calibre_secrets.data["homepage_credentials"])["calibre-web"].username}',
    );
  });

  it('book-search: optional MAM_ID, the proxy off (empty values), the open API paths', () => {
    const env = at('kubernetes_deployment.book_search').spec.template.spec.container[0].env;
    const byName = Object.fromEntries(env.map((e: Json) => [e.name, e]));
    expect(byName.MAM_ID.value_from.secret_key_ref).toEqual({
      name: 'servarr-secrets',
      key: 'mam_id',
      optional: true,
    });
    expect(byName.ALL_PROXY.value).toBe('');
    expect(byName.GOODREADS_KINDLE_EMAIL.value).toBe('ancaelena98_4RMJsy@kindle.com');
    expect(env).toHaveLength(26);
    const api = at('module.book_search_api_ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(api.spec.rule[0].host).toBe('book-search.viktorbarzin.me');
    expect(api.spec.rule[0].http.path.map((p: Json) => p.path)).toEqual([
      '/api/download-url',
      '/api/download-status',
      '/api/send-to-kindle',
      '/shortcut',
    ]);
  });

  it('goodreads-sync: no proxy env while the proxy is off, DB URL from its secret', () => {
    const c = at('kubernetes_deployment.goodreads_sync').spec.template.spec.container[0];
    expect(c.env.map((e: Json) => e.name)).not.toContain('HTTPS_PROXY');
    expect(c.env_from).toEqual([{ secret_ref: { name: 'goodreads-sync-db-creds' } }]);
    expect(c.command).toEqual(['python3', '-m', 'backend.goodreads.runner']);
  });
});
