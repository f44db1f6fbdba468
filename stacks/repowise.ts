// repowise: codebase intelligence over the owner's Forgejo repositories. One pod (every SQLite writer
// must share the block volume): the API, the dashboard, the MCP server agents use, and a reconciler
// that clones and reindexes the repositories hourly; an init container builds the cross-repo layer on a
// cold volume. The three Python helpers are the tree owner's (stacks/repowise/files, read at plan time).
// Dashboard and API behind Authentik; /mcp LAN-only behind a per-holder bearer Middleware whose token
// list Vault supplies at plan time. Tree: stacks/repowise.
import { Fn } from 'cdktf';
import { ConfigMap } from '../constructs/blocks/config-map';
import { disruptionBudget } from '../constructs/blocks/disruption-budget';
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TraefikMiddleware } from '../constructs/blocks/traefik';
import { Deployment, Keel, KeelPolicy, Probe, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { vaultKvSecret } from '../lib/terraform/providers';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

const APP = 'repowise';
/** Pinned release; Keel takes patch releases, a minor bump is an edit here. */
export const IMAGE = 'ghcr.io/viktorbarzin/repowise:0.42.0';
/** The uid/gid the image runs as; the volume is chowned to it. */
const RUN_AS = 10001;
const WORKSPACE = '/workspace';
const API_PORT = 7337;
const WEB_PORT = 3000;
const MCP_PORT = 7338;
/** The tree's helper scripts: ConfigMap key -> path in the tree's stack directory. */
export const SCRIPTS = {
  'reconcile.py': 'files/reconcile.py',
  'mcp_serve.py': 'files/mcp_serve.py',
  'cross_repo.py': 'files/cross_repo.py',
} as const;

const SECRETS = 'repowise-secrets';
const secretKey = (key: string) => ({ secretName: SECRETS, key });
const API_KEY = secretKey('api_key');

export default defineStack({
  name: APP,
  description: 'Repowise codebase intelligence over the Forgejo repos: dashboard, API and LAN-only MCP',
  after: ['platform', 'vault', 'traefik', 'forgejo', 'kyverno'],
  build(stack) {
    const ns = new TieredNamespace(stack, APP, { tier: Tier.AUX, istioInjectionDisabled: false });
    // api_key (the app's own bearer), forgejo_token (read-only clone PAT), kuma_push_url (heartbeat)
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns.byLiteralName,
      extractPaths: [APP],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    // No TlsSecret: Kyverno clones tls-secret into every namespace.
    const workspacePvc = new EncryptedPvc(stack, 'workspace', {
      name: 'repowise-workspace',
      namespace: ns,
      storage: '20Gi',
      storageLimit: '60Gi',
      resizeThreshold: '15%',
      resizeIncrease: '50%',
    });
    const files = Object.entries(SCRIPTS).map(([key, path]) => [key, treePayload(stack, path)] as const);
    const scriptsConfig = new ConfigMap(stack, 'scripts', {
      namespace: ns,
      name: 'repowise-scripts',
      data: Object.fromEntries(files.map(([key, p]) => [key, p.content])),
      payloads: files.map(([, p]) => p),
    });

    // The MCP transport has no auth of its own: this Middleware is its credential gate. The token list
    // is rendered into the CRD, so it is read from Vault at plan time.
    const vault = vaultKvSecret(stack, 'secrets', APP);
    const bearer = new TraefikMiddleware(stack, 'bearer_middleware', {
      namespace: ns,
      name: 'bearer-auth',
      pluginName: 'api-token-middleware',
      pluginConfig: {
        authenticationHeader: false,
        bearerHeader: true,
        bearerHeaderName: 'Authorization',
        tokens: Fn.jsondecode(vault.data.lookup('bearer_tokens')),
        removeHeadersOnSuccess: true,
        authenticationErrorMsg: 'Access Denied',
      },
      dependsOn: [ns.resource],
    });

    const workspace = Volume.fromPvc('workspace', workspacePvc.claimName);
    const scripts = Volume.fromConfigMap('scripts', scriptsConfig.name, { defaultMode: '0555' });
    const onWorkspace = { volume: workspace, mountPath: WORKSPACE };
    const withScripts = { volume: scripts, mountPath: '/opt/repowise', readOnly: true };
    const tcp = (port: number, initialDelay: number, period: number) =>
      Probe.tcpSocket(port, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const health = (timing: Parameters<typeof Probe.httpGet>[2]) =>
      Probe.httpGet('/health', API_PORT, timing);
    const loopbackApi = `http://localhost:${API_PORT}`;
    const app = new Deployment(stack, 'repowise', {
      namespace: ns,
      name: APP,
      // pinned tag: patch releases only, polled every 6h
      keel: Keel.policy(KeelPolicy.PATCH, { pollEvery: Duration.hours(6), matchTag: false }),
      annotations: { 'reloader.stakater.com/auto': 'true' },
      strategy: 'Recreate', // RWO volume, one SQLite writer
      imagePullSecrets: ['ghcr-credentials'],
      podRunAsUser: RUN_AS,
      podRunAsGroup: RUN_AS,
      fsGroup: RUN_AS,
      fsGroupChangePolicy: 'OnRootMismatch',
      initContainers: [
        {
          // builds the cross-repo artefacts only on a cold volume; the API loads them once at start
          name: 'cross-repo',
          image: IMAGE,
          workingDir: WORKSPACE,
          command: ['python3', '/opt/repowise/cross_repo.py'],
          env: { REPOWISE_WORKSPACE: WORKSPACE, REPOWISE_EMBEDDER: 'mock', CROSS_REPO_MAX_AGE_HOURS: '168' },
          volumeMounts: [onWorkspace, withScripts],
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.gibibytes(2),
          },
        },
      ],
      containers: [
        {
          name: 'api',
          image: IMAGE,
          workingDir: WORKSPACE,
          command: [
            'uvicorn',
            'repowise.server.app:create_app',
            '--factory',
            '--host',
            '0.0.0.0',
            '--port',
            String(API_PORT),
          ],
          ports: [{ name: 'api', containerPort: API_PORT }],
          env: {
            REPOWISE_HOST: '0.0.0.0',
            REPOWISE_EMBEDDER: 'mock', // no embeddings: nothing leaves the homelab
            REPOWISE_PARSE_WORKERS: '4',
            REPOWISE_API_KEY: API_KEY,
          },
          volumeMounts: [onWorkspace, { volume: workspace, mountPath: '/data', subPath: '.repowise-data' }],
          // tolerant: indexing blocks the event loop for minutes at a time
          startupProbe: health({ failureThreshold: 60, period: Duration.seconds(5) }),
          livenessProbe: health({
            period: Duration.seconds(30),
            timeout: Duration.seconds(15),
            failureThreshold: 10,
          }),
          readinessProbe: health({
            period: Duration.seconds(15),
            timeout: Duration.seconds(10),
            failureThreshold: 6,
          }),
          // the namespace quota (3Gi requests) caps the request below what the API really holds
          resources: { cpuRequest: '50m', memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(4) },
        },
        {
          name: 'web',
          image: IMAGE,
          workingDir: '/app/web',
          command: ['node', 'server.js'],
          ports: [{ name: 'web', containerPort: WEB_PORT }],
          env: {
            PORT: String(WEB_PORT),
            HOSTNAME: '0.0.0.0',
            REPOWISE_API_URL: loopbackApi, // server-side rendering; browsers stay same-origin
            REPOWISE_API_KEY: API_KEY,
          },
          livenessProbe: tcp(WEB_PORT, 15, 30),
          readinessProbe: tcp(WEB_PORT, 5, 10),
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(512),
          },
        },
        {
          name: 'mcp',
          image: IMAGE,
          workingDir: WORKSPACE,
          // the launcher sets a Host allowlist matching the Service and ingress names below
          command: ['python3', '/opt/repowise/mcp_serve.py'],
          ports: [{ name: 'mcp', containerPort: MCP_PORT }],
          env: {
            REPOWISE_HOST: '0.0.0.0',
            REPOWISE_EMBEDDER: 'mock',
            REPOWISE_WORKSPACE: WORKSPACE,
            REPOWISE_MCP_PORT: String(MCP_PORT),
            MCP_SERVICE_NAME: 'repowise-mcp',
            MCP_NAMESPACE: APP,
            MCP_INGRESS_HOST: 'repowise-mcp.viktorbarzin.me',
            REPOWISE_API_KEY: API_KEY, // signs stream tokens; the bearer Middleware gates the tools
          },
          volumeMounts: [onWorkspace, withScripts],
          livenessProbe: tcp(MCP_PORT, 20, 30),
          readinessProbe: tcp(MCP_PORT, 10, 10),
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.gibibytes(1),
          },
        },
        {
          name: 'sync',
          image: IMAGE,
          workingDir: WORKSPACE,
          command: ['python3', '/opt/repowise/reconcile.py'],
          env: {
            REPOWISE_WORKSPACE: WORKSPACE,
            REPOWISE_DEFAULT_REPO: 'infra',
            REPOWISE_API: loopbackApi,
            FORGEJO_BASE: 'https://forgejo.viktorbarzin.me',
            FORGEJO_OWNER: 'viktor',
            FORGEJO_USER: 'viktor',
            SYNC_INTERVAL_SECONDS: '3600',
            REPOWISE_EMBEDDER: 'mock',
            REPOWISE_PARSE_WORKERS: '4',
            REPOWISE_API_KEY: API_KEY,
            FORGEJO_TOKEN: secretKey('forgejo_token'),
            KUMA_PUSH_URL: secretKey('kuma_push_url'),
          },
          volumeMounts: [onWorkspace, withScripts],
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(192),
            memoryLimit: Size.gibibytes(2),
          },
        },
      ],
      volumes: [workspace, scripts],
      dependsOn: [secrets.resource], // the containers read the ESO-made Secret
    });
    disruptionBudget(app, { maxUnavailable: '1' }); // one replica: a drain may still take it

    const service = (id: string, name: string, port: number) =>
      app.exposeViaService({
        id,
        addressName: id,
        name: `repowise-${name}`,
        ports: [{ name, port, targetPort: port }],
      });
    const api = service('api', 'api', API_PORT);
    const web = service('web', 'web', WEB_PORT);
    const mcp = service('mcp', 'mcp', MCP_PORT);

    new IngressFactory(stack, 'ingress_web', {
      name: APP,
      namespace: ns,
      service: web,
      auth: IngressAuth.REQUIRED, // the dashboard has no login of its own
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Repowise',
        'gethomepage.dev/description': 'Codebase intelligence over the Forgejo Corpus',
        'gethomepage.dev/icon': 'si-git',
        'gethomepage.dev/group': 'Core Platform',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress_web',
    });
    // same host as the dashboard (same-origin XHR); /health and /metrics live at the API root
    new IngressFactory(stack, 'ingress_api', {
      name: 'repowise-api',
      host: APP,
      namespace: ns,
      service: api,
      ingressPath: ['/api', '/health', '/metrics'],
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      externalMonitor: false, // ingress_web monitors the host already
      extraAnnotations: { 'gethomepage.dev/description': 'Codebase documentation engine (HTTP API)' },
      legacyAddress: 'module.ingress_api',
    });
    // agents only: home LANs plus the bearer Middleware (error pages first, so a 403 is rendered)
    new IngressFactory(stack, 'ingress_mcp', {
      name: 'repowise-mcp',
      namespace: ns,
      service: mcp,
      ingressPath: ['/mcp'],
      auth: IngressAuth.NONE, // MCP clients cannot follow a forward-auth redirect
      dnsType: DnsType.INTERNAL,
      externalMonitor: false, // unreachable from outside by design
      extraMiddlewares: [
        'traefik-error-pages-403@kubernetescrd',
        'traefik-home-lans-only@kubernetescrd',
        bearer.ingressMiddleware, // repowise-bearer-auth@kubernetescrd
      ],
      extraAnnotations: { 'gethomepage.dev/description': 'Codebase documentation engine (MCP endpoint)' },
      dependsOn: [bearer.resource],
      legacyAddress: 'module.ingress_mcp',
    });
  },
});
