// local-path: Rancher's local-path provisioner, the cluster's default StorageClass (PVCs backed by
// node-local directories). Tree: stacks/local-path (adopted from a raw kubectl apply).
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { ClusterRbac } from '../constructs/blocks/cluster-rbac';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { scriptForTerraform } from '../lib/core/paths';
import { Tier } from '../lib/conventions/tiers';
import { defineStack } from '../lib/synth/stack';
import { named } from '../lib/terraform/addresses';
import { yamlencode } from '../lib/terraform/yaml';

/** Where the provisioner creates volume directories on every node. */
export const LOCAL_PATH_ROOT = '/opt/local-path-provisioner';

/** The pod the provisioner starts on a node to run the setup/teardown hook. */
export const HELPER_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'helper-pod' },
  spec: {
    priorityClassName: 'system-node-critical',
    tolerations: [{ key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' }],
    containers: [{ name: 'helper-pod', image: 'busybox', imagePullPolicy: 'IfNotPresent' }],
  },
};

export default defineStack({
  name: 'local-path',
  description: 'Rancher local-path provisioner: the default StorageClass, node-local volumes',
  after: ['platform'],
  build(stack) {
    // The tree's namespace carries no labels at all (not tiered, not Keel-enrolled).
    const ns = new TieredNamespace(stack, 'local_path_storage', {
      name: 'local-path-storage',
      tier: Tier.CLUSTER,
      tierLabel: false,
      keelEnrolled: false,
      istioInjectionDisabled: false,
    });
    const rbac = new ClusterRbac(stack, 'local_path_provisioner', {
      namespace: ns.name,
      serviceAccountName: 'local-path-provisioner-service-account',
      roleName: 'local-path-provisioner-role',
      bindingName: 'local-path-provisioner-bind',
      automountToken: false,
      rules: [
        {
          apiGroups: [''],
          resources: ['nodes', 'persistentvolumeclaims', 'configmaps', 'pods', 'pods/log'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: [''],
          resources: ['persistentvolumes'],
          verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
        },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
      ],
    });

    // A ConfigMap and a StorageClass: one-off kinds the library has no block for.
    // The provisioner's config: one path for every node, the helper pod and our guarded volume hook.
    const hook = scriptForTerraform('local-path-volume.sh');
    const config = named(stack, ConfigMap, 'local_path_config', {
      metadata: { name: 'local-path-config', namespace: ns.name },
      data: {
        'config.json': JSON.stringify({
          nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [LOCAL_PATH_ROOT] }],
        }),
        'helperPod.yaml': yamlencode(HELPER_POD),
        setup: hook,
        teardown: hook,
      },
    });
    named(stack, StorageClassV1, 'local_path', {
      metadata: {
        name: 'local-path',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      storageProvisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: false,
    });

    const configVolume = Volume.fromConfigMap('config-volume', config.metadata.name);
    new Deployment(stack, 'local_path_provisioner', {
      namespace: ns,
      name: 'local-path-provisioner',
      keel: Keel.enrolled(),
      selectorLabels: false,
      tierLabel: false,
      // Literal labels of the tree's deployment ("default" is no tier of ours).
      labels: { tier: 'default', 'keel.sh/enrolled': 'true' },
      serviceAccountName: rbac.serviceAccountName,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      containers: [
        {
          name: 'local-path-provisioner',
          image: 'rancher/local-path-provisioner:v0.0.31',
          imagePullPolicy: 'IfNotPresent',
          command: ['local-path-provisioner', '--debug', 'start', '--config', '/etc/config/config.json'],
          env: { POD_NAMESPACE: { fieldPath: 'metadata.namespace' }, CONFIG_MOUNT_PATH: '/etc/config/' },
          volumeMounts: [{ volume: configVolume, mountPath: '/etc/config/' }],
        },
      ],
      volumes: [configVolume],
    });
  },
});
