// Resources whose destruction loses data or identity that a re-create does not bring back. The synth diff
// refuses (exit 2) to let one of them disappear without a `moved` block unless destroys are allowed, and
// the plan comment tags them in its destroy/replace warning.
//
// Why each is here:
// - kubernetes_persistent_volume(_claim)(_v1): deleting the claim (or a Delete-policy volume) deletes the data.
// - kubernetes_namespace(_v1): deleting a namespace deletes everything in it, PVCs included.
// - kubernetes_secret(_v1): may hold generated material (keys, tokens) that exists nowhere else.
// - kubernetes_stateful_set(_v1): its pods' identities; with a retention policy its PVCs go too.
// - helm_release: uninstalling a chart deletes the PVCs, Secrets and CRs the chart itself declares.
// - kubernetes_manifest / kubectl_manifest of a data-holding kind (STATEFUL_KINDS): CNPG `Cluster`/
//   `Database`, KubeVirt `VirtualMachine`, CDI `DataVolume`, plain PVC/PV/Namespace/Secret/StatefulSet, ...
// - vault_mount / vault_auth_backend / vault KV secrets: unmounting drops every secret or role below it.
// - cloudflare_zone (all DNS records), tunnels (the tunnel id and credentials change), r2 buckets.
import { manifestKind } from '../validation/secret-mask';

export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  kubernetes_persistent_volume: 'persistent volume',
  kubernetes_persistent_volume_v1: 'persistent volume',
  kubernetes_persistent_volume_claim: 'persistent volume claim',
  kubernetes_persistent_volume_claim_v1: 'persistent volume claim',
  kubernetes_namespace: 'namespace (deletes everything in it)',
  kubernetes_namespace_v1: 'namespace (deletes everything in it)',
  kubernetes_secret: 'secret',
  kubernetes_secret_v1: 'secret',
  kubernetes_stateful_set: 'stateful set',
  kubernetes_stateful_set_v1: 'stateful set',
  helm_release: 'helm release (uninstall deletes chart-owned volumes)',
  vault_mount: 'vault mount (all secrets below it)',
  vault_auth_backend: 'vault auth backend (all roles below it)',
  vault_kv_secret_v2: 'vault secret',
  vault_kv_secret: 'vault secret',
  vault_generic_secret: 'vault secret',
  vault_database_secrets_mount: 'vault mount (all secrets below it)',
  cloudflare_zone: 'cloudflare zone (all DNS records)',
  cloudflare_tunnel: 'cloudflare tunnel (id and credentials change)',
  cloudflare_zero_trust_tunnel_cloudflared: 'cloudflare tunnel (id and credentials change)',
  cloudflare_r2_bucket: 'r2 bucket',
};

/** Kubernetes kinds that hold data when managed through kubernetes_manifest / kubectl_manifest. */
export const STATEFUL_KINDS: Readonly<Record<string, string>> = {
  PersistentVolumeClaim: 'persistent volume claim',
  PersistentVolume: 'persistent volume',
  Namespace: 'namespace (deletes everything in it)',
  Secret: 'secret',
  StatefulSet: 'stateful set',
  Cluster: 'database cluster (e.g. CNPG)',
  Database: 'database (e.g. CNPG)',
  VirtualMachine: 'virtual machine (KubeVirt)',
  VirtualMachineInstance: 'virtual machine instance (KubeVirt)',
  DataVolume: 'data volume (CDI)',
  VolumeSnapshot: 'volume snapshot',
  ObjectBucketClaim: 'object bucket claim',
  InnoDBCluster: 'database cluster (MySQL operator)',
  MariaDB: 'database (MariaDB operator)',
  Redis: 'redis (operator)',
  RedisFailover: 'redis (operator)',
  Elasticsearch: 'search cluster',
};

/**
 * Why destroying this resource loses state, or undefined when it does not. `attrs` are its attributes
 * (cdk.tf.json body, or the plan's `before`) — needed for manifests, whose kind decides.
 */
export function statefulReason(resourceType: string, attrs: unknown): string | undefined {
  const direct = STATEFUL_TYPES[resourceType];
  if (direct) return direct;
  if (resourceType === 'kubernetes_manifest' || resourceType === 'kubectl_manifest') {
    const kind = manifestKind(resourceType, attrs);
    if (kind && Object.prototype.hasOwnProperty.call(STATEFUL_KINDS, kind))
      return `${kind}: ${STATEFUL_KINDS[kind]}`;
  }
  return undefined;
}
