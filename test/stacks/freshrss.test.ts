// Parity of stacks/freshrss with the tree's stacks/freshrss (HEAD 0cd4afb6): every address the tree has
// is synthesized or moved, and the literal values and ignore_changes sets are the tree's. The adoption
// rehearsal against the tree is clean, moves only (rehearsal/results.json; the stubs fake the
// jsondecode()d homepage credentials as a JSON document of the paths both sides index).
import { describe, expect, it } from 'vitest';
import freshrss from '../../stacks/freshrss';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(freshrss);
const TREE_ADDRESSES = [
  'kubernetes_namespace.immich',
  'kubernetes_manifest.external_secret',
  'data.kubernetes_secret.eso_secrets',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_proxmox',
  'module.nfs_extensions.kubernetes_persistent_volume.this',
  'module.nfs_extensions.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.freshrss',
  'kubernetes_service.freshrss',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack freshrss', () => {
  it('is in the registry, after platform, with pg state under schema "freshrss"', () => {
    expect(STACKS).toContain(freshrss);
    expect(freshrss.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'freshrss' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('the namespace keeps its tree address "immich", without the istio label', () => {
    expect(comparable(at('kubernetes_namespace.immich')).metadata).toEqual({
      name: 'freshrss',
      labels: { tier: '4-aux', 'keel.sh/enrolled': 'true' },
    });
  });

  it('keeps its data on an unencrypted Proxmox LVM volume the resizer grows to 5Gi', () => {
    expect(comparable(at('kubernetes_persistent_volume_claim.data_proxmox'))).toEqual({
      wait_until_bound: false,
      metadata: {
        name: 'freshrss-data-proxmox',
        namespace: 'freshrss',
        annotations: {
          'resize.topolvm.io/threshold': '10%',
          'resize.topolvm.io/increase': '100%',
          'resize.topolvm.io/storage_limit': '5Gi',
        },
      },
      spec: {
        access_modes: ['ReadWriteOnce'],
        storage_class_name: 'proxmox-lvm',
        resources: { requests: { storage: '1Gi' } },
      },
      lifecycle: { ignore_changes: ['spec[0].resources[0].requests'] },
    });
  });

  it('runs FreshRSS with data and extensions mounted, as the tree', () => {
    const d = comparable(at('kubernetes_deployment.freshrss'));
    expect(d.metadata.labels).toEqual({
      app: 'freshrss',
      'kubernetes.io/cluster-service': 'true',
      tier: '4-aux',
    });
    expect(d.spec.template.metadata.labels).toEqual({
      app: 'freshrss',
      'kubernetes.io/cluster-service': 'true',
    });
    expect(d.spec.template.spec.container[0].env).toEqual([
      { name: 'CRON_MIN', value: '0,30' },
      { name: 'BASE_URL', value: 'https://rss.viktorbarzin.me' },
      { name: 'PUBLISHED_PORT', value: '80' },
    ]);
    expect(d.spec.template.spec.volume).toEqual([
      { name: 'data', persistent_volume_claim: { claim_name: 'freshrss-data-proxmox' } },
      { name: 'extensions', persistent_volume_claim: { claim_name: 'freshrss-extensions' } },
    ]);
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('routes rss to the app with its own login; the widget credentials come from the ESO secret', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.name).toBe('rss');
    expect(ingress.spec.rule[0].http.path[0].backend.service.name).toBe('freshrss');
    const chain = ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).not.toContain('authentik');
    expect(ingress.metadata.annotations['gethomepage.dev/widget.username']).toBe(
      '${jsondecode(data.kubernetes_secret.eso_secrets.data["homepage_credentials"]).freshrss.username}',
    );
  });
});
