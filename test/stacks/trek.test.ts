// Parity of stacks/trek with the tree's stacks/trek (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import trek, { IMAGE_TAG } from '../../stacks/trek';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(trek);
const TREE_ADDRESSES = [
  'kubernetes_namespace.trek',
  'kubernetes_persistent_volume_claim.data',
  'kubernetes_persistent_volume_claim.uploads',
  'kubernetes_deployment.trek',
  'kubernetes_service.trek',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack trek', () => {
  it('is in the registry, after platform and vault, with pg state', () => {
    expect(STACKS).toContain(trek);
    expect(trek.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'trek' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('namespace not Keel-enrolled; two encrypted resizable volumes', () => {
    expect(comparable(at('kubernetes_namespace.trek')).metadata.labels).toEqual({
      'istio-injection': 'disabled',
      tier: '4-aux',
    });
    for (const [address, name, size, limit] of [
      ['kubernetes_persistent_volume_claim.data', 'trek-data-encrypted', '2Gi', '5Gi'],
      ['kubernetes_persistent_volume_claim.uploads', 'trek-uploads-encrypted', '5Gi', '20Gi'],
    ]) {
      const pvc = comparable(at(address));
      expect(pvc.metadata).toEqual({
        name,
        namespace: 'trek',
        annotations: {
          'resize.topolvm.io/threshold': '10%',
          'resize.topolvm.io/increase': '100%',
          'resize.topolvm.io/storage_limit': limit,
        },
      });
      expect(pvc.spec.storage_class_name).toBe('proxmox-lvm-encrypted');
      expect(pvc.spec.resources).toEqual({ requests: { storage: size } });
      expect(pvc.lifecycle).toEqual({ ignore_changes: ['spec[0].resources[0].requests'] });
    }
  });

  it('runs the pinned image with socket probes and exactly the tree ignore list', () => {
    const d = comparable(at('kubernetes_deployment.trek'));
    expect(d.metadata.annotations).toBeUndefined();
    const [c] = d.spec.template.spec.container;
    expect(c.image).toBe(`mauriceboe/trek:${IMAGE_TAG}`);
    expect(c.env.map((e: Json) => e.name)).toEqual([
      'APP_URL',
      'ALLOWED_ORIGINS',
      'FORCE_HTTPS',
      'TRUST_PROXY',
    ]);
    expect(c.startup_probe).toEqual({
      tcp_socket: [{ port: '3000' }],
      period_seconds: 5,
      failure_threshold: 30,
    });
    expect(c.readiness_probe).toEqual({
      tcp_socket: [{ port: '3000' }],
      initial_delay_seconds: 5,
      period_seconds: 10,
    });
    expect(c.liveness_probe).toEqual({ tcp_socket: [{ port: '3000' }], period_seconds: 30 });
    expect(c.volume_mount).toEqual([
      { name: 'data', mount_path: '/app/data' },
      { name: 'uploads', mount_path: '/app/uploads' },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].replicas',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].spec[0].container[0].image',
      ].sort(),
    );
  });

  it('behind Authentik with the Sablier middleware; homepage group Productivity', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const a = ingress.metadata.annotations;
    expect(a['gethomepage.dev/group']).toBe('Productivity');
    expect(a['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'trek-sablier-trek@kubernetescrd',
    );
    expect(ingress.spec.rule[0].http.path[0].backend.service).toEqual({ name: 'trek', port: { number: 80 } });
  });
});
