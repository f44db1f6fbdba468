// real-estate-crawler ("Wrongmove"): the owner's property search. A UI behind Anubis, an API (own login:
// WebAuthn and OIDC) on /api of the same host, and Celery workers that scrape on the beat's schedules,
// on the shared MySQL and Redis. CI sets every image (Keel policy never). Tree: stacks/real-estate-crawler.
import { Fn } from 'cdktf';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { AnubisSite } from '../constructs/patterns/anubis-site';
import { Ignore } from '../lib/conventions/lifecycle';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const NS = 'realestate-crawler';
const BACKEND_IMAGE = 'viktorbarzin/realestatecrawler:latest';
const UI_IMAGE = 'viktorbarzin/immoweb:latest';

/** What the beat schedules (rendered with jsonencode, as the tree). */
export const SCRAPE_SCHEDULES = [
  {
    name: 'london-rent-daily',
    listing_type: 'RENT',
    minute: '0',
    hour: '3',
    day_of_week: '*',
    min_bedrooms: 1,
    max_bedrooms: 2,
    min_price: 1900,
    max_price: 4000,
    district_names: ['London'],
  },
  {
    name: 'london-buy-weekly',
    listing_type: 'BUY',
    minute: '0',
    hour: '4',
    day_of_week: '0',
    min_bedrooms: 1,
    max_bedrooms: 2,
    min_price: 400000,
    max_price: 1200000,
    district_names: ['London'],
  },
];

/** ESO renders the Docker Hub pull secret from the PAT (Go template, as the tree writes it). */
const DOCKERCONFIG_TEMPLATE =
  '{"auths":{"https://index.docker.io/v1/":{"username":"viktorbarzin","password":"{{ .pat }}","auth":"{{ printf "viktorbarzin:%s" .pat | b64enc }}"}}}';

