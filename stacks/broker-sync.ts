// broker-sync: nightly imports of brokerage activity (Trading 212, IBKR, e-mailed contract notes, CSV drops,
// Fidelity) into Wealthfolio, an FX reconcile, and a nightly backup of its SQLite state to NFS. Every job is
// a CronJob on the node that holds the encrypted data volume. The two shell scripts are the tree owner's
// inline heredocs, read at plan time. Tree: stacks/broker-sync.
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import {
  type ContainerProps,
  CronJob,
  type CronJobProps,
  type SecretKeyRef,
  Volume,
} from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { treeHeredoc } from '../lib/terraform/tree-payload';

/** The tree's default `image_tag` (no terragrunt input): each run pulls the current build. */
export const IMAGE = 'ghcr.io/viktorbarzin/wealthfolio-sync:latest';
const SECRETS = 'broker-sync-secrets';
/** The sync state lives on a node-local encrypted volume: every job runs on that node. */
const NODE = { 'kubernetes.io/hostname': 'k8s-node4' };
/** The image's non-root user, so it can write the volume. */
const APP_GROUP = 10001;

const secret = (key: string): SecretKeyRef => ({ secretName: SECRETS, key });
/** Where the importers keep state, and the Wealthfolio login they all use. */
const WEALTHFOLIO_ENV = {
  BROKER_SYNC_DATA_DIR: '/data',
  WF_SESSION_PATH: '/data/wealthfolio_session.json',
  WF_BASE_URL: secret('wf_base_url'),
  WF_USERNAME: secret('wf_username'),
  WF_PASSWORD: secret('wf_password'),
};
const res = (cpu: string, request: number, limit: number) => ({
  cpuRequest: cpu,
  memoryRequest: Size.mebibytes(request),
  memoryLimit: Size.mebibytes(limit),
});

