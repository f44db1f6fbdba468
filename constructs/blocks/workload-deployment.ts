// Deployment: a `kubernetes_deployment` with the tree's shape (rendering in ./workload-core).
import type { Construct } from 'constructs';
import { Deployment as DeploymentResource } from '@cdktf/provider-kubernetes/lib/deployment';
import type { Duration } from '../../lib/core/units';
import { invalid } from '../../lib/validation/errors';
import { integerInRange, oneOf } from '../../lib/validation/validate';
import type { SablierProps } from './ingress-factory';
import type { INamespace } from './tiered-namespace';
import {
  compact,
  expose,
  type ExposedService,
  type ExposeProps,
  renderSelected,
  type SablierDeclaration,
  type SelectedWorkload,
  type SelectedWorkloadProps,
} from './workload-core';

export interface DeploymentProps extends SelectedWorkloadProps {
  /**
   * Rendered as the tree's string; `null` leaves it unwritten (the provider computes it), as a tree
   * Deployment without `replicas`. @default 1
   */
  readonly replicas?: number | null;
  /** `spec.strategy.type`. @default not set (Kubernetes: RollingUpdate) */
  readonly strategy?: 'RollingUpdate' | 'Recreate';
  /** `spec.strategy.rolling_update` (with RollingUpdate), e.g. `{ maxSurge: '1', maxUnavailable: '0' }`. @default not set */
  readonly rollingUpdate?: { readonly maxSurge?: string; readonly maxUnavailable?: string };
  /** Scale-to-zero through Sablier: labels, `Ignore.replicas` and the ingress middleware. @default not enrolled */
  readonly sablier?: SablierDeclaration;
  /**
   * `wait_for_rollout`: `false` for a pod that warms up slowly, so an apply never blocks on it (readiness
   * still gates the Service). @default not set (provider: true)
   */
  readonly waitForRollout?: boolean;
  /**
   * `progress_deadline_seconds`: how long a rollout may stall before it is reported failed (whole seconds).
   * @default not set (Kubernetes: 600s)
   */
  readonly progressDeadline?: Duration;
}

/** A `kubernetes_deployment` with the tree's shape. Address: `kubernetes_deployment.<id>`. */
export class Deployment extends DeploymentResource implements SelectedWorkload {
  readonly workloadName: string;
  readonly namespace: INamespace;
  readonly selector: Readonly<Record<string, string>>;
  readonly addressName: string;
  readonly sablier?: SablierProps;

  constructor(scope: Construct, id: string, props: DeploymentProps) {
    const r = renderSelected(scope, id, 'kubernetes_deployment', props, props.sablier, (at) => {
      const replicas =
        props.replicas === null ? undefined : integerInRange(at, 'replicas', props.replicas ?? 1, 0, 100);
      const strategy =
        props.strategy === undefined
          ? undefined
          : oneOf(at, 'strategy', props.strategy, ['RollingUpdate', 'Recreate']);
      if (props.rollingUpdate && strategy !== 'RollingUpdate') {
        invalid(at, 'rollingUpdate', props.rollingUpdate, 'only with strategy "RollingUpdate"');
      }
      const rollingUpdate = props.rollingUpdate && compact({ ...props.rollingUpdate });
      return compact({
        replicas: replicas === undefined ? undefined : String(replicas),
        progressDeadlineSeconds: props.progressDeadline?.toSeconds(),
        strategy: strategy ? compact({ type: strategy, rollingUpdate }) : undefined,
      });
    });
    super(scope, r.constructId, r.config as never);
    this.overrideLogicalId(r.addressName);
    if (props.waitForRollout !== undefined) this.waitForRollout = props.waitForRollout;
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
