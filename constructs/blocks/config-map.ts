// A ConfigMap by intent: a namespace, a name and its files. Stacks never type the provider's metadata/data
// structure; the tree's two resource types (kubernetes_config_map and kubernetes_config_map_v1) are one
// block with a flag, so the state address stays the tree's.
import { Construct } from 'constructs';
import { ConfigMap as ConfigMapResource } from '@cdktf/provider-kubernetes/lib/config-map';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type { ITerraformDependable } from 'cdktf';
import { addressName, movedFrom, named } from '../../lib/terraform/addresses';
import type { TreePayload } from '../../lib/terraform/tree-payload';
import { invalid } from '../../lib/validation/errors';
import { annotations, labels, namespaceName } from '../../lib/validation/conventions';
import { checkProps } from '../../lib/validation/props';
import { isToken, k8sName } from '../../lib/validation/validate';
import { CONFIG_MAP_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';

export interface ConfigMapProps {
  /** Namespace (pass the TieredNamespace so the ConfigMap is created after it). */
  readonly namespace: INamespace;
  /** Kubernetes name. */
  readonly name: string;
  /** Text files by key (file name when mounted). Values may be Terraform expressions. @default none */
  readonly data?: Readonly<Record<string, string>>;
  /** Binary files by key, base64-encoded. @default none */
  readonly binaryData?: Readonly<Record<string, string>>;
  /** @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Rendered as `immutable`. @default not set (mutable) */
  readonly immutable?: boolean;
  /**
   * Terraform creates the data once and then leaves it to the workload that keeps it up to date
   * (`ignore_changes = [data]`; myprotein-watch's state). @default false
   */
  readonly ignoreData?: boolean;
  /**
   * Tree payloads the data reads at plan time: each gets the precondition that names the stack and the
   * file when it is missing. @default none
   */
  readonly payloads?: readonly TreePayload[];
  /** `kubernetes_config_map_v1` instead of `kubernetes_config_map` (the tree uses both). @default false */
  readonly v1?: boolean;
  /** Terraform name of the resource. @default addressName(this) (the construct id at stack level) */
  readonly addressName?: string;
  /** A tree address this ConfigMap replaces, e.g. "module.app.kubernetes_config_map.this". @default none */
  readonly legacyAddress?: string;
  /** Resources created before this one. @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

// Kubernetes' ConfigMap key alphabet (file names): letters, digits, '-', '_', '.'.
const DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/**
 * A ConfigMap. Address: `kubernetes_config_map.<id>` (or `kubernetes_config_map_v1.<id>` with `v1`).
 * `name` is a reference to the created object, so pods that mount it are ordered after it.
 */
export class ConfigMap extends Construct {
  readonly resource: ConfigMapResource | ConfigMapV1;
  /** The ConfigMap's name as a reference. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ConfigMapProps) {
    super(scope, id);
    checkProps(this, 'props', props, CONFIG_MAP_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    for (const [prop, files] of [
      ['data', props.data],
      ['binaryData', props.binaryData],
    ] as const) {
      if (files === undefined) continue;
      if (files === null || typeof files !== 'object' || Array.isArray(files))
        invalid(this, prop, files, 'a map of file name to content');
      for (const [k, v] of Object.entries(files)) {
        if (!isToken(k) && !DATA_KEY.test(k))
          invalid(
            this,
            `${prop} file name`,
            k,
            "a file name of letters, digits, '-', '_' and '.' (at most 253)",
          );
        if (typeof v !== 'string') invalid(this, `${prop}.${k}`, v, 'a string');
      }
    }
    const overlap = Object.keys(props.data ?? {}).filter((k) => k in (props.binaryData ?? {}));
    if (overlap.length)
      invalid(this, 'binaryData file name', overlap[0], 'a file name that is not also in data');
    const metadata = {
      name,
      namespace: props.namespace.name,
      ...(props.labels ? { labels: labels(this, 'labels', props.labels) } : {}),
      ...(props.annotations ? { annotations: annotations(this, 'annotations', props.annotations) } : {}),
    };
    const config = {
      metadata,
      ...(props.data ? { data: { ...props.data } } : {}),
      ...(props.binaryData ? { binaryData: { ...props.binaryData } } : {}),
      ...(props.immutable !== undefined ? { immutable: props.immutable } : {}),
      ...(props.dependsOn ? { dependsOn: [...props.dependsOn] } : {}),
      ...(props.ignoreData ? { lifecycle: { ignoreChanges: ['data'] } } : {}),
    };
    const tfName = props.addressName ?? addressName(this);
    this.resource = props.v1
      ? named(this, ConfigMapV1, tfName, config)
      : named(this, ConfigMapResource, tfName, config);
    if (props.legacyAddress !== undefined) movedFrom(this.resource, props.legacyAddress);
    for (const p of props.payloads ?? []) p.guard(this.resource);
    this.name = this.resource.metadata.name;
  }
}
