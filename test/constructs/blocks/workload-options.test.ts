// Small workload/namespace options the ported stacks need: downward-API env, service account token and
// service links, workloads without selector labels on their metadata, untiered namespaces (local-path),
// MetalLB LoadBalancer Services (shadowsocks).
import { describe, expect, it } from 'vitest';
import { suppressRule } from '../../../lib/synth/rules';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { CronJob, Deployment, Keel, KeelPolicy } from '../../../constructs/blocks/workload';
import { Duration } from '../../../lib/core/units';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

describe('controller pod and namespace options', () => {
  it('renders a downward-API env, the token and service-link switches, and no selector labels on the metadata', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'ctl', { tier: Tier.CLUSTER });
    const ctl = new Deployment(s, 'ctl', {
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
    // local-path's tree Deployment labels itself tier=default in a cluster-tier namespace.
    suppressRule(ctl, 'tier-consistent', 'tree parity: local-path labels its Deployment tier=default');
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

  it('writes the pod dns_config options the tree spells out (ndots 2) and pod labels apart from the CronJob labels', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'jobs', { tier: Tier.AUX });
    new CronJob(s, 'check', {
      namespace: ns,
      name: 'check',
      schedule: '0 8 * * *',
      dnsOptions: { ndots: '2' },
      containers: [{ name: 'check', image: 'busybox:1.36' }],
    });
    new CronJob(s, 'poller', {
      namespace: ns,
      name: 'poller',
      schedule: '*/30 * * * *',
      labels: { app: 'poller', tier: '4-aux' },
      podLabels: { app: 'poller' },
      containers: [{ name: 'poller', image: 'busybox:1.36' }],
    });
    const json = synth(s);
    const poller = resource(json, 'kubernetes_cron_job_v1', 'poller');
    expect(poller.metadata.labels).toEqual({ app: 'poller', tier: '4-aux' });
    expect(poller.spec.job_template.spec.template.metadata.labels).toEqual({ app: 'poller' });
    const cj = resource(json, 'kubernetes_cron_job_v1', 'check');
    expect(cj.spec.job_template.spec.template.metadata).toEqual({});
    expect(cj.spec.job_template.spec.template.spec.dns_config).toEqual({
      option: [{ name: 'ndots', value: '2' }],
    });
    expect(cj.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });

  it('renders the pod run_as_group beside run_as_user and fs_group, and refuses a negative one', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    new Deployment(s, 'app', {
      namespace: ns,
      name: 'app',
      podRunAsUser: 1000,
      podRunAsGroup: 1000,
      fsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
      containers: [{ name: 'app', image: 'busybox:1.36' }],
    });
    expect(resource(synth(s), 'kubernetes_deployment', 'app').spec.template.spec.security_context).toEqual({
      run_as_user: '1000',
      run_as_group: '1000',
      fs_group: '1000',
      fs_group_change_policy: 'OnRootMismatch',
    });
    const bad = () =>
      new Deployment(testStack('w'), 'app', {
        namespace: ns,
        name: 'app',
        podRunAsGroup: -1,
        containers: [{ name: 'app', image: 'busybox:1.36' }],
      });
    expect(expectConfigError(bad).prop).toBe('podRunAsGroup');
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

describe('exposeViaService loadBalancer', () => {
  const setup = () => {
    const s = testStack('lb');
    const ns = new TieredNamespace(s, 'ss', { tier: Tier.EDGE });
    const d = new Deployment(s, 'ss', {
      namespace: ns,
      name: 'ss',
      containers: [{ name: 'ss', image: 'ss:1' }],
    });
    return { s, d };
  };

  it('renders a MetalLB LoadBalancer on a fixed, shared IP and ignores the pool annotation', () => {
    const { s, d } = setup();
    d.exposeViaService({
      addressName: 'svc',
      loadBalancer: { ip: '10.0.20.200', sharedIpKey: 'shared', externalTrafficPolicy: 'Cluster' },
      ports: [{ name: 'udp', port: 53, protocol: 'UDP' }],
    });
    const svc = resource(synth(s), 'kubernetes_service', 'svc');
    expect(svc.metadata.annotations).toEqual({
      'metallb.io/loadBalancerIPs': '10.0.20.200',
      'metallb.io/allow-shared-ip': 'shared',
    });
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.external_traffic_policy).toBe('Cluster');
    expect(svc.lifecycle).toEqual({
      ignore_changes: ['metadata[0].annotations["metallb.io/ip-allocated-from-pool"]'],
    });
  });

  it("writes the IP under the deprecated metallb.universe.tf key where the tree's Service does", () => {
    const { s, d } = setup();
    d.exposeViaService({
      addressName: 'old',
      loadBalancer: {
        ip: '10.0.20.200',
        sharedIpKey: 'shared',
        legacyIpAnnotation: true,
      },
      ports: [{ port: 3306 }],
    });
    expect(resource(synth(s), 'kubernetes_service', 'old').metadata.annotations).toEqual({
      'metallb.universe.tf/loadBalancerIPs': '10.0.20.200',
      'metallb.io/allow-shared-ip': 'shared',
    });
  });

  it('leaves a ClusterIP Service as it was and refuses a bad IP', () => {
    const { s, d } = setup();
    d.exposeViaService({ addressName: 'plain', ports: [{ port: 80 }] });
    const svc = resource(synth(s), 'kubernetes_service', 'plain');
    expect(svc.spec.type).toBeUndefined();
    expect(svc.lifecycle).toBeUndefined();
    expect(
      expectConfigError(() =>
        d.exposeViaService({ addressName: 'bad', loadBalancer: { ip: 'lb' }, ports: [{ port: 80 }] }),
      ).message,
    ).toMatch(/IPv4/);
  });
});

describe('Keel.policy matchTag', () => {
  it('leaves keel.sh/match-tag out with matchTag: false and still ignores it', () => {
    const s = testStack('k');
    const ns = new TieredNamespace(s, 'p', { tier: Tier.AUX });
    new Deployment(s, 'p', {
      namespace: ns,
      name: 'p',
      keel: Keel.policy(KeelPolicy.MINOR, { pollEvery: Duration.hours(1), matchTag: false }),
      containers: [{ name: 'p', image: 'p:v1' }],
    });
    const d = resource(synth(s), 'kubernetes_deployment', 'p');
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'minor',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 1h',
    });
    expect(d.lifecycle.ignore_changes).toContain('metadata[0].annotations["keel.sh/match-tag"]');
    expect(Keel.policy(KeelPolicy.FORCE)).toEqual(Keel.policy(KeelPolicy.FORCE, { matchTag: true }));
  });
});

describe('CronJob: envFrom, activeDeadline, labelJobs', () => {
  it('renders env_from, the deadline in seconds and the labels on the job template', () => {
    const s = testStack('c');
    const ns = new TieredNamespace(s, 'c', { tier: Tier.AUX });
    new CronJob(s, 'sweep', {
      namespace: ns,
      name: 'sweep',
      schedule: '30 7 * * *',
      labels: { app: 'sweep' },
      labelJobs: true,
      activeDeadline: Duration.minutes(10),
      containers: [{ name: 'sweep', image: 'x:1', envFrom: [{ secretName: 'creds' }] }],
    });
    const cj = resource(synth(s), 'kubernetes_cron_job_v1', 'sweep');
    expect(cj.spec.job_template.metadata).toEqual({ labels: { app: 'sweep' } });
    expect(cj.spec.job_template.spec.active_deadline_seconds).toBe(600);
    expect(cj.spec.job_template.spec.template.spec.container[0].env_from).toEqual([
      { secret_ref: { name: 'creds' } },
    ]);
  });

  it('labelCronJob: false leaves the labels off the CronJob itself, on its Jobs and pods only', () => {
    const s = testStack('c');
    const ns = new TieredNamespace(s, 'c', { tier: Tier.AUX });
    new CronJob(s, 'sync', {
      namespace: ns,
      name: 'sync',
      schedule: '0 2 * * *',
      labels: { app: 'sync' },
      labelJobs: true,
      labelCronJob: false,
      containers: [{ name: 'sync', image: 'x:1' }],
    });
    const cj = resource(synth(s), 'kubernetes_cron_job_v1', 'sync');
    expect(cj.metadata.labels).toBeUndefined();
    expect(cj.spec.job_template.metadata).toEqual({ labels: { app: 'sync' } });
    expect(cj.spec.job_template.spec.template.metadata.labels).toEqual({ app: 'sync' });
  });

  it('keeps the empty job-template metadata by default', () => {
    const s = testStack('c');
    const ns = new TieredNamespace(s, 'c', { tier: Tier.AUX });
    new CronJob(s, 'j', {
      namespace: ns,
      name: 'j',
      schedule: '@daily',
      labels: { app: 'j' },
      containers: [{ name: 'j', image: 'x:1' }],
    });
    const cj = resource(synth(s), 'kubernetes_cron_job_v1', 'j');
    expect(cj.spec.job_template.metadata).toEqual({});
    expect(cj.spec.job_template.spec.active_deadline_seconds).toBeUndefined();
  });
});

describe('CronJob: jobMetadata and podLabels', () => {
  it('writes the job template labels and annotations apart from the CronJob and pod labels', () => {
    const s = testStack('c');
    const ns = new TieredNamespace(s, 'c', { tier: Tier.AUX });
    new CronJob(s, 'digest', {
      namespace: ns,
      name: 'digest',
      schedule: '0 8 * * *',
      labels: { app: 'd', tier: '4-aux' },
      podLabels: { app: 'd' },
      jobMetadata: { labels: { app: 'd' }, annotations: { 'secret.reloader.stakater.com/reload': 'db' } },
      containers: [{ name: 'd', image: 'x:1' }],
    });
    const cj = resource(synth(s), 'kubernetes_cron_job_v1', 'digest');
    expect(cj.metadata.labels).toEqual({ app: 'd', tier: '4-aux' });
    expect(cj.spec.job_template.metadata).toEqual({
      labels: { app: 'd' },
      annotations: { 'secret.reloader.stakater.com/reload': 'db' },
    });
    expect(cj.spec.job_template.spec.template.metadata).toEqual({ labels: { app: 'd' } });
  });

  it('refuses jobMetadata together with labelJobs', () => {
    const s = testStack('c');
    const ns = new TieredNamespace(s, 'c', { tier: Tier.AUX });
    const err = expectConfigError(
      () =>
        new CronJob(s, 'j', {
          namespace: ns,
          name: 'j',
          schedule: '@daily',
          labelJobs: true,
          jobMetadata: { labels: { app: 'j' } },
          containers: [{ name: 'j', image: 'x:1' }],
        }),
    );
    expect(err.prop).toBe('jobMetadata');
  });
});

describe('emptyPodAnnotations', () => {
  it('renders {} for the pod template annotations only when asked', () => {
    const s = testStack('e');
    const ns = new TieredNamespace(s, 'e', { tier: Tier.AUX });
    new Deployment(s, 'a', {
      namespace: ns,
      name: 'a',
      emptyPodAnnotations: true,
      containers: [{ name: 'a', image: 'a:1' }],
    });
    new Deployment(s, 'b', {
      namespace: ns,
      name: 'b',
      podAnnotations: {},
      containers: [{ name: 'b', image: 'b:1' }],
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_deployment', 'a').spec.template.metadata.annotations).toEqual({});
    expect(resource(json, 'kubernetes_deployment', 'b').spec.template.metadata.annotations).toBeUndefined();
  });
});

describe('tolerations', () => {
  it('renders the pod tolerations in order and refuses a bad operator', () => {
    const s = testStack('t');
    const ns = new TieredNamespace(s, 't', { tier: Tier.GPU });
    new Deployment(s, 'g', {
      namespace: ns,
      name: 'g',
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' },
      ],
      containers: [{ name: 'g', image: 'g:1' }],
    });
    expect(resource(synth(s), 'kubernetes_deployment', 'g').spec.template.spec.toleration).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' },
    ]);
    expect(
      expectConfigError(
        () =>
          new Deployment(s, 'bad', {
            namespace: ns,
            name: 'bad',
            tolerations: [{ key: 'k', operator: 'Maybe' as never }],
            containers: [{ name: 'b', image: 'b:1' }],
          }),
      ).message,
    ).toMatch(/operator/);
  });
});
