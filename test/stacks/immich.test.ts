// Parity of stacks/immich with the tree's stacks/immich (HEAD 0cd4afb6): every tree address is synthesized
// or moved, and the literal values (GPU tier, node selector, toleration, GPU requests, the Keel shapes and
// ignore_changes lists) are the tree's. The scripts and frame settings are the tree's heredocs and its
// frame_sync.py, read at plan time (never copies).
import { describe, expect, it } from 'vitest';
import immich from '../../stacks/immich';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(immich);
const NFS = [
  'nfs_backups_host',
  'nfs_encoded_video_host',
  'nfs_library_host',
  'nfs_profile_host',
  'nfs_thumbs_host',
  'nfs_upload_host',
  'nfs_postgresql_host',
  'nfs_ml_cache_host',
];
const INGRESS = ['ingress-immich', 'ingress', 'ingress_emo', 'ingress_milka'];
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'data.vault_kv_secret_v2.emo_immich_frame_milka',
  'kubernetes_namespace.immich',
  'kubernetes_resource_quota.immich',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  ...NFS.flatMap((m) => [
    `module.${m}.kubernetes_persistent_volume.this`,
    `module.${m}.kubernetes_persistent_volume_claim.this`,
  ]),
  'kubernetes_persistent_volume_claim.immich_postgresql_encrypted',
  'kubernetes_deployment.immich_server',
  'kubernetes_deployment.immich_api',
  'kubernetes_pod_disruption_budget_v1.immich_api',
  'kubernetes_service.immich-server',
  'kubernetes_deployment.immich-postgres',
  'kubernetes_service.immich-postgresql',
  'kubernetes_deployment.immich-machine-learning',
  'kubernetes_service.immich-machine-learning',
  'kubernetes_cron_job_v1.immich-search-probe',
  'kubernetes_cron_job_v1.postgresql-backup',
  ...INGRESS.map((m) => `module.${m}.kubernetes_ingress_v1.proxied-ingress`),
  'module.ingress-immich.cloudflare_record.non_proxied_a[0]',
  'module.ingress-immich.cloudflare_record.non_proxied_aaaa[0]',
  'module.ingress.cloudflare_record.internal_a[0]',
  'module.ingress_emo.cloudflare_record.internal_a[0]',
  'module.ingress_milka.cloudflare_record.internal_a[0]',
  'kubernetes_config_map.mailserver_config',
  'kubernetes_deployment.immich-frame',
  'kubernetes_service.immich-frame',
  'kubernetes_config_map.frame_config_emo',
  'kubernetes_deployment.immich-frame-emo',
  'kubernetes_service.immich-frame-emo',
  'kubernetes_config_map.frame_config_milka',
  'kubernetes_deployment.immich-frame-milka',
  'kubernetes_service.immich-frame-milka',
  'kubernetes_secret.frame_sync_emo',
  'kubernetes_config_map.frame_sync_emo_script',
  'kubernetes_cron_job_v1.frame-sync-emo',
  // the Cloudflare provider's credentials (the tree's generated cloudflare_provider.tf)
  'data.vault_kv_secret_v2.cf_platform',
];
const at = (a: string): Json => atTreeAddress(json, a);
const payload = (file: string) => `"\${path.root}/../../../tree-payloads/immich/${file}"`;
const heredoc = (file: string, key: string, index: number, vars = '{}') => {
  const p = payload(`_heredoc/${file}/${key}/${index}`);
  return `\${fileexists(${p}) ? templatefile(${p}, ${vars}) : null}`;
};

const ann = (key: string) => `metadata[0].annotations["${key}"]`;
const DNS = 'spec[0].template[0].spec[0].dns_config';
const UPDATE_TIME = 'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]';
const IMAGE = 'spec[0].template[0].spec[0].container[0].image';
/** The tree's list where the workload writes keel.sh/policy itself (api, worker, ML). */
const OWNED_POLICY_IGNORES = [
  DNS,
  ann('keel.sh/trigger'),
  ann('keel.sh/pollSchedule'),
  ann('keel.sh/match-tag'),
  ann('kubernetes.io/change-cause'),
  ann('deployment.kubernetes.io/revision'),
  UPDATE_TIME,
  IMAGE,
];
const ENROLLED_IGNORES = [
  DNS,
  ann('keel.sh/policy'),
  ann('keel.sh/trigger'),
  ann('keel.sh/pollSchedule'),
  ann('keel.sh/match-tag'),
  ann('kubernetes.io/change-cause'),
  ann('deployment.kubernetes.io/revision'),
  UPDATE_TIME,
  IMAGE,
];
const GPU_TOLERATION = [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }];
const LIBRARY = ['backups', 'encoded-video', 'library', 'profile', 'thumbs', 'upload'];

