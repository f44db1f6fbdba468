// Valia sites: small static sites Valia authors in Google Drive, served off-infra by Cloudflare Pages. A
// CronJob mirrors each registered Drive folder every 10 minutes and deploys only when the remote file
// manifest changed (Pages caps deployments on the free tier); the last deployed hash per site lives in a
// ConfigMap the job patches. Each site also gets an internal split-horizon record through a ConfigMap the
// Technitium sync reads. The job's shell program is the tree owner's heredoc, read at plan time.
// Tree: stacks/valia-sites.
import { Fn } from 'cdktf';
import { CloudflarePagesSites } from '../constructs/blocks/cloudflare-pages';
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { AccessRole } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { CronJob, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The owner's Cloudflare account (an id, not a secret). */
export const CLOUDFLARE_ACCOUNT_ID = '02e035473cfc4834fb10c5d35470d8b4';

/**
 * The site registry: public subdomain -> the shared Drive folder, the subfolder with the servable files
 * ("" = root), the file "/" serves, and whether this stack owns the name's DNS.
 */
export const SITES = {
  bridge: {
    folder_id: '1YWwAtSTsJD9HOzckGRIFXigWqCgYSGEa',
    src_path: '',
    entry_file: 'index.html',
    manage_dns: true,
  },
  stem95su: {
    folder_id: '1cmOI2jRyBJdnrVPgbr4kx2cx_4DY6pm_',
    src_path: 'stem claude/files',
    entry_file: 'stem_board.html',
    manage_dns: true,
  },
};

const SYNC_SECRET = 'valia-sites-sync';
const STATE_CONFIG_MAP = 'valia-sites-state';

export default defineStack({
  name: 'valia-sites',
  description: 'Valia sites: Drive folders mirrored to Cloudflare Pages by a 10-minute CronJob',
  after: ['platform'],
  build(stack) {
    const pages = new CloudflarePagesSites(stack, 'site', {
      accountId: CLOUDFLARE_ACCOUNT_ID,
      sites: Object.fromEntries(Object.entries(SITES).map(([k, v]) => [k, { manageDns: v.manage_dns }])),
    });
    // Internal names follow the public ones (the Technitium sync also removes retired entries).
    new ConfigMap(stack, 'valia_sites_dns', {
      namespace: TieredNamespace.fromName(stack, 'technitium', 'technitium', Tier.CLUSTER),
      name: 'valia-sites-dns',
      labels: { 'app.kubernetes.io/managed-by': 'valia-sites' },
      data: Object.fromEntries(pages.dnsManagedSites.map((s) => [s, pages.subdomain(s)])),
    });

    const ns = new TieredNamespace(stack, 'valia_sites', {
      name: 'valia-sites',
      tier: Tier.AUX,
      keelEnrolled: false,
    });
    // The read-only Drive rclone config and a Pages-only Cloudflare token (never the global key).
    const secrets = new ExternalSecret(stack, 'sync_external_secret', {
      name: SYNC_SECRET,
      namespace: ns,
      data: [
        { secretKey: 'rclone.conf', vault: { path: 'valia-sites', property: 'rclone_conf' } },
        {
          secretKey: 'CLOUDFLARE_API_TOKEN',
          vault: { path: 'valia-sites', property: 'cloudflare_pages_token' },
        },
        { secretKey: 'CLOUDFLARE_ACCOUNT_ID', vault: { path: 'valia-sites', property: 'account_id' } },
      ],
      dependsOn: [ns.resource],
    });
    const config = new ConfigMap(stack, 'sync_config', {
      namespace: ns,
      name: 'valia-sites-config',
      data: { 'sites.json': Fn.jsonencode(SITES) },
    });
    // The job writes the deployed hashes; Terraform only creates the map.
    new ConfigMap(stack, 'sync_state', {
      namespace: ns,
      name: STATE_CONFIG_MAP,
      data: {},
      ignoreData: true,
    });
    const sa = new ServiceAccount(stack, 'sync', { namespace: ns, name: 'valia-sites-sync' });
    // the role and its binding share the tree name "sync_state" with the state ConfigMap
    new AccessRole(stack, 'sync_state_role', {
      addressName: 'sync_state',
      name: 'valia-sites-sync-state',
      namespace: ns,
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: [STATE_CONFIG_MAP],
          verbs: ['get', 'patch'],
        },
      ],
    }).grant('sync_state_binding', {
      addressName: 'sync_state',
      name: 'valia-sites-sync-state',
      subjects: [sa.subject],
    });

    const program = treeHeredoc(stack, 'command');
    const rclone = Volume.fromSecret('rclone-config', SYNC_SECRET, {
      items: [{ key: 'rclone.conf', path: 'rclone.conf' }],
    });
    const sites = Volume.fromConfigMap('sites-config', config.name);
    const work = Volume.emptyDir('work');
    const labels = { app: 'valia-sites', component: 'sync' };
    const sync = new CronJob(stack, 'sync', {
      namespace: ns,
      name: 'valia-sites-sync',
      labels,
      schedule: '*/10 * * * *',
      successfulJobsHistoryLimit: 2,
      failedJobsHistoryLimit: 3,
      backoffLimit: 1,
      ttlAfterFinished: Duration.days(1),
      serviceAccountName: sa.name,
      containers: [
        {
          name: 'sync',
          image: 'ghcr.io/viktorbarzin/valia-sites-sync:latest',
          command: ['/bin/sh', '-c', program.content],
          env: {
            CLOUDFLARE_API_TOKEN: { secretName: SYNC_SECRET, key: 'CLOUDFLARE_API_TOKEN' },
            CLOUDFLARE_ACCOUNT_ID: { secretName: SYNC_SECRET, key: 'CLOUDFLARE_ACCOUNT_ID' },
          },
          resources: {
            cpuRequest: '25m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(512),
          },
          volumeMounts: [
            { volume: rclone, mountPath: '/config', readOnly: true },
            { volume: sites, mountPath: '/sites', readOnly: true },
            { volume: work, mountPath: '/work' },
          ],
        },
      ],
      volumes: [rclone, sites, work],
      dependsOn: [secrets.resource],
    });
    program.guard(sync);
    suppressRule(
      sync,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/valia-sites-sync:latest; CI pushes the tag',
    );
  },
});
