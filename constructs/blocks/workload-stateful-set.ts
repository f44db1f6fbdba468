// StatefulSet: a `kubernetes_stateful_set_v1` with the tree's shape (rendering in ./workload-core).
import type { Construct } from 'constructs';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import { integerInRange, nonEmptyString } from '../../lib/validation/validate';
import type { SablierProps } from './ingress-factory';
import type { INamespace } from './tiered-namespace';
import {
  expose,
  type ExposedService,
  type ExposeProps,
  renderSelected,
  type SablierDeclaration,
  type SelectedWorkload,
  type SelectedWorkloadProps,
} from './workload-core';

export interface StatefulSetProps extends SelectedWorkloadProps {
  /** Governing (headless) Service name. */
  readonly serviceName: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default not enrolled */
  readonly sablier?: SablierDeclaration;
}

/** A `kubernetes_stateful_set_v1` with the tree's shape. Address: `kubernetes_stateful_set_v1.<id>`. */
export class StatefulSet extends StatefulSetV1 implements SelectedWorkload {
  readonly workloadName: string;
  readonly namespace: INamespace;
  readonly selector: Readonly<Record<string, string>>;
  readonly addressName: string;
  readonly sablier?: SablierProps;

  constructor(scope: Construct, id: string, props: StatefulSetProps) {
    const r = renderSelected(scope, id, 'kubernetes_stateful_set_v1', props, props.sablier, (at) => ({
      serviceName: nonEmptyString(at, 'serviceName', props.serviceName),
      replicas: String(integerInRange(at, 'replicas', props.replicas ?? 1, 0, 100)),
    }));
    super(scope, r.constructId, r.config as never);
    this.overrideLogicalId(r.addressName);
    this.workloadName = r.name;
    this.namespace = props.namespace;
    this.selector = r.selector;
    this.addressName = r.addressName;
    this.sablier = r.sablier;
  }

  exposeViaService(props: ExposeProps): ExposedService {
    return expose(this, this.node.path, props);
  }
}
