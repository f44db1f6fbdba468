import { describe, expect, it } from 'vitest';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Deployment, type DeploymentProps, Keel, KeelPolicy } from '../../../constructs/blocks/workload';
import { Duration } from '../../../lib/core/units';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

function podSpec(props: Partial<DeploymentProps>) {
  const s = testStack();
  const ns = new TieredNamespace(s, 'x', { tier: Tier.AUX });
  new Deployment(s, 'app', {
    namespace: ns,
    name: 'app',
    containers: [{ name: 'a', image: 'a:1' }],
    ...props,
  });
  return resource(synth(s), 'kubernetes_deployment', 'app').spec.template.spec;
}

describe('pod security context', () => {
  it('renders run_as_user (and fs_group beside it) as the tree strings', () => {
    expect(podSpec({ podRunAsUser: 0 }).security_context).toEqual({ run_as_user: '0' });
    expect(podSpec({ podRunAsUser: 1000, fsGroup: 1000 }).security_context).toEqual({
      run_as_user: '1000',
      fs_group: '1000',
    });
    expect(podSpec({ fsGroup: 1000 }).security_context).toEqual({ fs_group: '1000' });
    expect(podSpec({}).security_context).toBeUndefined();
  });

  it('renders run_as_group with the user (a fixed non-root identity)', () => {
    expect(podSpec({ podRunAsUser: 1000, podRunAsGroup: 1000, fsGroup: 1000 }).security_context).toEqual({
      run_as_user: '1000',
      run_as_group: '1000',
      fs_group: '1000',
    });
  });

  it('renders the pod seccomp profile type beside user, group and fs_group', () => {
    expect(
      podSpec({ podRunAsUser: 1000, podRunAsGroup: 1000, fsGroup: 1000, podSeccompProfile: 'RuntimeDefault' })
        .security_context,
    ).toEqual({
      run_as_user: '1000',
      run_as_group: '1000',
      fs_group: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    const bad = { podSeccompProfile: 'Localhost' } as unknown as Partial<DeploymentProps>;
    expect(expectConfigError(() => podSpec(bad)).prop).toBe('podSeccompProfile');
  });

  it('refuses a negative user or group', () => {
    expect(expectConfigError(() => podSpec({ podRunAsUser: -1 })).prop).toBe('podRunAsUser');
    expect(expectConfigError(() => podSpec({ podRunAsGroup: -1 })).prop).toBe('podRunAsGroup');
  });
});

describe('exposeViaService type', () => {
  it('writes spec.type only when asked (the tree spells out ClusterIP on some Services)', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'x', { tier: Tier.AUX });
    const d = new Deployment(s, 'app', {
      namespace: ns,
      name: 'app',
      containers: [{ name: 'a', image: 'a:1' }],
    });
    d.exposeViaService({ ports: [{ port: 80 }], type: 'ClusterIP' });
    d.exposeViaService({ ports: [{ port: 80 }], name: 'plain', addressName: 'plain' });
    const json = synth(s);
    expect(resource(json, 'kubernetes_service', 'app').spec.type).toBe('ClusterIP');
    expect(resource(json, 'kubernetes_service', 'plain').spec.type).toBeUndefined();
  });
});

describe('exposeViaService writeTargetPort', () => {
  it('leaves target_port to Kubernetes when asked, and refuses a target port with it', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'x', { tier: Tier.AUX });
    const d = new Deployment(s, 'app', {
      namespace: ns,
      name: 'app',
      containers: [{ name: 'a', image: 'a:1' }],
    });
    d.exposeViaService({ ports: [{ name: 'http', port: 1443, writeTargetPort: false }] });
    expect(resource(synth(s), 'kubernetes_service', 'app').spec.port).toEqual([{ name: 'http', port: 1443 }]);
    const bad = () => {
      const t = testStack();
      const n = new TieredNamespace(t, 'x', { tier: Tier.AUX });
      new Deployment(t, 'app', {
        namespace: n,
        name: 'app',
        containers: [{ name: 'a', image: 'a:1' }],
      }).exposeViaService({
        ports: [{ port: 80, targetPort: 8080, writeTargetPort: false }],
      });
    };
    expect(expectConfigError(bad).prop).toBe('exposeViaService.ports[0].targetPort');
  });
});

describe('Keel.owned', () => {
  it('writes policy, trigger and poll schedule (not ignored), ignores the rollout keys and the images', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'x', { tier: Tier.AUX });
    new Deployment(s, 'app', {
      namespace: ns,
      name: 'app',
      keel: Keel.owned(KeelPolicy.MAJOR, { pollEvery: Duration.hours(1) }),
      containers: [{ name: 'a', image: 'a:1.0.0' }],
    });
    const d = resource(synth(s), 'kubernetes_deployment', 'app');
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'major',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 1h',
    });
    expect(d.lifecycle.ignore_changes).toEqual([
      'spec[0].template[0].spec[0].dns_config',
      'metadata[0].annotations["keel.sh/match-tag"]',
      'metadata[0].annotations["kubernetes.io/change-cause"]',
      'metadata[0].annotations["deployment.kubernetes.io/revision"]',
      'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      'spec[0].template[0].spec[0].container[0].image',
    ]);
  });
});

describe('container env from pod fields and whole Secrets', () => {
  it('renders value_from.field_ref and env_from.secret_ref', () => {
    const [c] = podSpec({
      containers: [
        {
          name: 'a',
          image: 'a:1',
          env: { POD_NAMESPACE: { fieldPath: 'metadata.namespace' } },
          envFrom: [{ secretName: 'app-secrets', optional: true }],
        },
      ],
    }).container;
    expect(c.env).toEqual([
      { name: 'POD_NAMESPACE', value_from: { field_ref: { field_path: 'metadata.namespace' } } },
    ]);
    expect(c.env_from).toEqual([{ secret_ref: { name: 'app-secrets', optional: true } }]);
  });
});
