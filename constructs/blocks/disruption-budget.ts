// A PodDisruptionBudget for a workload: voluntary evictions (node drains) take at most `maxUnavailable`
// of its pods. With one replica, max_unavailable 1 lets a drain proceed where min_available 1 would
// block it forever.
import { Construct } from 'constructs';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { addressName, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import { isToken, k8sName } from '../../lib/validation/validate';
import { DISRUPTION_BUDGET_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

/** What a budget needs of its workload (a Deployment or StatefulSet has all three). */
export interface BudgetedWorkload {
  readonly workloadName: string;
  readonly namespace: INamespace;
  readonly selector: Readonly<Record<string, string>>;
}

export interface DisruptionBudgetProps {
  /** The workload whose pods (its selector) the budget covers. */
  readonly workload: BudgetedWorkload;
  /** Pods that may be down at once: a count or a percentage ("1", "25%"). */
  readonly maxUnavailable: string;
  /** Kubernetes name. @default the workload's name */
  readonly name?: string;
  /** Terraform name. @default addressName(this) (the construct id at stack level) */
  readonly addressName?: string;
}

/** Address: `kubernetes_pod_disruption_budget_v1.<id>`. */
export class DisruptionBudget extends Construct {
  readonly resource: PodDisruptionBudgetV1;

  constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    checkProps(this, 'props', props, DISRUPTION_BUDGET_KEYS);
    const w = props.workload;
    const name = props.name === undefined ? w.workloadName : k8sName(this, 'name', props.name);
    if (!isToken(props.maxUnavailable) && !/^(\d+|\d{1,3}%)$/.test(props.maxUnavailable ?? ''))
      invalid(this, 'maxUnavailable', props.maxUnavailable, 'a count ("1") or a percentage ("25%")');
    this.resource = named(this, PodDisruptionBudgetV1, props.addressName ?? addressName(this), {
      metadata: { name, namespace: w.namespace.name },
      spec: { maxUnavailable: props.maxUnavailable, selector: { matchLabels: { ...w.selector } } },
    });
  }
}
