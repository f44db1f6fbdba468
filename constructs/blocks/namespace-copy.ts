// Copies of a Secret or ConfigMap another namespace owns (a pod can only mount objects of its own
// namespace): a data source reads the original at plan time and a resource in our namespace holds the
// copy. Nothing is synthesized but the references, so certificate and key material stay in state only.
// A re-apply re-syncs the copy when the original rotates.
import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { DataKubernetesConfigMap } from '@cdktf/provider-kubernetes/lib/data-kubernetes-config-map';
import { DataKubernetesSecret } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret';
import { ConfigMap as ConfigMapResource } from '@cdktf/provider-kubernetes/lib/config-map';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { namespaceName } from '../../lib/validation/conventions';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import { dnsLabel, k8sName, matches } from '../../lib/validation/validate';
import { COPIED_OBJECT_KEYS, COPY_SOURCE_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

/** The object to copy. */
export interface CopySource {
  /** Its namespace (owned by another stack, e.g. `calico-system`). */
  readonly namespace: string;
  /** Its name. */
  readonly name: string;
  /** Terraform name of the data source that reads it. */
  readonly dataSourceName: string;
}

export interface CopiedObjectProps {
  /** Our namespace, where the copy lives. */
  readonly namespace: INamespace;
  /** Name of the copy. @default the source's name */
  readonly name?: string;
  readonly from: CopySource;
  /** Keys copied, in order. @default every key (ConfigMap only; a Secret names its keys) */
  readonly keys?: readonly string[];
  /** Secret `type`. @default not set (ConfigMap), "Opaque" (Secret) */
  readonly type?: string;
}

const KEY = /^[-._a-zA-Z0-9]+$/;

function check(scope: Construct, props: CopiedObjectProps): { name: string } {
  checkProps(scope, 'props', props, COPIED_OBJECT_KEYS);
  checkNestedProps(scope, '', props, { from: COPY_SOURCE_KEYS });
  namespaceName(scope, 'namespace.name', props.namespace?.name);
  if (!props.from) invalid(scope, 'from', props.from, '{ namespace, name, dataSourceName }');
  dnsLabel(scope, 'from.namespace', props.from.namespace);
  k8sName(scope, 'from.name', props.from.name);
  (props.keys ?? []).forEach((k, i) =>
    matches(scope, `keys[${i}]`, k, KEY, "a key of letters, digits, '-', '_', '.'"),
  );
  return { name: k8sName(scope, 'name', props.name ?? props.from.name) };
}

/**
 * `data.kubernetes_secret.<from.dataSourceName>` and `kubernetes_secret.<id>` holding the listed keys.
 * Address: `kubernetes_secret.<id>`.
 */
export class CopiedSecret extends Construct {
  readonly resource: Secret;
  /** The copy's name as a reference (mounting pods come after it). */
  readonly name: string;

  constructor(scope: Construct, id: string, props: CopiedObjectProps) {
    super(scope, id);
    const { name } = check(this, props);
    if (!props.keys?.length) invalid(this, 'keys', props.keys, 'the keys to copy (at least one)');
    const source = named(this, DataKubernetesSecret, props.from.dataSourceName, {
      metadata: { name: props.from.name, namespace: props.from.namespace },
    });
    this.resource = named(this, Secret, id, {
      metadata: { name, namespace: props.namespace.name },
      type: props.type ?? 'Opaque',
      data: Object.fromEntries(props.keys.map((k) => [k, source.data.lookup(k)])),
    });
    this.name = this.resource.metadata.name;
  }
}

/**
 * `data.kubernetes_config_map.<from.dataSourceName>` and `kubernetes_config_map.<id>` with the source's data
 * (every key, or the listed ones).
 */
export class CopiedConfigMap extends Construct {
  readonly resource: ConfigMapResource;
  /** The copy's name as a reference (mounting pods come after it). */
  readonly name: string;

  constructor(scope: Construct, id: string, props: CopiedObjectProps) {
    super(scope, id);
    const { name } = check(this, props);
    if (props.type !== undefined) invalid(this, 'type', props.type, 'unset (a ConfigMap has no type)');
    const source = named(this, DataKubernetesConfigMap, props.from.dataSourceName, {
      metadata: { name: props.from.name, namespace: props.from.namespace },
    });
    const data = props.keys?.length
      ? Object.fromEntries(props.keys.map((k) => [k, source.data.lookup(k)]))
      : Token.asStringMap(source.data);
    // the provider resource, not the ConfigMap block: the whole map is one reference, with no file names to check
    this.resource = named(this, ConfigMapResource, id, {
      metadata: { name, namespace: props.namespace.name },
      data,
    });
    this.name = this.resource.metadata.name;
  }
}
