// NfsStaticSite: the nginx side, the optional drive sync and its wiring (the synthesized CronJob runs the
// synthesized script with the synthesized env and mounts), moved blocks and guards.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IngressAuth } from '../../../constructs/blocks/ingress-factory';
import { NfsStaticSite, type NfsStaticSiteProps } from '../../../constructs/patterns/nfs-static-site';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { readScript } from '../../../lib/core/paths';
import { terraformUnescape } from '../../../lib/terraform/tf-literal';
import { Tier } from '../../../lib/conventions/tiers';
import { Ignore } from '../../../lib/conventions/lifecycle';
import { FakeBins, run, tempDir } from '../../support/fakes';
import {
  addresses,
  expectConfigError,
  type Json,
  moves,
  resolveNames,
  resource,
  synth,
  testStack,
  type TfJson,
} from '../../support/synth';

type SiteProps = Omit<NfsStaticSiteProps, 'namespace'>;

/** Synthesizes one site (construct id `web`) in namespace `docs` (tier aux). */
function siteJson(props: SiteProps, id = 'web'): TfJson {
  const s = testStack('static-site');
  const ns = new TieredNamespace(s, 'docs', { tier: Tier.AUX });
  new NfsStaticSite(s, id, { namespace: ns, ...props });
  return synth(s);
}

/** Builds a site and returns the ConfigError it throws. */
function siteError(props: SiteProps) {
  const s = testStack('static-site');
  const ns = new TieredNamespace(s, 'docs', { tier: Tier.AUX });
  return expectConfigError(() => new NfsStaticSite(s, 'web', { namespace: ns, ...props }));
}

const CONTENT = { nfsPath: '/srv/nfs/docs' };
const SYNC = { source: 'gdrive:site/files', requiredFile: 'index.html' };

