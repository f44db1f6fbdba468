// DaemonSet: a `kubernetes_daemon_set_v1` with the tree's shape (rendering in ./workload-core).
import type { Construct } from 'constructs';
import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import type { INamespace } from './tiered-namespace';
import {
  expose,
  type ExposedService,
  type ExposeProps,
  renderSelected,
  type SelectedWorkload,
  type SelectedWorkloadProps,
} from './workload-core';

/** A `kubernetes_daemon_set_v1` with the tree's shape. Address: `kubernetes_daemon_set_v1.<id>`. */
export class DaemonSet extends DaemonSetV1 implements SelectedWorkload {
  readonly workloadName: string;
  readonly namespace: INamespace;
  readonly selector: Readonly<Record<string, string>>;
  readonly addressName: string;

  constructor(scope: Construct, id: string, props: SelectedWorkloadProps) {
    const r = renderSelected(scope, id, 'kubernetes_daemon_set_v1', props, undefined, () => ({}));
    super(scope, r.constructId, r.config as never);
    this.overrideLogicalId(r.addressName);
    this.workloadName = r.name;
    this.namespace = props.namespace;
    this.selector = r.selector;
    this.addressName = r.addressName;
  }

  exposeViaService(props: ExposeProps): ExposedService {
    return expose(this, this.node.path, props);
  }
}
