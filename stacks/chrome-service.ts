// The shared headed Chrome: one persistent browser (neko: real Google Chrome with a WebRTC display,
// Authentik-gated at chrome) that agents drive over CDP and people log into by hand, its snapshot and
// backup jobs, and a broker-run pool of throwaway workers (FleetView at chrome-fleet) with one warm
// spare. Every program and config the pods run is the tree's. Tree: stacks/chrome-service.
import { ConfigMap } from '../constructs/blocks/config-map';
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NamespaceIngressPolicy } from '../constructs/blocks/network-policy';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { AccessRole, RoleGrant } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import {
  CronJob,
  type CronJobProps,
  Deployment,
  Keel,
  Probe,
  type VolumeMount,
  Volume,
} from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc, treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const NAMESPACE = 'chrome-service';
const LABELS = { app: 'chrome-service' };
/** The Playwright python image: sidecars, the turn-cred init, the harvester and the broker share it. */
export const PYTHON_IMAGE = 'mcr.microsoft.com/playwright/python:v1.48.0-noble';
/** neko with Google Chrome, digest-pinned: a display upgrade is a reviewed bump, never a Keel roll. */
export const NEKO_IMAGE =
  'ghcr.io/m1k1o/neko/google-chrome:3.1.4@sha256:5511a426db00c474ff15e21fcdaa3887d737f9d379080a2cd5d05bea81872fce';
/** WebRTC media mux port, published on its own MetalLB address. */
export const NEKO_UDPMUX = 59000;
/** The media address: ETP=Local cannot share the .200 address of the ETP=Cluster services. */
export const MEDIA_LB_IP = '10.0.20.206';
const SNAPSHOT_DIR = '/profile/snapshots';
const CHROME_USERS = ['Chrome Users'];
/** The tree's x264 pipeline for neko (without one neko falls back to VP8 whatever the codec). */
export const VIDEO_PIPELINE = [
  'ximagesrc display-name={display} show-pointer=true use-damage=false',
  '! capsfilter caps=video/x-raw,framerate=30/1 name=framerate',
  '! videoconvert ! queue ! video/x-raw,format=I420',
  '! x264enc name=encoder threads=4 bitrate=4000 key-int-max=30',
  'byte-stream=true tune=zerolatency speed-preset=veryfast',
  '! h264parse config-interval=-1 ! video/x-h264,stream-format=byte-stream',
  '! appsink name=appsink',
].join(' ');
/** Programs the pods mount from the `snapshot-scripts` map (tree files/). */
export const SCRIPT_FILES = [
  'snapshot_server.py',
  'snapshot_harvester.py',
  'cdp_bridge.py',
  'worker_entrypoint.sh',
  'turn_cred.py',
];
/** The broker's program, pod template, helpers and FleetView page (tree files/broker/). */
export const BROKER_FILES = ['broker.py', 'worker_pod.json', 'seed_export.py', 'screenshot.py', 'index.html'];
const POD_SECURITY = {
  podRunAsUser: 1000,
  podRunAsGroup: 1000,
  fsGroup: 1000,
  podSeccompProfile: 'RuntimeDefault',
} as const;
const ro = (volume: Volume, mountPath: string, subPath?: string): VolumeMount => ({
  volume,
  mountPath,
  readOnly: true,
  ...(subPath ? { subPath } : {}),
});

