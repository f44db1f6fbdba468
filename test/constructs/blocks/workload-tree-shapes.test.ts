// Tree workload shapes the wave-1b stacks need (poison-fountain: a CronJob whose job and pod templates
// carry a metadata name).
import { describe, expect, it } from 'vitest';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import {
  CronJob,
  Deployment,
  Job,
  JobV1,
  Keel,
  type KeelMode,
  KeelPolicy,
} from '../../../constructs/blocks/workload';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

describe('CronJob templateName', () => {
  it('names the job template and its pod template', () => {
    const s = testStack('c');
    const ns = new TieredNamespace(s, 'c', { tier: Tier.AUX });
    new CronJob(s, 'fetch', {
      namespace: ns,
      name: 'fetch',
      schedule: '0 */6 * * *',
      templateName: 'fetcher',
      containers: [{ name: 'f', image: 'x:1' }],
    });
    const cj = resource(synth(s), 'kubernetes_cron_job_v1', 'fetch');
    expect(cj.spec.job_template.metadata).toEqual({ name: 'fetcher' });
    expect(cj.spec.job_template.spec.template.metadata).toEqual({ name: 'fetcher' });
  });

  it('refuses a name that is not a Kubernetes name', () => {
    const s = testStack('c');
    const ns = new TieredNamespace(s, 'c', { tier: Tier.AUX });
    const err = expectConfigError(
      () =>
        new CronJob(s, 'bad', {
          namespace: ns,
          name: 'bad',
          schedule: '@daily',
          templateName: 'Not_OK',
          containers: [{ name: 'f', image: 'x:1' }],
        }),
    );
    expect(err.prop).toBe('templateName');
  });
});

describe('Keel.owned ignoreMatchTag', () => {
  it('drops only keel.sh/match-tag from the ignored rollout keys', () => {
    const s = testStack('k');
    const ns = new TieredNamespace(s, 'k', { tier: Tier.AUX });
    const mk = (name: string, keel: KeelMode) =>
      new Deployment(s, name, { namespace: ns, name, keel, containers: [{ name, image: 'x:1.0.0' }] });
    mk('a', Keel.owned(KeelPolicy.MAJOR));
    mk('b', Keel.owned(KeelPolicy.MAJOR, { ignoreMatchTag: false }));
    const json = synth(s);
    const a = resource(json, 'kubernetes_deployment', 'a').lifecycle.ignore_changes as string[];
    const b = resource(json, 'kubernetes_deployment', 'b').lifecycle.ignore_changes as string[];
    expect(a.filter((p) => !b.includes(p))).toEqual(['metadata[0].annotations["keel.sh/match-tag"]']);
    expect(b).toHaveLength(a.length - 1);
  });
});

describe('podRunAsGroup', () => {
  it('renders the pod run_as_group beside run_as_user and fs_group', () => {
    const s = testStack('p');
    const ns = new TieredNamespace(s, 'p', { tier: Tier.AUX });
    new Deployment(s, 'd', {
      namespace: ns,
      name: 'd',
      podRunAsUser: 1000,
      podRunAsGroup: 1000,
      fsGroup: 1000,
      containers: [{ name: 'd', image: 'x:1' }],
    });
    expect(resource(synth(s), 'kubernetes_deployment', 'd').spec.template.spec.security_context).toEqual({
      run_as_user: '1000',
      run_as_group: '1000',
      fs_group: '1000',
    });
  });
});

describe('coLocateWith', () => {
  it('renders a required pod affinity on a CronJob pod and refuses an empty selector', () => {
    const s = testStack('a');
    const ns = new TieredNamespace(s, 'a', { tier: Tier.AUX });
    new CronJob(s, 'backup', {
      namespace: ns,
      name: 'backup',
      schedule: '0 3 * * 0',
      coLocateWith: { matchLabels: { app: 'db' }, topologyKey: 'kubernetes.io/hostname' },
      containers: [{ name: 'b', image: 'x:1' }],
    });
    const pod = resource(synth(s), 'kubernetes_cron_job_v1', 'backup').spec.job_template.spec.template.spec;
    expect(pod.affinity).toEqual({
      pod_affinity: {
        required_during_scheduling_ignored_during_execution: [
          { label_selector: [{ match_labels: { app: 'db' } }], topology_key: 'kubernetes.io/hostname' },
        ],
      },
    });
    const err = expectConfigError(
      () =>
        new CronJob(s, 'bad', {
          namespace: ns,
          name: 'bad',
          schedule: '@daily',
          coLocateWith: { matchLabels: {}, topologyKey: 'kubernetes.io/hostname' },
          containers: [{ name: 'b', image: 'x:1' }],
        }),
    );
    expect(err.prop).toBe('coLocateWith.matchLabels');
  });

  it('keeps the anti-affinity beside it on a Deployment', () => {
    const s = testStack('a');
    const ns = new TieredNamespace(s, 'a', { tier: Tier.AUX });
    new Deployment(s, 'd', {
      namespace: ns,
      name: 'd',
      antiAffinity: { topologyKey: 'kubernetes.io/hostname' },
      coLocateWith: { matchLabels: { app: 'db' }, topologyKey: 'kubernetes.io/hostname' },
      containers: [{ name: 'd', image: 'x:1' }],
    });
    const affinity = resource(synth(s), 'kubernetes_deployment', 'd').spec.template.spec.affinity;
    expect(Object.keys(affinity).sort()).toEqual(['pod_affinity', 'pod_anti_affinity']);
  });
});

