// Ingress-only NetworkPolicy: the pods of one workload accept traffic only from the named namespaces on
// the named ports (the tree's "only Traefik and monitoring may reach the app" policies). Egress stays open.
import { Construct } from 'constructs';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { INamespace } from './tiered-namespace';
import { named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import { dnsLabel, k8sName, port as portNumber } from '../../lib/validation/validate';
import { INGRESS_ALLOW_RULE_KEYS, NAMESPACE_INGRESS_POLICY_KEYS } from './prop-keys';

/** One ingress rule: traffic from every pod of these namespaces to these ports. */
export interface IngressAllowRule {
  /** Source namespace (matched on `kubernetes.io/metadata.name`). */
  readonly fromNamespace: string;
  readonly ports: number[];
  /** @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface NamespaceIngressPolicyProps {
  readonly namespace: INamespace;
  /** Kubernetes name of the policy. */
  readonly name: string;
  /** Labels of the pods the policy guards (a workload's `selector`). */
  readonly podSelector: Record<string, string>;
  /** The allowed sources, one ingress rule each, in order. */
  readonly allow: IngressAllowRule[];
  /** Terraform name. @default the construct id */
  readonly addressName?: string;
}

/** `kubernetes_network_policy_v1.<id>`: policy type Ingress, one rule per `allow` entry. */
export class NamespaceIngressPolicy extends Construct {
  readonly resource: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: NamespaceIngressPolicyProps) {
    super(scope, id);
    checkProps(this, 'props', props, NAMESPACE_INGRESS_POLICY_KEYS);
    const name = k8sName(this, 'name', props.name);
    if (Object.keys(props.podSelector ?? {}).length === 0) {
      invalid(
        this,
        'podSelector',
        props.podSelector,
        'at least one label (an empty selector guards every pod)',
      );
    }
    if (!props.allow?.length) invalid(this, 'allow', props.allow, 'at least one rule');
    const ingress = props.allow.map((rule, i) => {
      checkProps(this, `allow[${i}]`, rule, INGRESS_ALLOW_RULE_KEYS);
      const from = dnsLabel(this, `allow[${i}].fromNamespace`, rule.fromNamespace);
      if (!rule.ports?.length) invalid(this, `allow[${i}].ports`, rule.ports, 'at least one port');
      const protocol = rule.protocol ?? 'TCP';
      return {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': from } } }],
        ports: rule.ports.map((p, j) => ({
          port: String(portNumber(this, `allow[${i}].ports[${j}]`, p)),
          protocol,
        })),
      };
    });
    this.resource = named(this, NetworkPolicyV1, props.addressName ?? id, {
      metadata: { name, namespace: props.namespace.name },
      spec: {
        podSelector: { matchLabels: { ...props.podSelector } },
        policyTypes: ['Ingress'],
        ingress,
      },
    });
  }
}
