// Parity of stacks/navidrome with the tree's stacks/navidrome (HEAD 0cd4afb6): every tree address is
// synthesized or moved, and the literal values and ignore_changes are the tree's. The adoption rehearsal
// against the tree is clean, moves only (rehearsal/results.json; the stubs fake the jsondecode()d
// homepage credentials as a JSON document of the paths both sides index).
import { describe, expect, it } from 'vitest';
import navidrome from '../../stacks/navidrome';
import { STACKS } from '../../stacks';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(navidrome);
const TREE_ADDRESSES = [
  'data.kubernetes_secret.eso_secrets',
  'kubernetes_namespace.navidrome',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_proxmox',
  'module.nfs_music.kubernetes_persistent_volume.this',
  'module.nfs_music.kubernetes_persistent_volume_claim.this',
  'module.nfs_lidarr_host.kubernetes_persistent_volume.this',
  'module.nfs_lidarr_host.kubernetes_persistent_volume_claim.this',
  'module.nfs_freedify_host.kubernetes_persistent_volume.this',
  'module.nfs_freedify_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.navidrome',
  'kubernetes_service.navidrome',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack navidrome', () => {
  it('is in the registry, after platform, with pg state under schema "navidrome"', () => {
    expect(STACKS).toContain(navidrome);
    expect(navidrome.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'navidrome' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('keeps app data on an autoresized proxmox-lvm PVC and mounts the libraries read-only from their servers', () => {
    const pvc = at('kubernetes_persistent_volume_claim.data_proxmox');
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm');
    expect(pvc.metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '10%',
      'resize.topolvm.io/increase': '100%',
      'resize.topolvm.io/storage_limit': '5Gi',
    });
    expect(pvc.lifecycle.ignore_changes).toEqual(['spec[0].resources[0].requests']);
    const share = (m: string) =>
      at(`module.${m}.kubernetes_persistent_volume.this`).spec[0].persistent_volume_source.csi
        .volume_attributes;
    expect(share('nfs_music')).toEqual({ server: '192.168.1.13', share: '/volume1/music' });
    expect(share('nfs_lidarr_host').server).toBe('192.168.1.127');
    const mounts = at('kubernetes_deployment.navidrome').spec.template.spec.container[0].volume_mount;
    expect(mounts.filter((m: Json) => m.read_only).map((m: Json) => m.name)).toEqual([
      'music',
      'lidarr',
      'freedify',
    ]);
  });

  it('feeds the homepage widget from the synced Secret, read at plan time, never as a value', () => {
    const a = at('module.ingress.kubernetes_ingress_v1.proxied-ingress').metadata.annotations;
    expect(a['gethomepage.dev/widget.user']).toBe(
      '${jsondecode(data.kubernetes_secret.eso_secrets.data["homepage_credentials"]).navidrome.user}',
    );
    expect(a['traefik.ingress.kubernetes.io/router.middlewares']).not.toMatch(/authentik/);
    expect(json.data?.kubernetes_secret.eso_secrets.depends_on).toEqual([
      'kubernetes_manifest.external_secret',
    ]);
  });
});
