// CronJob: a `kubernetes_cron_job_v1` with the tree's shape (rendering in ./workload-core).
import type { Construct } from 'constructs';
import { CronJobV1 } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import type { Duration } from '../../lib/core/units';
import { Ignore, ignoreChanges } from '../../lib/conventions/lifecycle';
import { invalid, pathOf } from '../../lib/validation/errors';
import { cron, integerInRange, k8sName, oneOf, timeZone } from '../../lib/validation/validate';
import {
  addressedId,
  compact,
  type JobTemplateProps,
  nonEmptyMap,
  renderJobSpec,
  workloadAddressName,
} from './workload-core';

export interface CronJobProps extends JobTemplateProps {
  /** Five-field cron expression or @macro. */
  readonly schedule: string;
  /** @default not set (the controller's zone) */
  readonly timeZone?: string;
  /** @default "Forbid" */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** @default not set (Kubernetes: 1) */
  readonly failedJobsHistoryLimit?: number;
  /** @default not set (Kubernetes: 3) */
  readonly successfulJobsHistoryLimit?: number;
  /** @default not set (false) */
  readonly suspend?: boolean;
  /**
   * How late a missed run may still start (`starting_deadline_seconds`, whole seconds). @default not set
   */
  readonly startingDeadline?: Duration;
  /** Put `labels` on the Jobs too (the job template's metadata). @default false: empty metadata block */
  readonly labelJobs?: boolean;
  /**
   * The job template's own labels and annotations, where the tree writes them apart from the CronJob's
   * (e.g. a Reloader annotation on the Jobs only). Not with `labelJobs`. @default per `labelJobs`
   */
  readonly jobMetadata?: {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  /**
   * `metadata.name` of the job template and of its pod template, where the tree names them (the
   * controller ignores it: Job and pod names derive from the CronJob's). @default not set
   */
  readonly templateName?: string;
  /**
   * Put `labels` on the CronJob's own metadata. `false` keeps them on the Jobs and pods only
   * (payslip-ingest). @default true
   */
  readonly labelCronJob?: boolean;
}

/**
 * A `kubernetes_cron_job_v1`: labels on the CronJob and its pods, the empty job-template metadata block
 * the tree writes, the Kyverno CronJob dns_config ignore. Address: `kubernetes_cron_job_v1.<id>`.
 */
export class CronJob extends CronJobV1 {
  constructor(scope: Construct, id: string, props: CronJobProps) {
    const at = `${pathOf(scope)}/${id}`;
    const limit = (prop: string, v: number | undefined) =>
      v === undefined ? undefined : integerInRange(at, prop, v, 0, 100);
    if (props.jobMetadata && props.labelJobs) {
      invalid(
        at,
        'jobMetadata',
        props.jobMetadata,
        'unset with labelJobs (both write the job template labels)',
      );
    }
    const jm = props.jobMetadata;
    const templateName =
      props.templateName === undefined ? undefined : k8sName(at, 'templateName', props.templateName);
    super(scope, addressedId(scope, id, 'kubernetes_cron_job_v1'), {
      metadata: compact({
        name: k8sName(at, 'name', props.name),
        namespace: props.namespace.name,
        labels: props.labelCronJob === false ? undefined : nonEmptyMap(props.labels),
        annotations: nonEmptyMap(props.annotations),
      }),
      spec: compact({
        concurrencyPolicy: oneOf(at, 'concurrencyPolicy', props.concurrencyPolicy ?? 'Forbid', [
          'Allow',
          'Forbid',
          'Replace',
        ]),
        schedule: cron(at, 'schedule', props.schedule),
        // the binding's key is `timezone` (Kubernetes `spec.timeZone`); an unknown key would be dropped
        timezone: props.timeZone === undefined ? undefined : timeZone(at, 'timeZone', props.timeZone),
        suspend: props.suspend,
        failedJobsHistoryLimit: limit('failedJobsHistoryLimit', props.failedJobsHistoryLimit),
        successfulJobsHistoryLimit: limit('successfulJobsHistoryLimit', props.successfulJobsHistoryLimit),
        startingDeadlineSeconds: props.startingDeadline?.toSeconds(),
        jobTemplate: {
          metadata: jm
            ? compact({
                name: templateName,
                labels: nonEmptyMap(jm.labels),
                annotations: nonEmptyMap(jm.annotations),
              })
            : compact({
                name: templateName,
                labels: props.labelJobs ? nonEmptyMap(props.labels) : undefined,
              }),
          spec: renderJobSpec(scope, at, props, 'OnFailure', templateName),
        },
      }),
      dependsOn: props.dependsOn,
      lifecycle: ignoreChanges(Ignore.kyvernoCronJobDnsConfig, ...(props.ignoreChanges ?? [])),
    } as never);
    this.overrideLogicalId(workloadAddressName(scope, id, props.addressName));
  }
}
