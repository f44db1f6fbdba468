// A cluster StorageClass by intent: which provisioner makes the volumes, whether it is the cluster default,
// and the reclaim / binding / expansion behaviour. Each behaviour is written only when the stack says it,
// so an unset one stays the provider default (what a tree StorageClass that omits it has).
import { Construct } from 'constructs';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { addressName, named } from '../../lib/terraform/addresses';
import { bool } from '../../lib/validation/conventions';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import { k8sName, matches, oneOf } from '../../lib/validation/validate';
import { STORAGE_CLASS_KEYS } from './prop-keys';

export interface StorageClassProps {
  /** Kubernetes name (what PVCs give as `storageClassName`). */
  readonly name: string;
  /** The provisioner, e.g. "rancher.io/local-path". */
  readonly provisioner: string;
  /** The cluster's default class (`storageclass.kubernetes.io/is-default-class: "true"`). @default false */
  readonly isDefault?: boolean;
  /** What happens to a released volume. @default not written (Kubernetes: "Delete") */
  readonly reclaimPolicy?: 'Delete' | 'Retain';
  /** When volumes are bound and provisioned. @default not written (Kubernetes: "Immediate") */
  readonly volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  /** Whether claims may grow. @default not written (the provider's default) */
  readonly allowVolumeExpansion?: boolean;
  /** Provisioner parameters. @default none */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Terraform name. @default addressName(this) (the construct id at stack level) */
  readonly addressName?: string;
}

/** `kubernetes_storage_class_v1.<addressName>`. `name` is a reference, so PVCs naming it come after it. */
export class StorageClass extends Construct {
  readonly resource: StorageClassV1;
  /** The class name as a reference. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: StorageClassProps) {
    super(scope, id);
    checkProps(this, 'props', props, STORAGE_CLASS_KEYS);
    const name = k8sName(this, 'name', props.name);
    const provisioner = matches(
      this,
      'provisioner',
      props.provisioner,
      /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/,
      'a provisioner name such as "rancher.io/local-path"',
    );
    const isDefault = props.isDefault === undefined ? false : bool(this, 'isDefault', props.isDefault);
    if (props.parameters !== undefined) {
      if (
        props.parameters === null ||
        typeof props.parameters !== 'object' ||
        Array.isArray(props.parameters)
      )
        invalid(this, 'parameters', props.parameters, 'a map of parameter name to string value');
      for (const [k, v] of Object.entries(props.parameters))
        if (typeof v !== 'string') invalid(this, `parameters.${k}`, v, 'a string');
    }
    this.resource = named(this, StorageClassV1, props.addressName ?? addressName(this), {
      metadata: {
        name,
        ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
      },
      storageProvisioner: provisioner,
      ...(props.reclaimPolicy !== undefined
        ? { reclaimPolicy: oneOf(this, 'reclaimPolicy', props.reclaimPolicy, ['Delete', 'Retain']) }
        : {}),
      ...(props.volumeBindingMode !== undefined
        ? {
            volumeBindingMode: oneOf(this, 'volumeBindingMode', props.volumeBindingMode, [
              'Immediate',
              'WaitForFirstConsumer',
            ]),
          }
        : {}),
      ...(props.allowVolumeExpansion !== undefined
        ? { allowVolumeExpansion: bool(this, 'allowVolumeExpansion', props.allowVolumeExpansion) }
        : {}),
      ...(props.parameters !== undefined ? { parameters: { ...props.parameters } } : {}),
    });
    this.name = this.resource.metadata.name;
  }
}
