import { describe, expect, it } from 'vitest';
import { Ignore, ignoreChanges, keelEnrolledWorkload } from '../../../lib/conventions/lifecycle';
import { Deployment } from '@cdktf/provider-kubernetes/lib/deployment';
import { named } from '../../../lib/terraform/addresses';
import { resource, synth, rawTestStack } from '../../support/synth';

// Exact paths of existing-tree.md section 10: state and plan compare these strings literally.
describe('lifecycle ignore groups', () => {
  it('Kyverno dns_config (KYVERNO_LIFECYCLE_V1) for pod templates and cron jobs', () => {
    expect(Ignore.kyvernoPodDnsConfig).toEqual(['spec[0].template[0].spec[0].dns_config']);
    expect(Ignore.kyvernoCronJobDnsConfig).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });
  it('Keel policy/trigger/pollSchedule (KYVERNO_LIFECYCLE_V2) and the poll-only subset', () => {
    expect(Ignore.keelAnnotations).toEqual([
      'metadata[0].annotations["keel.sh/policy"]',
      'metadata[0].annotations["keel.sh/trigger"]',
      'metadata[0].annotations["keel.sh/pollSchedule"]',
    ]);
    expect(Ignore.keelPollAnnotations).toEqual([
      'metadata[0].annotations["keel.sh/trigger"]',
      'metadata[0].annotations["keel.sh/pollSchedule"]',
    ]);
  });
  it('Keel image per container and init-container index (KEEL_IGNORE_IMAGE)', () => {
    expect(Ignore.keelImage(0)).toEqual(['spec[0].template[0].spec[0].container[0].image']);
    expect(Ignore.keelImage(1)).toEqual(['spec[0].template[0].spec[0].container[1].image']);
    expect(Ignore.keelInitImage(0)).toEqual(['spec[0].template[0].spec[0].init_container[0].image']);
  });
  it('Keel match-tag/change-cause/revision/update-time (KEEL_LIFECYCLE_V1) and update-time alone', () => {
    expect(Ignore.keelRollout).toEqual([
      'metadata[0].annotations["keel.sh/match-tag"]',
      'metadata[0].annotations["kubernetes.io/change-cause"]',
      'metadata[0].annotations["deployment.kubernetes.io/revision"]',
      'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
    ]);
    expect(Ignore.keelUpdateTime).toEqual([
      'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
    ]);
  });
  it('Sablier replicas, MetalLB pool, Goldilocks label, tier label, TLS labels, PVC requests', () => {
    expect(Ignore.replicas).toEqual(['spec[0].replicas']);
    expect(Ignore.metallbPool).toEqual(['metadata[0].annotations["metallb.io/ip-allocated-from-pool"]']);
    expect(Ignore.goldilocksLabel).toEqual([
      'metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]',
    ]);
    expect(Ignore.tierLabel).toEqual(['metadata[0].labels["tier"]']);
    expect(Ignore.allLabels).toEqual(['metadata[0].labels']);
    expect(Ignore.pvcRequests).toEqual(['spec[0].resources[0].requests']);
  });
  it('the Reloader restart marker on the pod template (RELOADER_LIFECYCLE_V1)', () => {
    expect(Ignore.reloaderLastReloaded).toEqual([
      'spec[0].template[0].metadata[0].annotations["reloader.stakater.com/last-reloaded-from"]',
    ]);
  });
  it('the canonical Keel-enrolled workload block (blog: containers 0 and 1)', () => {
    expect(new Set(keelEnrolledWorkload([0, 1]))).toEqual(
      new Set([
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].container[1].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ]),
    );
  });
  it('ignoreChanges concatenates groups without duplicates and reaches the JSON verbatim', () => {
    expect(ignoreChanges(Ignore.replicas, Ignore.kyvernoPodDnsConfig, Ignore.replicas).ignoreChanges).toEqual(
      ['spec[0].replicas', 'spec[0].template[0].spec[0].dns_config'],
    );
    const s = rawTestStack();
    named(s, Deployment, 'app', {
      metadata: { name: 'app' },
      spec: { template: { metadata: {}, spec: { container: [{ name: 'a', image: 'a:1' }] } } },
      lifecycle: ignoreChanges(Ignore.kyvernoPodDnsConfig, Ignore.keelImage(0)),
    });
    expect(resource(synth(s), 'kubernetes_deployment', 'app').lifecycle).toEqual({
      ignore_changes: [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[0].image',
      ],
    });
  });
});
