// Parity of stacks/sablier with the tree's stacks/sablier (HEAD 0cd4afb6): every tree address is
// synthesized and the literal values and ignore_changes are the tree's.
import { describe, expect, it } from 'vitest';
import sablier from '../../stacks/sablier';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(sablier);
const TREE_ADDRESSES = [
  'kubernetes_namespace.sablier',
  'kubernetes_service_account.sablier',
  'kubernetes_cluster_role.sablier',
  'kubernetes_cluster_role_binding.sablier',
  'kubernetes_deployment.sablier',
  'kubernetes_service.sablier',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack sablier', () => {
  it('is in the registry, after platform and kyverno, with pg state under schema "sablier"', () => {
    expect(STACKS).toContain(sablier);
    expect(sablier.after).toEqual(['platform', 'kyverno']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'sablier' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('labels the namespace with the cluster tier only', () => {
    expect(at('kubernetes_namespace.sablier').metadata).toEqual({
      name: 'sablier',
      labels: { tier: '1-cluster' },
    });
  });

  it('lets the controller scale workloads and read CNPG clusters', () => {
    expect(at('kubernetes_cluster_role.sablier').rule).toEqual([
      {
        api_groups: ['apps', ''],
        resources: ['deployments', 'statefulsets'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        api_groups: ['apps', ''],
        resources: ['deployments/scale', 'statefulsets/scale'],
        verbs: ['get', 'list', 'watch', 'patch', 'update'],
      },
      { api_groups: ['postgresql.cnpg.io'], resources: ['clusters'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  it('runs sablier with health probes, enrolled Keel ignores and a scraped API Service', () => {
    const d = comparable(at('kubernetes_deployment.sablier'));
    expect(d.metadata.labels).toEqual({ app: 'sablier', tier: '1-cluster' });
    const c = d.spec.template.spec.container[0];
    expect(c.args).toContain('--sessions.default-duration=3h');
    expect(c.liveness_probe).toEqual({
      http_get: { path: '/health', port: '10000' },
      initial_delay_seconds: 10,
      period_seconds: 30,
      timeout_seconds: 5,
    });
    expect(c.readiness_probe.initial_delay_seconds).toBe(5);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'spec[0].template[0].spec[0].container[0].image',
      ].sort(),
    );
    expect(comparable(at('kubernetes_service.sablier'))).toEqual({
      metadata: {
        name: 'sablier',
        namespace: 'sablier',
        labels: { app: 'sablier' },
        annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '10000' },
      },
      spec: {
        selector: { app: 'sablier' },
        port: [{ name: 'api', port: 10000, target_port: '10000', protocol: 'TCP' }],
      },
    });
  });
});
