// HackMD (CodiMD) collaborative markdown on the shared MySQL, behind Authentik; scaled to zero in the tree
// (replicas 0). The database URL is templated by ESO from Vault's rotating MySQL credentials.
// Tree: stacks/hackmd.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Volume } from '../constructs/blocks/workload';
import { homepage } from '../lib/conventions/metadata';
import { tlsSecretNameNotSensitive } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const CLUSTER_SERVICE = { 'kubernetes.io/cluster-service': 'true' };

export default defineStack({
  name: 'hackmd',
  description: 'HackMD (CodiMD) collaborative markdown on the shared MySQL, behind Authentik',
  after: ['platform'],
  build(stack) {
    tlsSecretNameNotSensitive(stack); // the tree's hackmd declares tls_secret_name without `sensitive`
    const ns = new TieredNamespace(stack, 'hackmd', { tier: Tier.EDGE });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const nfs = new NfsVolume(stack, 'nfs_hackmd', {
      name: 'hackmd-uploads-nfs',
      namespace: ns,
      nfsPath: '/srv/nfs/hackmd',
      storage: '5Gi',
      legacyAddress: 'module.nfs_hackmd',
    });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'hackmd-secrets',
      namespace: ns,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [
        { secretKey: 'db_password', vault: { path: 'static-creds/mysql-codimd', property: 'password' } },
      ],
      template: {
        data: { CMD_DB_URL: 'mysql://codimd:{{ .db_password }}@mysql.dbaas.svc.cluster.local/codimd' },
      },
    });
    const data = Volume.fromPvc('data', nfs.claimName);
    const app = new Deployment(stack, 'hackmd', {
      namespace: ns,
      name: 'hackmd',
      replicas: 0,
      strategy: 'Recreate',
      labels: CLUSTER_SERVICE,
      podLabels: CLUSTER_SERVICE,
      annotations: { 'reloader.stakater.com/auto': 'true' },
      podAnnotations: { 'dependency.kyverno.io/wait-for': 'mysql.dbaas:3306' },
      fsGroup: 1500,
      containers: [
        {
          name: 'codimd',
          image: 'hackmdio/hackmd',
          env: {
            CMD_DB_URL: { secretName: secrets.secretName, key: 'CMD_DB_URL' },
            CMD_USECDN: 'false',
          },
          volumeMounts: [{ volume: data, mountPath: '/home/hackmd/app/public/uploads', subPath: 'hackmd' }],
          ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }],
          resources: {
            cpuRequest: '15m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [data],
    });
    suppressRule(app, 'images-pinned', 'tree parity: the tree runs hackmdio/hackmd; Keel tracks the tag');
    new IngressFactory(stack, 'ingress', {
      name: 'hackmd',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ port: 80, targetPort: 3000 }] }),
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage('HackMD', 'Collaborative markdown', 'hedgedoc.png', 'Development & CI'),
      legacyAddress: 'module.ingress',
    });
  },
});
