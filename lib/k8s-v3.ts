// The one escape hatch for hashicorp/kubernetes 3.x attributes the tree uses but the 2.38-generated
// bindings lack. Each attribute is one typed function here (listed in docs/provider-3x-attributes.md);
// nothing else in the project calls addOverride on kubernetes resources.
import type { CronJobV1 } from '@cdktf/provider-kubernetes/lib/cron-job-v1';

/** Attributes emitted through this module: resource type -> attribute path. */
export const V3_ATTRIBUTES: ReadonlyArray<{
  readonly resource: string;
  readonly path: string;
  readonly since: string;
}> = [
  {
    resource: 'kubernetes_cron_job_v1',
    path: 'spec.timezone',
    since: 'hashicorp/kubernetes 3.0 (CronJob spec.timeZone)',
  },
];

/** `kubernetes_cron_job_v1.spec.timezone` (Kubernetes CronJob `spec.timeZone`), e.g. "Europe/London". */
export function setCronJobTimezone(cronJob: CronJobV1, timezone: string): void {
  cronJob.addOverride('spec.timezone', timezone);
}
