// local-path: Rancher's local-path provisioner, the cluster's default StorageClass (PVCs backed by
// node-local directories). Tree: stacks/local-path (adopted from a raw kubectl apply).
import { ClusterRbac } from '../constructs/blocks/cluster-rbac';
import { ConfigMap } from '../constructs/blocks/config-map';
import { StorageClass } from '../constructs/blocks/storage-class';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { scriptForTerraform } from '../lib/core/paths';
import { Tier } from '../lib/conventions/tiers';
import { defineStack } from '../lib/synth/stack';
import { treeHeredoc } from '../lib/terraform/tree-payload';

/** Where the provisioner creates volume directories on every node. */
export const LOCAL_PATH_ROOT = '/opt/local-path-provisioner';

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

    // The provisioner's config: one path for every node, the tree owner's helper pod (read at plan time)
    // and our guarded volume hook.
    const hook = scriptForTerraform('local-path-volume.sh');
    const helperPod = treeHeredoc(stack, 'helperPod.yaml');
    const config = new ConfigMap(stack, 'local_path_config', {
      namespace: ns,
      name: 'local-path-config',
      data: {
        'config.json': JSON.stringify({
          nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [LOCAL_PATH_ROOT] }],
        }),
        'helperPod.yaml': helperPod.content,
        setup: hook,
        teardown: hook,
      },
      payloads: [helperPod],
    });
    // The cluster's default class: node-local volumes, made where the first pod lands, never grown.
    new StorageClass(stack, 'local_path', {
      name: 'local-path',
      provisioner: 'rancher.io/local-path',
      isDefault: true,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: false,
    });

    const configVolume = Volume.fromConfigMap('config-volume', config.name);
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
