// A PersistentVolumeClaim on the Proxmox LVM classes, plain or LUKS-encrypted, with or without the topolvm
// autoresizer: the one Proxmox volume concept, in the shapes the tree's PVCs take (privatebin, ntfy,
// stirling-pdf on proxmox-lvm; trek's two encrypted volumes; learning's encrypted volume without the
// resizer). `EncryptedPvc` (encrypted-pvc.ts) is its preset for the tree's "Encrypted PVC" convention:
// encrypted by default, always autoresized, flat props.
import { Construct } from 'constructs';
import { PersistentVolumeClaim } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim';
import { addressName, movedFrom, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { Ignore, ignoreChanges } from '../../lib/conventions/lifecycle';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import { AUTORESIZE_KEYS, PROXMOX_PVC_KEYS } from './prop-keys';
import type { INamespace } from './tiered-namespace';
import {
  isToken,
  k8sName,
  matches,
  nonEmptyString,
  parseQuantity,
  quantity,
} from '../../lib/validation/validate';

/** The Proxmox CSI storage classes of the tree. */
export enum ProxmoxStorage {
  /** Plain LVM thin volumes (non-sensitive data). Also `PLAIN_STORAGE_CLASS` (encrypted-pvc.ts). */
  LVM = 'proxmox-lvm',
  /** LUKS-encrypted LVM volumes (sensitive data). Also `ENCRYPTED_STORAGE_CLASS` (encrypted-pvc.ts). */
  LVM_ENCRYPTED = 'proxmox-lvm-encrypted',
}

/** The topolvm autoresizer: grows the request up to `storageLimit`; Terraform then ignores the request. */
export interface Autoresize {
  /** `resize.topolvm.io/storage_limit`; at least the initial size. */
  readonly storageLimit: string;
  /** `resize.topolvm.io/threshold` (free space that triggers growth). @default "10%" */
  readonly threshold?: string;
  /** `resize.topolvm.io/increase` (growth step). @default "50%" */
  readonly increase?: string;
}

export interface ProxmoxPvcProps {
  /** PVC name. */
  readonly name: string;
  /**
   * Namespace: the TieredNamespace (or its `name` reference) so the PVC is created after it; a plain
   * string is the literal name.
   */
  readonly namespace: INamespace | string;
  /** Storage class: plain or encrypted LVM. */
  readonly storageClass: ProxmoxStorage;
  /** Initial request. @default "1Gi" */
  readonly storage?: string;
  /** Resizer annotations and `ignore_changes` on the request. @default no resizer: fixed size, nothing ignored */
  readonly autoresize?: Autoresize;
  /** Terraform name, for a construct that creates the PVC but keeps a tree address. @default addressName(this) */
  readonly addressName?: string;
  /** A tree address this PVC replaces: emits a `moved` block from it. @default none */
  readonly legacyAddress?: string;
  /**
   * `wait_until_bound`: `true` leaves the attribute unset, the provider default (apply waits for the first
   * consumer to bind it), as a tree PVC that does not write it. @default false (written)
   */
  readonly waitUntilBound?: boolean;
}

/**
 * A ReadWriteOnce PVC on a Proxmox LVM class with `wait_until_bound = false` (the classes bind on the first
 * consumer). A Deployment mounting it must use the Recreate strategy.
 * Address: `kubernetes_persistent_volume_claim.<id>` (or `.<addressName>`).
 */
export class ProxmoxPvc extends Construct {
  readonly pvc: PersistentVolumeClaim;
  /** PVC name as a reference (pods mounting it are created after it). */
  readonly claimName: string;

  constructor(scope: Construct, id: string, props: ProxmoxPvcProps) {
    super(scope, id);
    checkProps(this, 'props', props, PROXMOX_PVC_KEYS);
    checkNestedProps(this, '', props, { autoresize: AUTORESIZE_KEYS });
    const name = k8sName(this, 'name', props.name);
    const namespace =
      typeof props.namespace === 'string'
        ? nonEmptyString(this, 'namespace', props.namespace)
        : nonEmptyString(this, 'namespace.name', props.namespace?.name);
    if (!Object.values(ProxmoxStorage).includes(props.storageClass)) {
      invalid(this, 'storageClass', props.storageClass, Object.values(ProxmoxStorage).join(' or '));
    }
    const storage = quantity(this, 'storage', props.storage ?? '1Gi');
    let annotations: Record<string, string> | undefined;
    if (props.autoresize) {
      const limit = quantity(this, 'autoresize.storageLimit', props.autoresize.storageLimit);
      if (!isToken(storage) && !isToken(limit) && parseQuantity(storage)! > parseQuantity(limit)!) {
        invalid(
          this,
          'autoresize.storageLimit',
          limit,
          `a size no smaller than storage (${storage}): the resizer only grows volumes`,
        );
      }
      const percent = /^[1-9][0-9]*%$/;
      const pct = (prop: 'threshold' | 'increase', dflt: string) =>
        matches(
          this,
          `autoresize.${prop}`,
          props.autoresize![prop] ?? dflt,
          percent,
          'a percentage such as "10%"',
        );
      annotations = {
        'resize.topolvm.io/threshold': pct('threshold', '10%'),
        'resize.topolvm.io/increase': pct('increase', '50%'),
        'resize.topolvm.io/storage_limit': limit,
      };
    }
    this.pvc = named(this, PersistentVolumeClaim, props.addressName ?? addressName(this), {
      waitUntilBound: props.waitUntilBound ? undefined : false,
      metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClass,
        resources: { requests: { storage } },
      },
      ...(annotations ? { lifecycle: ignoreChanges(Ignore.pvcRequests) } : {}),
    });
    this.claimName = this.pvc.metadata.name;
    if (props.legacyAddress !== undefined) movedFrom(this.pvc, props.legacyAddress);
  }
}
