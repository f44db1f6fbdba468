// Parity of stacks/insta2spotify with the tree's stacks/insta2spotify (HEAD 0cd4afb6): every tree address
// is synthesized or moved, and the literal values and ignore_changes are the tree's.
import { describe, expect, it } from 'vitest';
import insta2spotify from '../../stacks/insta2spotify';
import { STACKS } from '../../stacks';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(insta2spotify);
const TREE_ADDRESSES = [
  'kubernetes_namespace.insta2spotify',
  'kubernetes_manifest.external_secret',
  'module.nfs_insta2spotify.kubernetes_persistent_volume.this',
  'module.nfs_insta2spotify.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.insta2spotify',
  'kubernetes_service.insta2spotify',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubernetes_manifest.buffering[0]', // max_body_size = "50m"
  'module.ingress_api.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_api.kubernetes_manifest.buffering[0]',
  // no TLS secret module in the tree stack; no cloudflare_record (not the apex)
];
const at = (a: string): Json => atTreeAddress(json, a);
const middlewares = (a: string) =>
  (at(a).metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string).split(',');

describe('stack insta2spotify', () => {
  it('is in the registry, after platform and vault, with pg state under schema "insta2spotify"', () => {
    expect(STACKS).toContain(insta2spotify);
    expect(insta2spotify.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'insta2spotify' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('runs both containers with Keel ignoring both images and secrets only by reference', () => {
    const d = at('kubernetes_deployment.insta2spotify');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const [frontend, backend] = d.spec.template.spec.container;
    expect(frontend.name).toBe('frontend');
    expect(
      backend.env.filter((e: Json) => e.value_from).map((e: Json) => e.value_from.secret_key_ref),
    ).toEqual([
      { name: 'insta2spotify-secrets', key: 'spotify_client_id' },
      { name: 'insta2spotify-secrets', key: 'spotify_client_secret' },
      { name: 'insta2spotify-secrets', key: 'api_key' },
      { name: 'insta2spotify-secrets', key: 'spotify_refresh_token' },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining([
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].container[1].image',
      ]),
    );
    expect(d.lifecycle.ignore_changes).toHaveLength(10);
  });

  it('puts the UI behind Authentik and leaves only the API paths open, both with 50m buffering', () => {
    expect(middlewares('module.ingress.kubernetes_ingress_v1.proxied-ingress')).toContain(
      'traefik-authentik-forward-auth@kubernetescrd',
    );
    const api = at('module.ingress_api.kubernetes_ingress_v1.proxied-ingress');
    expect(middlewares('module.ingress_api.kubernetes_ingress_v1.proxied-ingress').join()).not.toMatch(
      /authentik/,
    );
    expect(api.spec.rule[0].host).toBe('insta2spotify.viktorbarzin.me');
    expect(api.spec.rule[0].http.path.map((p: Json) => p.path)).toEqual([
      '/api/identify',
      '/api/auth',
      '/api/health',
      '/api/history',
    ]);
    expect(at('module.ingress_api.kubernetes_manifest.buffering[0]').manifest.spec).toEqual({
      buffering: { maxRequestBodyBytes: 52428800 },
    });
  });
});
