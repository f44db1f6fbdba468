// Diun: watches the images of every pod in the cluster (read-only pod access) for new tags and posts
// them to the n8n webhook (URL from Vault through ESO). Tree: stacks/diun.
import { EncryptedPvc, PLAIN_STORAGE_CLASS } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { AccessRole, Subject } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

export default defineStack({
  name: 'diun',
  description: 'Diun image-update notifier: watches every pod image, posts new tags to n8n',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'diun', { tier: Tier.AUX });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'diun-secrets',
      namespace: ns,
      extractPaths: ['diun'],
      refreshInterval: '15m',
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    // the identity the pod-reader role is bound to
    const sa = new ServiceAccount(stack, 'service_account', {
      namespace: ns,
      name: 'diun',
      addressName: 'diun',
    });
    new AccessRole(stack, 'pod_reader', {
      name: 'diun',
      addressName: 'diun',
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }],
    }).grant('diun', { name: 'diun', subjects: [Subject.serviceAccount('diun', ns.name)] });
    const dataPvc = new EncryptedPvc(stack, 'data_proxmox', {
      name: 'diun-data-proxmox',
      namespace: ns,
      storageClassName: PLAIN_STORAGE_CLASS,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    const data = Volume.fromPvc('data', dataPvc.claimName);
    const diunWorkload = new Deployment(stack, 'diun', {
      namespace: ns,
      name: 'diun',
      strategy: 'Recreate',
      annotations: { 'reloader.stakater.com/search': 'true', 'diun.enable': 'true' },
      serviceAccountName: sa.name,
      containers: [
        {
          name: 'diun',
          image: 'viktorbarzin/diun:latest',
          args: ['serve'],
          env: {
            TZ: 'Europe/Sofia',
            DIUN_WATCH_WORKERS: '20',
            DIUN_WATCH_SCHEDULE: '0 */6 * * *',
            DIUN_WATCH_JITTER: '30s',
            DIUN_PROVIDERS_KUBERNETES: 'true',
            DIUN_DEFAULTS_WATCHREPO: 'true',
            DIUN_DEFAULTS_MAXTAGS: '3',
            DIUN_DEFAULTS_SORTTAGS: 'reverse',
            DIUN_NOTIF_WEBHOOK_ENDPOINT: { secretName: secrets.secretName, key: 'n8n_webhook_url' },
            DIUN_NOTIF_WEBHOOK_METHOD: 'POST',
            'DIUN_NOTIF_WEBHOOK_HEADERS_CONTENT-TYPE': 'application/json',
            LOG_LEVEL: 'debug',
          },
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [data],
    });
    suppressRule(
      diunWorkload,
      'images-pinned',
      'tree parity: the tree runs viktorbarzin/diun:latest; Keel tracks the tag',
    );
  },
});