export default defineStack({
  name: 'broker-sync',
  description:
    'Nightly brokerage imports (Trading 212, IBKR, e-mail, Fidelity) into Wealthfolio, backups to NFS',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'broker_sync', { name: 'broker-sync', tier: Tier.AUX });
    // Every key of secret/broker-sync (Wealthfolio login, broker API keys, IMAP, Fidelity session).
    new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns,
      refreshInterval: '15m',
      extractPaths: ['broker-sync'],
    });
    const pvc = new EncryptedPvc(stack, 'data_encrypted', {
      name: 'broker-sync-data-encrypted',
      namespace: ns,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    const data = Volume.fromPvc('data', pvc.claimName);

    const job = (
      id: string,
      component: string,
      schedule: string,
      container: Omit<ContainerProps, 'name' | 'image'> & { name?: string; image?: string },
      opts: Partial<CronJobProps> = {},
    ): CronJob => {
      const labels = { app: 'broker-sync', component };
      const cron = new CronJob(stack, id, {
        namespace: ns,
        name: `broker-sync-${component === 'version-probe' ? 'version' : component}`,
        schedule,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 5,
        backoffLimit: 1,
        ttlAfterFinished: Duration.days(1),
        labels,
        imagePullSecrets: ['ghcr-credentials'],
        nodeSelector: NODE,
        volumes: [data],
        ...opts,
        containers: [{ name: 'broker-sync', image: IMAGE, ...container }],
      });
      suppressRule(
        cron,
        'images-pinned',
        'tree parity: the tree runs wealthfolio-sync:latest, pulled per run',
      );
      return cron;
    };
    const dataMount = { volume: data, mountPath: '/data' };
    const importer = (
      command: string[],
      env: ContainerProps['env'],
      resources: ContainerProps['resources'],
    ) => ({
      command: ['broker-sync', ...command],
      env: { ...WEALTHFOLIO_ENV, ...env },
      volumeMounts: [dataMount],
      resources,
    });

    // 01:00: the image reports its version (a smoke test of the nightly pull).
    job(
      'version_probe',
      'version-probe',
      '0 1 * * *',
      { command: ['broker-sync', 'version'], resources: res('10m', 32, 128) },
      {
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        nodeSelector: undefined,
        volumes: undefined,
      },
    );
    // 02:00 UK: the broker APIs.
    const apiImport = { startingDeadline: Duration.minutes(5), backoffLimit: 2, fsGroup: APP_GROUP };
    job(
      'trading212',
      'trading212',
      '0 2 * * *',
      importer(
        ['trading212', '--mode', 'steady'],
        { T212_API_KEYS_JSON: secret('trading212_api_keys') },
        res('20m', 128, 256),
      ),
      apiImport,
    );
    job(
      'ibkr',
      'ibkr',
      '0 2 * * *',
      importer(
        ['ibkr'],
        {
          IBKR_FLEX_TOKEN: secret('ibkr_flex_token'),
          IBKR_FLEX_QUERY_ID: secret('ibkr_flex_query_id'),
          IBKR_ACCOUNT_ID_UPSTREAM: secret('ibkr_account_id_upstream'),
        },
        res('20m', 128, 256),
      ),
      apiImport,
    );
    // 02:30: contract notes from the mailbox.
    job(
      'imap',
      'imap',
      '30 2 * * *',
      importer(
        ['imap-ingest'],
        {
          IMAP_HOST: secret('imap_host'),
          IMAP_USER: secret('imap_user'),
          IMAP_PASSWORD: secret('imap_password'),
          IMAP_DIRECTORY: secret('imap_directory'),
        },
        res('10m', 64, 256),
      ),
      { backoffLimit: 2, fsGroup: APP_GROUP, suspend: false },
    );
    // Parked importers (suspended in the tree): CSV drops and the monthly FX reconcile.
    job('csv_drop', 'csv', '0 3 * * *', importer(['csv-drop'], {}, res('10m', 64, 128)), { suspend: true });
    job('fx_reconcile', 'fx-reconcile', '5 5 7 * *', importer(['fx-reconcile'], {}, res('10m', 64, 128)), {
      suspend: true,
    });

    // 04:15, after every sync: copy the databases and CSV archive to NFS, keep 30 days.
    const backup = Volume.fromNfs('backup', '/srv/nfs/broker-sync-backup');
    const backupScript = treeHeredoc(stack, 'command', { index: 0 });
    const backupJob = job(
      'backup',
      'backup',
      '15 4 * * *',
      {
        name: 'backup',
        image: 'alpine:3.20',
        command: ['/bin/sh', '-c', backupScript.content],
        volumeMounts: [
          { volume: data, mountPath: '/data', readOnly: true },
          { volume: backup, mountPath: '/backup' },
        ],
        resources: res('5m', 16, 64),
      },
      { volumes: [data, backup] },
    );
    backupScript.guard(backupJob);

    // The 20th, 05:00: Fidelity, with the browser session state staged from the Secret onto the volume.
    const session = Volume.fromSecret('secrets', SECRETS, {
      items: [{ key: 'fidelity_storage_state', path: 'fidelity_storage_state' }],
    });
    const stageScript = treeHeredoc(stack, 'command', { index: 1 });
    const { BROKER_SYNC_DATA_DIR, WF_SESSION_PATH, ...login } = WEALTHFOLIO_ENV;
    const fidelity = job(
      'fidelity',
      'fidelity',
      '0 5 20 * *',
      {
        command: ['broker-sync', 'fidelity-ingest'],
        // the tree's order: state paths, then the plan id before the login
        env: {
          BROKER_SYNC_DATA_DIR,
          WF_SESSION_PATH,
          FIDELITY_STORAGE_STATE_PATH: '/data/fidelity_storage_state.json',
          FIDELITY_PLAN_ID: secret('fidelity_plan_id'),
          ...login,
        },
        volumeMounts: [dataMount],
        resources: res('50m', 512, 1280),
      },
      {
        suspend: false,
        volumes: [session, data],
        initContainers: [
          {
            name: 'stage-storage-state',
            image: 'busybox:1.36',
            command: ['/bin/sh', '-c', stageScript.content],
            volumeMounts: [
              { volume: session, mountPath: '/secrets', readOnly: true },
              { volume: data, mountPath: '/data' },
            ],
            resources: res('5m', 8, 32),
          },
        ],
      },
    );
    stageScript.guard(fidelity);
  },
});