describe('stack immich', () => {
  it('is in the registry, after platform and vault, with pg state under schema "immich"', () => {
    expect(STACKS).toContain(immich);
    expect(immich.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'immich' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('labels the namespace GPU tier with a custom quota it owns as tier-quota', () => {
    const ns = at('kubernetes_namespace.immich');
    expect(ns.metadata.labels).toEqual({
      tier: '2-gpu',
      'keel.sh/enrolled': 'true',
      'resource-governance/custom-quota': 'true',
    });
    expect(ns.lifecycle.ignore_changes).toEqual([
      'metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]',
    ]);
    const quota = at('kubernetes_resource_quota.immich');
    expect(quota.metadata.name).toBe('tier-quota');
    expect(quota.spec.hard).toEqual({
      'requests.cpu': '8',
      'requests.memory': '24Gi',
      'limits.memory': '40Gi',
      pods: '40',
    });
  });

  it('mounts the library from the Proxmox host NFS exports (thumbs and ML cache on its SSD)', () => {
    const pv = (m: string) =>
      at(`module.${m}.kubernetes_persistent_volume.this`).spec[0].persistent_volume_source;
    expect(pv('nfs_thumbs_host').csi.volume_attributes).toEqual({
      server: '192.168.1.127',
      share: '/srv/nfs-ssd/immich/thumbs',
    });
    expect(pv('nfs_ml_cache_host').csi.volume_attributes.share).toBe('/srv/nfs-ssd/immich/machine-learning');
    expect(pv('nfs_postgresql_host').csi.volume_attributes.share).toBe('/srv/nfs/immich/postgresql');
    const pvc = at('kubernetes_persistent_volume_claim.immich_postgresql_encrypted');
    expect(pvc.metadata).toEqual({
      name: 'immich-postgresql-data-encrypted',
      namespace: 'immich',
      annotations: {
        'resize.topolvm.io/threshold': '10%',
        'resize.topolvm.io/increase': '100%',
        'resize.topolvm.io/storage_limit': '20Gi',
      },
    });
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm-encrypted');
    expect(pvc.spec.resources.requests).toEqual({ storage: '10Gi' });
    expect(pvc.lifecycle.ignore_changes).toEqual(['spec[0].resources[0].requests']);
  });

  it.each([
    ['immich_server', 'immich-worker', { cpu: '100m', memory: '3584Mi' }, '10Gi', '3000'],
    [
      'immich-machine-learning',
      'immich-machine-learning',
      { cpu: '100m', memory: '3584Mi' },
      '4608Mi',
      '1800',
    ],
  ])(
    'runs %s on the GPU node with a GPU time-slice and VRAM budget',
    (address, name, requests, memory, vram) => {
      const d = at(`kubernetes_deployment.${address}`);
      expect(d.metadata.name).toBe(name);
      expect(d.metadata.labels.tier).toBe('2-gpu');
      const pod = d.spec.template.spec;
      expect(pod.priority_class_name).toBe('gpu-workload');
      expect(pod.node_selector).toEqual({ 'nvidia.com/gpu.present': 'true' });
      expect(pod.toleration).toEqual(GPU_TOLERATION);
      expect(pod.container[0].resources).toEqual({
        requests,
        limits: { memory, 'nvidia.com/gpu': '1', 'viktorbarzin.me/gpumem': vram },
      });
      expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    },
  );

  it('api, worker and ML own keel.sh/policy=minor (written, not ignored); the api also seeds the poll', () => {
    for (const a of ['immich_server', 'immich-machine-learning']) {
      const d = at(`kubernetes_deployment.${a}`);
      expect(d.metadata.annotations['keel.sh/policy']).toBe('minor');
      expect(d.metadata.annotations['keel.sh/trigger']).toBeUndefined();
      expect(d.lifecycle.ignore_changes).toEqual(OWNED_POLICY_IGNORES);
    }
    const api = at('kubernetes_deployment.immich_api');
    expect(api.metadata.annotations).toEqual({
      'reloader.stakater.com/search': 'true',
      'keel.sh/policy': 'minor',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 1h',
    });
    expect(api.lifecycle.ignore_changes).toEqual(OWNED_POLICY_IGNORES);
  });

  it('keeps the single job worker without port or probes, excluding the api worker', () => {
    const d = at('kubernetes_deployment.immich_server');
    expect(d.metadata.labels).toEqual({ app: 'immich-worker', tier: '2-gpu' });
    expect(d.spec.replicas).toBe('1');
    expect(d.spec.progress_deadline_seconds).toBe(600);
    const [c] = d.spec.template.spec.container;
    expect(c.port).toBeUndefined();
    expect(c.liveness_probe).toBeUndefined();
    expect(c.env[0]).toEqual({ name: 'IMMICH_WORKERS_EXCLUDE', value: 'api' });
    expect(c.env.find((e: Json) => e.name === 'REDIS_HOSTNAME').value).toBe(
      'redis-master.redis.svc.cluster.local',
    );
    expect(c.volume_mount.map((m: Json) => m.mount_path)).toEqual(
      LIBRARY.map((v) => `/usr/src/app/upload/${v}`),
    );
  });

  it('spreads 3 api replicas over the nodes, rolls without surge, keeps 2 up, probes /api/server/ping', () => {
    const d = at('kubernetes_deployment.immich_api');
    expect(d.spec.replicas).toBe('3');
    expect(d.spec.progress_deadline_seconds).toBe(600);
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_surge: '0', max_unavailable: '1' },
    });
    const pod = d.spec.template.spec;
    expect(pod.node_selector).toBeUndefined();
    expect(pod.topology_spread_constraint).toEqual([
      {
        max_skew: 1,
        topology_key: 'kubernetes.io/hostname',
        when_unsatisfiable: 'DoNotSchedule',
        label_selector: [{ match_labels: { app: 'immich-api' } }],
      },
    ]);
    const [c] = pod.container;
    expect(c.startup_probe).toEqual({
      http_get: { path: '/api/server/ping', port: 'http' },
      period_seconds: 10,
      timeout_seconds: 1,
      failure_threshold: 360,
      success_threshold: 1,
    });
    expect(c.liveness_probe.initial_delay_seconds).toBe(0);
    expect(at('kubernetes_pod_disruption_budget_v1.immich_api').spec).toEqual({
      min_available: '2',
      selector: { match_labels: { app: 'immich-api' } },
    });
    const svc = at('kubernetes_service.immich-server');
    expect(svc.metadata.labels).toEqual({ app: 'immich-server' });
    expect(svc.spec).toEqual({ selector: { app: 'immich-api' }, port: [{ port: 2283 }] });
  });

  it('runs the vector PostgreSQL with the tree heredocs as hook and init script, and its own ignore list', () => {
    const d = at('kubernetes_deployment.immich-postgres');
    expect(d.metadata.labels).toEqual({ tier: '2-gpu' });
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(d.lifecycle.ignore_changes).toEqual([
      DNS,
      ann('keel.sh/policy'),
      ann('keel.sh/trigger'),
      ann('keel.sh/pollSchedule'),
      IMAGE,
      UPDATE_TIME,
    ]);
    const pod = d.spec.template.spec;
    expect(pod.container[0].lifecycle).toEqual({
      post_start: [{ exec: { command: ['/bin/sh', '-c', heredoc('main.tf', 'command', 0)] } }],
    });
    expect(pod.init_container[0].command).toEqual(['sh', '-c', heredoc('main.tf', 'command', 1)]);
    expect(pod.volume[0].persistent_volume_claim.claim_name).toBe('immich-postgresql-data-encrypted');
    expect(at('kubernetes_service.immich-postgresql').spec.port).toEqual([{ port: 5432 }]);
  });

  it('probes smart search every 5 minutes: measure (init), push and CLIP keepalive in one pod', () => {
    const cj = at('kubernetes_cron_job_v1.immich-search-probe');
    expect(cj.spec.schedule).toBe('*/5 * * * *');
    expect(cj.spec.starting_deadline_seconds).toBe(60);
    const job = cj.spec.job_template.spec;
    expect(job.active_deadline_seconds).toBe(180);
    expect(job.ttl_seconds_after_finished).toBe('120');
    const pod = job.template.spec;
    expect(pod.restart_policy).toBe('Never');
    expect(pod.init_container[0].command).toEqual(['/bin/bash', '-c', heredoc('main.tf', 'command', 2)]);
    expect(pod.container[1].command).toContain(
      'entries={"clip":{"textual":{"modelName":"ViT-B-16-SigLIP2__webli"}}}',
    );
    expect(pod.volume).toEqual([{ name: 'shared', empty_dir: {} }]);
  });

  it('dumps the database nightly to NFS with the tree script and no restart policy of its own', () => {
    const cj = at('kubernetes_cron_job_v1.postgresql-backup');
    expect(cj.spec.concurrency_policy).toBe('Replace');
    expect(cj.spec.starting_deadline_seconds).toBe(10);
    const pod = cj.spec.job_template.spec.template.spec;
    expect(pod.restart_policy).toBeUndefined();
    expect(pod.container[0].command).toEqual(['/bin/sh', '-c', heredoc('main.tf', 'command', 3)]);
    expect(cj.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });

  it('exposes immich with app auth, no default rate limit, the homepage key from the Vault JSON', () => {
    const ing = at('module.ingress-immich.kubernetes_ingress_v1.proxied-ingress');
    const a = ing.metadata.annotations;
    expect(a['gethomepage.dev/widget.key']).toBe(
      '${jsondecode(data.vault_kv_secret_v2.secrets.data["homepage_credentials"]).immich.token}',
    );
    expect(a['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'traefik-immich-rate-limit@kubernetescrd',
    );
    expect(a['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain('authentik');
  });

  it.each([
    ['mailserver_config', 'frame.tf', 'immich-frame', '', ENROLLED_IGNORES],
    ['frame_config_emo', 'frame-emo.tf', 'immich-frame-emo', '-emo', ENROLLED_IGNORES],
    ['frame_config_milka', 'frame-milka.tf', 'immich-frame-milka', '-milka', ENROLLED_IGNORES.slice(0, -1)],
  ])(
    'frame %s: settings from the tree heredoc of %s, LAN-only ingress',
    (cm, file, name, suffix, ignores) => {
      const config = at(`kubernetes_config_map.${cm}`);
      expect(config.metadata).toEqual({
        name: `config${suffix}`,
        namespace: 'immich',
        labels: { app: `frame-config${suffix}` },
        annotations: { 'reloader.stakater.com/match': 'true' },
      });
      const milka =
        suffix === '-milka'
          ? ', emo_immich_frame_milka = { data = data.vault_kv_secret_v2.emo_immich_frame_milka.data }'
          : '';
      expect(config.data['Settings.yml']).toBe(
        heredoc(
          file,
          'Settings.yml',
          0,
          `{ data = { vault_kv_secret_v2 = { secrets = { data = data.vault_kv_secret_v2.secrets.data }${milka} } } }`,
        ),
      );
      const d = at(`kubernetes_deployment.${name}`);
      expect(d.metadata).toEqual({
        name,
        namespace: 'immich',
        labels: { tier: '2-gpu' },
        annotations: { 'reloader.stakater.com/search': 'true' },
      });
      expect(d.lifecycle.ignore_changes).toEqual(ignores);
      expect(d.spec.template.metadata.annotations).toEqual({
        'dependency.kyverno.io/wait-for': 'immich-server.immich:2283',
      });
      expect(d.spec.template.spec.volume).toEqual([
        { name: 'config', config_map: { name: `config${suffix}` } },
      ]);
      expect(at(`kubernetes_service.${name}`).spec.port).toEqual([{ port: 80, target_port: '8080' }]);
    },
  );

  it('pins the milka frame image with IfNotPresent (Terraform owns it)', () => {
    const [c] = at('kubernetes_deployment.immich-frame-milka').spec.template.spec.container;
    expect(c.image).toBe('ghcr.io/immichframe/immichframe:v1.0.35.0');
    expect(c.image_pull_policy).toBe('IfNotPresent');
  });

  it("syncs Emo's frame albums weekly with the tree's frame_sync.py and her key from Vault", () => {
    const secret = at('kubernetes_secret.frame_sync_emo');
    expect(secret.data).toEqual({
      immich_api_key: '${data.vault_kv_secret_v2.secrets.data["frame_api_key_emo"]}',
    });
    expect(secret.type).toBeUndefined();
    const p = payload('frame_sync.py');
    expect(at('kubernetes_config_map.frame_sync_emo_script').data).toEqual({
      'frame_sync.py': `\${fileexists(${p}) ? file(${p}) : null}`,
    });
    const cj = at('kubernetes_cron_job_v1.frame-sync-emo');
    expect(cj.spec.schedule).toBe('0 2 * * 0');
    expect(cj.spec.job_template.spec.ttl_seconds_after_finished).toBe('86400');
    const [c] = cj.spec.job_template.spec.template.spec.container;
    expect(c.env[1]).toEqual({
      name: 'IMMICH_API_KEY',
      value_from: {
        secret_key_ref: {
          name: 'frame-sync-emo',
          key: 'immich_api_key',
        },
      },
    });
  });

  it('reads exactly the tree payloads: 4 main.tf heredocs, 3 Settings.yml heredocs, frame_sync.py', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual(
      expect.arrayContaining([
        { stack: 'immich', file: 'frame_sync.py' },
        ...[0, 1, 2, 3].map((i) => ({ stack: 'immich', file: `_heredoc/main.tf/command/${i}` })),
        ...['frame.tf', 'frame-emo.tf', 'frame-milka.tf'].map((f) => ({
          stack: 'immich',
          file: `_heredoc/${f}/Settings.yml/0`,
        })),
      ]),
    );
    expect(declaredPayloads(JSON.stringify(json))).toHaveLength(8);
  });
});
