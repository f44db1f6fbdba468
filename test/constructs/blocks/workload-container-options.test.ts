// Container options of the workload block that few tree stacks use: an interactive terminal (tty/stdin,
// ebook2audiobook's entrypoint), the pod's termination grace period (dawarich) and one-per-node
// anti-affinity (claude-memory), node hardware for frigate (hostPath, privileged, GPU memory budget).
import { describe, expect, it } from 'vitest';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Deployment, Volume } from '../../../constructs/blocks/workload';
import { Tier } from '../../../lib/conventions/tiers';
import { Duration } from '../../../lib/core/units';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

describe('container tty and stdin', () => {
  it('renders tty and stdin when asked, and leaves them out otherwise', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'gpu', { tier: Tier.GPU });
    new Deployment(s, 'tts', {
      namespace: ns,
      name: 'tts',
      containers: [
        { name: 'tts', image: 'tts:1', tty: true, stdin: true },
        { name: 'side', image: 'side:1' },
      ],
    });
    const [tts, side] = resource(synth(s), 'kubernetes_deployment', 'tts').spec.template.spec.container;
    expect(tts.tty).toBe(true);
    expect(tts.stdin).toBe(true);
    expect(side.tty).toBeUndefined();
    expect(side.stdin).toBeUndefined();
  });
});

describe('terminationGracePeriod', () => {
  it('renders the pod grace period in whole seconds, and nothing when unset', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'app', { tier: Tier.EDGE });
    new Deployment(s, 'slow', {
      namespace: ns,
      name: 'slow',
      terminationGracePeriod: Duration.minutes(1),
      containers: [{ name: 'slow', image: 'slow:1' }],
    });
    new Deployment(s, 'fast', {
      namespace: ns,
      name: 'fast',
      containers: [{ name: 'fast', image: 'fast:1' }],
    });
    const json = synth(s);
    expect(
      resource(json, 'kubernetes_deployment', 'slow').spec.template.spec.termination_grace_period_seconds,
    ).toBe(60);
    expect(
      resource(json, 'kubernetes_deployment', 'fast').spec.template.spec.termination_grace_period_seconds,
    ).toBeUndefined();
  });
});

describe('antiAffinity', () => {
  it('renders required anti-affinity against the workload selector, nothing when unset', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    new Deployment(s, 'spread', {
      namespace: ns,
      name: 'spread',
      antiAffinity: { topologyKey: 'kubernetes.io/hostname' },
      containers: [{ name: 'spread', image: 'spread:1' }],
    });
    new Deployment(s, 'plain', {
      namespace: ns,
      name: 'plain',
      containers: [{ name: 'plain', image: 'p:1' }],
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_deployment', 'spread').spec.template.spec.affinity).toEqual({
      pod_anti_affinity: {
        required_during_scheduling_ignored_during_execution: [
          { label_selector: [{ match_labels: { app: 'spread' } }], topology_key: 'kubernetes.io/hostname' },
        ],
      },
    });
    expect(resource(json, 'kubernetes_deployment', 'plain').spec.template.spec.affinity).toBeUndefined();
  });
});

describe('hardware access: hostPath volumes, privileged containers, GPU memory budget', () => {
  it('renders a typed hostPath volume, privileged and the gpumem limit', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'nvr', { tier: Tier.GPU });
    const dri = Volume.hostPath('dri', '/dev/dri', { type: 'Directory' });
    const any = Volume.hostPath('any', '/srv');
    new Deployment(s, 'nvr', {
      namespace: ns,
      name: 'nvr',
      containers: [
        {
          name: 'nvr',
          image: 'nvr:1',
          securityContext: { privileged: true },
          resources: { memoryLimit: '1Gi', gpu: 1, gpuMemoryMiB: 2300 },
          volumeMounts: [
            { volume: dri, mountPath: '/dev/dri' },
            { volume: any, mountPath: '/srv' },
          ],
        },
      ],
      volumes: [dri, any],
    });
    const pod = resource(synth(s), 'kubernetes_deployment', 'nvr').spec.template.spec;
    expect(pod.volume).toEqual([
      { name: 'dri', host_path: { path: '/dev/dri', type: 'Directory' } },
      { name: 'any', host_path: { path: '/srv' } },
    ]);
    expect(pod.container[0].security_context).toEqual({ privileged: true });
    expect(pod.container[0].resources).toEqual({
      limits: { memory: '1Gi', 'nvidia.com/gpu': '1', 'viktorbarzin.me/gpumem': '2300' },
    });
  });

  it('refuses a GPU memory budget that is not a positive whole number of MiB', () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'nvr', { tier: Tier.GPU });
    expect(
      expectConfigError(
        () =>
          new Deployment(s, 'nvr', {
            namespace: ns,
            name: 'nvr',
            containers: [{ name: 'nvr', image: 'nvr:1', resources: { gpuMemoryMiB: 0.5 } }],
          }),
      ).prop,
    ).toBe('containers[0].resources.gpuMemoryMiB');
  });
});

describe('exposeViaService loadBalancer legacyIpAnnotation', () => {
  it("writes the IP under MetalLB's older key when asked, the current key otherwise", () => {
    const s = testStack('w');
    const ns = new TieredNamespace(s, 'emu', { tier: Tier.CLUSTER });
    const d = new Deployment(s, 'emu', {
      namespace: ns,
      name: 'emu',
      containers: [{ name: 'emu', image: 'e:1' }],
    });
    d.exposeViaService({
      addressName: 'adb',
      loadBalancer: { ip: '10.0.20.200', sharedIpKey: 'shared', legacyIpAnnotation: true },
      ports: [{ port: 5555 }],
    });
    d.exposeViaService({
      name: 'lb',
      addressName: 'lb',
      loadBalancer: { ip: '10.0.20.201' },
      ports: [{ port: 80 }],
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_service', 'adb').metadata.annotations).toEqual({
      'metallb.universe.tf/loadBalancerIPs': '10.0.20.200',
      'metallb.io/allow-shared-ip': 'shared',
    });
    expect(resource(json, 'kubernetes_service', 'lb').metadata.annotations).toEqual({
      'metallb.io/loadBalancerIPs': '10.0.20.201',
    });
  });
});
