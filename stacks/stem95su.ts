// stem95su: the STEM site of 95. SU "Prof. Ivan Shishmanov" (Sofia), a public static site authored outside
// the team. nginx serves the NFS export /srv/nfs/stem-site read-only; a CronJob mirrors the read-only
// Google Drive folder "stem claude/files" onto it every 10 minutes (payloads/drive-sync.sh).
// Parity target: the tree at 21c6e711^ (its HEAD is a tombstone: the site moved to Cloudflare Pages, so
// the state is empty and an apply recreates the site).
import { DnsType, IngressAuth } from '../constructs/blocks/ingress-factory';
import { NfsStaticSite } from '../constructs/patterns/nfs-static-site';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'stem95su',
  description: 'STEM school site: nginx serving an NFS export, mirrored from a read-only Google Drive folder',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'stem95su', { tier: Tier.AUX, keelEnrolled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    new NfsStaticSite(stack, 'site', {
      namespace: ns,
      name: 'stem95su',
      content: { name: 'stem95su-content', nfsPath: '/srv/nfs/stem-site', storage: '1Gi' },
      // "/" opens the dashboard; the other pages are linked by their exact file names.
      indexFiles: ['stem_board.html', 'index.html'],
      // Public educational site by design; CrowdSec and the AI-bot middlewares gate bots. DNS lives in
      // stacks/valia-sites (the public name points at Cloudflare Pages).
      ingress: { auth: IngressAuth.NONE, dnsType: DnsType.NONE },
      driveSync: {
        source: 'gdrive:stem claude/files',
        requiredFile: 'stem_board.html',
        component: 'gdrive-sync',
        schedule: '*/10 * * * *',
        maxDelete: 25,
        vault: { path: 'stem95su', property: 'rclone_conf' },
        secretName: 'stem95su-rclone',
      },
      legacyAddress: {
        contentModule: 'module.nfs_content',
        ingressModule: 'module.ingress',
        nginxConfig: 'kubernetes_config_map.nginx_conf',
        deployment: 'kubernetes_deployment.stem95su',
        service: 'kubernetes_service.stem95su',
        driveSyncSecret: 'kubernetes_manifest.rclone_external_secret',
        driveSyncCronJob: 'kubernetes_cron_job_v1.gdrive_sync',
      },
    });
  },
});
