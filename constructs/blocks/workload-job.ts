// Job: a `kubernetes_job` with the tree's shape (rendering in ./workload-core).
import type { Construct } from 'constructs';
import { Job as JobResource } from '@cdktf/provider-kubernetes/lib/job';
import { pathOf } from '../../lib/validation/errors';
import { addressedId, jobConfig, type JobProps, workloadAddressName } from './workload-core';

/**
 * A `kubernetes_job`: labels on the Job and its pods, no tier label (as the tree's jobs), the Kyverno
 * dns_config ignore. Address: `kubernetes_job.<id>`.
 */
export class Job extends JobResource {
  constructor(scope: Construct, id: string, props: JobProps) {
    const at = `${pathOf(scope)}/${id}`;
    super(scope, addressedId(scope, id, 'kubernetes_job'), jobConfig(scope, at, props) as never);
    this.overrideLogicalId(workloadAddressName(scope, id, props.addressName));
  }
}