describe('NfsStaticSite without driveSync (defaults)', () => {
  let json: TfJson;
  beforeAll(() => {
    json = siteJson({ content: CONTENT, ingress: { auth: IngressAuth.NONE } });
  });

  it('creates PV/PVC, nginx config, Deployment, Service and Ingress named after the construct id, nothing else', () => {
    expect([...addresses(json)].sort()).toEqual([
      'kubernetes_config_map.web_nginx_conf',
      'kubernetes_deployment.web',
      'kubernetes_ingress_v1.web_ingress',
      'kubernetes_namespace.docs',
      'kubernetes_persistent_volume.web_content',
      'kubernetes_persistent_volume_claim.web_content',
      'kubernetes_service.web',
    ]);
    expect(json.moved).toBeUndefined();
  });

  it('names everything after the namespace, volume "<name>-content" of 1Gi RWX on the site NFS server', () => {
    const pv = resource(json, 'kubernetes_persistent_volume', 'web_content');
    expect(pv.metadata.name).toBe('docs-content');
    expect(pv.spec[0].capacity).toEqual({ storage: '1Gi' });
    expect(pv.spec[0].access_modes).toEqual(['ReadWriteMany']);
    expect(pv.spec[0].persistent_volume_source.csi.volume_attributes).toEqual({
      server: '192.168.1.127',
      share: '/srv/nfs/docs',
    });
    expect(resource(json, 'kubernetes_deployment', 'web').metadata.name).toBe('docs');
    expect(resource(json, 'kubernetes_service', 'web').metadata.name).toBe('docs');
    expect(resource(json, 'kubernetes_config_map', 'web_nginx_conf').metadata.name).toBe('docs-nginx-conf');
  });

  it('serves index.html by default', () => {
    const conf = resource(json, 'kubernetes_config_map', 'web_nginx_conf').data['default.conf'];
    expect(conf).toContain('    index  index.html;\n');
    expect(conf).toContain('    root   /usr/share/nginx/html;\n');
  });

  it('nginx mounts the content read-only at its root and the config over conf.d, from the resources it creates', () => {
    const d = resource(json, 'kubernetes_deployment', 'web');
    const pod = d.spec.template.spec;
    expect(d.metadata.labels).toEqual({ run: 'docs', tier: '4-aux' });
    expect(d.spec.replicas).toBe('1');
    expect(pod.container[0].image).toBe('nginx:1.28-alpine');
    expect(pod.container[0].volume_mount).toEqual([
      { name: 'content', mount_path: '/usr/share/nginx/html', read_only: true },
      { name: 'nginx-conf', mount_path: '/etc/nginx/conf.d', read_only: true },
    ]);
    expect(pod.volume).toEqual([
      {
        name: 'content',
        persistent_volume_claim: {
          claim_name: '${kubernetes_persistent_volume_claim.web_content.metadata[0].name}',
        },
      },
      {
        name: 'nginx-conf',
        config_map: { name: '${kubernetes_config_map.web_nginx_conf.metadata[0].name}' },
      },
    ]);
    expect(pod.container[0].readiness_probe.http_get).toEqual({ path: '/', port: '80' });
    // The test namespace is Keel-enrolled: Kyverno adds the Keel annotations, so they are ignored too.
    expect(d.lifecycle.ignore_changes).toEqual([...Ignore.kyvernoPodDnsConfig, ...Ignore.keelAnnotations]);
  });

  it('the Service selects the pods and the Ingress routes to the Service on port 80', () => {
    const svc = resource(json, 'kubernetes_service', 'web');
    expect(svc.spec.selector).toEqual(
      resource(json, 'kubernetes_deployment', 'web').spec.template.metadata.labels,
    );
    expect(svc.spec.port).toEqual([{ name: 'http', port: 80, target_port: '80' }]);
    const ing = resource(json, 'kubernetes_ingress_v1', 'web_ingress');
    expect(ing.spec.rule[0].host).toBe('docs.viktorbarzin.me');
    expect(ing.spec.rule[0].http.path[0].backend.service).toEqual({
      name: '${kubernetes_service.web.metadata[0].name}',
      port: { number: 80 },
    });
  });

  it('keeps the IngressFactory fail-closed default when no ingress props are given', () => {
    const j = siteJson({ content: CONTENT });
    const mw = resource(j, 'kubernetes_ingress_v1', 'web_ingress').metadata.annotations[
      'traefik.ingress.kubernetes.io/router.middlewares'
    ];
    expect(mw).toContain('traefik-authentik-forward-auth@kubernetescrd');
  });
});

