// Options the immich port needs: Keel.ownedPolicy (Terraform owns keel.sh/policy, Kyverno the trigger and
// poll; optionally seeded), the pod priority class, the Deployment progress deadline, a container
// post-start hook and a job template without a restart policy of its own.
import { describe, expect, it } from 'vitest';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { CronJob, Deployment, Keel, KeelPolicy } from '../../../constructs/blocks/workload';
import { Duration } from '../../../lib/core/units';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const ann = (key: string) => `metadata[0].annotations["${key}"]`;
const OWNED_POLICY_IGNORES = [
  'spec[0].template[0].spec[0].dns_config',
  ann('keel.sh/trigger'),
  ann('keel.sh/pollSchedule'),
  ann('keel.sh/match-tag'),
  ann('kubernetes.io/change-cause'),
  ann('deployment.kubernetes.io/revision'),
  'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
  'spec[0].template[0].spec[0].container[0].image',
];

describe('Keel.ownedPolicy', () => {
  it('writes only the policy and keeps it out of ignore_changes; trigger and poll stay ignored', () => {
    const s = testStack('k');
    const ns = new TieredNamespace(s, 'gpu', { tier: Tier.GPU });
    new Deployment(s, 'worker', {
      namespace: ns,
      name: 'worker',
      keel: Keel.ownedPolicy(KeelPolicy.MINOR),
      containers: [{ name: 'worker', image: 'server:v3.1.0' }],
    });
    const d = resource(synth(s), 'kubernetes_deployment', 'worker');
    expect(d.metadata.annotations).toEqual({ 'keel.sh/policy': 'minor' });
    expect(d.lifecycle.ignore_changes).toEqual(OWNED_POLICY_IGNORES);
  });

  it('seedPoll also writes trigger and poll schedule as recreate seeds (still ignored)', () => {
    const s = testStack('k');
    const ns = new TieredNamespace(s, 'gpu', { tier: Tier.GPU });
    new Deployment(s, 'api', {
      namespace: ns,
      name: 'api',
      keel: Keel.ownedPolicy(KeelPolicy.MINOR, { seedPoll: Duration.hours(1) }),
      containers: [
        { name: 'sidecar', image: 'side:1' },
        { name: 'api', image: 'server:v3.1.0' },
      ],
    });
    const d = resource(synth(s), 'kubernetes_deployment', 'api');
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'minor',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 1h',
    });
    expect(d.lifecycle.ignore_changes).toEqual([
      ...OWNED_POLICY_IGNORES.slice(0, -1),
      'spec[0].template[0].spec[0].container[0].image',
      'spec[0].template[0].spec[0].container[1].image',
    ]);
  });

  it('refuses an unknown policy', () => {
    const s = testStack('k');
    const ns = new TieredNamespace(s, 'gpu', { tier: Tier.GPU });
    const bad = () =>
      new Deployment(s, 'x', {
        namespace: ns,
        name: 'x',
        keel: Keel.ownedPolicy('sometimes' as KeelPolicy),
        containers: [{ name: 'x', image: 'x:1' }],
      });
    expect(expectConfigError(bad).prop).toBe('keel.policy');
  });
});

describe('priority class, progress deadline, post-start hook, unset restart policy', () => {
  it('renders them where asked, and nothing otherwise', () => {
    const s = testStack('p');
    const ns = new TieredNamespace(s, 'db', { tier: Tier.GPU });
    new Deployment(s, 'db', {
      namespace: ns,
      name: 'db',
      priorityClassName: 'gpu-workload',
      progressDeadline: Duration.minutes(10),
      containers: [{ name: 'db', image: 'postgres:15', postStart: ['/bin/sh', '-c', 'pg_isready'] }],
    });
    new Deployment(s, 'plain', { namespace: ns, name: 'plain', containers: [{ name: 'p', image: 'p:1' }] });
    new CronJob(s, 'dump', {
      namespace: ns,
      name: 'dump',
      schedule: '0 0 * * *',
      restartPolicy: null,
      containers: [{ name: 'dump', image: 'postgres:16' }],
    });
    const json = synth(s);
    const d = resource(json, 'kubernetes_deployment', 'db');
    expect(d.spec.progress_deadline_seconds).toBe(600);
    expect(d.spec.template.spec.priority_class_name).toBe('gpu-workload');
    expect(d.spec.template.spec.container[0].lifecycle).toEqual({
      post_start: [{ exec: { command: ['/bin/sh', '-c', 'pg_isready'] } }],
    });
    const plain = resource(json, 'kubernetes_deployment', 'plain');
    expect(plain.spec.progress_deadline_seconds).toBeUndefined();
    expect(plain.spec.template.spec.priority_class_name).toBeUndefined();
    expect(plain.spec.template.spec.container[0].lifecycle).toBeUndefined();
    const cj = resource(json, 'kubernetes_cron_job_v1', 'dump');
    expect(cj.spec.job_template.spec.template.spec.restart_policy).toBeUndefined();
  });

  it('refuses an empty post-start command and a bad priority class name', () => {
    const ns = (s: ReturnType<typeof testStack>) => new TieredNamespace(s, 'db', { tier: Tier.GPU });
    const s1 = testStack('e');
    const empty = () =>
      new Deployment(s1, 'db', {
        namespace: ns(s1),
        name: 'db',
        containers: [{ name: 'db', image: 'x:1', postStart: [] }],
      });
    expect(expectConfigError(empty).prop).toBe('containers[0].postStart');
    const s2 = testStack('e');
    const badClass = () =>
      new Deployment(s2, 'db', {
        namespace: ns(s2),
        name: 'db',
        priorityClassName: 'GPU Workload',
        containers: [{ name: 'db', image: 'x:1' }],
      });
    expect(expectConfigError(badClass).prop).toBe('priorityClassName');
  });
});
