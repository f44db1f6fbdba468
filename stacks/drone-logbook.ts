// drone-logbook: Open DroneLog, a DJI flight-log analyzer (upstream image, Keel tracks :latest) at
// dronelog, behind Authentik (flight logs are GPS traces), parked by Sablier when idle. DuckDB on an
// encrypted volume; logs dropped on NFS are imported every 8h; a nightly CronJob copies the data volume to
// NFS with the tree owner's backup script (a heredoc, read at plan time). Tree: stacks/drone-logbook.
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { homepage } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const CLUSTER_SERVICE = { 'kubernetes.io/cluster-service': 'true' };

export default defineStack({
  name: 'drone-logbook',
  description:
    'Open DroneLog DJI flight-log analyzer behind Authentik, parked by Sablier, nightly NFS backup',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'drone_logbook', {
      name: 'drone-logbook',
      tier: Tier.AUX,
      istioInjectionDisabled: false,
    });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'drone-logbook-secrets',
      namespace: ns.byLiteralName,
      extractPaths: ['drone-logbook'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    // GPS traces of home and travel: the encrypted class
    const dataPvc = new EncryptedPvc(stack, 'data', {
      name: 'drone-logbook-data-encrypted',
      namespace: ns,
      storage: '2Gi',
      storageLimit: '10Gi',
      resizeIncrease: '100%',
    });
    const syncLogs = new NfsVolume(stack, 'nfs_sync_logs', {
      name: 'drone-logbook-sync-logs',
      namespace: ns,
      nfsPath: '/srv/nfs/drone-logbook/sync-logs',
      storage: '5Gi',
      legacyAddress: 'module.nfs_sync_logs',
    });
    const data = Volume.fromPvc('data', dataPvc.claimName);
    const drop = Volume.fromPvc('sync-logs', syncLogs.claimName);

    const app = new Deployment(stack, 'drone_logbook', {
      namespace: ns,
      name: 'drone-logbook',
      keel: Keel.enrolled(),
      sablier: {},
      strategy: 'Recreate', // DuckDB is single-writer
      labels: CLUSTER_SERVICE,
      podLabels: CLUSTER_SERVICE,
      containers: [
        {
          name: 'drone-logbook',
          image: 'ghcr.io/arpanghosh8453/open-dronelog:latest',
          env: {
            RUST_LOG: 'info',
            KEEP_UPLOADED_FILES: 'true',
            SYNC_LOGS_PATH: '/sync-logs',
            SYNC_INTERVAL: '0 0 */8 * * *', // six-field cron: every 8h
            PROFILE_CREATION_PASS: { secretName: secrets.secretName, key: 'profile_creation_pass' },
          },
          volumeMounts: [
            { volume: data, mountPath: '/data/drone-logbook' },
            { volume: drop, mountPath: '/sync-logs', readOnly: true },
          ],
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          resources: {
            cpuRequest: '25m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
      volumes: [data, drop],
      dependsOn: [secrets.resource],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/arpanghosh8453/open-dronelog:latest; Keel tracks the tag',
    );
    const service = app.exposeViaService({ ports: [{ port: 80, targetPort: 80 }] });

    // Nightly copy of the data volume to NFS, outside the 8-hourly import windows.
    const backupHost = new NfsVolume(stack, 'nfs_backup', {
      name: 'drone-logbook-backup-host',
      namespace: ns,
      nfsPath: '/srv/nfs/drone-logbook-backup',
      legacyAddress: 'module.nfs_backup',
    });
    const backupVolume = Volume.fromPvc('backup', backupHost.claimName);
    const script = treeHeredoc(stack, 'command');
    const backup = new CronJob(stack, 'backup', {
      namespace: ns,
      name: 'drone-logbook-backup',
      schedule: '30 1 * * *',
      concurrencyPolicy: 'Replace',
      restartPolicy: null, // the tree leaves it to the provider
      failedJobsHistoryLimit: 5,
      successfulJobsHistoryLimit: 3,
      startingDeadline: Duration.seconds(300),
      backoffLimit: 3,
      ttlAfterFinished: Duration.seconds(10),
      // preferred, not required: the app is usually parked at 01:30 and the RWO volume then mounts anywhere
      affinity: {
        podAffinityPreferred: [
          { weight: 100, matchLabels: app.selector, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
      dnsOptions: { ndots: '2' },
      containers: [
        {
          name: 'drone-logbook-backup',
          image: 'docker.io/library/alpine',
          command: ['/bin/sh', '-c', script.content],
          volumeMounts: [
            { volume: data, mountPath: '/data', readOnly: true },
            { volume: backupVolume, mountPath: '/backup' },
          ],
        },
      ],
      volumes: [data, backupVolume],
    });
    script.guard(backup);
    suppressRule(
      backup,
      'images-pinned',
      'tree parity: the tree runs docker.io/library/alpine untagged; Keel tracks the tag',
    );

    new IngressFactory(stack, 'ingress', {
      name: 'dronelog',
      namespace: ns,
      service,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage(
        'Drone Logbook',
        'DJI flight log analyzer',
        'mdi-quadcopter',
        'Media & Entertainment',
      ),
      legacyAddress: 'module.ingress',
    });
  },
});