describe('NfsStaticSite with driveSync', () => {
  let json: TfJson;
  let cron: Json;
  let container: Json;
  let pod: Json;
  beforeAll(() => {
    json = siteJson({ content: CONTENT, name: 'docs-site', driveSync: SYNC });
    cron = resource(json, 'kubernetes_cron_job_v1', 'web_drive_sync');
    pod = cron.spec.job_template.spec.template.spec;
    container = pod.container[0];
  });

  it('adds the ExternalSecret, the script ConfigMap and the CronJob', () => {
    expect([...addresses(json)].filter((a) => /drive_sync/.test(a)).sort()).toEqual([
      'kubernetes_config_map.web_drive_sync_script',
      'kubernetes_cron_job_v1.web_drive_sync',
      'kubernetes_manifest.web_drive_sync_config',
    ]);
  });

  it('reads rclone.conf from Vault <name>/rclone_conf into "<name>-rclone", after the namespace exists', () => {
    const es = resource(json, 'kubernetes_manifest', 'web_drive_sync_config');
    expect(es.manifest.metadata.name).toBe('docs-site-rclone');
    expect(es.manifest.spec.target).toEqual({ name: 'docs-site-rclone' });
    expect(es.manifest.spec.data).toEqual([
      { secretKey: 'rclone.conf', remoteRef: { key: 'docs-site', property: 'rclone_conf' } },
    ]);
    expect(es.depends_on).toEqual(['kubernetes_namespace.docs']);
  });

  it('ships payloads/drive-sync.sh byte for byte', () => {
    const cm = resource(json, 'kubernetes_config_map', 'web_drive_sync_script');
    expect(Object.keys(cm.data)).toEqual(['drive-sync.sh']);
    expect(terraformUnescape(cm.data['drive-sync.sh'])).toBe(readScript('drive-sync.sh'));
    expect(cm.metadata.name).toBe('docs-site-drive-sync-script');
  });

  it('schedules every 10 minutes without overlap, keeps 2/3 Jobs, one retry, a day of TTL, after the secret', () => {
    expect(cron.metadata.name).toBe('docs-site-drive-sync');
    expect(cron.metadata.labels).toEqual({ run: 'docs-site', component: 'drive-sync' });
    expect(cron.spec).toMatchObject({
      schedule: '*/10 * * * *',
      concurrency_policy: 'Forbid',
      successful_jobs_history_limit: 2,
      failed_jobs_history_limit: 3,
    });
    expect(cron.spec.job_template.spec.backoff_limit).toBe(1);
    expect(cron.spec.job_template.spec.ttl_seconds_after_finished).toBe('86400');
    expect(pod.restart_policy).toBe('OnFailure');
    expect(container.image).toBe('docker.io/rclone/rclone:1.74.3');
    expect(container.resources).toEqual({
      requests: { cpu: '10m', memory: '64Mi' },
      limits: { memory: '192Mi' },
    });
    expect(cron.depends_on).toEqual(['kubernetes_manifest.web_drive_sync_config']);
    expect(cron.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });

  it('passes the script its settings through env, in order', () => {
    expect(container.env).toEqual([
      { name: 'SRC', value: 'gdrive:site/files' },
      { name: 'DEST', value: '/data' },
      { name: 'REQUIRED_FILE', value: 'index.html' },
      { name: 'MAX_DELETE', value: '25' },
      { name: 'RCLONE_CONFIG_SRC', value: '/config/rclone.conf' },
    ]);
  });

  it('mounts the same content claim read-write, the secret and the script read-only', () => {
    expect(container.volume_mount).toEqual([
      { name: 'rclone-config', mount_path: '/config', read_only: true },
      { name: 'content', mount_path: '/data' },
      { name: 'sync-script', mount_path: '/scripts', read_only: true },
    ]);
    expect(pod.volume).toEqual([
      { name: 'rclone-config', secret: { secret_name: 'docs-site-rclone' } },
      resource(json, 'kubernetes_deployment', 'web').spec.template.spec.volume[0],
      {
        name: 'sync-script',
        config_map: { name: '${kubernetes_config_map.web_drive_sync_script.metadata[0].name}' },
      },
    ]);
  });

  it('honours custom settings', () => {
    const j = siteJson({
      content: CONTENT,
      driveSync: {
        ...SYNC,
        schedule: '0 * * * *',
        maxDelete: 1,
        component: 'mirror',
        vault: { path: 'sites/docs', property: 'conf' },
        secretName: 'docs-drive',
        image: 'rclone/rclone:1.70.0',
        successfulJobsHistoryLimit: 0,
        failedJobsHistoryLimit: 1,
        backoffLimit: 0,
        ttlSecondsAfterFinished: 600,
      },
    });
    const c = resource(j, 'kubernetes_cron_job_v1', 'web_drive_sync');
    const ct = c.spec.job_template.spec.template.spec.container[0];
    expect(c.metadata.name).toBe('docs-mirror');
    expect(c.spec.schedule).toBe('0 * * * *');
    expect(c.spec.successful_jobs_history_limit).toBe(0);
    expect(c.spec.failed_jobs_history_limit).toBe(1);
    expect(c.spec.job_template.spec.backoff_limit).toBe(0);
    expect(c.spec.job_template.spec.ttl_seconds_after_finished).toBe('600');
    expect(ct.image).toBe('rclone/rclone:1.70.0');
    expect(ct.env.find((e: Json) => e.name === 'MAX_DELETE').value).toBe('1');
    expect(c.spec.job_template.spec.template.spec.volume[0].secret.secret_name).toBe('docs-drive');
    const es = resource(j, 'kubernetes_manifest', 'web_drive_sync_config').manifest;
    expect(es.spec.data[0].remoteRef).toEqual({ key: 'sites/docs', property: 'conf' });
  });
});

// The CronJob's pod, replayed locally: the ConfigMap's script, run by the container's command, with the
// container's env, where every mount path is a directory of a temporary root. A fake rclone records
// what it is asked and which config it reads. This fails if env names, mount paths, the Secret key or
// the script's file name drift apart.
describe('NfsStaticSite driveSync pod, replayed against a fake rclone', () => {
  let json: TfJson;
  beforeAll(() => {
    json = siteJson({ content: CONTENT, driveSync: { ...SYNC, maxDelete: 7 } });
  });

  async function replay(listing: string, lsfExit = 0) {
    const cron = resource(json, 'kubernetes_cron_job_v1', 'web_drive_sync');
    const pod = cron.spec.job_template.spec.template.spec;
    const c = pod.container[0];
    const es = resource(json, 'kubernetes_manifest', 'web_drive_sync_config').manifest;
    const root = tempDir('pod-');
    const bins = new FakeBins().add(
      'rclone',
      `if [ "$1" = lsf ]; then cat "$RCLONE_CONFIG" > "$POD_ROOT/seen.conf"; printf '%s' "$FAKE_LISTING"; exit ${lsfExit}; fi`,
    );
    try {
      const mounts: Array<[string, string]> = c.volume_mount.map((m: Json) => [m.mount_path, m.name]);
      const inPod = (p: string) => {
        const m = mounts.find(([mp]) => p === mp || p.startsWith(`${mp}/`));
        return m ? path.join(root.dir, p) : p;
      };
      for (const [mp, name] of mounts) {
        const dir = inPod(mp);
        fs.mkdirSync(dir, { recursive: true });
        const vol = pod.volume.find((v: Json) => v.name === name);
        if (vol.config_map) {
          const cm = resolveNames(json, vol.config_map.name);
          const data = Object.values(json.resource!.kubernetes_config_map).find(
            (r: Json) => r.metadata.name === cm,
          );
          for (const [k, v] of Object.entries(data.data as Record<string, string>))
            fs.writeFileSync(path.join(dir, k), terraformUnescape(v)); // what Terraform applies
        }
        if (vol.secret) {
          expect(vol.secret.secret_name).toBe(es.spec.target.name);
          for (const d of es.spec.data)
            fs.writeFileSync(path.join(dir, d.secretKey), '[gdrive]\ntype = drive\n');
        }
      }
      const env: Record<string, string> = { POD_ROOT: root.dir, FAKE_LISTING: listing };
      for (const e of c.env) env[e.name] = inPod(e.value);
      const r = await run(c.command.map(inPod), { env, path: bins.path() });
      const seen = fs.existsSync(path.join(root.dir, 'seen.conf'))
        ? fs.readFileSync(path.join(root.dir, 'seen.conf'), 'utf8')
        : undefined;
      return { ...r, rclone: bins.calls('rclone').map((x) => x.args), seen, data: inPod('/data') };
    } finally {
      bins.cleanup();
      root.cleanup();
    }
  }

  it('syncs the source into the content mount with the configured max-delete, using the Secret config', async () => {
    const r = await replay('index.html\nlogo.png\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.rclone).toEqual([
      ['lsf', 'gdrive:site/files', '--files-only'],
      [
        'sync',
        'gdrive:site/files',
        r.data,
        '--exclude',
        '.DS_Store',
        '--fast-list',
        '--transfers',
        '4',
        '--max-delete',
        '7',
        '-v',
      ],
    ]);
    expect(r.seen).toBe('[gdrive]\ntype = drive\n');
  });

  it('leaves the site alone when the required file is missing from the listing', async () => {
    const r = await replay('logo.png\n');
    expect(r.code).toBe(0);
    expect(r.rclone).toEqual([['lsf', 'gdrive:site/files', '--files-only']]);
  });

  it('fails the Job when the listing fails (expired token)', async () => {
    const r = await replay('', 1);
    expect(r.code).toBe(1);
    expect(r.rclone).toHaveLength(1);
    expect(r.stderr).toMatch(/listing gdrive:site\/files failed/);
  });
});

