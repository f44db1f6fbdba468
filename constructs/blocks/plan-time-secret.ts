// A Kubernetes Secret whose values Terraform reads at plan time (Vault KV data, a file of the git-ignored
// secrets directory): the synthesized JSON holds only the references, the values live in state. For a
// value the cluster cannot fetch itself (ESO is the default: ExternalSecret), as the tree's stacks that
// copy a Vault key into a Secret.
import { Construct } from 'constructs';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { namespaceName } from '../../lib/validation/conventions';
import { checkProps } from '../../lib/validation/props';
import { isToken, k8sName, matches } from '../../lib/validation/validate';
import { PLAN_TIME_SECRET_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

export interface PlanTimeSecretProps {
  readonly namespace: INamespace;
  readonly name: string;
  /** Secret key -> a Terraform reference (e.g. `vaultKvSecret(...).data.lookup('k')`); literals are refused. */
  readonly data: Readonly<Record<string, string>>;
  /** @default not written (the provider's default, "Opaque"), as a tree Secret without one */
  readonly type?: string;
  /** Terraform name. @default the construct id */
  readonly addressName?: string;
}

const KEY = /^[-._a-zA-Z0-9]+$/;

/** `kubernetes_secret.<id>` with referenced values only. */
export class PlanTimeSecret extends Construct {
  readonly resource: Secret;
  /** The Secret's name as a reference (mounting pods come after it). */
  readonly name: string;

  constructor(scope: Construct, id: string, props: PlanTimeSecretProps) {
    super(scope, id);
    checkProps(this, 'props', props, PLAN_TIME_SECRET_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    const entries = Object.entries(props.data ?? {});
    if (entries.length === 0) invalid(this, 'data', props.data, 'at least one key');
    for (const [k, v] of entries) {
      matches(this, 'data key', k, KEY, "a Secret key of letters, digits, '-', '_', '.'");
      if (typeof v !== 'string' || !isToken(v)) {
        invalid(
          this,
          `data.${k}`,
          '(a literal)',
          'a Terraform reference (Vault data, a file read): never a literal',
        );
      }
    }
    this.resource = named(this, Secret, props.addressName ?? id, {
      metadata: { name, namespace: props.namespace.name },
      data: Object.fromEntries(entries),
      type: props.type,
    });
    this.name = this.resource.metadata.name;
  }
}
