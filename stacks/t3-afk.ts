// t3-afk: the in-cluster T3 Code instance that executes and shows the AFK implementation pipeline's
// agent runs (parked: zero replicas; reviving it is replicas = 1). Stock node:24; init containers fix
// the NFS permissions and install the pinned t3 CLI onto the volume; a dispatcher sidecar (the tree
// owner's files/dispatcher.js) pairs Authentik-gated browsers and proxies to `t3 serve`. The two shell
// commands are the tree's inline heredocs, read at plan time. Tree: stacks/t3-afk.
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { tlsSecretNameNotSensitive } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc, treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** Full node:24 (not -slim): it ships git and the build tools node-pty needs. */
export const IMAGE = 'docker.io/library/node:24';
/** The pinned npm versions the install heredoc interpolates. */
export const T3_VERSION = '0.0.27';
export const CLAUDE_CLI_VERSION = 'latest';
/** The tree's dispatcher sidecar (path in the tree's stack directory). */
export const DISPATCHER = 'files/dispatcher.js';
const T3_PORT = 3773;
const DISPATCHER_PORT = 8080;
const NODE_UID = 1000;

export default defineStack({
  name: 't3-afk',
  description: 'In-cluster T3 Code executor + cockpit of the AFK pipeline (parked), behind Authentik',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    tlsSecretNameNotSensitive(stack); // the tree's variable "tls_secret_name" {} is not sensitive
    const ns = new TieredNamespace(stack, 't3_afk', {
      name: 't3-afk',
      tier: Tier.AUX,
      keelEnrolled: false,
      istioInjectionDisabled: false,
      ignoreGoldilocksLabel: false,
    });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 't3-afk-secrets',
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      data: [
        {
          secretKey: 'CLAUDE_CODE_OAUTH_TOKEN',
          vault: { path: 'claude-agent-service', property: 'claude_oauth_token' },
        },
        { secretKey: 'GITHUB_TOKEN', vault: { path: 'viktor', property: 'github_pat' } },
        { secretKey: 'FORGEJO_TOKEN', vault: { path: 'ci/global', property: 'forgejo_push_token' } },
      ],
      dependsOn: [ns.resource],
    });
    const dispatcherFile = treePayload(stack, DISPATCHER);
    const dispatcherScript = new ConfigMap(stack, 'dispatcher', {
      namespace: ns,
      name: 't3-afk-dispatcher',
      data: { 'dispatcher.js': dispatcherFile.content },
      payloads: [dispatcherFile],
    });
    // SSD NFS: state.sqlite, the server signing key, worktrees and the npm install
    const dataNfs = new NfsVolume(stack, 'data', {
      name: 't3-afk-data',
      namespace: ns,
      nfsServer: '192.168.1.127',
      nfsPath: '/srv/nfs-ssd/t3-afk-data',
      storage: '30Gi',
      legacyAddress: 'module.data',
    });
    const data = Volume.fromPvc('data', dataNfs.claimName);
    const scripts = Volume.fromConfigMap('dispatcher', dispatcherScript.name);
    const install = treeHeredoc(stack, 'command', { index: 0 });
    const serve = treeHeredoc(stack, 'command', { index: 1 });
    const home = { HOME: '/home/node' };
    const app = new Deployment(stack, 't3_afk', {
      namespace: ns,
      name: 't3-afk',
      // Keel must never move node:24 (a patch "downgrade" broke t3's node requirement)
      keel: Keel.never(),
      tierLabel: false,
      ignoreChanges: [Ignore.keelUpdateTime, Ignore.tierLabel],
      replicas: 0, // parked; the volume, Service, ingress and secrets stay
      strategy: 'Recreate', // one writer of state.sqlite
      waitForRollout: false, // a cold start (image pull + npm install) outlasts the rollout wait
      podRunAsUser: NODE_UID,
      podRunAsGroup: NODE_UID,
      fsGroup: NODE_UID,
      initContainers: [
        {
          name: 'fix-perms',
          image: 'busybox:1.37',
          command: [
            'sh',
            '-c',
            `mkdir -p /data && chown -R ${NODE_UID}:${NODE_UID} /data && chmod 0775 /data`,
          ],
          securityContext: { runAsUser: 0 }, // NFS mounts land root-owned
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          resources: { memoryRequest: Size.mebibytes(32), memoryLimit: Size.mebibytes(64) },
        },
        {
          name: 'install-t3',
          image: IMAGE,
          command: [
            'bash',
            '-c',
            install.template(
              `{ local = { t3_version = "${T3_VERSION}", claude_cli_version = "${CLAUDE_CLI_VERSION}" } }`,
            ),
          ],
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          resources: {
            cpuRequest: '200m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.gibibytes(1),
          },
        },
      ],
      containers: [
        {
          name: 't3',
          image: IMAGE,
          command: ['bash', '-c', serve.content],
          ports: [T3_PORT],
          envFrom: [{ secretName: secrets.secretName }],
          env: { ...home, T3CODE_HOME: '/data/t3' },
          // the API wants auth even for health: probe the socket
          livenessProbe: Probe.tcpSocket(T3_PORT, {
            initialDelay: Duration.seconds(30),
            period: Duration.seconds(30),
          }),
          readinessProbe: Probe.tcpSocket(T3_PORT, {
            initialDelay: Duration.seconds(15),
            period: Duration.seconds(10),
          }),
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          resources: { cpuRequest: '1', memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(4) },
        },
        {
          name: 'dispatcher',
          image: IMAGE,
          command: ['node', '/scripts/dispatcher.js'],
          ports: [DISPATCHER_PORT],
          env: home,
          readinessProbe: Probe.httpGet('/healthz', DISPATCHER_PORT, {
            initialDelay: Duration.seconds(10),
            period: Duration.seconds(10),
          }),
          volumeMounts: [
            { volume: data, mountPath: '/data' },
            { volume: scripts, mountPath: '/scripts' },
          ],
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [data, scripts],
    });
    for (const h of [install, serve]) h.guard(app);
    suppressRule(
      app,
      'images-pinned',
      `tree parity: the tree runs ${IMAGE}; Keel is kept off it (policy never)`,
    );
    new IngressFactory(stack, 'ingress', {
      name: 't3-afk',
      namespace: ns,
      // the Service fronts the dispatcher, which proxies to t3 serve
      service: app.exposeViaService({
        ports: [{ port: T3_PORT, targetPort: DISPATCHER_PORT }],
        type: 'ClusterIP',
      }),
      auth: IngressAuth.REQUIRED, // the cockpit has no login of its own
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/description': 'In-cluster T3 Code instance for the AFK pipeline',
        'gethomepage.dev/icon': 'mdi-sleep',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
