// JobV1: a `kubernetes_job_v1` with the tree's shape (rendering in ./workload-core).
import type { Construct } from 'constructs';
import { JobV1 as JobV1Resource } from '@cdktf/provider-kubernetes/lib/job-v1';
import { pathOf } from '../../lib/validation/errors';
import { addressedId, jobConfig, type JobProps, workloadAddressName } from './workload-core';

/** The same Job as a `kubernetes_job_v1` (the tree's newer stacks). Address: `kubernetes_job_v1.<id>`. */
export class JobV1 extends JobV1Resource {
  constructor(scope: Construct, id: string, props: JobProps) {
    const at = `${pathOf(scope)}/${id}`;
    super(scope, addressedId(scope, id, 'kubernetes_job_v1'), jobConfig(scope, at, props) as never);
    this.overrideLogicalId(workloadAddressName(scope, id, props.addressName));
  }
}
