// The tree's "Encrypted PVC" convention as a preset of ProxmoxPvc (proxmox-pvc.ts, the one Proxmox volume
// concept): the encrypted class by default, always autoresized (1Gi growing to 10Gi by default), flat props.
// It renders through ProxmoxPvc, so both produce the same PVC for the same settings.
import type { Construct } from 'constructs';
import { invalid } from '../../lib/validation/errors';
import { isToken, matches, oneOf, parseQuantity, quantity } from '../../lib/validation/validate';
import { checkProps } from '../../lib/validation/props';
import { ENCRYPTED_PVC_KEYS } from './prop-keys';
import { namespaceName } from '../../lib/validation/conventions';
import { ProxmoxPvc, ProxmoxStorage, type ProxmoxPvcProps } from './proxmox-pvc';
import type { INamespace } from './tiered-namespace';

/** Storage class of LUKS-encrypted Proxmox LVM volumes (the tree's class for sensitive data). */
export const ENCRYPTED_STORAGE_CLASS = 'proxmox-lvm-encrypted';
/** Storage class of unencrypted Proxmox LVM volumes (older tree stacks). */
export const PLAIN_STORAGE_CLASS = 'proxmox-lvm';

export interface EncryptedPvcProps {
  /** PVC name (the tree suffixes these `-encrypted`, e.g. "forgejo-data-encrypted"). */
  readonly name: string;
  /** Namespace of the PVC (pass the TieredNamespace so the PVC is created after it). */
  readonly namespace: INamespace;
  /** Initial size; the topolvm resizer grows it from there. @default "1Gi" */
  readonly storage?: string;
  /** Ceiling for automatic growth (`resize.topolvm.io/storage_limit`); at least `storage`. @default "10Gi" */
  readonly storageLimit?: string;
  /** Free-space threshold that triggers a resize (`resize.topolvm.io/threshold`). @default "10%" */
  readonly resizeThreshold?: string;
  /** Growth step per resize (`resize.topolvm.io/increase`). @default "50%" */
  readonly resizeIncrease?: string;
  /**
   * Terraform name of the PVC, for a construct that creates the PVC inside itself but must keep a tree
   * address (e.g. `data_encrypted`). @default addressName(this)
   */
  readonly addressName?: string;
  /** A tree address this PVC replaces, e.g. "kubernetes_persistent_volume_claim.data_encrypted". @default none */
  readonly legacyAddress?: string;
  /**
   * Storage class. `PLAIN_STORAGE_CLASS` for the tree's older unencrypted Proxmox LVM volumes (freshrss
   * `data_proxmox`); same conventions otherwise. @default ENCRYPTED_STORAGE_CLASS
   */
  readonly storageClassName?: typeof ENCRYPTED_STORAGE_CLASS | typeof PLAIN_STORAGE_CLASS;
}

/**
 * Checks the preset's own props (errors name them, at the construct's path) and maps them to ProxmoxPvc's.
 */
function toProxmoxPvcProps(path: string, props: EncryptedPvcProps): ProxmoxPvcProps {
  checkProps(path, 'props', props, ENCRYPTED_PVC_KEYS);
  namespaceName(path, 'namespace.name', props.namespace?.name);
  const storage = quantity(path, 'storage', props.storage ?? '1Gi');
  const storageLimit = quantity(path, 'storageLimit', props.storageLimit ?? '10Gi');
  if (!isToken(storage) && !isToken(storageLimit)) {
    if (parseQuantity(storage)! > parseQuantity(storageLimit)!) {
      invalid(
        path,
        'storageLimit',
        storageLimit,
        `a size no smaller than storage (${storage}): the resizer only grows volumes`,
      );
    }
  }
  const percent = /^[1-9][0-9]*%$/;
  const threshold = matches(
    path,
    'resizeThreshold',
    props.resizeThreshold ?? '10%',
    percent,
    'a percentage such as "10%"',
  );
  const increase = matches(
    path,
    'resizeIncrease',
    props.resizeIncrease ?? '50%',
    percent,
    'a percentage such as "50%"',
  );
  const storageClass = oneOf(path, 'storageClassName', props.storageClassName ?? ENCRYPTED_STORAGE_CLASS, [
    ENCRYPTED_STORAGE_CLASS,
    PLAIN_STORAGE_CLASS,
  ]);
  return {
    name: props.name,
    namespace: props.namespace,
    storageClass: storageClass === PLAIN_STORAGE_CLASS ? ProxmoxStorage.LVM : ProxmoxStorage.LVM_ENCRYPTED,
    storage,
    autoresize: { storageLimit, threshold, increase },
    ...(props.addressName !== undefined ? { addressName: props.addressName } : {}),
    ...(props.legacyAddress !== undefined ? { legacyAddress: props.legacyAddress } : {}),
  };
}

/**
 * A PersistentVolumeClaim on the encrypted Proxmox LVM class, with the tree's conventions:
 * `wait_until_bound = false` (the class binds on first consumer), the topolvm autoresize annotations and
 * `ignore_changes` on `spec[0].resources[0].requests` (the resizer owns the size; PVCs never shrink).
 * Access mode ReadWriteOnce: a Deployment mounting it must use the Recreate strategy.
 * Address: `kubernetes_persistent_volume_claim.<id>` (or `.<addressName>`). A `ProxmoxPvc`.
 */
export class EncryptedPvc extends ProxmoxPvc {
  constructor(scope: Construct, id: string, props: EncryptedPvcProps) {
    super(scope, id, toProxmoxPvcProps([scope.node.path, id].filter(Boolean).join('/'), props));
  }
}
