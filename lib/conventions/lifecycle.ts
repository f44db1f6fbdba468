// The lifecycle.ignore_changes groups of the tree (existing-tree.md section 10), each defined once.
// A resource asks for groups by name: `ignoreChanges(Ignore.kyvernoPodDnsConfig, Ignore.keelImage(0))`.
// Paths are Terraform attribute paths exactly as the tree writes them, so state and plan agree.
import type { TerraformResourceLifecycle } from 'cdktf';

const ann = (key: string) => `metadata[0].annotations["${key}"]`;
const KEEL_UPDATE_TIME = 'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]';

export const Ignore = {
  /** KYVERNO_LIFECYCLE_V1 on pod templates (Deployment, StatefulSet, DaemonSet, Job): `inject-ndots`. */
  kyvernoPodDnsConfig: ['spec[0].template[0].spec[0].dns_config'],
  /** KYVERNO_LIFECYCLE_V1 on CronJobs. */
  kyvernoCronJobDnsConfig: ['spec[0].job_template[0].spec[0].template[0].spec[0].dns_config'],
  /** KYVERNO_LIFECYCLE_V2: the Keel annotations Kyverno `inject-keel-annotations` adds. */
  keelAnnotations: [ann('keel.sh/policy'), ann('keel.sh/trigger'), ann('keel.sh/pollSchedule')],
  /** Keel trigger + poll schedule only: for workloads that set `keel.sh/policy` themselves (e.g. "never"). */
  keelPollAnnotations: [ann('keel.sh/trigger'), ann('keel.sh/pollSchedule')],
  /** KEEL_LIFECYCLE_V1: what Keel writes when it rolls a workload. */
  keelRollout: [
    ann('keel.sh/match-tag'),
    ann('kubernetes.io/change-cause'),
    ann('deployment.kubernetes.io/revision'),
    KEEL_UPDATE_TIME,
  ],
  /** Only the pod-template `keel.sh/update-time` of KEEL_LIFECYCLE_V1 (workloads that ignore nothing else of it). */
  keelUpdateTime: [KEEL_UPDATE_TIME],
  /** KEEL_IGNORE_IMAGE for container `index` of the pod template. */
  keelImage: (index: number): string[] => [`spec[0].template[0].spec[0].container[${index}].image`],
  /** KEEL_IGNORE_IMAGE for init container `index` of the pod template. */
  keelInitImage: (index: number): string[] => [`spec[0].template[0].spec[0].init_container[${index}].image`],
  /**
   * RELOADER_LIFECYCLE_V1: the pod-template marker Stakater Reloader stamps on a secret-triggered restart
   * (`reloadStrategy = annotations`).
   */
  reloaderLastReloaded: [
    'spec[0].template[0].metadata[0].annotations["reloader.stakater.com/last-reloaded-from"]',
  ],
  /** SABLIER_MANAGED_REPLICAS, also any workload whose replicas another controller owns. */
  replicas: ['spec[0].replicas'],
  /** METALLB_LIFECYCLE_V1 on LoadBalancer Services. */
  metallbPool: [ann('metallb.io/ip-allocated-from-pool')],
  /** Legacy Goldilocks label on namespaces (the policy is gone, the ignore stays for a no-op plan). */
  goldilocksLabel: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'],
  /** Tier label Kyverno `sync-tier-label-from-namespace` stamps on workloads. */
  tierLabel: ['metadata[0].labels["tier"]'],
  /** Labels Kyverno `sync-tls-secret` stamps on the TLS secret. */
  allLabels: ['metadata[0].labels'],
  /** Whole annotation map (e.g. Anubis deployments, where several controllers annotate). */
  allAnnotations: ['metadata[0].annotations'],
  /** Encrypted PVCs grown by topolvm: requests are owned by the resizer. */
  pvcRequests: ['spec[0].resources[0].requests'],
} as const;

/**
 * The canonical block for a Keel-enrolled workload (AGENTS.md of the tree): dns_config, the Keel
 * annotations, the rollout annotations and the image of each listed container index.
 */
export function keelEnrolledWorkload(containerIndexes: readonly number[] = [0]): string[] {
  return [
    ...Ignore.kyvernoPodDnsConfig,
    ...Ignore.keelAnnotations,
    ...Ignore.keelRollout,
    ...containerIndexes.flatMap((i) => Ignore.keelImage(i)),
  ];
}

/** Concatenates groups into a lifecycle, dropping duplicates (first occurrence wins, order kept). */
export function ignoreChanges(...groups: ReadonlyArray<readonly string[]>): TerraformResourceLifecycle {
  return { ignoreChanges: [...new Set(groups.flat())] };
}
