// A PodDisruptionBudget for a workload of this stack: it selects the workload's own pods, so voluntary
// evictions (node drains, descheduler) keep the service up without repeating the selector.
import type { Construct } from 'constructs';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import { k8sName, matches } from '../../lib/validation/validate';
import { DISRUPTION_BUDGET_KEYS } from './prop-keys';
import type { SelectedWorkload } from './workload';

export interface DisruptionBudgetProps {
  /**
   * Pods that may be down at once: a count or a percentage ("1", "50%"). With one replica this is the
   * setting that still lets a drain proceed (`minAvailable: "1"` would block it). Exactly one of the two.
   */
  readonly maxUnavailable?: string;
  /** Pods that must stay up: a count or a percentage. Exactly one of the two. */
  readonly minAvailable?: string;
  /** Kubernetes name. @default the workload's name */
  readonly name?: string;
  /** Terraform name. @default the workload's address name */
  readonly addressName?: string;
}

const COUNT_OR_PERCENT = /^(\d+|\d+%)$/;

/**
 * `kubernetes_pod_disruption_budget_v1.<workload address>` beside the workload, selecting its pods.
 */
export function disruptionBudget(
  workload: SelectedWorkload,
  props: DisruptionBudgetProps,
): PodDisruptionBudgetV1 {
  const at = workload.node.path;
  checkProps(at, 'disruptionBudget', props, DISRUPTION_BUDGET_KEYS);
  if ((props.maxUnavailable === undefined) === (props.minAvailable === undefined)) {
    invalid(at, 'disruptionBudget', props, 'exactly one of maxUnavailable and minAvailable');
  }
  for (const key of ['maxUnavailable', 'minAvailable'] as const) {
    const v = props[key];
    if (v !== undefined)
      matches(
        at,
        `disruptionBudget.${key}`,
        v,
        COUNT_OR_PERCENT,
        'a count or a percentage, e.g. "1" or "50%"',
      );
  }
  return named(
    workload.node.scope as Construct,
    PodDisruptionBudgetV1,
    props.addressName ?? workload.addressName,
    {
      metadata: {
        name: k8sName(at, 'disruptionBudget.name', props.name ?? workload.workloadName),
        namespace: workload.namespace.name,
      },
      spec: {
        ...(props.maxUnavailable !== undefined ? { maxUnavailable: props.maxUnavailable } : {}),
        ...(props.minAvailable !== undefined ? { minAvailable: props.minAvailable } : {}),
        selector: { matchLabels: { ...workload.selector } },
      },
    },
  );
}
