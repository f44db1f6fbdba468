// ClusterRbac (the tree's controller ServiceAccount + ClusterRole + binding: local-path, sablier) and the
// small pod/namespace options the controller stacks need (downward-API env, service account token and
// service links, workloads without selector labels on their metadata, untiered namespaces).
import { describe, expect, it } from 'vitest';
import { ClusterRbac } from '../../../constructs/blocks/cluster-rbac';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Deployment } from '../../../constructs/blocks/workload';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const RULES = [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }];

describe('ClusterRbac', () => {
  it('names the account, role and binding alike and binds the role to the account', () => {
    const s = testStack('r');
    new ClusterRbac(s, 'ctl', {
      namespace: 'ns',
      serviceAccountName: 'ctl-sa',
      roleName: 'ctl-role',
      rules: RULES,
      automountToken: false,
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_service_account', 'ctl')).toMatchObject({
      metadata: { name: 'ctl-sa', namespace: 'ns' },
      automount_service_account_token: false,
    });
    expect(resource(json, 'kubernetes_cluster_role', 'ctl').rule).toEqual([
      { api_groups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
    ]);
    const b = resource(json, 'kubernetes_cluster_role_binding', 'ctl');
    expect(b.metadata).toEqual({ name: 'ctl-role' });
    expect(b.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: '${kubernetes_cluster_role.ctl.metadata[0].name}',
    });
    expect(b.subject).toEqual([
      { kind: 'ServiceAccount', name: '${kubernetes_service_account.ctl.metadata[0].name}', namespace: 'ns' },
    ]);
  });

  it('defaults role and binding names to the account name and leaves the token setting out', () => {
    const s = testStack('r');
    new ClusterRbac(s, 'ctl', { namespace: 'ns', serviceAccountName: 'ctl', rules: RULES });
    const json = synth(s);
    expect(
      resource(json, 'kubernetes_service_account', 'ctl').automount_service_account_token,
    ).toBeUndefined();
    expect(resource(json, 'kubernetes_cluster_role', 'ctl').metadata).toEqual({ name: 'ctl' });
    expect(resource(json, 'kubernetes_cluster_role_binding', 'ctl').metadata).toEqual({ name: 'ctl' });
  });

  it('takes an addressName when the id is taken by a namespace of the same name', () => {
    const s = testStack('r');
    new ClusterRbac(s, 'rbac', {
      addressName: 'ctl',
      namespace: 'ns',
      serviceAccountName: 'ctl',
      rules: RULES,
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_service_account', 'ctl').metadata.name).toBe('ctl');
    expect(resource(json, 'kubernetes_cluster_role_binding', 'ctl').role_ref.name).toBe(
      '${kubernetes_cluster_role.ctl.metadata[0].name}',
    );
  });

  it('refuses no rules, a rule without verbs and a bad name', () => {
    const s = testStack('r');
    expect(
      expectConfigError(
        () => new ClusterRbac(s, 'a', { namespace: 'ns', serviceAccountName: 'a', rules: [] }),
      ).message,
    ).toMatch(/at least one rule/);
    expect(
      expectConfigError(
        () =>
          new ClusterRbac(s, 'b', {
            namespace: 'ns',
            serviceAccountName: 'b',
            rules: [{ apiGroups: [''], resources: ['pods'], verbs: [] }],
          }),
      ).message,
    ).toMatch(/resources and verbs/);
    expect(
      expectConfigError(
        () => new ClusterRbac(s, 'c', { namespace: 'ns', serviceAccountName: 'Bad_Name', rules: RULES }),
      ).message,
    ).toMatch(/serviceAccountName/);
  });
});

describe('controller pod and namespace options', () => {
  it('renders a downward-API env, the token and service-link switches, and no selector labels on the metadata', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'ctl', { tier: Tier.CLUSTER });
    new Deployment(s, 'ctl', {
      namespace: ns,
      name: 'ctl',
      selectorLabels: false,
      tierLabel: false,
      labels: { tier: 'default' },
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      containers: [
        { name: 'ctl', image: 'ctl:1', env: { POD_NAMESPACE: { fieldPath: 'metadata.namespace' }, X: '1' } },
      ],
    });
    const d = resource(synth(s), 'kubernetes_deployment', 'ctl');
    expect(d.metadata.labels).toEqual({ tier: 'default' });
    expect(d.spec.selector.match_labels).toEqual({ app: 'ctl' });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'ctl' });
    const pod = d.spec.template.spec;
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.enable_service_links).toBe(false);
    expect(pod.container[0].env).toEqual([
      { name: 'POD_NAMESPACE', value_from: { field_ref: { field_path: 'metadata.namespace' } } },
      { name: 'X', value: '1' },
    ]);
  });

  it('leaves the pod switches out when unset', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'ctl', { tier: Tier.CLUSTER });
    new Deployment(s, 'ctl', { namespace: ns, name: 'ctl', containers: [{ name: 'ctl', image: 'ctl:1' }] });
    const pod = resource(synth(s), 'kubernetes_deployment', 'ctl').spec.template.spec;
    expect(pod.automount_service_account_token).toBeUndefined();
    expect(pod.enable_service_links).toBeUndefined();
  });

  it('writes a namespace without the tier label, and without any labels when all are off', () => {
    const s = testStack('n');
    new TieredNamespace(s, 'a', { tier: Tier.CLUSTER, tierLabel: false });
    new TieredNamespace(s, 'b', {
      tier: Tier.CLUSTER,
      tierLabel: false,
      keelEnrolled: false,
      istioInjectionDisabled: false,
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_namespace', 'a').metadata.labels).toEqual({
      'istio-injection': 'disabled',
      'keel.sh/enrolled': 'true',
    });
    expect(resource(json, 'kubernetes_namespace', 'b').metadata).toEqual({ name: 'b' });
  });
});
