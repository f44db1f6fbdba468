// Sealed Secrets the owner commits next to a stack (`sealed-*.yaml`, encrypted for the cluster's
// controller): one kubernetes_manifest per file, keyed by file name, read at plan time from the tree's
// payload folder. The keys are the tree's `for_each = fileset(...)` keys, so the addresses carry over.
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { named } from '../../lib/terraform/addresses';
import { treePayloadSet, type TreePayloadSet } from '../../lib/terraform/tree-payload';
import { checkProps } from '../../lib/validation/props';
import { SEALED_SECRETS_KEYS } from './prop-keys';

export interface SealedSecretsProps {
  /** The files, a glob in the tree's stack directory. @default "sealed-*.yaml" */
  readonly pattern?: string;
  /** Terraform name of the manifest resource. @default the construct id */
  readonly addressName?: string;
}

/** `kubernetes_manifest.<id>["<file>"]`, one instance per matching payload file (none: no instance). */
export class SealedSecrets extends Construct {
  readonly resource: Manifest;
  readonly files: TreePayloadSet;

  constructor(scope: Construct, id: string, props: SealedSecretsProps = {}) {
    super(scope, id);
    checkProps(this, 'props', props, SEALED_SECRETS_KEYS);
    this.files = treePayloadSet(this, props.pattern ?? 'sealed-*.yaml');
    this.resource = named(this, Manifest, props.addressName ?? id, { manifest: {} });
    // for_each over a plan-time file set and a per-instance body: expressions the typed binding cannot hold
    this.resource.addOverride('for_each', this.files.forEach);
    this.resource.addOverride('manifest', `\${yamldecode(${this.files.eachFileExpression})}`);
  }
}