export default defineStack({
  name: 'chrome-service',
  description: 'Shared headed Chrome (neko WebRTC view, CDP), its snapshot/backup jobs and the worker pool',
  after: ['platform'],
  build(stack) {
    // the pool's own quota replaces the tier quota (a burst of six workers would not fit it)
    const ns = new TieredNamespace(stack, 'namespace', {
      addressName: 'chrome_service',
      name: NAMESPACE,
      tier: Tier.AUX,
      labels: { 'chrome-service.viktorbarzin.me/server': 'true' },
      quotaHard: {
        'requests.cpu': '4',
        'requests.memory': '16Gi',
        'limits.memory': '40Gi',
        'count/pods': '14',
      },
      quotaName: 'chrome-pool',
      quotaAddressName: 'pool',
    });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'chrome-service-secrets',
      namespace: ns,
      extractPaths: ['chrome-service'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    // coturn's shared secret: the turn-cred init mints a fresh relay credential from it on every start
    const turn = new ExternalSecret(stack, 'es_turn', {
      name: 'chrome-service-turn',
      namespace: ns,
      data: [{ secretKey: 'turn_secret', vault: { path: 'coturn', property: 'turn_secret' } }],
      dependsOn: [ns.resource],
    });
    // the browser profile holds session cookies: encrypted
    const profilePvc = new EncryptedPvc(stack, 'profile_encrypted', {
      name: 'chrome-service-profile-encrypted',
      namespace: ns,
      storage: '2Gi',
      storageLimit: '10Gi',
      resizeIncrease: '100%',
    });
    const backupNfs = new NfsVolume(stack, 'nfs_chrome_service_backup_host', {
      name: 'chrome-service-backup-host',
      namespace: ns,
      nfsServer: '192.168.1.127',
      nfsPath: '/srv/nfs/chrome-service-backup',
      legacyAddress: 'module.nfs_chrome_service_backup_host',
    });

    const scriptPayloads = SCRIPT_FILES.map((f) => treePayload(stack, `files/${f}`));
    const scriptsMap = new ConfigMap(stack, 'snapshot_scripts', {
      v1: true,
      namespace: ns,
      name: 'snapshot-scripts',
      labels: LABELS,
      data: Object.fromEntries(SCRIPT_FILES.map((f, i) => [f, scriptPayloads[i].content])),
      payloads: scriptPayloads,
    });
    const nekoPayloads = ['google-chrome.conf', 'policies.json'].map((f) =>
      treePayload(stack, `files/neko/${f}`),
    );
    const nekoMap = new ConfigMap(stack, 'neko_conf', {
      v1: true,
      namespace: ns,
      name: 'neko-conf',
      labels: LABELS,
      data: { 'google-chrome.conf': nekoPayloads[0].content, 'policies.json': nekoPayloads[1].content },
      payloads: nekoPayloads,
    });

    const profile = Volume.fromPvc('profile', profilePvc.claimName);
    const scripts = Volume.fromConfigMap('scripts', scriptsMap.name, { defaultMode: '0555' });
    const dshm = Volume.emptyDir('dshm', { medium: 'Memory', sizeLimit: '1Gi' });
    const ice = Volume.emptyDir('ice');
    const nekoConf = Volume.fromConfigMap('neko-conf', nekoMap.name);
    const nekoStart = treeHeredoc(stack, 'command', { index: 0 });
    const secretsKey = (key: string) => ({ secretName: secrets.secretName, key });
    const health = (timing: Parameters<typeof Probe.httpGet>[2]) => Probe.httpGet('/health', 8080, timing);
    const browser = new Deployment(stack, 'browser', {
      addressName: 'chrome_service',
      namespace: ns,
      name: 'chrome-service',
      selector: LABELS,
      strategy: 'Recreate',
      // Kyverno may restamp the busybox image; everything else stays pinned by Terraform
      keel: Keel.never({ initContainers: ['fix-perms'] }),
      annotations: reloader('auto'),
      imagePullSecrets: ['registry-credentials'],
      ...POD_SECURITY,
      initContainers: [
        {
          // root: chown the profile and drop the previous pod's Chrome singleton locks
          name: 'fix-perms',
          image: 'busybox:1.37',
          command: ['sh', '-c', 'chown -R 1000:1000 /profile && rm -f /profile/chromium-data/Singleton*'],
          securityContext: { runAsUser: 0 },
          volumeMounts: [{ volume: profile, mountPath: '/profile' }],
          resources: { memoryRequest: Size.mebibytes(32), memoryLimit: Size.mebibytes(64) },
        },
        {
          name: 'turn-cred',
          image: PYTHON_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['python3', '/scripts/turn_cred.py'],
          env: {
            TURN_SECRET: { secretName: turn.secretName, key: 'turn_secret' },
            COTURN_BACKEND_URL: 'turn:10.0.20.205:3478',
            COTURN_FRONTEND_URL: 'turn:turn.viktorbarzin.me:3478',
            COTURN_STUN_URL: 'stun:turn.viktorbarzin.me:3478',
          },
          volumeMounts: [{ volume: ice, mountPath: '/ice' }, ro(scripts, '/scripts')],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(32),
            memoryLimit: Size.mebibytes(96),
          },
        },
      ],
      containers: [
        {
          // root: neko's supervisord brings up Xorg and PulseAudio, then drops to uid 1000
          name: 'neko',
          image: NEKO_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          securityContext: { runAsUser: 0 },
          command: ['sh', '-c', nekoStart.content],
          env: {
            NEKO_DESKTOP_SCREEN: '1920x1080@30',
            NEKO_MEMBER_MULTIUSER_ADMIN_PASSWORD: secretsKey('neko_admin_password'),
            NEKO_MEMBER_PROVIDER: 'multiuser',
            NEKO_SESSION_IMPLICIT_HOSTING: 'true',
            NEKO_SESSION_MERCIFUL_RECONNECT: 'true',
            NEKO_SERVER_BIND: '0.0.0.0:8080',
            NEKO_SERVER_PROXY: 'true',
            NEKO_WEBRTC_ICELITE: 'false',
            NEKO_WEBRTC_UDPMUX: String(NEKO_UDPMUX),
            // unset, neko would advertise the WAN address: viewers must get the media LB address
            NEKO_WEBRTC_NAT1TO1: MEDIA_LB_IP,
            NEKO_CAPTURE_VIDEO_CODEC: 'h264',
            NEKO_CAPTURE_VIDEO_PIPELINE: VIDEO_PIPELINE,
            NEKO_CAPTURE_SCREENCAST_ENABLED: 'true',
            NEKO_CAPTURE_SCREENCAST_RATE: '10/1',
            NEKO_CAPTURE_SCREENCAST_QUALITY: '60',
          },
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { name: 'media', containerPort: NEKO_UDPMUX, protocol: 'UDP' },
          ],
          // neko's health and Chrome's CDP: a wedged Chrome keeps its port open
          livenessProbe: Probe.exec(
            [
              'sh',
              '-c',
              'curl -fsS --max-time 5 http://127.0.0.1:8080/health >/dev/null && curl -fsS --max-time 5 http://127.0.0.1:9223/json/version >/dev/null',
            ],
            { initialDelay: Duration.seconds(60), period: Duration.seconds(30), failureThreshold: 3 },
          ),
          readinessProbe: health({ initialDelay: Duration.seconds(10), period: Duration.seconds(10) }),
          startupProbe: health({ period: Duration.seconds(5), failureThreshold: 36 }),
          volumeMounts: [
            { volume: profile, mountPath: '/profile' },
            { volume: dshm, mountPath: '/dev/shm' },
            ro(ice, '/ice'),
            // our launch flags and managed policy over the image's own files
            ro(nekoConf, '/etc/neko/supervisord/google-chrome.conf', 'google-chrome.conf'),
            ro(nekoConf, '/etc/opt/chrome/policies/managed/policies.json', 'policies.json'),
          ],
          // software x264 while a viewer watches; the 1Gi /dev/shm counts against the limit
          resources: { cpuRequest: '1', memoryRequest: Size.gibibytes(3), memoryLimit: Size.gibibytes(4) },
        },
        {
          // republishes Chrome's loopback-only CDP (9223) on the pod address (9222)
          name: 'cdp-bridge',
          image: PYTHON_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['python3', '/scripts/cdp_bridge.py'],
          ports: [{ name: 'cdp', containerPort: 9222, protocol: 'TCP' }],
          readinessProbe: Probe.tcpSocket(9222, {
            initialDelay: Duration.seconds(5),
            period: Duration.seconds(10),
          }),
          livenessProbe: Probe.tcpSocket(9222, {
            initialDelay: Duration.seconds(15),
            period: Duration.seconds(30),
          }),
          volumeMounts: [ro(scripts, '/scripts')],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(128),
          },
        },
        {
          // serves the harvested storage state; its bearer token is the only gate
          name: 'snapshot-server',
          image: PYTHON_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['python3', '/scripts/snapshot_server.py'],
          env: {
            PW_TOKEN: secretsKey('api_bearer_token'),
            SNAPSHOT_PATH: `${SNAPSHOT_DIR}/storage-state.json`,
            PORT: '8088',
          },
          ports: [{ name: 'snap', containerPort: 8088, protocol: 'TCP' }],
          livenessProbe: Probe.httpGet('/healthz', 8088, {
            initialDelay: Duration.seconds(5),
            period: Duration.seconds(30),
          }),
          readinessProbe: Probe.httpGet('/healthz', 8088, {
            initialDelay: Duration.seconds(2),
            period: Duration.seconds(10),
          }),
          volumeMounts: [ro(profile, '/profile'), ro(scripts, '/scripts')],
          resources: {
            cpuRequest: '5m',
            memoryRequest: Size.mebibytes(32),
            memoryLimit: Size.mebibytes(96),
          },
        },
      ],
      volumes: [profile, dshm, scripts, ice, nekoConf],
      // the Keel keys Kyverno and earlier rollouts wrote stay ignored as in the tree
      ignoreChanges: [Ignore.keelAnnotations, Ignore.keelRollout],
    });
    nekoStart.guard(browser);
    browser.exposeViaService({
      addressName: 'chrome_service',
      name: 'chrome-service',
      ports: [{ name: 'cdp', port: 9222, targetPort: 9222, protocol: 'TCP' }],
    });
    const view = browser.exposeViaService({
      addressName: 'chrome_view',
      name: 'chrome',
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    });
    browser.exposeViaService({
      addressName: 'chrome_media',
      name: 'chrome-media',
      loadBalancer: { ip: MEDIA_LB_IP, externalTrafficPolicy: 'Local' },
      ports: [{ name: 'media', port: NEKO_UDPMUX, targetPort: NEKO_UDPMUX, protocol: 'UDP' }],
    });
    const snapshot = browser.exposeViaService({
      addressName: 'chrome_snapshot',
      name: 'chrome-snapshot',
      ports: [{ name: 'snap', port: 8088, targetPort: 8088, protocol: 'TCP' }],
    });
    new IngressFactory(stack, 'ingress', {
      namespace: ns,
      name: 'chrome',
      service: view,
      dnsType: DnsType.PROXIED,
      auth: IngressAuth.REQUIRED,
      allowedGroups: CHROME_USERS,
      ingressPath: ['/'],
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Chrome Service',
        'gethomepage.dev/description': 'Live neko WebRTC view of headed Chrome',
        'gethomepage.dev/icon': 'chromium.png',
        'gethomepage.dev/group': 'Infrastructure',
      },
      legacyAddress: 'module.ingress',
    });
    // the snapshot path carved out of the same host: bearer-gated by the sidecar, no forward-auth
    new IngressFactory(stack, 'ingress_snapshot', {
      namespace: ns,
      name: 'chrome-snapshot',
      host: 'chrome',
      service: snapshot,
      port: 8088,
      dnsType: DnsType.NONE,
      auth: IngressAuth.NONE,
      ingressPath: ['/api/snapshot'],
      extraAnnotations: { 'gethomepage.dev/enabled': 'false' },
      legacyAddress: 'module.ingress_snapshot',
    });

    new NamespaceIngressPolicy(stack, 'ws_ingress', {
      namespace: ns,
      name: 'chrome-service-ws-ingress',
      podSelector: LABELS,
      allow: [
        {
          // CDP: opted-in client namespaces, f1-stream by name as a fallback, and our own harvester
          from: [
            { namespaceLabels: { 'chrome-service.viktorbarzin.me/client': 'true' } },
            { namespace: 'f1-stream' },
            { namespace: NAMESPACE },
          ],
          ports: [9222],
        },
        { fromNamespace: 'traefik', ports: [8080, 8088] },
        {
          // media: the networks that can route to the media address
          from: [{ cidr: '10.0.0.0/8' }, { cidr: '192.168.0.0/16' }, { cidr: '100.64.0.0/10' }],
          ports: [NEKO_UDPMUX],
          protocol: 'UDP',
        },
      ],
    });

    // Jobs on the profile run beside the browser: the volume is ReadWriteOnce
    const profileJob: Partial<CronJobProps> = {
      concurrencyPolicy: 'Replace',
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 1,
      startingDeadline: Duration.seconds(60),
      backoffLimit: 2,
      ttlAfterFinished: Duration.seconds(300),
      restartPolicy: 'OnFailure',
      affinity: { podAffinityRequired: [{ matchLabels: LABELS, topologyKey: 'kubernetes.io/hostname' }] },
    };
    const backupScript = treeHeredoc(stack, 'command', { index: 1 });
    const backup = Volume.fromPvc('backup', backupNfs.claimName);
    const backupJob = new CronJob(stack, 'chrome_service_backup', {
      ...profileJob,
      namespace: ns,
      name: 'chrome-service-backup',
      schedule: '47 */6 * * *',
      containers: [
        {
          name: 'backup',
          image: 'docker.io/library/alpine:3.20',
          command: ['/bin/sh', '-c', backupScript.content],
          volumeMounts: [ro(profile, '/profile'), { volume: backup, mountPath: '/backup' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(32),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
      volumes: [profile, backup],
    });
    backupScript.guard(backupJob);
    const harvestScript = treeHeredoc(stack, 'args', { index: 0 });
    const harvester = new CronJob(stack, 'chrome_service_snapshot_harvester', {
      ...profileJob,
      namespace: ns,
      name: 'chrome-service-snapshot-harvester',
      // hourly, off the backup's minute
      schedule: '23 * * * *',
      containers: [
        {
          name: 'harvester',
          image: PYTHON_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['bash', '-c'],
          args: [harvestScript.content],
          env: {
            CDP_URL: 'http://chrome-service.chrome-service.svc.cluster.local:9222',
            SNAPSHOT_DIR,
            PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
          },
          volumeMounts: [{ volume: profile, mountPath: '/profile' }, ro(scripts, '/scripts')],
          resources: {
            cpuRequest: '20m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
      volumes: [profile, scripts],
    });
    harvestScript.guard(harvester);

    // --- The worker pool: the broker creates a bare pod per session, one warm worker waits ---
    const brokerAccount = new ServiceAccount(stack, 'broker_account', {
      addressName: 'broker',
      namespace: ns,
      name: 'chrome-broker',
    });
    new AccessRole(stack, 'broker_role', {
      addressName: 'broker',
      name: 'chrome-broker',
      namespace: ns,
      rules: [
        {
          apiGroups: [''],
          resources: ['pods'],
          verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch'],
        },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      ],
    }).grant('broker', { name: 'chrome-broker', subjects: [brokerAccount.subject] });
    const brokerPayloads = BROKER_FILES.map((f) => treePayload(stack, `files/broker/${f}`));
    const brokerMap = new ConfigMap(stack, 'broker_scripts', {
      v1: true,
      namespace: ns,
      name: 'chrome-broker-scripts',
      labels: LABELS,
      data: Object.fromEntries(BROKER_FILES.map((f, i) => [f, brokerPayloads[i].content])),
      payloads: brokerPayloads,
    });
    const brokerVolume = Volume.fromConfigMap('broker', brokerMap.name, { defaultMode: '0555' });
    const brokerStart = treeHeredoc(stack, 'args', { file: 'broker.tf' });
    const brokerHealth = (timing: Parameters<typeof Probe.httpGet>[2]) =>
      Probe.httpGet('/healthz', 8080, timing);
    const broker = new Deployment(stack, 'broker', {
      namespace: ns,
      name: 'chrome-broker',
      selector: { app: 'chrome-broker' },
      tierLabel: false,
      annotations: reloader('auto'),
      strategy: 'RollingUpdate',
      rollingUpdate: { maxSurge: '1', maxUnavailable: '0' },
      podAnnotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8080',
        'prometheus.io/path': '/metrics',
      },
      serviceAccountName: brokerAccount.name,
      ...POD_SECURITY,
      containers: [
        {
          name: 'broker',
          image: PYTHON_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['bash', '-c'],
          args: [brokerStart.content],
          env: {
            NAMESPACE: NAMESPACE,
            MAX_WORKERS: '6',
            IDLE_TTL_SECONDS: '1200',
            SESSION_DEADLINE_SECONDS: '3600',
            PORT: '8080',
            PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
            PYTHONUNBUFFERED: '1',
          },
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          livenessProbe: brokerHealth({ initialDelay: Duration.seconds(30), period: Duration.seconds(30) }),
          readinessProbe: brokerHealth({ initialDelay: Duration.seconds(5), period: Duration.seconds(10) }),
          volumeMounts: [ro(brokerVolume, '/broker')],
          resources: {
            cpuRequest: '20m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
      volumes: [brokerVolume],
      ignoreChanges: [Ignore.tierLabel],
    });
    brokerStart.guard(broker);
    const fleet = broker.exposeViaService({
      name: 'chrome-fleet',
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
    // FleetView lists and kills agent sessions and has no login of its own
    new IngressFactory(stack, 'ingress_fleet', {
      namespace: ns,
      name: 'chrome-fleet',
      host: 'chrome-fleet',
      service: fleet,
      port: 8080,
      dnsType: DnsType.PROXIED,
      auth: IngressAuth.REQUIRED,
      allowedGroups: CHROME_USERS,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'FleetView',
        'gethomepage.dev/description': 'chrome-service pool — live agent browser sessions',
        'gethomepage.dev/icon': 'chromium.png',
        'gethomepage.dev/group': 'Infrastructure',
      },
      legacyAddress: 'module.ingress_fleet',
    });

    // The warm worker: selected on its role only, so the broker's bare workers are never adopted
    const workerProfile = Volume.emptyDir('profile');
    const workerShm = Volume.emptyDir('dshm', { medium: 'Memory', sizeLimit: '512Mi' });
    const warm = new Deployment(stack, 'worker_warm', {
      namespace: ns,
      name: 'chrome-worker-warm',
      selector: { 'chrome-pool/role': 'warm' },
      labels: { app: 'chrome-worker' },
      podLabels: { app: 'chrome-worker' },
      tierLabel: false,
      keel: Keel.never(),
      strategy: 'RollingUpdate',
      // stays inside the pod quota; a short gap without a warm worker is fine
      rollingUpdate: { maxSurge: '0', maxUnavailable: '1' },
      imagePullSecrets: ['registry-credentials'],
      ...POD_SECURITY,
      containers: [
        {
          name: 'chrome',
          image: 'ghcr.io/viktorbarzin/chrome-service-browser:latest',
          command: ['bash', '/scripts/worker_entrypoint.sh'],
          env: { DISPLAY: ':99', HOME: '/profile' },
          ports: [{ name: 'cdp', containerPort: 9222, protocol: 'TCP' }],
          readinessProbe: Probe.tcpSocket(9222, {
            initialDelay: Duration.seconds(3),
            period: Duration.seconds(3),
            failureThreshold: 30,
          }),
          // the CPU limit is deliberate: a single-session browser pegging cores is a bug
          resources: {
            cpuRequest: '250m',
            memoryRequest: Size.gibibytes(2),
            cpuLimit: '4',
            memoryLimit: Size.gibibytes(4),
          },
          volumeMounts: [
            { volume: workerProfile, mountPath: '/profile' },
            { volume: workerShm, mountPath: '/dev/shm' },
            ro(scripts, '/scripts'),
          ],
        },
      ],
      volumes: [workerProfile, workerShm, scripts],
      ignoreChanges: [Ignore.tierLabel, Ignore.keelAnnotations, Ignore.keelUpdateTime],
    });
    suppressRule(
      warm,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/chrome-service-browser:latest (keel.sh/policy=never)',
    );

    // emo's `homelab browser`: a token for his kubeconfig, port-forward here and read-only elsewhere
    const emo = new ServiceAccount(stack, 'emo_browser', {
      namespace: ns,
      name: 'emo-browser',
      tokenSecret: { name: 'emo-browser-token' },
    });
    new AccessRole(stack, 'browser_portforward', {
      name: 'chrome-service-portforward',
      namespace: ns,
      rules: [{ apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }],
    }).grant('emo_browser_portforward', { name: 'emo-browser-portforward', subjects: [emo.subject] });
    // the ClusterRole is stacks/rbac's
    new RoleGrant(stack, 'emo_browser_readonly', {
      name: 'emo-browser-readonly',
      role: { kind: 'ClusterRole', name: 'oidc-power-user-readonly' },
      subjects: [emo.subject],
    });
  },
});