export default defineStack({
  name: 'real-estate-crawler',
  description: 'Wrongmove property search: UI behind Anubis, API, Celery scrapers on shared MySQL/Redis',
  after: ['platform', 'vault'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'realestate-crawler', {
      name: NS,
      tier: Tier.AUX,
      keelEnrolled: false,
    });
    const appSecrets = new ExternalSecret(stack, 'external_secret', {
      name: 'real-estate-crawler-secrets',
      namespace: ns.byLiteralName,
      extractPaths: ['real-estate-crawler'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    const db = new ExternalSecret(stack, 'db_external_secret', {
      name: 'realestate-crawler-db-creds',
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      storeName: 'vault-database',
      template: {
        data: { DB_CONNECTION_STRING: `mysql://wrongmove:{{ .password }}@${site.mysqlHost}:3306/wrongmove` },
      },
      data: [
        { secretKey: 'password', vault: { path: 'static-creds/mysql-wrongmove', property: 'password' } },
      ],
      dependsOn: [ns.resource],
    });
    const slack = new ExternalSecret(stack, 'slack_external_secret', {
      name: 'realestate-crawler-slack',
      namespace: ns,
      refreshInterval: '1h',
      data: [
        { secretKey: 'SLACK_WEBHOOK_URL', vault: { path: 'viktor', property: 'alertmanager_slack_api_url' } },
      ],
      dependsOn: [ns.resource],
    });
    const pull = new ExternalSecret(stack, 'dockerhub_pull_secret', {
      name: 'dockerhub-pull-secret',
      namespace: ns,
      refreshInterval: '1h',
      template: {
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': DOCKERCONFIG_TEMPLATE },
      },
      data: [{ secretKey: 'pat', vault: { path: 'viktor', property: 'dockerhub_registry_password' } }],
      dependsOn: [ns.resource],
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const dataNfs = new NfsVolume(stack, 'nfs_data_host', {
      name: 'real-estate-crawler-data-host',
      namespace: ns,
      nfsServer: '192.168.1.127',
      nfsPath: '/srv/nfs/real-estate-crawler',
      legacyAddress: 'module.nfs_data_host',
    });
    const data = Volume.fromPvc('data', dataNfs.claimName);
    const appData = { volume: data, mountPath: '/app/data' };
    const pullSecrets = [pull.secretName];
    const dbUrl = { secretName: db.secretName, key: 'DB_CONNECTION_STRING' };
    const celery = {
      CELERY_BROKER_URL: `redis://${site.redisHost}:6379/0`,
      CELERY_RESULT_BACKEND: `redis://${site.redisHost}:6379/1`,
    };
    const routing = {
      OSRM_FOOT_URL: 'http://osrm-foot.osm-routing.svc.cluster.local:5000',
      OSRM_BICYCLE_URL: 'http://osrm-bicycle.osm-routing.svc.cluster.local:5000',
      OTP_URL: 'http://otp.osm-routing.svc.cluster.local:8080',
    };
    // the backends start once MySQL and Redis answer (Kyverno's wait-for init)
    const waitForDeps = { 'dependency.kyverno.io/wait-for': 'mysql.dbaas:3306,redis-master.redis:6379' };
    // CI sets an immutable tag per commit: Keel never, the image ignored
    const ciImage = [Ignore.keelImage(0), Ignore.keelAnnotations];
    const ciWorker = [...ciImage, Ignore.keelRollout];

    const ui = new Deployment(stack, 'realestate-crawler-ui', {
      namespace: ns,
      name: 'realestate-crawler-ui',
      keel: Keel.never(),
      ignoreChanges: ciImage,
      replicas: 2,
      strategy: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '0', maxSurge: '1' },
      imagePullSecrets: pullSecrets,
      containers: [
        {
          name: 'realestate-crawler-ui',
          image: UI_IMAGE,
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: { ENV: 'prod' },
        },
      ],
    });
    const api = new Deployment(stack, 'realestate-crawler-api', {
      namespace: ns,
      name: 'realestate-crawler-api',
      keel: Keel.never(),
      ignoreChanges: ciImage,
      annotations: reloader('auto'),
      replicas: 2,
      strategy: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '1', maxSurge: '0' },
      podLabels: { 'kubernetes.io/cluster-service': 'true' },
      podAnnotations: waitForDeps,
      imagePullSecrets: pullSecrets,
      containers: [
        {
          name: 'realestate-crawler-api',
          image: BACKEND_IMAGE,
          env: {
            ENV: 'prod',
            DB_CONNECTION_STRING: dbUrl,
            ...celery,
            UVICORN_LOG_LEVEL: 'debug',
            ...routing,
            SLACK_WEBHOOK_URL: { secretName: slack.secretName, key: 'SLACK_WEBHOOK_URL' },
            SLACK_CHANNEL: '#alerts',
            WEBAUTHN_RP_ID: 'wrongmove.viktorbarzin.me',
            WEBAUTHN_ORIGIN: 'https://wrongmove.viktorbarzin.me',
            APP_ENV: 'production',
            OIDC_CLIENT_ID: '5AJKRgcdgVm1OyApBzFkadDFfStW9a555zwv2MOe',
            JWT_SECRET: { secretName: appSecrets.secretName, key: 'jwt_secret' },
          },
          ports: [{ name: 'http', containerPort: 5001, protocol: 'TCP' }],
          // ~150 s for the migrations at start
          startupProbe: Probe.httpGet('/api/version', 5001, {
            period: Duration.seconds(5),
            failureThreshold: 30,
          }),
          readinessProbe: Probe.httpGet('/api/version', 5001, {
            period: Duration.seconds(10),
            timeout: Duration.seconds(5),
            failureThreshold: 3,
          }),
          resources: {
            cpuRequest: '15m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.mebibytes(512),
          },
          volumeMounts: [appData],
        },
      ],
      volumes: [data],
      dependsOn: [slack.resource],
    });
    const worker = new Deployment(stack, 'realestate-crawler-celery', {
      namespace: ns,
      name: 'realestate-crawler-celery',
      keel: Keel.never(),
      ignoreChanges: ciWorker,
      annotations: reloader('auto'),
      strategy: 'Recreate',
      podAnnotations: waitForDeps,
      imagePullSecrets: pullSecrets,
      containers: [
        {
          name: 'celery-worker',
          image: BACKEND_IMAGE,
          command: [
            'python',
            '-m',
            'celery',
            '-A',
            'celery_app',
            'worker',
            '--loglevel=info',
            '--pool=threads',
          ],
          resources: { cpuRequest: '15m', memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(1) },
          ports: [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
          env: { ENV: 'prod', DB_CONNECTION_STRING: dbUrl, ...celery, ...routing },
          volumeMounts: [appData],
        },
      ],
      volumes: [data],
    });
    const beat = new Deployment(stack, 'realestate-crawler-celery-beat', {
      namespace: ns,
      name: 'realestate-crawler-celery-beat',
      keel: Keel.never(),
      ignoreChanges: ciWorker,
      annotations: reloader('auto'),
      strategy: 'Recreate', // one beat at a time
      podAnnotations: waitForDeps,
      imagePullSecrets: pullSecrets,
      containers: [
        {
          name: 'celery-beat',
          image: BACKEND_IMAGE,
          command: ['python', '-m', 'celery', '-A', 'celery_app', 'beat', '--loglevel=info'],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(256),
          },
          env: {
            ENV: 'prod',
            DB_CONNECTION_STRING: dbUrl,
            ...celery,
            SCRAPE_SCHEDULES: Fn.jsonencode(SCRAPE_SCHEDULES),
          },
          volumeMounts: [appData],
        },
      ],
      volumes: [data],
    });
    for (const [workload, image] of [
      [ui, UI_IMAGE],
      [api, BACKEND_IMAGE],
      [worker, BACKEND_IMAGE],
      [beat, BACKEND_IMAGE],
    ] as const)
      suppressRule(workload, 'images-pinned', `tree parity: the tree runs ${image}; CI sets the live tag`);

    const apiService = api.exposeViaService({ ports: [{ port: 80, targetPort: 5001 }] });
    worker.exposeViaService({
      name: 'realestate-crawler-celery-metrics',
      addressName: 'realestate-crawler-celery-metrics',
      ports: [{ port: 9090, targetPort: 9090 }],
    });
    new AnubisSite(stack, 'anubis', {
      name: 'wrongmove',
      namespace: ns,
      backend: ui.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] }),
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/12',
      ingress: {
        dnsType: DnsType.PROXIED,
        extraMiddlewares: ['traefik-x402@kubernetescrd'],
        extraAnnotations: {
          'gethomepage.dev/enabled': 'true',
          'gethomepage.dev/name': 'Wrongmove',
          'gethomepage.dev/description': 'Property search',
          'gethomepage.dev/icon': 'home-assistant.png',
          'gethomepage.dev/group': 'Other',
          'gethomepage.dev/pod-selector': '',
        },
        legacyAddress: 'module.ingress',
      },
      legacyAddress: 'module.anubis',
    });
    new IngressFactory(stack, 'ingress-api', {
      name: 'wrongmove-api',
      host: 'wrongmove',
      namespace: ns,
      service: apiService,
      ingressPath: ['/api'],
      auth: IngressAuth.NONE, // the API has its own login
      dnsType: DnsType.PROXIED,
      extraAnnotations: { 'gethomepage.dev/enabled': 'false' },
      legacyAddress: 'module.ingress-api',
    });
  },
});
