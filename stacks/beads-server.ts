// beads-server: the shared Dolt SQL server behind the beads task tracker (on the shared MetalLB IP for
// the agents outside the cluster), its Dolt Workbench UI with the GraphQL route, BeadBoard (the agents'
// task board, behind Authentik) and two parked CronJobs that dispatch open agent beads and reap stale
// claims. The SQL and shell scripts are the tree owner's inline heredocs, read at plan time.
// Tree: stacks/beads-server.
import { Fn } from 'cdktf';
import { ConfigMap } from '../constructs/blocks/config-map';
import { EncryptedPvc, PLAIN_STORAGE_CLASS } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { PathIngress } from '../constructs/blocks/path-ingress';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import {
  type ContainerProps,
  CronJob,
  Deployment,
  Job,
  Keel,
  Probe,
  Volume,
} from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { homepage, reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { jsonencode } from '../lib/terraform/json';
import { treeHeredoc } from '../lib/terraform/tree-payload';

/** The tree's default `beadboard_image_tag` (no terragrunt input). */
export const BEADBOARD_TAG = '17a38e43';
/** The dispatcher and reaper run the agent image's `bd` CLI (tree default tag). */
const AGENT_IMAGE = 'ghcr.io/viktorbarzin/claude-agent-service:latest';
const WORKBENCH_IMAGE = 'dolthub/dolt-workbench:0.3.73';
const DOLT_HOST = 'dolt.beads-server.svc.cluster.local';
/** The beads project every client of the server shares. */
const PROJECT_ID = 'a8f8bae7-ce65-4145-a5db-a13d11d297da';
/** The tree's `beads_dispatcher_enabled` default: both CronJobs stay suspended. */
const DISPATCHER_ENABLED = false;

const res = (cpu: string, request: number, limit: number) => ({
  cpuRequest: cpu,
  memoryRequest: Size.mebibytes(request),
  memoryLimit: Size.mebibytes(limit),
});
/** Startup, liveness and readiness with the tree's timings, on one probe action. */
const probes = (probe: (t: Parameters<typeof Probe.tcpSocket>[1]) => ReturnType<typeof Probe.tcpSocket>) => ({
  startupProbe: probe({ failureThreshold: 30, period: Duration.seconds(2) }),
  livenessProbe: probe({ initialDelay: Duration.seconds(10), period: Duration.seconds(30) }),
  readinessProbe: probe({ initialDelay: Duration.seconds(5), period: Duration.seconds(10) }),
});
/** The beads CLI's metadata.json for the Dolt server (`user`: the server account the client logs in as). */
const beadsMetadata = (user: string) =>
  jsonencode({
    database: 'dolt',
    backend: 'dolt',
    dolt_mode: 'server',
    dolt_server_host: DOLT_HOST,
    dolt_server_port: 3306,
    dolt_server_user: user,
    dolt_database: 'code',
    project_id: PROJECT_ID,
  });

export default defineStack({
  name: 'beads-server',
  description: 'Dolt SQL server for beads, Dolt Workbench, BeadBoard (Authentik), parked dispatcher CronJobs',
  after: [],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'beads', {
      name: 'beads-server',
      tier: Tier.AUX,
      istioInjectionDisabled: false,
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });

    // --- Dolt: the SQL server, seeded with the beads user and the presence table on first start.
    const doltPvc = new EncryptedPvc(stack, 'dolt_data', {
      name: 'dolt-data',
      namespace: ns,
      storageClassName: PLAIN_STORAGE_CLASS,
      storage: '2Gi',
      storageLimit: '10Gi',
      resizeIncrease: '100%',
    });
    const userSql = treeHeredoc(stack, '01-create-beads-user.sql');
    const presenceSql = treeHeredoc(stack, '02-create-presence-table.sql');
    const init = new ConfigMap(stack, 'dolt_init', {
      namespace: ns,
      name: 'dolt-init',
      data: {
        '01-create-beads-user.sql': userSql.content,
        '02-create-presence-table.sql': presenceSql.content,
      },
      payloads: [userSql, presenceSql],
    });
    const doltData = Volume.fromPvc('dolt-data', doltPvc.claimName);
    const initScripts = Volume.fromConfigMap('init-scripts', init.name);
    const dolt = new Deployment(stack, 'dolt', {
      namespace: ns,
      name: 'dolt',
      strategy: 'Recreate',
      // the SQL server's version is pinned by hand: Keel never rolls it
      keel: Keel.notEnrolled(),
      annotations: {
        'keel.sh/policy': 'never',
        'keel.sh/match-tag': 'true',
        'keel.sh/trigger': 'poll',
        'keel.sh/pollSchedule': '@every 1h',
      },
      ignoreChanges: [Ignore.keelImage(0)],
      containers: [
        {
          name: 'dolt',
          image: 'dolthub/dolt-sql-server:2.0.3',
          ports: [{ name: 'mysql', containerPort: 3306 }],
          env: { DOLT_ROOT_HOST: '%' },
          volumeMounts: [
            { volume: doltData, mountPath: '/var/lib/dolt' },
            { volume: initScripts, mountPath: '/docker-entrypoint-initdb.d', readOnly: true },
          ],
          ...probes((t) => Probe.tcpSocket(3306, t)),
          resources: res('50m', 256, 512),
        },
      ],
      volumes: [doltData, initScripts],
    });
    // Existing databases never rerun the init scripts: a Job applies the presence table, named after the
    // script's hash so a changed script runs once more.
    const sql = Volume.fromConfigMap('sql', init.name);
    new Job(stack, 'presence_schema_migrate', {
      namespace: ns,
      name: `presence-schema-${Fn.substr(Fn.sha256(Fn.lookup(init.resource.data, '02-create-presence-table.sql')), 0, 8)}`,
      restartPolicy: 'OnFailure',
      backoffLimit: 3,
      waitForCompletion: true,
      createTimeout: Duration.minutes(5),
      containers: [
        {
          name: 'migrate',
          image: 'mysql:8.4',
          command: ['sh', '-c'],
          args: [`mysql -h ${DOLT_HOST} -P 3306 -u root < /sql/02-create-presence-table.sql`],
          volumeMounts: [{ volume: sql, mountPath: '/sql' }],
        },
      ],
      volumes: [sql],
      dependsOn: [dolt],
    });
    // On the shared MetalLB IP: the agents on the DevVM and laptops reach Dolt directly.
    dolt.exposeViaService({
      loadBalancer: {
        ip: site.sharedLbIp,
        sharedIpKey: 'shared',
        externalTrafficPolicy: 'Cluster',
        legacyIpAnnotation: true,
      },
      ports: [{ name: 'mysql', port: 3306, targetPort: 3306 }],
    });

    // --- Dolt Workbench: its store points at the beads database; the GraphQL URL is patched for the ingress.
    const store = new ConfigMap(stack, 'workbench_store', {
      namespace: ns,
      name: 'workbench-store',
      data: {
        'store.json': jsonencode([
          {
            name: 'beads',
            connectionUrl: `mysql://beads@${DOLT_HOST}:3306/code`,
            hideDoltFeatures: false,
            useSSL: false,
            type: 'Mysql',
          },
        ]),
      },
    });
    const seedScript = treeHeredoc(stack, 'command', { index: 0 });
    const startScript = treeHeredoc(stack, 'command', { index: 1 });
    const storeConfig = Volume.fromConfigMap('store-config', store.name);
    const storeDir = Volume.emptyDir('store');
    const staticDir = Volume.emptyDir('static-patched');
    const workbench = new Deployment(stack, 'workbench', {
      namespace: ns,
      name: 'dolt-workbench',
      keel: Keel.enrolled({ initContainers: ['seed-config'] }),
      initContainers: [
        {
          name: 'seed-config',
          image: WORKBENCH_IMAGE,
          command: ['sh', '-c', seedScript.content],
          volumeMounts: [
            { volume: storeConfig, mountPath: '/config', readOnly: true },
            { volume: storeDir, mountPath: '/store' },
            { volume: staticDir, mountPath: '/static' },
          ],
        },
      ],
      containers: [
        {
          name: 'workbench',
          image: WORKBENCH_IMAGE,
          command: ['sh', '-c', startScript.content],
          ports: [
            { name: 'http', containerPort: 3000 },
            { name: 'graphql', containerPort: 9002 },
          ],
          env: {
            NODE_OPTIONS: '--dns-result-order=ipv4first',
            GRAPHQLAPI_URL: 'http://localhost:9002/graphql',
          },
          volumeMounts: [
            { volume: storeDir, mountPath: '/app/graphql-server/store' },
            { volume: staticDir, mountPath: '/app/web/.next/static' },
          ],
          ...probes((t) => Probe.httpGet('/', 3000, t)),
          resources: res('10m', 128, 512),
        },
      ],
      volumes: [storeConfig, storeDir, staticDir],
    });
    seedScript.guard(workbench);
    startScript.guard(workbench);
    const workbenchService = workbench.exposeViaService({
      ports: [
        { name: 'http', port: 80, targetPort: 3000 },
        { name: 'graphql', port: 9002, targetPort: 9002 },
      ],
    });
    const ui = new IngressFactory(stack, 'ingress', {
      name: 'dolt-workbench',
      namespace: ns,
      service: workbenchService,
      auth: IngressAuth.NONE,
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage('Dolt Workbench', 'Beads task database UI', 'mdi-database', 'Core Platform'),
      legacyAddress: 'module.ingress',
    });
    // The browser's GraphQL calls go straight to the server port, without the UI's middleware chain.
    new PathIngress(stack, 'graphql', {
      name: 'dolt-workbench-graphql',
      namespace: ns,
      host: ui.host,
      path: '/graphql',
      pathType: 'Exact',
      service: workbenchService,
      port: 9002,
    });

    // --- BeadBoard: the agents' task board; it dispatches work to claude-agent-service.
    const boardConfig = new ConfigMap(stack, 'beadboard_config', {
      namespace: ns,
      name: 'beadboard-beads-config',
      data: { 'metadata.json': beadsMetadata('root'), 'dolt-server.port': '3306' },
    });
    new ExternalSecret(stack, 'beadboard_agent_service_secret', {
      name: 'beadboard-agent-service',
      namespace: ns,
      refreshInterval: '15m',
      data: [
        {
          secretKey: 'api_bearer_token',
          vault: { path: 'claude-agent-service', property: 'api_bearer_token' },
        },
      ],
    });
    const bearer = { secretName: 'beadboard-agent-service', key: 'api_bearer_token' };
    const beadsConfig = Volume.fromConfigMap('beads-config', boardConfig.name);
    const beadsWritable = Volume.emptyDir('beads-writable');
    const board = new Deployment(stack, 'beadboard', {
      namespace: ns,
      name: 'beadboard',
      annotations: reloader('auto'),
      keel: Keel.enrolled({ initContainers: ['seed-beads-config'] }),
      imagePullSecrets: ['registry-credentials'],
      initContainers: [
        {
          name: 'seed-beads-config',
          image: 'busybox:1.36',
          command: ['sh', '-c', 'cp /config/* /beads/ && mkdir -p /beads/templates /beads/archetypes'],
          volumeMounts: [
            { volume: beadsConfig, mountPath: '/config', readOnly: true },
            { volume: beadsWritable, mountPath: '/beads' },
          ],
        },
      ],
      containers: [
        {
          name: 'beadboard',
          image: `ghcr.io/viktorbarzin/beadboard:${BEADBOARD_TAG}`,
          ports: [{ name: 'http', containerPort: 3000 }],
          env: {
            CLAUDE_AGENT_SERVICE_URL: 'http://claude-agent-service.claude-agent.svc.cluster.local:8080',
            CLAUDE_AGENT_BEARER_TOKEN: bearer,
          },
          volumeMounts: [{ volume: beadsWritable, mountPath: '/app/.beads' }],
          ...probes((t) => Probe.httpGet('/', 3000, t)),
          resources: res('50m', 256, 512),
        },
      ],
      volumes: [beadsConfig, beadsWritable],
    });
    const boardService = board.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 3000 }] });
    new IngressFactory(stack, 'beadboard_ingress', {
      name: 'beadboard',
      namespace: ns,
      service: boardService,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage(
        'BeadBoard',
        'Agent task visualization dashboard',
        'mdi-chart-gantt',
        'Core Platform',
      ),
      legacyAddress: 'module.beadboard_ingress',
    });

    // --- Dispatcher and reaper (suspended unless enabled): the bd CLI against Dolt as the beads user.
    const metadata = new ConfigMap(stack, 'beads_metadata', {
      namespace: ns,
      name: 'beads-metadata',
      data: { 'metadata.json': beadsMetadata('beads') },
    });
    const prelude = treeHeredoc(stack, 'beads_script_prelude');
    const withPrelude = `{ local = { beads_script_prelude = templatefile(${prelude.path}, {}) } }`;
    const metadataVolume = Volume.fromConfigMap('beads-metadata', metadata.name);
    const agentJob = (
      id: string,
      app: string,
      schedule: string,
      index: number,
      container: Partial<ContainerProps>,
    ) => {
      const script = treeHeredoc(stack, 'command', { index });
      const cron = new CronJob(stack, id, {
        namespace: ns,
        name: app,
        schedule,
        suspend: !DISPATCHER_ENABLED,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        startingDeadline: Duration.minutes(1),
        restartPolicy: 'Never',
        backoffLimit: 0,
        ttlAfterFinished: Duration.minutes(10),
        podLabels: { app },
        imagePullSecrets: ['registry-credentials'],
        containers: [
          {
            name: app.replace('beads-', ''),
            image: AGENT_IMAGE,
            command: ['/bin/sh', '-c', script.template(withPrelude)],
            ...container,
            volumeMounts: [{ volume: metadataVolume, mountPath: '/etc/beads-metadata', readOnly: true }],
            resources: res('50m', 128, 256),
          },
        ],
        volumes: [metadataVolume],
      });
      script.guard(cron);
      prelude.guard(cron);
      suppressRule(cron, 'images-pinned', 'tree parity: the tree runs claude-agent-service:latest');
    };
    // every 2 minutes: hand the oldest eligible agent bead to claude-agent-service through BeadBoard
    agentJob('beads_dispatcher', 'beads-dispatcher', '*/2 * * * *', 2, {
      env: {
        BEADBOARD_URL: 'http://beadboard.beads-server.svc.cluster.local',
        API_BEARER_TOKEN: bearer,
        BEADS_ACTOR: 'beads-dispatcher',
        HOME: '/tmp',
      },
    });
    // every 10 minutes: reopen agent beads stuck in progress
    agentJob('beads_reaper', 'beads-reaper', '*/10 * * * *', 3, {
      env: { BEADS_ACTOR: 'beads-reaper', HOME: '/tmp' },
    });
  },
});
