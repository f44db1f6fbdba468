// Parity of stacks/offline-reader with the tree's stacks/offline-reader (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import offlineReader, { CAPTURE_IMAGE } from '../../stacks/offline-reader';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(offlineReader);
const TREE_ADDRESSES = [
  'kubernetes_namespace.offline_reader',
  'module.nfs_pages.kubernetes_persistent_volume.this',
  'module.nfs_pages.kubernetes_persistent_volume_claim.this',
  'kubernetes_service_account.app',
  'kubernetes_role.app',
  'kubernetes_role_binding.app',
  'kubernetes_deployment.offline_reader',
  'kubernetes_service.offline_reader',
  'kubernetes_manifest.offline_reader_secrets',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_ingest.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_network_policy_v1.ingress',
  // no module.tls_secret in the tree's stack; proxied, not the apex: no cloudflare_record
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack offline-reader', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(offlineReader);
    expect(offlineReader.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'offline-reader' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('grants the app exactly the capture-Job rights', () => {
    expect(comparable(at('kubernetes_role.app')).rule).toEqual([
      { api_groups: ['batch'], resources: ['jobs'], verbs: ['create', 'get', 'list', 'watch', 'delete'] },
      { api_groups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = comparable(at('kubernetes_role_binding.app'));
    expect(binding.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'offline-reader-jobs',
    });
    expect(binding.subject).toEqual([
      { kind: 'ServiceAccount', name: 'offline-reader', namespace: 'offline-reader' },
    ]);
  });

  it('runs the app with the capture settings, the pod namespace, the optional token Secret and its dependencies', () => {
    const raw = at('kubernetes_deployment.offline_reader');
    expect(raw.depends_on).toEqual([
      'kubernetes_role_binding.app',
      'kubernetes_manifest.offline_reader_secrets',
    ]);
    const d = comparable(raw);
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(d.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/metrics',
      'prometheus.io/port': '8000',
    });
    const pod = d.spec.template.spec;
    expect(pod.service_account_name).toBe('offline-reader');
    const [c] = pod.container;
    expect(c.env).toEqual([
      { name: 'DATA_DIR', value: '/data' },
      { name: 'CAPTURE_MODE', value: 'k8s' },
      { name: 'SINGLEFILE_IMAGE', value: CAPTURE_IMAGE },
      { name: 'NFS_PVC_CLAIM', value: 'offline-reader-pages' },
      { name: 'POD_NAMESPACE', value_from: { field_ref: { field_path: 'metadata.namespace' } } },
    ]);
    expect(c.env_from).toEqual([{ secret_ref: { name: 'offline-reader-secrets', optional: true } }]);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('reads the ingest token from Vault through an ExternalSecret', () => {
    const es = at('kubernetes_manifest.offline_reader_secrets');
    expect(es.manifest.spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
      target: {
        name: 'offline-reader-secrets',
        template: { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } },
      },
      data: [{ secretKey: 'INGEST_TOKEN', remoteRef: { key: 'offline-reader', property: 'ingest_token' } }],
    });
  });

  it('owner-only UI, open /api/ingest on the same host, NetworkPolicy from traefik and monitoring', () => {
    const ui = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ui.metadata.annotations['authentik.viktorbarzin.me/allowed-groups']).toBe('Home Server Admins');
    const ingest = at('module.ingress_ingest.kubernetes_ingress_v1.proxied-ingress');
    expect(ingest.spec.rule[0].host).toBe('offline-reader.viktorbarzin.me');
    expect(ingest.spec.rule[0].http.path).toEqual([
      { path: '/api/ingest', backend: { service: { name: 'offline-reader', port: { number: 8000 } } } },
    ]);
    const np = comparable(at('kubernetes_network_policy_v1.ingress'));
    expect(np.spec.policy_types).toEqual(['Ingress']);
    expect(np.spec.ingress.map((i: Json) => i.from[0].namespace_selector.match_labels)).toEqual([
      { 'kubernetes.io/metadata.name': 'traefik' },
      { 'kubernetes.io/metadata.name': 'monitoring' },
    ]);
  });
});
