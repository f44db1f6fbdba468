// An ingress-only NetworkPolicy: which namespaces may reach a workload's pods, on which ports (egress stays
// open). The tree's shape for locking an app to Traefik and its one in-cluster client (executor,
// offline-reader).
import { Construct } from 'constructs';
import { NetworkPolicy } from '@cdktf/provider-kubernetes/lib/network-policy';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { addressName, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { dnsLabel, k8sName, oneOf, port as portNumber } from '../../lib/validation/validate';
import { checkProps } from '../../lib/validation/props';
import { namespaceName } from '../../lib/validation/conventions';
import { NETWORK_POLICY_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

/** One ingress rule: traffic from any of `fromNamespaces` to any of `ports`. */
export interface IngressRule {
  /** Namespaces (by `kubernetes.io/metadata.name`) allowed in, one `from` each. */
  readonly fromNamespaces: readonly string[];
  readonly ports: ReadonlyArray<{ readonly port: number; readonly protocol?: 'TCP' | 'UDP' }>;
}

export interface IngressNetworkPolicyProps {
  readonly namespace: INamespace;
  /** Policy name. */
  readonly name: string;
  /** Labels of the pods the policy isolates (usually the workload's `selector`). */
  readonly podSelector: Readonly<Record<string, string>>;
  /** Rules, in order. */
  readonly rules: readonly IngressRule[];
  /** Render a `kubernetes_network_policy_v1` instead of `kubernetes_network_policy`. @default false */
  readonly v1?: boolean;
  /** Terraform name. @default the id */
  readonly addressName?: string;
}

/** `kubernetes_network_policy.<id>` (or `_v1`) with `policy_types = ["Ingress"]`. */
export class IngressNetworkPolicy extends Construct {
  readonly resource: NetworkPolicy | NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: IngressNetworkPolicyProps) {
    super(scope, id);
    checkProps(this, 'props', props, NETWORK_POLICY_KEYS);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    if (!props.rules?.length) invalid(this, 'rules', props.rules, 'at least one rule');
    if (!Object.keys(props.podSelector ?? {}).length) {
      invalid(this, 'podSelector', props.podSelector, 'at least one label');
    }
    const ingress = props.rules.map((r, i) => {
      if (!r.fromNamespaces.length)
        invalid(this, `rules[${i}].fromNamespaces`, r.fromNamespaces, 'a namespace');
      if (!r.ports.length) invalid(this, `rules[${i}].ports`, r.ports, 'a port');
      return {
        from: r.fromNamespaces.map((n, j) => ({
          namespaceSelector: {
            matchLabels: {
              'kubernetes.io/metadata.name': dnsLabel(this, `rules[${i}].fromNamespaces[${j}]`, n),
            },
          },
        })),
        ports: r.ports.map((p, j) => ({
          port: String(portNumber(this, `rules[${i}].ports[${j}].port`, p.port)),
          protocol: oneOf(this, `rules[${i}].ports[${j}].protocol`, p.protocol ?? 'TCP', ['TCP', 'UDP']),
        })),
      };
    });
    const config = {
      metadata: { name: k8sName(this, 'name', props.name), namespace: props.namespace.name },
      spec: {
        podSelector: { matchLabels: { ...props.podSelector } },
        policyTypes: ['Ingress'],
        ingress,
      },
    };
    const tfName = props.addressName ?? addressName(this);
    this.resource = props.v1
      ? named(this, NetworkPolicyV1, tfName, config)
      : named(this, NetworkPolicy, tfName, config);
  }
}