describe('Keel.policy ignoreMatchTag', () => {
  it('writes match-tag and leaves it out of the ignore list', () => {
    const s = testStack('k');
    const ns = new TieredNamespace(s, 'k', { tier: Tier.AUX });
    new Deployment(s, 'd', {
      namespace: ns,
      name: 'd',
      keel: Keel.policy(KeelPolicy.FORCE, { ignoreMatchTag: false }),
      containers: [{ name: 'd', image: 'x:latest' }],
    });
    const d = resource(synth(s), 'kubernetes_deployment', 'd');
    expect(d.metadata.annotations['keel.sh/match-tag']).toBe('true');
    expect(d.lifecycle.ignore_changes).not.toContain('metadata[0].annotations["keel.sh/match-tag"]');
    expect(d.lifecycle.ignore_changes).toContain('metadata[0].annotations["keel.sh/policy"]');
  });
});

describe('GPU pod shapes (stremio)', () => {
  it('renders ephemeral storage, the priority class and a preferred anti-affinity', () => {
    const s = testStack('g');
    const ns = new TieredNamespace(s, 'g', { tier: Tier.GPU });
    new Deployment(s, 'd', {
      namespace: ns,
      name: 'd',
      priorityClassName: 'gpu-workload',
      antiAffinity: { topologyKey: 'kubernetes.io/hostname', preferredWeight: 100 },
      containers: [
        {
          name: 'd',
          image: 'x:1',
          resources: { memoryRequest: '1Gi', ephemeralStorageRequest: '2Gi', ephemeralStorageLimit: '20Gi' },
        },
      ],
    });
    const pod = resource(synth(s), 'kubernetes_deployment', 'd').spec.template.spec;
    expect(pod.priority_class_name).toBe('gpu-workload');
    expect(pod.affinity).toEqual({
      pod_anti_affinity: {
        preferred_during_scheduling_ignored_during_execution: [
          {
            weight: 100,
            pod_affinity_term: {
              label_selector: [{ match_labels: { app: 'd' } }],
              topology_key: 'kubernetes.io/hostname',
            },
          },
        ],
      },
    });
    expect(pod.container[0].resources).toEqual({
      requests: { memory: '1Gi', 'ephemeral-storage': '2Gi' },
      limits: { 'ephemeral-storage': '20Gi' },
    });
  });

  it('refuses an ephemeral request above its limit and a weight out of 1-100', () => {
    const s = testStack('g');
    const ns = new TieredNamespace(s, 'g', { tier: Tier.GPU });
    const mk = (id: string, extra: object, resources: object = {}) =>
      new Deployment(s, id, {
        namespace: ns,
        name: id,
        ...extra,
        containers: [{ name: id, image: 'x:1', resources }],
      });
    expect(
      expectConfigError(() => mk('a', {}, { ephemeralStorageRequest: '3Gi', ephemeralStorageLimit: '2Gi' }))
        .prop,
    ).toContain('ephemeralStorage');
    expect(
      expectConfigError(() => mk('b', { antiAffinity: { topologyKey: 'h', preferredWeight: 0 } })).prop,
    ).toBe('antiAffinity.preferredWeight');
  });
});

describe('JobV1', () => {
  it('is the Job as kubernetes_job_v1, body identical', () => {
    const s = testStack('j');
    const ns = new TieredNamespace(s, 'j', { tier: Tier.AUX });
    const props = {
      namespace: ns,
      name: 'once',
      labels: { app: 'x' },
      backoffLimit: 2,
      waitForCompletion: false,
      containers: [{ name: 'x', image: 'x:1' }],
    };
    new Job(s, 'a', props);
    new JobV1(s, 'b', props);
    const json = synth(s);
    const strip = (r: Record<string, unknown>) => {
      const { '//': _meta, ...rest } = r;
      return rest;
    };
    expect(strip(resource(json, 'kubernetes_job_v1', 'b'))).toEqual(
      strip(resource(json, 'kubernetes_job', 'a')),
    );
  });
});

describe('tree omissions (ytdlp)', () => {
  it('replicas null and a toleration without operator are not written', () => {
    const s = testStack('y');
    const ns = new TieredNamespace(s, 'y', { tier: Tier.AUX });
    new Deployment(s, 'd', {
      namespace: ns,
      name: 'd',
      replicas: null,
      tolerations: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
      containers: [{ name: 'd', image: 'x:1' }],
    });
    const d = resource(synth(s), 'kubernetes_deployment', 'd');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.template.spec.toleration).toEqual([
      { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' },
    ]);
  });
});
