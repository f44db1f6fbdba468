// Parity of stacks/learning with the tree's stacks/learning (HEAD 0cd4afb6).
// One deliberate difference, invisible to a plan: the Deployment's ignore_changes is the canonical Keel
// block, which adds keel.sh/match-tag and kubernetes.io/change-cause to the tree's subset (both are written
// by Keel on a rollout; without them the next apply after a Keel rollout would strip them).
import { describe, expect, it } from 'vitest';
import learning, { IMAGE_TAG } from '../../stacks/learning';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(learning);
const TREE_ADDRESSES = [
  'kubernetes_namespace.learning',
  'kubernetes_persistent_volume_claim.data',
  'kubernetes_deployment.learning',
  'kubernetes_service.learning',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  // no module.tls_secret: the tree's stack has none (the Kyverno-cloned secret serves the ingress)
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const TREE_IGNORES = [
  'spec[0].template[0].spec[0].dns_config',
  'metadata[0].annotations["keel.sh/policy"]',
  'metadata[0].annotations["keel.sh/trigger"]',
  'metadata[0].annotations["keel.sh/pollSchedule"]',
  'spec[0].template[0].spec[0].container[0].image',
  'metadata[0].annotations["deployment.kubernetes.io/revision"]',
  'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
];

describe('stack learning', () => {
  it('is in the registry, after platform and kyverno, with pg state', () => {
    expect(STACKS).toContain(learning);
    expect(learning.after).toEqual(['platform', 'kyverno']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'learning' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('keeps the SQLite DB on a fixed-size encrypted volume (no resizer)', () => {
    expect(comparable(at('kubernetes_persistent_volume_claim.data'))).toEqual({
      wait_until_bound: false,
      metadata: { name: 'learning-data', namespace: 'learning' },
      spec: {
        access_modes: ['ReadWriteOnce'],
        storage_class_name: 'proxmox-lvm-encrypted',
        resources: { requests: { storage: '1Gi' } },
      },
    });
  });

  it('runs one root writer with the health probes, both pull secrets and the tree ignores', () => {
    const d = comparable(at('kubernetes_deployment.learning'));
    expect(d.metadata.labels).toEqual({ app: 'learning', tier: '4-aux' });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(at('kubernetes_deployment.learning').depends_on).toEqual([
      'kubernetes_persistent_volume_claim.data',
    ]);
    const pod = d.spec.template.spec;
    expect(pod.security_context).toEqual({ run_as_user: '0' });
    expect(pod.image_pull_secrets).toEqual([{ name: 'registry-credentials' }, { name: 'ghcr-credentials' }]);
    const [c] = pod.container;
    expect(c.image).toBe(`ghcr.io/viktorbarzin/learning:${IMAGE_TAG}`);
    expect(c.env).toEqual([
      { name: 'AUTH_MODE', value: 'prod' },
      { name: 'DB_CONNECTION_STRING', value: 'sqlite+aiosqlite:////data/learn.db' },
    ]);
    expect(c.readiness_probe).toEqual({
      http_get: { path: '/api/healthz', port: '8080' },
      initial_delay_seconds: 5,
      period_seconds: 10,
    });
    expect(c.liveness_probe).toEqual({
      http_get: { path: '/api/healthz', port: '8080' },
      initial_delay_seconds: 30,
      period_seconds: 30,
    });
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } });
    const ignores: string[] = d.lifecycle.ignore_changes;
    expect(TREE_IGNORES.filter((p) => !ignores.includes(p))).toEqual([]);
    expect(ignores.filter((p) => !TREE_IGNORES.includes(p)).sort()).toEqual([
      'metadata[0].annotations["keel.sh/match-tag"]',
      'metadata[0].annotations["kubernetes.io/change-cause"]',
    ]);
  });

  it('serves learn.viktorbarzin.me from the learning Service on 8080, behind Authentik', () => {
    expect(comparable(at('kubernetes_service.learning')).spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'learning' },
      port: [{ name: 'http', port: 8080, target_port: '8080' }],
    });
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.name).toBe('learn');
    expect(ingress.spec.rule[0]).toEqual({
      host: 'learn.viktorbarzin.me',
      http: { path: [{ path: '/', backend: { service: { name: 'learning', port: { number: 8080 } } } }] },
    });
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'traefik-authentik-forward-auth@kubernetescrd',
    );
  });
});