describe('NfsStaticSite legacy addresses', () => {
  it('emits a moved block from each address it is given', () => {
    const json = siteJson({
      content: CONTENT,
      driveSync: SYNC,
      legacyAddress: {
        contentModule: 'module.nfs_content',
        ingressModule: 'module.ingress',
        nginxConfig: 'kubernetes_config_map.nginx_conf',
        deployment: 'kubernetes_deployment.docs',
        service: 'kubernetes_service.docs',
        driveSyncSecret: 'kubernetes_manifest.rclone_external_secret',
        driveSyncCronJob: 'kubernetes_cron_job_v1.gdrive_sync',
      },
    });
    expect(Object.fromEntries(moves(json))).toEqual({
      'module.nfs_content.kubernetes_persistent_volume.this': 'kubernetes_persistent_volume.web_content',
      'module.nfs_content.kubernetes_persistent_volume_claim.this':
        'kubernetes_persistent_volume_claim.web_content',
      'module.ingress.kubernetes_ingress_v1.proxied-ingress': 'kubernetes_ingress_v1.web_ingress',
      'kubernetes_config_map.nginx_conf': 'kubernetes_config_map.web_nginx_conf',
      'kubernetes_deployment.docs': 'kubernetes_deployment.web',
      'kubernetes_service.docs': 'kubernetes_service.web',
      'kubernetes_manifest.rclone_external_secret': 'kubernetes_manifest.web_drive_sync_config',
      'kubernetes_cron_job_v1.gdrive_sync': 'kubernetes_cron_job_v1.web_drive_sync',
    });
  });

  it('refuses a module address that is not one', () => {
    const e = siteError({ content: CONTENT, legacyAddress: { ingressModule: 'ingress' } });
    expect(e.constructPath).toBe('static-site/web');
    expect(e.prop).toBe('legacyAddress.ingressModule');
    expect(e.message).toContain('= "ingress"; allowed: a Terraform module address');
  });
});

