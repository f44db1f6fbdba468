import { Construct } from 'constructs';
import { PersistentVolume } from '@cdktf/provider-kubernetes/lib/persistent-volume';
import { PersistentVolumeClaim } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim';
import {
  addressName,
  checkModuleAddress,
  moduleResourceAddress,
  movedFrom,
  named,
} from '../../lib/terraform/addresses';
import { siteOf } from '../../lib/conventions/site';
import { k8sName, matches, quantity } from '../../lib/validation/validate';
import { checkProps } from '../../lib/validation/props';
import { NFS_VOLUME_KEYS } from './prop-keys';
import { namespaceName } from '../../lib/validation/conventions';
import { accessModes as checkAccessModes, hostOrIp } from '../../lib/validation/conventions';
import type { INamespace } from './tiered-namespace';

export interface NfsVolumeProps {
  /** Name of the PV and PVC (the PV is cluster-scoped: make it unique in the cluster). */
  readonly name: string;
  /** Namespace of the PVC. */
  readonly namespace: INamespace;
  /** Export path on the NFS server, e.g. "/srv/nfs-ssd/chatterbox". */
  readonly nfsPath: string;
  /** NFS server. @default the site's NFS server */
  readonly nfsServer?: string;
  /** Capacity / request. @default "10Gi" */
  readonly storage?: string;
  /** Access modes. @default ["ReadWriteMany"] */
  readonly accessModes?: string[];
  /** Address of the tree `nfs_volume` module this replaces (e.g. "module.nfs_models"). @default none */
  readonly legacyAddress?: string;
}

/**
 * A statically provisioned NFS volume (PV + PVC), as the tree's `nfs_volume` module: `nfs-truenas`
 * class, csi driver nfs.csi.k8s.io, soft mount options, Retain. Addresses:
 * `kubernetes_persistent_volume.<id>` and `kubernetes_persistent_volume_claim.<id>`.
 */
export class NfsVolume extends Construct {
  readonly pv: PersistentVolume;
  readonly pvc: PersistentVolumeClaim;
  /** PVC name (a reference, so pods mounting it come after it). */
  readonly claimName: string;

  constructor(scope: Construct, id: string, props: NfsVolumeProps) {
    super(scope, id);
    checkProps(this, 'props', props, NFS_VOLUME_KEYS);
    const name = k8sName(this, 'name', props.name);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    const nfsPath = matches(
      this,
      'nfsPath',
      props.nfsPath,
      /^\/\S*$/,
      'an absolute export path such as "/srv/nfs/site"',
    );
    const storage = quantity(this, 'storage', props.storage ?? '10Gi');
    const accessModes = checkAccessModes(this, 'accessModes', props.accessModes ?? ['ReadWriteMany']);
    if (props.nfsServer !== undefined) hostOrIp(this, 'nfsServer', props.nfsServer);
    const legacy = checkModuleAddress(this, 'legacyAddress', props.legacyAddress);
    const tfName = addressName(this);

    this.pv = named(
      this,
      PersistentVolume,
      tfName,
      {
        metadata: { name },
        spec: [
          {
            capacity: { storage },
            accessModes,
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: 'nfs-truenas',
            volumeMode: 'Filesystem',
            mountOptions: ['nfsvers=4', 'soft', 'timeo=30', 'retrans=3', 'actimeo=5'],
            persistentVolumeSource: {
              csi: {
                driver: 'nfs.csi.k8s.io',
                volumeHandle: name,
                volumeAttributes: { server: props.nfsServer ?? siteOf(this).nfsServer, share: nfsPath },
              },
            },
          },
        ],
      },
      'pv',
    );
    this.pvc = named(
      this,
      PersistentVolumeClaim,
      tfName,
      {
        metadata: { name, namespace: props.namespace.name },
        spec: {
          accessModes,
          storageClassName: 'nfs-truenas',
          volumeName: this.pv.metadata.name,
          resources: { requests: { storage } },
        },
      },
      'pvc',
    );
    this.claimName = this.pvc.metadata.name;
    if (legacy) {
      movedFrom(this.pv, moduleResourceAddress(legacy, 'kubernetes_persistent_volume', 'this'));
      movedFrom(this.pvc, moduleResourceAddress(legacy, 'kubernetes_persistent_volume_claim', 'this'));
    }
  }
}
