// stem95su against the tree at 21c6e711^ (the last version with resources; HEAD is a tombstone whose state
// is empty). Expected values below are the tree's, written out from stacks/stem95su/{main,gdrive-sync}.tf.
//
// Documented difference (the only one): the tree's CronJob container ran an inline `sh -c` script with
// the source, required file and max-delete written into it. Ours runs payloads/drive-sync.sh, shipped in
// the new ConfigMap `stem95su-gdrive-sync-script` (address kubernetes_config_map.site_drive_sync_script)
// mounted read-only at /scripts, and configured by env (SRC, DEST, REQUIRED_FILE, MAX_DELETE,
// RCLONE_CONFIG_SRC). So the container's `command` and `env`, one volume and one volume_mount differ;
// every other value matches.
import { SENSITIVE_TLS_SECRET_NAME } from '../support/synth';
import { describe, expect, it } from 'vitest';
import stem95su from '../../stacks/stem95su';
import { STACKS } from '../../stacks';
import { readScript } from '../../lib/core/paths';
import { terraformLiteral } from '../../lib/terraform/tf-literal';
import {
  addedAddresses,
  type Json,
  missingTreeAddresses,
  moves,
  resolveNames,
  resource,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(stem95su);
const r = (type: string, name: string): Json => resolveNames(json, resource(json, type, name));

/** Every resource address of stacks/stem95su at 21c6e711^ (modules expanded). */
const TREE_ADDRESSES = [
  'kubernetes_namespace.stem95su',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_content.kubernetes_persistent_volume.this',
  'module.nfs_content.kubernetes_persistent_volume_claim.this',
  'kubernetes_config_map.nginx_conf',
  'kubernetes_deployment.stem95su',
  'kubernetes_service.stem95su',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_manifest.rclone_external_secret',
  'kubernetes_cron_job_v1.gdrive_sync',
];

/** Addresses this stack adds to the tree's (state gains them on the next apply). */
const ADDED = ['kubernetes_config_map.site_drive_sync_script'];

describe('stem95su: registration', () => {
  it('is in the registry, after platform, with pg state under schema "stem95su"', () => {
    expect(STACKS).toContain(stem95su);
    expect(stem95su.name).toBe('stem95su');
    expect(stem95su.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'stem95su' } });
  });

  it('snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});

describe('stem95su: parity with 21c6e711^', () => {
  it('synthesizes every tree address or moves it', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('adds only the script ConfigMap', () => {
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual(ADDED);
  });

  it('moves every renamed address to the resource of the same type', () => {
    for (const [from, to] of moves(json)) {
      expect(TREE_ADDRESSES).toContain(from);
      expect(to.split('.')[0]).toBe(from.split('.').at(-2));
    }
    expect(moves(json).size).toBe(9);
  });

  it('namespace: istio off, tier 4-aux, no Keel enrolment, Goldilocks label ignored', () => {
    const ns = r('kubernetes_namespace', 'stem95su');
    expect(ns.metadata).toEqual({
      name: 'stem95su',
      labels: { 'istio-injection': 'disabled', tier: '4-aux' },
    });
    expect(ns.lifecycle.ignore_changes).toEqual([
      'metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]',
    ]);
  });

  it('TLS secret "tls-secret" in the namespace, read from files at plan time', () => {
    const s = r('kubernetes_secret', 'tls_secret');
    expect(s.metadata).toEqual({ name: SENSITIVE_TLS_SECRET_NAME, namespace: 'stem95su' });
    expect(s.type).toBe('kubernetes.io/tls');
    expect(s.data['tls.crt']).toMatch(/^\$\{file\(.*fullchain\.pem"\)\}$/);
    expect(s.data['tls.key']).toMatch(/^\$\{file\(.*privkey\.pem"\)\}$/);
    expect(s.lifecycle.ignore_changes).toEqual(['metadata[0].labels']);
  });

  it('NFS volume stem95su-content: 192.168.1.127:/srv/nfs/stem-site, 1Gi, RWX', () => {
    const pv = r('kubernetes_persistent_volume', 'site_content');
    expect(pv.metadata.name).toBe('stem95su-content');
    expect(pv.spec[0].capacity).toEqual({ storage: '1Gi' });
    expect(pv.spec[0].access_modes).toEqual(['ReadWriteMany']);
    expect(pv.spec[0].persistent_volume_source.csi).toEqual({
      driver: 'nfs.csi.k8s.io',
      volume_handle: 'stem95su-content',
      volume_attributes: { server: '192.168.1.127', share: '/srv/nfs/stem-site' },
    });
    const pvc = r('kubernetes_persistent_volume_claim', 'site_content');
    expect(pvc.metadata).toEqual({ name: 'stem95su-content', namespace: 'stem95su' });
    expect(pvc.spec.access_modes).toEqual(['ReadWriteMany']);
    expect(pvc.spec.resources.requests).toEqual({ storage: '1Gi' });
  });

  it('nginx config map, text byte for byte', () => {
    expect(r('kubernetes_config_map', 'site_nginx_conf')).toEqual({
      metadata: { name: 'stem95su-nginx-conf', namespace: 'stem95su' },
      data: {
        'default.conf':
          'server {\n' +
          '    listen       80;\n' +
          '    server_name  _;\n' +
          '    root   /usr/share/nginx/html;\n' +
          '    index  stem_board.html index.html;\n' +
          '}\n',
      },
    });
  });

  it('deployment', () => {
    expect(r('kubernetes_deployment', 'site')).toEqual({
      metadata: { name: 'stem95su', namespace: 'stem95su', labels: { run: 'stem95su', tier: '4-aux' } },
      spec: {
        replicas: '1',
        selector: { match_labels: { run: 'stem95su' } },
        template: {
          metadata: { labels: { run: 'stem95su' } },
          spec: {
            container: [
              {
                image: 'nginx:1.28-alpine',
                name: 'nginx',
                resources: { limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '64Mi' } },
                port: [{ container_port: 80 }],
                volume_mount: [
                  { name: 'content', mount_path: '/usr/share/nginx/html', read_only: true },
                  { name: 'nginx-conf', mount_path: '/etc/nginx/conf.d', read_only: true },
                ],
                readiness_probe: {
                  http_get: { path: '/', port: '80' },
                  initial_delay_seconds: 3,
                  period_seconds: 10,
                },
              },
            ],
            volume: [
              { name: 'content', persistent_volume_claim: { claim_name: 'stem95su-content' } },
              { name: 'nginx-conf', config_map: { name: 'stem95su-nginx-conf' } },
            ],
          },
        },
      },
      lifecycle: { ignore_changes: ['spec[0].template[0].spec[0].dns_config'] },
    });
  });

  it('service', () => {
    expect(r('kubernetes_service', 'site')).toEqual({
      metadata: { name: 'stem95su', namespace: 'stem95su', labels: { run: 'stem95su' } },
      spec: { selector: { run: 'stem95su' }, port: [{ name: 'http', port: 80, target_port: '80' }] },
    });
  });

  it('ingress: public (auth none, anti-AI on), host stem95su.viktorbarzin.me, no DNS record, no monitor', () => {
    const ing = r('kubernetes_ingress_v1', 'site_ingress');
    expect(ing.metadata.name).toBe('stem95su');
    expect(ing.metadata.namespace).toBe('stem95su');
    expect(ing.metadata.annotations).toEqual({
      'traefik.ingress.kubernetes.io/router.middlewares': [
        'traefik-retry@kubernetescrd',
        'traefik-error-pages@kubernetescrd',
        'traefik-rate-limit@kubernetescrd',
        'traefik-csp-headers@kubernetescrd',
        'traefik-ai-bot-block@kubernetescrd',
        'traefik-anti-ai-headers@kubernetescrd',
      ].join(','),
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      'gethomepage.dev/enabled': 'true',
      'gethomepage.dev/name': 'stem95su',
      'gethomepage.dev/group': 'Other',
      'gethomepage.dev/href': 'https://stem95su.viktorbarzin.me',
      'gethomepage.dev/icon': 'stem95su.png',
    });
    expect(ing.spec).toEqual({
      ingress_class_name: 'traefik',
      tls: [{ hosts: ['stem95su.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
      rule: [
        {
          host: 'stem95su.viktorbarzin.me',
          http: {
            path: [{ path: '/', backend: { service: { name: 'stem95su', port: { number: 80 } } } }],
          },
        },
      ],
    });
    expect(json.resource?.cloudflare_record).toBeUndefined();
  });

  it('ExternalSecret stem95su-rclone: rclone.conf from Vault stem95su/rclone_conf, after the namespace', () => {
    expect(r('kubernetes_manifest', 'site_drive_sync_config')).toEqual({
      field_manager: { force_conflicts: true },
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'stem95su-rclone', namespace: 'stem95su' },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
          target: { name: 'stem95su-rclone' },
          data: [{ secretKey: 'rclone.conf', remoteRef: { key: 'stem95su', property: 'rclone_conf' } }],
        },
      },
      depends_on: ['kubernetes_namespace.stem95su'],
    });
  });

  it('CronJob stem95su-gdrive-sync: the tree values, plus the documented script difference', () => {
    const cron = r('kubernetes_cron_job_v1', 'site_drive_sync');
    const tree = {
      metadata: {
        name: 'stem95su-gdrive-sync',
        namespace: 'stem95su',
        labels: { run: 'stem95su', component: 'gdrive-sync' },
      },
      spec: {
        schedule: '*/10 * * * *',
        concurrency_policy: 'Forbid',
        successful_jobs_history_limit: 2,
        failed_jobs_history_limit: 3,
        job_template: {
          metadata: {},
          spec: {
            backoff_limit: 1,
            ttl_seconds_after_finished: '86400',
            template: {
              metadata: { labels: { run: 'stem95su', component: 'gdrive-sync' } },
              spec: {
                restart_policy: 'OnFailure',
                container: [
                  {
                    name: 'rclone',
                    image: 'docker.io/rclone/rclone:1.74.3',
                    resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '192Mi' } },
                    volume_mount: [
                      { name: 'rclone-config', mount_path: '/config', read_only: true },
                      { name: 'content', mount_path: '/data' },
                    ],
                  },
                ],
                volume: [
                  { name: 'rclone-config', secret: { secret_name: 'stem95su-rclone' } },
                  { name: 'content', persistent_volume_claim: { claim_name: 'stem95su-content' } },
                ],
              },
            },
          },
        },
      },
      lifecycle: { ignore_changes: ['spec[0].job_template[0].spec[0].template[0].spec[0].dns_config'] },
      depends_on: ['kubernetes_manifest.site_drive_sync_config'],
    };
    const expected = structuredClone(tree) as Json;
    const pod = expected.spec.job_template.spec.template.spec;
    // The difference: run payloads/drive-sync.sh from the ConfigMap, configured by env.
    Object.assign(pod.container[0], {
      command: ['/bin/sh', '/scripts/drive-sync.sh'],
      env: [
        { name: 'SRC', value: 'gdrive:stem claude/files' },
        { name: 'DEST', value: '/data' },
        { name: 'REQUIRED_FILE', value: 'stem_board.html' },
        { name: 'MAX_DELETE', value: '25' },
        { name: 'RCLONE_CONFIG_SRC', value: '/config/rclone.conf' },
      ],
    });
    pod.container[0].volume_mount.push({ name: 'sync-script', mount_path: '/scripts', read_only: true });
    pod.volume.push({ name: 'sync-script', config_map: { name: 'stem95su-gdrive-sync-script' } });
    expect(cron).toEqual(expected);
  });

  it('the added ConfigMap holds payloads/drive-sync.sh', () => {
    expect(r('kubernetes_config_map', 'site_drive_sync_script')).toEqual({
      metadata: {
        name: 'stem95su-gdrive-sync-script',
        namespace: 'stem95su',
        labels: { run: 'stem95su', component: 'gdrive-sync' },
      },
      // Escaped for Terraform's template syntax; Terraform turns it back into the file byte for byte.
      data: { 'drive-sync.sh': terraformLiteral(readScript('drive-sync.sh')) },
    });
  });
});

describe('stem95su: no secrets in the synthesized JSON', () => {
  it('holds no key material, token or rclone config', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/-----BEGIN/);
    expect(text).not.toMatch(/refresh_token|access_token|client_secret/);
    expect(text).not.toMatch(/\[gdrive\]|type = drive/);
    expect(json.data).toBeUndefined();
  });
});
