// Ingress-only NetworkPolicy: the pods of one workload accept traffic only from the named namespaces on
// the named ports (the tree's "only Traefik and monitoring may reach the app" policies). Egress stays open.
import { Construct } from 'constructs';
import { NetworkPolicy } from '@cdktf/provider-kubernetes/lib/network-policy';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { INamespace } from './tiered-namespace';
import { named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import { dnsLabel, k8sName, matches, port as portNumber } from '../../lib/validation/validate';
import { INGRESS_ALLOW_RULE_KEYS, INGRESS_SOURCE_KEYS, NAMESPACE_INGRESS_POLICY_KEYS } from './prop-keys';

/**
 * One `from` of a rule: every pod of a namespace by name, every pod of the namespaces carrying these
 * labels (an opt-in label clients set on their namespace), or addresses outside the cluster by CIDR.
 */
export type IngressSource =
  | { readonly namespace: string }
  | { readonly namespaceLabels: Readonly<Record<string, string>> }
  | { readonly cidr: string };

/** One ingress rule: traffic from these sources to these ports. Set exactly one of the `from*` props. */
export interface IngressAllowRule {
  /** Source namespace (matched on `kubernetes.io/metadata.name`). */
  readonly fromNamespace?: string;
  /** Several source namespaces in one rule, one `from` each (executor: traefik + hermes-agent). */
  readonly fromNamespaces?: string[];
  /** Mixed sources in one rule, one `from` each, in order (chrome-service: a client label, names, CIDRs). */
  readonly from?: readonly IngressSource[];
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
  /** Render the tree's older `kubernetes_network_policy` instead of `_v1` (executor). @default false */
  readonly legacyResourceType?: boolean;
}

/** `kubernetes_network_policy_v1.<id>` (or `kubernetes_network_policy`): policy type Ingress, one rule per `allow` entry. */
export class NamespaceIngressPolicy extends Construct {
  readonly resource: NetworkPolicyV1 | NetworkPolicy;

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
      const given = [rule.fromNamespace, rule.fromNamespaces, rule.from].filter((v) => v !== undefined);
      if (given.length !== 1) {
        invalid(this, `allow[${i}]`, rule, 'exactly one of fromNamespace, fromNamespaces and from');
      }
      const from = rule.from
        ? this.sources(`allow[${i}].from`, rule.from)
        : (rule.fromNamespaces ?? [rule.fromNamespace!]).map((n, j) =>
            byName(
              dnsLabel(
                this,
                rule.fromNamespaces ? `allow[${i}].fromNamespaces[${j}]` : `allow[${i}].fromNamespace`,
                n,
              ),
            ),
          );
      if (!from.length) invalid(this, `allow[${i}]`, rule, 'at least one source');
      if (!rule.ports?.length) invalid(this, `allow[${i}].ports`, rule.ports, 'at least one port');
      const protocol = rule.protocol ?? 'TCP';
      return {
        from,
        ports: rule.ports.map((p, j) => ({
          port: String(portNumber(this, `allow[${i}].ports[${j}]`, p)),
          protocol,
        })),
      };
    });
    const config = {
      metadata: { name, namespace: props.namespace.name },
      spec: {
        podSelector: { matchLabels: { ...props.podSelector } },
        policyTypes: ['Ingress'],
        ingress,
      },
    };
    this.resource = props.legacyResourceType
      ? named(this, NetworkPolicy, props.addressName ?? id, config)
      : named(this, NetworkPolicyV1, props.addressName ?? id, config);
  }

  private sources(at: string, sources: readonly IngressSource[]) {
    return sources.map((source, j) => {
      checkProps(this, `${at}[${j}]`, source, INGRESS_SOURCE_KEYS);
      const keys = Object.keys(source);
      if (keys.length !== 1)
        invalid(this, `${at}[${j}]`, source, 'exactly one of namespace, namespaceLabels, cidr');
      if ('namespace' in source) return byName(dnsLabel(this, `${at}[${j}].namespace`, source.namespace));
      if ('namespaceLabels' in source) {
        if (Object.keys(source.namespaceLabels ?? {}).length === 0) {
          invalid(this, `${at}[${j}].namespaceLabels`, source.namespaceLabels, 'at least one label');
        }
        return { namespaceSelector: { matchLabels: { ...source.namespaceLabels } } };
      }
      const cidr = matches(this, `${at}[${j}].cidr`, source.cidr, CIDR, 'an IPv4 CIDR such as 10.0.0.0/8');
      return { ipBlock: { cidr } };
    });
  }
}

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;

const byName = (namespace: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
});