describe('NfsStaticSite guards', () => {
  const GUARDS: Array<[string, SiteProps, string, string, string]> = [
    [
      'maxDelete 0',
      { content: CONTENT, driveSync: { ...SYNC, maxDelete: 0 } },
      'driveSync.maxDelete',
      '0',
      'an integer from 1 to 999999999',
    ],
    [
      'maxDelete not an integer',
      { content: CONTENT, driveSync: { ...SYNC, maxDelete: 2.5 } },
      'driveSync.maxDelete',
      '2.5',
      'an integer from 1 to 999999999',
    ],
    [
      'schedule with 6 fields',
      { content: CONTENT, driveSync: { ...SYNC, schedule: '0 */10 * * * *' } },
      'driveSync.schedule',
      '"0 */10 * * * *"',
      'a 5-field cron expression',
    ],
    [
      'schedule out of range',
      { content: CONTENT, driveSync: { ...SYNC, schedule: '*/10 25 * * *' } },
      'driveSync.schedule',
      '"*/10 25 * * *"',
      'a 5-field cron expression',
    ],
    [
      'empty requiredFile',
      { content: CONTENT, driveSync: { ...SYNC, requiredFile: '' } },
      'driveSync.requiredFile',
      '""',
      'a non-empty string',
    ],
    [
      'blank requiredFile',
      { content: CONTENT, driveSync: { ...SYNC, requiredFile: '  ' } },
      'driveSync.requiredFile',
      '"  "',
      'a non-empty string',
    ],
    [
      'requiredFile in a subfolder',
      { content: CONTENT, driveSync: { ...SYNC, requiredFile: 'site/index.html' } },
      'driveSync.requiredFile',
      '"site/index.html"',
      'a plain file name at the top of the source',
    ],
    [
      'rclone image latest',
      { content: CONTENT, driveSync: { ...SYNC, image: 'rclone/rclone:latest' } },
      'driveSync.image',
      '"rclone/rclone:latest"',
      'an image pinned by tag or digest',
    ],
    [
      'rclone image untagged',
      { content: CONTENT, driveSync: { ...SYNC, image: 'docker.io/rclone/rclone' } },
      'driveSync.image',
      '"docker.io/rclone/rclone"',
      'an image pinned by tag or digest',
    ],
    [
      'nginx image latest',
      { content: CONTENT, image: 'nginx:latest' },
      'image',
      '"nginx:latest"',
      'an image pinned by tag or digest',
    ],
    [
      'source without a remote',
      { content: CONTENT, driveSync: { ...SYNC, source: '/local/dir' } },
      'driveSync.source',
      '"/local/dir"',
      'an rclone remote and path',
    ],
    [
      'CronJob name over 52 characters',
      {
        content: CONTENT,
        driveSync: { ...SYNC, component: 'a-very-long-component-name-for-the-mirror-job-xyz' },
      },
      'driveSync.component',
      '"a-very-long-component-name-for-the-mirror-job-xyz"',
      'within 52 characters',
    ],
    [
      'negative history limit',
      { content: CONTENT, driveSync: { ...SYNC, failedJobsHistoryLimit: -1 } },
      'driveSync.failedJobsHistoryLimit',
      '-1',
      'an integer from 0 to 100',
    ],
    [
      'sync memory request above its limit',
      {
        content: CONTENT,
        driveSync: { ...SYNC, resources: { memoryRequest: '1Gi', memoryLimit: '192Mi' } },
      },
      'driveSync.resources.memory',
      '{"request":"1Gi","limit":"192Mi"}',
      'a request no larger than the limit',
    ],
    ['no index files', { content: CONTENT, indexFiles: [] }, 'indexFiles', '[]', 'at least one file name'],
    [
      'index file with a space',
      { content: CONTENT, indexFiles: ['index.html; return 200'] },
      'indexFiles[0]',
      '"index.html; return 200"',
      'a file name such as "index.html"',
    ],
    ['name not a DNS label', { content: CONTENT, name: 'Docs' }, 'name', '"Docs"', 'a DNS-1123 label'],
    [
      'bad nginx resource',
      { content: CONTENT, resources: { memoryLimit: 'lots' } },
      'resources.memoryLimit',
      '"lots"',
      'a positive Kubernetes quantity',
    ],
  ];
  it.each(GUARDS)('%s', (_name, props, prop, value, allowed) => {
    const e = siteError(props);
    expect(e.constructPath).toBe('static-site/web');
    expect(e.prop).toBe(prop);
    expect(e.message).toContain(`invalid ${prop} = ${value}; allowed: `);
    expect(e.message).toContain(allowed);
  });

  it('relative NFS path (NfsVolume guard, on the content volume)', () => {
    const e = siteError({ content: { nfsPath: 'srv/nfs/docs' } });
    expect(e.constructPath).toBe('static-site/web/content');
    expect(e.prop).toBe('nfsPath');
    expect(e.message).toContain('= "srv/nfs/docs"; allowed: an absolute export path');
  });

  it('accepts maxDelete 1 and a digest-pinned image', () => {
    const json = siteJson({
      content: CONTENT,
      driveSync: { ...SYNC, maxDelete: 1, image: `rclone/rclone@sha256:${'a'.repeat(64)}` },
    });
    const c = resource(json, 'kubernetes_cron_job_v1', 'web_drive_sync').spec.job_template.spec.template.spec
      .container[0];
    expect(c.env[3]).toEqual({ name: 'MAX_DELETE', value: '1' });
  });
});
