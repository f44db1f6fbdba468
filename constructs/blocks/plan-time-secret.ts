// A Kubernetes Secret whose values Terraform reads at plan time (Vault KV data, a file of the git-ignored
// secrets directory): the synthesized JSON holds only the references, the values live in state; the
// only literals are non-secret ones next to them (`plainData`: a user name), checked for credential
// shapes. For a value the cluster cannot fetch itself (ESO is the default: ExternalSecret), as the tree's
// stacks that copy a Vault key into a Secret.
import { Construct } from 'constructs';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import {
  annotations as checkAnnotations,
  namespaceName,
  noCredentialLiterals,
} from '../../lib/validation/conventions';
import { checkProps } from '../../lib/validation/props';
import { isToken, k8sName, matches } from '../../lib/validation/validate';
import { PLAN_TIME_SECRET_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

export interface PlanTimeSecretProps {
  readonly namespace: INamespace;
  readonly name: string;
  /** Secret key -> a Terraform reference (e.g. `vaultKvSecret(...).data.lookup('k')`); literals are refused. */
  readonly data: Readonly<Record<string, string>>;
  /**
   * Secret key -> a non-secret literal kept next to the references (a user name, a host): refused when
   * it looks like a credential (by key name or value shape). @default none
   */
  readonly plainData?: Readonly<Record<string, string>>;
  /** Secret annotations (e.g. `reloader.stakater.com/match`). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default not written (the provider's default, "Opaque"), as a tree Secret without one */
  readonly type?: string;
  /** Terraform name. @default the construct id */
  readonly addressName?: string;
}

const KEY = /^[-._a-zA-Z0-9]+$/;

/** `kubernetes_secret.<id>`: referenced secret values, plus non-secret literals in `plainData`. */
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
    const plainData = props.plainData ?? {};
    if (plainData === null || typeof plainData !== 'object' || Array.isArray(plainData))
      invalid(this, 'plainData', plainData, 'a map of Secret key -> non-secret literal');
    const plain = Object.entries(plainData);
    for (const [k, v] of plain) {
      matches(this, 'plainData key', k, KEY, "a Secret key of letters, digits, '-', '_', '.'");
      if (typeof v !== 'string') invalid(this, `plainData.${k}`, v, 'a string');
      if (props.data?.[k] !== undefined)
        invalid(this, `plainData.${k}`, k, 'a key not also in data (each key has one value)');
    }
    noCredentialLiterals(this, 'plainData', props.plainData);
    if (props.annotations !== undefined) checkAnnotations(this, 'annotations', props.annotations);
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
      metadata: {
        name,
        namespace: props.namespace.name,
        ...(props.annotations !== undefined ? { annotations: { ...props.annotations } } : {}),
      },
      data: Object.fromEntries([...plain, ...entries]),
      type: props.type,
    });
    this.name = this.resource.metadata.name;
  }
}
