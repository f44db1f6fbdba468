// plotting-book: an interactive-fiction web app (a friend's project, Google sign-in of its own, behind
// Authentik too) with its SQLite on a Proxmox volume and a weekly backup to NFS. Its CI owns the image
// tag (a private ghcr package); the backup script is the tree owner's inline heredoc, read at plan time.
// Tree: stacks/plotting-book.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { ProxmoxPvc, ProxmoxStorage } from '../constructs/blocks/proxmox-pvc';
import { SealedSecrets } from '../constructs/blocks/sealed-secrets';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const SECRETS = 'plotting-book-secrets';
const secret = (key: string) => ({ secretName: SECRETS, key });

/** The app's CSP: its own origin, inline styles/scripts, and Google's sign-in endpoints. */
const CSP =
  "default-src 'self' blob: data:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; worker-src 'self' blob:; " +
  "connect-src 'self' blob: https://accounts.google.com; form-action 'self' https://accounts.google.com; " +
  "frame-ancestors 'self' *.viktorbarzin.me viktorbarzin.me";

export default defineStack({
  name: 'plotting-book',
  description: 'Plotting Book interactive fiction (CI-deployed private image), SQLite with weekly NFS backup',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'plotting-book', { tier: Tier.AUX });
    new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns,
      extractPaths: ['plotting-book'],
      refreshInterval: '15m',
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const pvc = new ProxmoxPvc(stack, 'plotting-book-data', {
      name: 'plotting-book-data-proxmox',
      namespace: ns.name,
      storageClass: ProxmoxStorage.LVM,
      storage: '1Gi',
      autoresize: { storageLimit: '5Gi', increase: '100%' },
      waitUntilBound: true, // the tree leaves it to the provider
    });
    const data = Volume.fromPvc('data', pvc.claimName);
    const app = new Deployment(stack, 'plotting-book', {
      namespace: ns,
      name: 'plotting-book',
      // CI sets the image (kubectl set image); Terraform ignores it and the Kyverno-injected Keel keys
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.keelImage(0), Ignore.keelAnnotations, Ignore.keelUpdateTime],
      annotations: { 'reloader.stakater.com/auto': 'true' },
      strategy: 'Recreate',
      imagePullSecrets: ['ghcr-credentials'], // cloned into the namespace by Kyverno
      containers: [
        {
          name: 'plotting-book',
          image: 'ghcr.io/passionprojectsanca/book-plotter:latest', // baseline; CI owns the live tag
          env: {
            SESSION_SECRET: secret('session_secret'),
            GOOGLE_CLIENT_ID: secret('google_client_id'),
            GOOGLE_CLIENT_SECRET: secret('google_client_secret'),
            GOOGLE_CALLBACK_URL: 'https://plotting-book.viktorbarzin.me/api/auth/google/callback',
            DB_PATH: '/data/database.sqlite',
          },
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          ports: [3001],
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
      app,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/passionprojectsanca/book-plotter:latest as a baseline; CI sets the tag',
    );
    new IngressFactory(stack, 'ingress', {
      name: 'plotting-book',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 3001 }] }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.NON_PROXIED,
      customContentSecurityPolicy: CSP,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Plotting Book',
        'gethomepage.dev/description': 'Interactive fiction',
        'gethomepage.dev/icon': 'mdi-book-open-variant',
        'gethomepage.dev/group': 'Other',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });

    // Weekly SQLite backup onto NFS, on the app's node (the data volume is ReadWriteOnce).
    const backupNfs = new NfsVolume(stack, 'nfs_plotting_book_backup_host', {
      name: 'plotting-book-backup-host',
      namespace: ns,
      nfsPath: '/srv/nfs/plotting-book-backup',
      legacyAddress: 'module.nfs_plotting_book_backup_host',
    });
    const backup = Volume.fromPvc('backup', backupNfs.claimName);
    const script = treeHeredoc(stack, 'command');
    const job = new CronJob(stack, 'plotting_book_backup', {
      namespace: ns,
      name: 'plotting-book-backup',
      schedule: '0 3 * * 0',
      concurrencyPolicy: 'Replace',
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 3,
      startingDeadline: Duration.seconds(10),
      backoffLimit: 3,
      restartPolicy: null, // the tree leaves it to the provider
      ttlAfterFinished: Duration.seconds(10),
      coLocateWith: { matchLabels: { app: 'plotting-book' }, topologyKey: 'kubernetes.io/hostname' },
      dnsOptions: { ndots: '2' },
      containers: [
        {
          name: 'plotting-book-backup',
          image: 'docker.io/library/alpine',
          command: ['/bin/sh', '-c', script.content],
          volumeMounts: [
            { volume: data, mountPath: '/data', readOnly: true },
            { volume: backup, mountPath: '/backup' },
          ],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(32),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
      volumes: [data, backup],
    });
    script.guard(job);
    suppressRule(job, 'images-pinned', 'tree parity: the tree runs docker.io/library/alpine untagged');
    new SealedSecrets(stack, 'sealed_secrets');
  },
});
