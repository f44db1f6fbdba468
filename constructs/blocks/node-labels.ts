// Labels Terraform stamps on existing cluster nodes (e.g. to steer pods that need a node-level setting
// only some nodes allow). `kubernetes_labels` manages just these keys, so the node's other labels and
// its own lifecycle stay with kubeadm. One instance per node, keyed by the node name.
import { Construct } from 'constructs';
import { TerraformIterator } from 'cdktf';
import { Labels } from '@cdktf/provider-kubernetes/lib/labels';
import { addressName, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import { k8sName, matches } from '../../lib/validation/validate';
import { NODE_LABELS_KEYS } from './prop-keys';

// [prefix/]name: a DNS subdomain prefix and a 63-character name
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

export interface NodeLabelsProps {
  /** Names of the nodes to label (the `for_each` keys). */
  readonly nodes: readonly string[];
  /** Labels stamped on each node. */
  readonly labels: Readonly<Record<string, string>>;
  /** Terraform name. @default addressName(this) (the construct id at stack level) */
  readonly addressName?: string;
}

/** `kubernetes_labels.<addressName>["<node>"]`: the labels on every listed Node. */
export class NodeLabels extends Construct {
  readonly resource: Labels;

  constructor(scope: Construct, id: string, props: NodeLabelsProps) {
    super(scope, id);
    checkProps(this, 'props', props, NODE_LABELS_KEYS);
    if (!Array.isArray(props.nodes) || !props.nodes.length)
      invalid(this, 'nodes', props.nodes, 'at least one node');
    props.nodes.forEach((n, i) => k8sName(this, `nodes[${i}]`, n));
    if (new Set(props.nodes).size !== props.nodes.length)
      invalid(this, 'nodes', props.nodes, 'distinct node names');
    const entries = Object.entries(props.labels ?? {});
    if (!entries.length) invalid(this, 'labels', props.labels, 'at least one label');
    for (const [k, v] of entries) {
      matches(this, 'labels key', k, LABEL_KEY, 'a label key such as "example.com/role"');
      if (typeof v !== 'string') invalid(this, `labels.${k}`, v, 'a string');
    }
    const nodes = TerraformIterator.fromList([...props.nodes]);
    this.resource = named(this, Labels, props.addressName ?? addressName(this), {
      forEach: nodes,
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: nodes.value },
      labels: { ...props.labels },
    });
  }
}
