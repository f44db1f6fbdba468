import { Construct } from 'constructs';
import { Namespace } from '@cdktf/provider-kubernetes/lib/namespace';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ResourceQuota } from '@cdktf/provider-kubernetes/lib/resource-quota';
import { addressName, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { Ignore, ignoreChanges } from '../../lib/conventions/lifecycle';
import { checkTier, Tier, TIER_LABEL } from '../../lib/conventions/tiers';
import { dnsLabel, k8sName, quantity } from '../../lib/validation/validate';
import { checkProps } from '../../lib/validation/props';
import { TIERED_NAMESPACE_KEYS } from './prop-keys';
import { labels as checkLabels } from '../../lib/validation/conventions';

/**
 * A namespace workloads and ingresses are placed in: its name (a reference when the namespace is created
 * in the same stack, so dependants come after it) and its tier (the tier label workloads carry).
 */
export interface INamespace {
  readonly name: string;
  readonly tier: Tier;
}

export interface TieredNamespaceProps {
  /** Namespace name. @default the construct id */
  readonly name?: string;
  /** Tier label; Kyverno derives priority class, LimitRange and ResourceQuota from it. */
  readonly tier: Tier;
  /** Write the tier label (a namespace the tree leaves unlabelled gets the cluster default). @default true */
  readonly tierLabel?: boolean;
  /** Label `keel.sh/enrolled=true` so Kyverno adds the Keel poll annotations to workloads. @default true */
  readonly keelEnrolled?: boolean;
  /** Label `istio-injection: disabled`. @default true */
  readonly istioInjectionDisabled?: boolean;
  /**
   * Opt out of the tier's generated ResourceQuota (label `resource-governance/custom-quota=true`).
   * @default false, or true when `quotaHard` is set
   */
  readonly customQuota?: boolean;
  /**
   * Hard limits of a namespace ResourceQuota named `<name>-quota` (implies `customQuota`), e.g.
   * `{ 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '30' }`. @default no quota resource
   */
  readonly quotaHard?: Record<string, string>;
  /** Kubernetes name of the `quotaHard` quota (chrome-service: "chrome-pool"). @default `<name>-quota` */
  readonly quotaName?: string;
  /** Terraform name of the `quotaHard` quota (chrome-service: "pool"). @default the namespace's */
  readonly quotaAddressName?: string;
  /** Extra labels. @default none */
  readonly labels?: Record<string, string>;
  /** Ignore the legacy Goldilocks label (every tree namespace does, for a no-op plan). @default true */
  readonly ignoreGoldilocksLabel?: boolean;
  /**
   * Terraform name of the namespace and quota, for a construct that creates its namespace inside itself
   * but must keep a tree address (e.g. `kubernetes_namespace.forgejo`). @default addressName(this)
   */
  readonly addressName?: string;
  /**
   * Render a `kubernetes_namespace_v1` (the tree's newer stacks) instead of a `kubernetes_namespace`.
   * @default false
   */
  readonly namespaceV1?: boolean;
}

const nonEmptyLabels = (m: Record<string, string>) => (Object.keys(m).length ? m : undefined);

/**
 * A namespace with the tree's conventions: tier label, `istio-injection: disabled`, Keel enrolment, the
 * Goldilocks-label ignore and, optionally, a custom ResourceQuota. Address: `kubernetes_namespace.<id>`
 * (and `kubernetes_resource_quota.<id>`), or `<addressName>` when set.
 */
export class TieredNamespace extends Construct implements INamespace {
  /**
   * A namespace another stack owns (e.g. `dbaas`, `redis`): name and tier as literals, nothing created.
   * The id only names the lookup in error messages.
   */
  static fromName(scope: Construct, id: string, name: string, tier: Tier): INamespace {
    const c = new Construct(scope, id);
    const literal = dnsLabel(c, 'name', name);
    return { name: literal, tier: checkTier(c, 'tier', tier) };
  }

  /** The namespace name as a reference (`kubernetes_namespace.<id>.metadata[0].name`): use it so
   * resources in the namespace are created after it. */
  readonly name: string;
  /** The namespace name as a literal. */
  readonly literalName: string;
  readonly tier: Tier;
  /** Kyverno injects Keel annotations into this namespace's workloads (label keel.sh/enrolled). */
  readonly keelEnrolled: boolean;
  readonly resource: Namespace | NamespaceV1;
  readonly quota?: ResourceQuota;

  /**
   * This namespace by its literal name: for a resource that must not depend on the namespace resource
   * (the tree writes the literal there), where `this` would add the creation-order reference.
   */
  get byLiteralName(): INamespace {
    return { name: this.literalName, tier: this.tier };
  }

  constructor(scope: Construct, id: string, props: TieredNamespaceProps) {
    super(scope, id);
    checkProps(this, 'props', props, TIERED_NAMESPACE_KEYS);
    this.literalName = dnsLabel(this, 'name', props.name ?? id);
    this.tier = checkTier(this, 'tier', props.tier);
    this.keelEnrolled = props.keelEnrolled !== false;
    const customQuota = props.customQuota ?? props.quotaHard !== undefined;
    if (props.quotaHard && !customQuota) {
      invalid(
        this,
        'customQuota',
        false,
        'true (or unset) when quotaHard is set: the tier quota would fight the custom one',
      );
    }
    checkLabels(this, 'labels', props.labels);
    const tierLabel = props.labels?.[TIER_LABEL];
    if (tierLabel !== undefined && tierLabel !== props.tier) {
      // Kyverno reads the tier from this label: a different value silently moves the namespace's tier.
      invalid(
        this,
        `labels.${TIER_LABEL}`,
        tierLabel,
        `"${props.tier}" (the namespace's tier) or unset: the tier prop sets it`,
      );
    }
    const labels: Record<string, string> = {
      'istio-injection': 'disabled',
      [TIER_LABEL]: props.tier,
      'keel.sh/enrolled': 'true',
      'resource-governance/custom-quota': 'true',
    };
    if (props.istioInjectionDisabled === false) delete labels['istio-injection'];
    if (props.keelEnrolled === false) delete labels['keel.sh/enrolled'];
    if (props.tierLabel === false) delete labels[TIER_LABEL];
    if (!customQuota) delete labels['resource-governance/custom-quota'];

    const tfName = props.addressName ?? addressName(this);
    const config = {
      metadata: { name: this.literalName, labels: nonEmptyLabels({ ...labels, ...props.labels }) },
      lifecycle: props.ignoreGoldilocksLabel === false ? undefined : ignoreChanges(Ignore.goldilocksLabel),
    };
    this.resource = props.namespaceV1
      ? named(this, NamespaceV1, tfName, config)
      : named(this, Namespace, tfName, config);
    this.name = this.resource.metadata.name;

    if (!props.quotaHard && (props.quotaName || props.quotaAddressName)) {
      invalid(this, 'quotaName', props.quotaName ?? props.quotaAddressName, 'only with quotaHard');
    }
    if (props.quotaHard) {
      for (const [k, v] of Object.entries(props.quotaHard)) quantity(this, `quotaHard.${k}`, v);
      this.quota = named(
        this,
        ResourceQuota,
        props.quotaAddressName ?? tfName,
        {
          metadata: {
            name:
              props.quotaName === undefined
                ? `${this.literalName}-quota`
                : k8sName(this, 'quotaName', props.quotaName),
            namespace: this.name,
          },
          spec: { hard: { ...props.quotaHard } },
        },
        'quota',
      );
    }
  }
}
