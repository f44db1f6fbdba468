// Parity of stacks/anisette with the tree's stacks/anisette (HEAD 0cd4afb6): every address the tree has
// is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import anisette from '../../stacks/anisette';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(anisette);
const TREE_ADDRESSES = [
  'kubernetes_namespace.anisette',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.anisette',
  'kubernetes_service.anisette',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  // no cloudflare_record: a viktorbarzin.lan host
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack anisette', () => {
  it('is in the registry, after platform, with pg state under schema "anisette"', () => {
    expect(STACKS).toContain(anisette);
    expect(anisette.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'anisette' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(json.provider?.cloudflare).toBeUndefined();
  });

  it('a namespace outside Keel', () => {
    expect(at('kubernetes_namespace.anisette').metadata.labels).toEqual({
      'istio-injection': 'disabled',
      tier: '4-aux',
    });
  });

  it('runs the digest-pinned server without waiting for its rollout, probed on /, as the tree', () => {
    const d = comparable(at('kubernetes_deployment.anisette'));
    expect(d.wait_for_rollout).toBe(false);
    expect(d.metadata).toEqual({
      name: 'anisette',
      namespace: 'anisette',
      labels: { app: 'anisette', tier: '4-aux' },
    });
    expect(d.spec.template.metadata.annotations).toEqual({
      'diun.enable': 'true',
      'diun.watch_repo': 'false',
      'diun.include_tags': '^latest$',
    });
    expect(d.spec.template.spec.container).toEqual([
      {
        image:
          'docker.io/dadoum/anisette-v3-server@sha256:1e20384985d3c49965f444bef39d627768dacc39ea0dca91f2a535edb7591ba3',
        name: 'anisette',
        port: [{ name: 'http', container_port: 6969 }],
        volume_mount: [{ name: 'provisioning-cache', mount_path: '/home/Alcoholic/.config/anisette-v3/lib' }],
        resources: { requests: { cpu: '10m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        readiness_probe: {
          http_get: { path: '/', port: '6969' },
          period_seconds: 15,
          initial_delay_seconds: 5,
        },
        liveness_probe: { http_get: { path: '/', port: '6969' }, period_seconds: 30, failure_threshold: 6 },
      },
    ]);
    expect(d.spec.template.spec.volume).toEqual([{ name: 'provisioning-cache', empty_dir: {} }]);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].spec[0].container[0].image',
      ].sort(),
    );
  });

  it('serves anisette.viktorbarzin.lan to the LAN only, without forward-auth or a homepage tile', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].host).toBe('anisette.viktorbarzin.lan');
    const chain = ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).not.toContain('authentik');
    expect(ingress.metadata.annotations['gethomepage.dev/enabled']).toBe('false');
    expect(comparable(at('kubernetes_service.anisette')).spec.port).toEqual([
      { name: 'http', port: 80, target_port: '6969' },
    ]);
  });
});
