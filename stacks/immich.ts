// Immich photo library at immich: the API tier (3 replicas, client traffic) and the single job worker
// (background jobs + NVENC on the GPU node) split from one server, machine learning on the GPU, its own
// vector PostgreSQL on an encrypted volume, nightly dumps and a smart-search probe, plus three
// ImmichFrame kiosks (LAN-only). Tree: stacks/immich.
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';
import { ConfigMap } from '../constructs/blocks/config-map';
import { disruptionBudget } from '../constructs/blocks/disruption-budget';
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { PlanTimeSecret } from '../constructs/blocks/plan-time-secret';
import { type INamespace, TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import {
  type ContainerProps,
  CronJob,
  Deployment,
  Keel,
  KeelPolicy,
  type KeelMode,
  Probe,
  type Toleration,
  Volume,
} from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { homepage, reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { addressOf } from '../lib/terraform/addresses';
import { vaultKvSecret } from '../lib/terraform/providers';
import { treeHeredoc, treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The immich version the tree records; Keel moves the live images past it within the major. */
const IMMICH_VERSION = 'v3.1.0';
const POSTGRES_IMAGE = 'ghcr.io/immich-app/postgres:15-vectorchord0.4.3-pgvectors0.2.0';
const CURL_IMAGE = 'docker.io/curlimages/curl:8.11.1';
const DB_PASSWORD = { secretName: 'immich-secrets', key: 'db_password' };
/** The CLIP model search uses: the ML pod preloads it and the probe keeps it resident. */
const CLIP_MODEL = 'ViT-B-16-SigLIP2__webli';

/** The GPU node: its label, its taint and the priority class the GPU workloads share. */
const GPU_PLACEMENT = {
  priorityClassName: 'gpu-workload',
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
  ] satisfies Toleration[],
};

/** Release tags only: diun notifies on new semver releases of the server image. */
const SERVER_POD_ANNOTATIONS = {
  'diun.enable': 'true',
  'diun.include_tags': '^\\d+\\.\\d+\\.\\d+$',
  ...reloader('auto'),
};

export default defineStack({
  name: 'immich',
  description:
    'Immich photo library: API tier, GPU worker and ML, vector PostgreSQL, three photo-frame kiosks',
  after: ['platform', 'vault'],
  build(stack) {
    const site = siteOf(stack);
    const vault = vaultKvSecret(stack, 'secrets', 'immich');
    const homepageCredentials = Fn.jsondecode(vault.data.lookup('homepage_credentials'));

    // The stack owns the tier's quota under the tier's own name: the API replicas, the GPU worker and
    // the ML pod need more memory than the generated GPU-tier quota allows.
    const ns = new TieredNamespace(stack, 'immich', {
      tier: Tier.GPU,
      istioInjectionDisabled: false,
      quotaName: 'tier-quota',
      quotaHard: { 'requests.cpu': '8', 'requests.memory': '24Gi', 'limits.memory': '40Gi', pods: '40' },
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    new ExternalSecret(stack, 'external_secret', {
      name: 'immich-secrets',
      namespace: ns,
      extractPaths: ['immich'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });

    // The library lives on the Proxmox host's NFS exports (thumbnails and the ML cache on its SSD).
    const nfs = (id: string, name: string, nfsPath: string) =>
      new NfsVolume(stack, id, {
        name,
        namespace: ns,
        nfsServer: site.proxmoxHost,
        nfsPath,
        legacyAddress: `module.${id}`,
      }).claimName;
    const library = [
      Volume.fromPvc('backups', nfs('nfs_backups_host', 'immich-backups-host', '/srv/nfs/immich/backups')),
      Volume.fromPvc(
        'encoded-video',
        nfs('nfs_encoded_video_host', 'immich-encoded-video-host', '/srv/nfs/immich/encoded-video'),
      ),
      Volume.fromPvc('library', nfs('nfs_library_host', 'immich-library-host', '/srv/nfs/immich/library')),
      Volume.fromPvc('profile', nfs('nfs_profile_host', 'immich-profile-host', '/srv/nfs/immich/profile')),
      Volume.fromPvc('thumbs', nfs('nfs_thumbs_host', 'immich-thumbs-host', '/srv/nfs-ssd/immich/thumbs')),
      Volume.fromPvc('upload', nfs('nfs_upload_host', 'immich-upload-host', '/srv/nfs/immich/upload')),
    ];
    // Dumps only: the live database moved to block storage (fsync per commit on NFS hurt the host).
    const dumpClaim = nfs('nfs_postgresql_host', 'immich-postgresql-data-host', '/srv/nfs/immich/postgresql');
    const mlCacheClaim = nfs(
      'nfs_ml_cache_host',
      'immich-ml-cache-host',
      '/srv/nfs-ssd/immich/machine-learning',
    );
    const pgData = new EncryptedPvc(stack, 'immich_postgresql_encrypted', {
      name: 'immich-postgresql-data-encrypted',
      namespace: ns,
      storage: '10Gi',
      storageLimit: '20Gi',
      resizeIncrease: '100%',
    });
    // Every library directory mounted one by one, so thumbnails can sit on the SSD export.
    const libraryMounts = library.map((v) => ({ volume: v, mountPath: `/usr/src/app/upload/${v.name}` }));
    const serverEnv = {
      DB_DATABASE_NAME: 'immich',
      DB_HOSTNAME: 'immich-postgresql.immich.svc.cluster.local',
      DB_USERNAME: 'immich',
      DB_PASSWORD,
      IMMICH_MACHINE_LEARNING_URL: 'http://immich-machine-learning:3003',
      REDIS_HOSTNAME: site.redisHost,
    };
    // api, worker and ML must run the same release: Terraform owns the policy (minor) so it wins over
    // Kyverno's patch default; trigger and poll stay Kyverno's.
    const sameRelease = Keel.ownedPolicy(KeelPolicy.MINOR);

    // The job worker: every background job and the NVENC transcodes. Exactly one (its job queues are
    // per process), swapped with Recreate; no port and no HTTP probe (it serves none).
    new Deployment(stack, 'immich_server', {
      namespace: ns,
      name: 'immich-worker',
      annotations: reloader('search'),
      keel: sameRelease,
      progressDeadline: Duration.seconds(600),
      strategy: 'Recreate',
      podAnnotations: SERVER_POD_ANNOTATIONS,
      ...GPU_PLACEMENT,
      containers: [
        {
          name: 'immich-worker',
          image: `ghcr.io/immich-app/immich-server:${IMMICH_VERSION}`,
          env: { IMMICH_WORKERS_EXCLUDE: 'api', ...serverEnv },
          volumeMounts: libraryMounts,
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(3584),
            memoryLimit: Size.gibibytes(10),
            gpu: 1,
            gpuMemoryMiB: 3000,
          },
        },
      ],
      volumes: library,
    });

    // The API tier: all client traffic, spread over the nodes. No surge: a surge pod would not fit the
    // namespace quota, so rolls take one replica down at a time.
    const ping = (timing: Parameters<typeof Probe.httpGet>[2]) =>
      Probe.httpGet('/api/server/ping', 'http', timing);
    const second = Duration.seconds(1);
    const tenSeconds = Duration.seconds(10);
    const api = new Deployment(stack, 'immich_api', {
      namespace: ns,
      name: 'immich-api',
      annotations: reloader('search'),
      keel: Keel.ownedPolicy(KeelPolicy.MINOR, { seedPoll: Duration.hours(1) }),
      replicas: 3,
      progressDeadline: Duration.seconds(600),
      strategy: 'RollingUpdate',
      rollingUpdate: { maxSurge: '0', maxUnavailable: '1' },
      podAnnotations: SERVER_POD_ANNOTATIONS,
      topologySpread: [{ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }],
      containers: [
        {
          name: 'immich-api',
          image: `ghcr.io/immich-app/immich-server:${IMMICH_VERSION}`,
          ports: [{ name: 'http', containerPort: 2283, protocol: 'TCP' }],
          env: { IMMICH_WORKERS_INCLUDE: 'api', ...serverEnv },
          livenessProbe: ping({
            initialDelay: Duration.seconds(0),
            period: tenSeconds,
            timeout: second,
            failureThreshold: 3,
            successThreshold: 1,
          }),
          readinessProbe: ping({
            period: tenSeconds,
            timeout: second,
            failureThreshold: 3,
            successThreshold: 1,
          }),
          // up to an hour: after a database restart startup can wait on the vector reindex
          startupProbe: ping({
            period: tenSeconds,
            timeout: second,
            failureThreshold: 360,
            successThreshold: 1,
          }),
          volumeMounts: libraryMounts,
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(1536),
            memoryLimit: Size.gibibytes(4),
          },
        },
      ],
      volumes: library,
    });
    disruptionBudget(api, { minAvailable: '2' });
    // The name predates the split: the ingress and the kiosks still reach the API as immich-server.
    const server = api.exposeViaService({
      name: 'immich-server',
      addressName: 'immich-server',
      labels: { app: 'immich-server' },
      ports: [{ port: 2283, writeTargetPort: false }],
    });

    // The vector database. The tree ignores the Kyverno Keel annotations, the image and only the
    // update-time of what Keel writes on a rollout.
    const pgStorage = Volume.fromPvc('postgresql-persistent-storage', pgData.claimName);
    const postStart = treeHeredoc(stack, 'command', { index: 0 });
    const overrideConf = treeHeredoc(stack, 'command', { index: 1 });
    const postgres = new Deployment(stack, 'immich-postgres', {
      namespace: ns,
      name: 'immich-postgresql',
      selectorLabels: false,
      annotations: reloader('search'),
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.keelAnnotations, Ignore.keelImage(0), Ignore.keelUpdateTime],
      strategy: 'Recreate',
      containers: [
        {
          name: 'immich-postgresql',
          image: POSTGRES_IMAGE,
          ports: [{ containerPort: 5432, protocol: 'TCP', name: 'postgresql' }],
          env: {
            POSTGRES_PASSWORD: DB_PASSWORD,
            POSTGRES_USER: 'immich',
            POSTGRES_DB: 'immich',
            DB_STORAGE_TYPE: 'SSD',
          },
          volumeMounts: [{ volume: pgStorage, mountPath: '/var/lib/postgresql/data' }],
          // prewarm the vector tables once the server accepts connections
          postStart: ['/bin/sh', '-c', postStart.content],
          resources: { cpuRequest: '100m', memoryRequest: Size.gibibytes(3), memoryLimit: Size.gibibytes(4) },
        },
      ],
      // the tuning override, written before the server starts (skipped on an uninitialised data dir)
      initContainers: [
        {
          name: 'write-pg-override-conf',
          image: 'busybox:1.36',
          command: ['sh', '-c', overrideConf.content],
          volumeMounts: [{ volume: pgStorage, mountPath: '/data' }],
        },
      ],
      volumes: [pgStorage],
    });
    postStart.guard(postgres);
    overrideConf.guard(postgres);
    postgres.exposeViaService({
      addressName: 'immich-postgresql',
      ports: [{ port: 5432, writeTargetPort: false }],
    });

    // Machine learning on the GPU, models preloaded for search and faces; idle models unload after
    // 600s so the shared T4's memory returns to the other GPU tenants.
    const mlCache = Volume.fromPvc('cache', mlCacheClaim);
    const mlPing = (timing: Parameters<typeof Probe.httpGet>[2]) => Probe.httpGet('/ping', 3003, timing);
    const ml = new Deployment(stack, 'immich-machine-learning', {
      namespace: ns,
      name: 'immich-machine-learning',
      selectorLabels: false,
      keel: sameRelease,
      strategy: 'Recreate',
      ...GPU_PLACEMENT,
      containers: [
        {
          name: 'immich-machine-learning',
          image: `ghcr.io/immich-app/immich-machine-learning:${IMMICH_VERSION}-cuda`,
          ports: [{ containerPort: 3003, protocol: 'TCP', name: 'immich-ml' }],
          env: {
            MACHINE_LEARNING_MODEL_TTL: '600',
            TRANSFORMERS_CACHE: '/cache',
            HF_XET_CACHE: '/cache/huggingface-xet',
            MPLCONFIGDIR: '/cache/matplotlib-config',
            MACHINE_LEARNING_PRELOAD__CLIP__TEXTUAL: CLIP_MODEL,
            MACHINE_LEARNING_PRELOAD__CLIP__VISUAL: CLIP_MODEL,
            MACHINE_LEARNING_PRELOAD__FACIAL_RECOGNITION__DETECTION: 'buffalo_l',
            MACHINE_LEARNING_PRELOAD__FACIAL_RECOGNITION__RECOGNITION: 'buffalo_l',
          },
          volumeMounts: [{ volume: mlCache, mountPath: '/cache' }],
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(3584),
            memoryLimit: Size.mebibytes(4608),
            gpu: 1,
            gpuMemoryMiB: 1800,
          },
          livenessProbe: mlPing({
            initialDelay: Duration.seconds(30),
            period: Duration.seconds(30),
            timeout: Duration.seconds(5),
            failureThreshold: 5,
          }),
          readinessProbe: mlPing({
            initialDelay: Duration.seconds(15),
            period: Duration.seconds(30),
            timeout: Duration.seconds(5),
            failureThreshold: 3,
          }),
        },
      ],
      volumes: [mlCache],
    });
    ml.exposeViaService({ ports: [{ port: 3003, writeTargetPort: false }] });

    // Every five minutes, one pod: re-prewarm the CLIP index (on :00/:30), time a search query, push the
    // metrics, and keep the CLIP text encoder loaded.
    const measure = treeHeredoc(stack, 'command', { index: 2 });
    const shared = Volume.emptyDir('shared');
    const tiny = (memoryRequest: number, memoryLimit: number) => ({
      cpuRequest: '10m',
      memoryRequest: Size.mebibytes(memoryRequest),
      memoryLimit: Size.mebibytes(memoryLimit),
    });
    const probe = new CronJob(stack, 'immich-search-probe', {
      namespace: ns,
      name: 'immich-search-probe',
      schedule: '*/5 * * * *',
      concurrencyPolicy: 'Forbid',
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 1,
      startingDeadline: Duration.seconds(60),
      backoffLimit: 1,
      activeDeadline: Duration.seconds(180),
      ttlAfterFinished: Duration.seconds(120),
      restartPolicy: 'Never',
      initContainers: [
        {
          name: 'measure',
          image: POSTGRES_IMAGE,
          command: ['/bin/bash', '-c', measure.content],
          env: {
            PGHOST: 'immich-postgresql.immich.svc.cluster.local',
            PGUSER: 'immich',
            PGDATABASE: 'immich',
            PGCONNECT_TIMEOUT: '10',
            PGPASSWORD: DB_PASSWORD,
          },
          volumeMounts: [{ volume: shared, mountPath: '/shared' }],
          resources: tiny(32, 64),
        },
      ],
      containers: [
        {
          name: 'push',
          image: CURL_IMAGE,
          command: [
            'curl',
            '-sf',
            '-m',
            '20',
            '--data-binary',
            '@/shared/metrics.prom',
            'http://prometheus-prometheus-pushgateway.monitoring:9091/metrics/job/immich-search-probe',
          ],
          volumeMounts: [{ volume: shared, mountPath: '/shared' }],
          resources: tiny(16, 32),
        },
        {
          name: 'warmup',
          image: CURL_IMAGE,
          command: [
            'curl',
            '-sf',
            '-m',
            '30',
            '-F',
            `entries=${JSON.stringify({ clip: { textual: { modelName: CLIP_MODEL } } })}`,
            '-F',
            'text=keepalive',
            'http://immich-machine-learning:3003/predict',
          ],
          resources: tiny(16, 32),
        },
      ],
      volumes: [shared],
    });
    measure.guard(probe);

    new IngressFactory(stack, 'ingress-immich', {
      name: 'immich',
      namespace: ns,
      service: server,
      // the mobile apps and API clients authenticate against Immich itself
      auth: IngressAuth.APP,
      dnsType: DnsType.NON_PROXIED,
      skipDefaultRateLimit: true,
      extraMiddlewares: ['traefik-immich-rate-limit@kubernetescrd'],
      antiAiScraping: false,
      extraAnnotations: {
        ...homepage('Immich', 'Photos library', 'immich.png', 'Media & Entertainment'),
        'gethomepage.dev/widget.type': 'immich',
        'gethomepage.dev/widget.url': 'http://immich-server.immich.svc.cluster.local:2283',
        'gethomepage.dev/widget.version': '2',
        'gethomepage.dev/widget.key': Fn.lookupNested(homepageCredentials, ['immich', 'token']),
      },
      legacyAddress: 'module.ingress-immich',
    });

    // Nightly pg_dumpall to the NFS export, 14 days kept, IO stats pushed to the Pushgateway.
    const backup = treeHeredoc(stack, 'command', { index: 3 });
    const dumps = Volume.fromPvc('postgresql-backup', dumpClaim);
    const backupJob = new CronJob(stack, 'postgresql-backup', {
      namespace: ns,
      name: 'postgresql-backup',
      schedule: '0 0 * * *',
      concurrencyPolicy: 'Replace',
      failedJobsHistoryLimit: 5,
      successfulJobsHistoryLimit: 10,
      startingDeadline: Duration.seconds(10),
      backoffLimit: 3,
      ttlAfterFinished: Duration.seconds(10),
      restartPolicy: null,
      containers: [
        {
          name: 'postgresql-backup',
          image: 'postgres:16.4-bullseye',
          command: ['/bin/sh', '-c', backup.content],
          env: { PGPASSWORD: DB_PASSWORD },
          volumeMounts: [{ volume: dumps, mountPath: '/backup' }],
        },
      ],
      volumes: [dumps],
    });
    backup.guard(backupJob);

    // The kiosks: one ImmichFrame per person, each on its own Immich key and weather location.
    const milkaKey = vaultKvSecret(stack, 'emo_immich_frame_milka', 'emo/immich_api_key_milka');
    const frameVars = (extra = '') =>
      `{ data = { vault_kv_secret_v2 = { secrets = { data = ${addressOf(vault)}.data }${extra} } } }`;
    photoFrame(stack, ns.byLiteralName, {
      file: 'frame.tf',
      configMapId: 'mailserver_config',
      suffix: '',
      vars: frameVars(),
      image: 'ghcr.io/immichframe/immichframe:immich_v3',
      ingressId: 'ingress',
      homepage: { description: 'Immich photo frame feed for the kiosks', name: 'Immich Highlights' },
    });
    photoFrame(stack, ns.byLiteralName, {
      file: 'frame-emo.tf',
      configMapId: 'frame_config_emo',
      suffix: '-emo',
      vars: frameVars(),
      image: 'ghcr.io/immichframe/immichframe:v1.0.35.0',
      ingressId: 'ingress_emo',
      homepage: { description: "Immich photo frame feed for Emo's kiosk", name: 'Immich Highlights (Emo)' },
    });
    photoFrame(stack, ns.byLiteralName, {
      file: 'frame-milka.tf',
      configMapId: 'frame_config_milka',
      suffix: '-milka',
      vars: frameVars(`, emo_immich_frame_milka = { data = ${addressOf(milkaKey)}.data }`),
      image: 'ghcr.io/immichframe/immichframe:v1.0.35.0',
      imagePullPolicy: 'IfNotPresent',
      // a pinned release: Terraform owns the image
      keel: Keel.enrolled({ containers: [] }),
      ingressId: 'ingress_milka',
      homepage: {
        description: "Immich photo frame feed for Milka's kiosk in Valchedrym",
        name: 'Immich Highlights (Milka)',
      },
    });

    // Weekly: file Emo's new equipment photos into the album her frame excludes (Immich's own CLIP
    // search classifies them), with her own key.
    const syncKey = new PlanTimeSecret(stack, 'frame_sync_emo', {
      namespace: ns,
      name: 'frame-sync-emo',
      data: { immich_api_key: vault.data.lookup('frame_api_key_emo') },
    });
    const syncProgram = treePayload(stack, 'frame_sync.py');
    const syncScript = new ConfigMap(stack, 'frame_sync_emo_script', {
      namespace: ns,
      name: 'frame-sync-emo-script',
      data: { 'frame_sync.py': syncProgram.content },
      payloads: [syncProgram],
    });
    const script = Volume.fromConfigMap('script', syncScript.name);
    new CronJob(stack, 'frame-sync-emo', {
      namespace: ns,
      name: 'frame-sync-emo',
      schedule: '0 2 * * 0',
      concurrencyPolicy: 'Forbid',
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 1,
      startingDeadline: Duration.seconds(300),
      backoffLimit: 1,
      activeDeadline: Duration.seconds(600),
      ttlAfterFinished: Duration.days(1),
      restartPolicy: 'Never',
      containers: [
        {
          name: 'sync',
          image: 'docker.io/library/python:3.12-alpine',
          command: ['python3', '/app/frame_sync.py'],
          env: {
            IMMICH_URL: 'http://immich-server.immich.svc.cluster.local:2283',
            IMMICH_API_KEY: { secretName: syncKey.name, key: 'immich_api_key' },
            KEEP_ALBUM: 'c64addd4-79f5-490e-bf4b-6af1e1ef610f',
            DROP_ALBUM: 'b703c7e1-943f-44c4-9ebb-ae3ee41473dd',
            DAYS: '365',
            DRY_RUN: 'false',
          },
          volumeMounts: [{ volume: script, mountPath: '/app', readOnly: true }],
          resources: tiny(64, 128),
        },
      ],
      volumes: [script],
    });
  },
});

interface PhotoFrameProps {
  /** The tree file that declares this frame (its Settings.yml heredoc is read from there). */
  readonly file: string;
  readonly configMapId: string;
  /** Appended to every Kubernetes name and host of this frame ("" for the first one). */
  readonly suffix: string;
  /** `templatefile()` variables of the Settings.yml heredoc (the Vault data it names). */
  readonly vars: string;
  readonly image: string;
  readonly imagePullPolicy?: ContainerProps['imagePullPolicy'];
  readonly keel?: KeelMode;
  readonly ingressId: string;
  readonly homepage: { readonly description: string; readonly name: string };
}

/**
 * One ImmichFrame kiosk: its settings (a tree heredoc), the frame, its Service and a LAN-only ingress.
 * The kiosk WebViews cannot log in, so the gate is the home-LAN allow-list (with the themed 403 page in
 * front of it) and an internal DNS record.
 */
function photoFrame(scope: Construct, ns: INamespace, p: PhotoFrameProps): void {
  const name = `immich-frame${p.suffix}`;
  const settings = treeHeredoc(scope, 'Settings.yml', { file: p.file });
  new ConfigMap(scope, p.configMapId, {
    namespace: ns,
    name: `config${p.suffix}`,
    labels: { app: `frame-config${p.suffix}` },
    annotations: { 'reloader.stakater.com/match': 'true' },
    data: { 'Settings.yml': settings.template(p.vars) },
    payloads: [settings],
  });
  const configVolume = Volume.fromConfigMap('config', `config${p.suffix}`);
  const frame = new Deployment(scope, name, {
    namespace: ns,
    name,
    selectorLabels: false,
    annotations: reloader('search'),
    keel: p.keel,
    strategy: 'RollingUpdate',
    podAnnotations: { 'dependency.kyverno.io/wait-for': 'immich-server.immich:2283' },
    containers: [
      {
        name,
        image: p.image,
        imagePullPolicy: p.imagePullPolicy,
        ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
        volumeMounts: [{ volume: configVolume, mountPath: '/app/Config', readOnly: true }],
        resources: {
          cpuRequest: '10m',
          memoryRequest: Size.mebibytes(128),
          memoryLimit: Size.mebibytes(256),
        },
      },
    ],
    volumes: [configVolume],
  });
  if (p.image.endsWith(':immich_v3')) {
    suppressRule(frame, 'images-pinned', `tree parity: the tree runs ${p.image}; Keel tracks the tag`);
  }
  new IngressFactory(scope, p.ingressId, {
    name: `highlights-immich${p.suffix}`,
    namespace: ns,
    service: frame.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] }),
    auth: IngressAuth.NONE,
    dnsType: DnsType.INTERNAL,
    extraMiddlewares: ['traefik-error-pages-403@kubernetescrd', 'traefik-home-lans-only@kubernetescrd'],
    externalMonitor: false,
    extraAnnotations: {
      'gethomepage.dev/description': p.homepage.description,
      'gethomepage.dev/icon': 'immich.png',
      'gethomepage.dev/name': p.homepage.name,
    },
    legacyAddress: `module.${p.ingressId}`,
  });
}
