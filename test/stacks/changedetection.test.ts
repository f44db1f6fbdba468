// Parity of stacks/changedetection with the tree's stacks/changedetection (HEAD 0cd4afb6): every address
// the tree has is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
// The adoption rehearsal against the tree is clean, moves only (rehearsal/results.json; the stubs fake
// the jsondecode()d homepage credentials as a JSON document of the paths both sides index).
import { describe, expect, it } from 'vitest';
import changedetection from '../../stacks/changedetection';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(changedetection);
const TREE_ADDRESSES = [
  'kubernetes_namespace.changedetection',
  'kubernetes_manifest.external_secret',
  'data.kubernetes_secret.eso_secrets',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_changedetection.kubernetes_persistent_volume.this',
  'module.nfs_changedetection.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.changedetection',
  'kubernetes_service.changedetection',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack changedetection', () => {
  it('is in the registry, after platform, with pg state under schema "changedetection"', () => {
    expect(STACKS).toContain(changedetection);
    expect(changedetection.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'changedetection' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('extracts the changedetection Vault secret and reads it back for the homepage widget key', () => {
    const es = at('kubernetes_manifest.external_secret');
    expect(es.manifest.metadata).toEqual({ name: 'changedetection-secrets', namespace: 'changedetection' });
    expect(es.manifest.spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
      target: { name: 'changedetection-secrets' },
      dataFrom: [{ extract: { key: 'changedetection' } }],
    });
    expect(es.field_manager).toEqual({ force_conflicts: true });
    const read = (json as Json).data.kubernetes_secret.eso_secrets;
    expect(read.metadata.name).toBe('changedetection-secrets');
    expect(read.depends_on).toEqual(['kubernetes_manifest.external_secret']);
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.annotations['gethomepage.dev/widget.key']).toBe(
      '${jsondecode(data.kubernetes_secret.eso_secrets.data["homepage_credentials"]).changedetection.api_key}',
    );
    expect(ingress.metadata.annotations['gethomepage.dev/widget.type']).toBe('changedetectionio');
  });

  it('runs the browser sidecar first and the app second, both images Keel-tracked, as the tree', () => {
    const d = comparable(at('kubernetes_deployment.changedetection'));
    const [browser, app] = d.spec.template.spec.container;
    expect(browser).toEqual({
      name: 'sockpuppetbrowser',
      image: 'dgtlmoon/sockpuppetbrowser:latest',
      image_pull_policy: 'IfNotPresent',
      port: [{ name: 'ws', container_port: 3000, protocol: 'TCP' }],
      security_context: { capabilities: { add: ['SYS_ADMIN'] } },
      resources: { requests: { cpu: '25m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    });
    expect(app.name).toBe('changedetection');
    expect(app.env).toEqual([
      { name: 'PLAYWRIGHT_DRIVER_URL', value: 'ws://localhost:3000' },
      { name: 'BASE_URL', value: 'https://changedetection.viktorbarzin.me' },
      { name: 'LOGGER_LEVEL', value: 'WARNING' },
      { name: 'TZ', value: 'Europe/Sofia' },
    ]);
    expect(app.volume_mount).toEqual([{ name: 'data', mount_path: '/datastore' }]);
    expect(app.port).toEqual([{ name: 'http', container_port: 5000, protocol: 'TCP' }]);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[1].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
    expect(comparable(at('kubernetes_service.changedetection')).spec).toEqual({
      selector: { app: 'changedetection' },
      port: [{ port: 80, target_port: '5000' }],
    });
  });
});
