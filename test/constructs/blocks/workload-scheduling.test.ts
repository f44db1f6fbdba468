// Pod scheduling and job options the wave-1a stacks need: affinity (backup Jobs beside an RWO volume's pod,
// GPU-node avoidance), priority class, timed tolerations, pod run_as_group, dns_config options, a job
// template without restart policy, a Keel schedule macro and a Service without labels.
import { describe, expect, it } from 'vitest';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { CronJob, Deployment, Keel, KeelPolicy } from '../../../constructs/blocks/workload';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const C = [{ name: 'app', image: 'app:1' }];

describe('workload scheduling options', () => {
  it('renders node and pod affinity, priority class, timed tolerations, run_as_group and dns options', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'ns', { tier: Tier.AUX });
    new Deployment(s, 'app', {
      namespace: ns,
      name: 'app',
      containers: C,
      priorityClassName: 'tier-0-core',
      tolerations: [
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
      affinity: {
        nodeAffinityPreferred: [
          {
            weight: 100,
            matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['n1'] }],
          },
        ],
        podAffinityRequired: [{ matchLabels: { app: 'db' }, topologyKey: 'kubernetes.io/hostname' }],
        podAffinityPreferred: [{ weight: 50, matchLabels: { app: 'x' }, topologyKey: 'zone' }],
      },
      podRunAsUser: 1000,
      podRunAsGroup: 1000,
      dnsOptions: { ndots: '2' },
    });
    const pod = resource(synth(s), 'kubernetes_deployment', 'app').spec.template.spec;
    expect(pod.priority_class_name).toBe('tier-0-core');
    expect(pod.toleration).toEqual([
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        toleration_seconds: '300',
      },
    ]);
    expect(pod.affinity).toEqual({
      node_affinity: {
        preferred_during_scheduling_ignored_during_execution: [
          {
            weight: 100,
            preference: {
              match_expressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['n1'] }],
            },
          },
        ],
      },
      pod_affinity: {
        required_during_scheduling_ignored_during_execution: [
          { label_selector: [{ match_labels: { app: 'db' } }], topology_key: 'kubernetes.io/hostname' },
        ],
        preferred_during_scheduling_ignored_during_execution: [
          {
            weight: 50,
            pod_affinity_term: { label_selector: [{ match_labels: { app: 'x' } }], topology_key: 'zone' },
          },
        ],
      },
    });
    expect(pod.security_context).toEqual({ run_as_user: '1000', run_as_group: '1000' });
    expect(pod.dns_config).toEqual({ option: [{ name: 'ndots', value: '2' }] });
  });

  it('refuses an empty affinity and a weight outside 1-100', () => {
    const build = (affinity: object) => () =>
      new Deployment(testStack('w'), 'app', {
        namespace: { name: 'ns', tier: Tier.AUX },
        name: 'app',
        containers: C,
        affinity,
      });
    expect(expectConfigError(build({})).prop).toBe('affinity');
    expect(
      expectConfigError(
        build({ podAffinityPreferred: [{ weight: 0, matchLabels: { a: 'b' }, topologyKey: 'k' }] }),
      ).prop,
    ).toBe('affinity.podAffinityPreferred[0].weight');
  });

  it('a CronJob with restartPolicy null leaves restart_policy to the provider', () => {
    const s = testStack('w');
    new CronJob(s, 'job', {
      namespace: { name: 'ns', tier: Tier.AUX },
      name: 'job',
      schedule: '0 1 * * *',
      restartPolicy: null,
      containers: C,
    });
    const pod = resource(synth(s), 'kubernetes_cron_job_v1', 'job').spec.job_template.spec.template.spec;
    expect(pod.restart_policy).toBeUndefined();
  });

  it('Keel.policy with a schedule macro writes it in place of @every', () => {
    const s = testStack('w');
    new Deployment(s, 'app', {
      namespace: { name: 'ns', tier: Tier.AUX },
      name: 'app',
      containers: C,
      keel: Keel.policy(KeelPolicy.PATCH, { matchTag: false, pollSchedule: '@daily' }),
    });
    expect(resource(synth(s), 'kubernetes_deployment', 'app').metadata.annotations).toEqual({
      'keel.sh/policy': 'patch',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@daily',
    });
  });

  it('exposeViaService with labels {} writes no labels', () => {
    const s = testStack('w');
    const app = new Deployment(s, 'app', {
      namespace: { name: 'ns', tier: Tier.AUX },
      name: 'app',
      containers: C,
    });
    app.exposeViaService({ labels: {}, ports: [{ port: 80 }] });
    expect(resource(synth(s), 'kubernetes_service', 'app').metadata.labels).toBeUndefined();
  });
});
