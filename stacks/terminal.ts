// terminal: the web terminal (ttyd and the multi-session lobby) that runs on the DevVM, published at
// terminal.viktorbarzin.me behind Authentik. Each DevVM service is a selectorless Service + Endpoints;
// path routes the ingress factory cannot express are Traefik IngressRoutes on the same host. The PWA's
// static files are carved out of Authentik (icon and service-worker fetchers carry no cookies). A
// suspended probe CronJob runs the tree's inline script (a heredoc, read at plan time). Tree: stacks/terminal.
import { OffClusterService } from '../constructs/blocks/external-service';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { IngressRoute, SharedMiddleware, TraefikMiddleware } from '../constructs/blocks/traefik';
import { CronJob } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

/** The DevVM that runs ttyd and the lobby services. */
export const DEVVM = '10.0.10.10';
export const HOST = 'terminal.viktorbarzin.me';
/** The static PWA files served without Authentik (exact paths, from a fixed whitelist in the app). */
export const PUBLIC_ASSETS = [
  '/manifest.webmanifest',
  '/icon-192.png',
  '/icon-512.png',
  '/icon-512-maskable.png',
  '/sw.js',
  '/fonts/JetBrainsMono-Regular.woff2',
  '/fonts/JetBrainsMono-Bold.woff2',
  '/fonts/JetBrainsMono-Italic.woff2',
  '/fonts/JetBrainsMono-BoldItalic.woff2',
  '/fonts/dm-sans-latin-wght-normal.woff2',
];
/** The session-events service's path prefixes. */
const SESSION_EVENT_PATHS = [
  'events',
  'prompt',
  'cancel',
  'earlier',
  'result',
  'pane',
  'keys',
  'commands',
  'search',
  'answer-text',
];

const homepage = (name: string, description: string) => ({
  'gethomepage.dev/enabled': 'true',
  'gethomepage.dev/name': name,
  'gethomepage.dev/description': description,
  'gethomepage.dev/icon': 'mdi-console',
  'gethomepage.dev/group': 'Infrastructure',
  'gethomepage.dev/pod-selector': '',
});

export default defineStack({
  name: 'terminal',
  description: 'Web terminal (ttyd + multi-session lobby) on the DevVM, behind Authentik',
  after: [],
  build(stack) {
    const ns = new TieredNamespace(stack, 'terminal', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const devvm = (id: string, name: string, port: number) =>
      new OffClusterService(stack, id, { name, namespace: ns.name, ip: DEVVM, port, addressName: id });
    const ttyd = new OffClusterService(stack, 'ttyd', {
      name: 'terminal',
      namespace: ns.name,
      ip: DEVVM,
      port: 7681,
      addressName: 'terminal', // the tree's name; the namespace construct has the id
    });
    const ttydRo = devvm('terminal_ro', 'terminal-ro', 7682);
    const clipboard = devvm('clipboard_upload', 'clipboard-upload', 7683);
    const tmuxApi = devvm('tmux_api', 'tmux-api', 7684);
    const sessionEvents = devvm('session_events', 'session-events', 7685);
    const fileApi = devvm('file_api', 'file-api', 7686);
    const skillsApi = devvm('skills_api', 'skills-api', 7688);

    // compression for the lobby page and the single-file frontend (Traefik defaults)
    const compress = new TraefikMiddleware(stack, 'terminal_compress', {
      namespace: ns,
      name: 'compress',
      compress: true,
    });
    new IngressFactory(stack, 'ingress', {
      name: 'terminal',
      namespace: ns,
      service: ttyd,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraMiddlewares: [compress.ingressMiddleware],
      extraAnnotations: homepage('Terminal', 'Web terminal (ttyd)'),
      legacyAddress: 'module.ingress',
    });
    new IngressFactory(stack, 'ingress_assets', {
      name: 'terminal-assets',
      fullHost: HOST, // the main host: a derived host would never match the carve-out
      namespace: ns,
      service: clipboard,
      ingressPath: PUBLIC_ASSETS,
      auth: IngressAuth.NONE, // no user data; OS icon fetchers carry no session cookie
      dnsType: DnsType.NONE, // the main ingress owns the record
      antiAiScraping: false,
      homepageEnabled: false,
      legacyAddress: 'module.ingress_assets',
    });
    new IngressFactory(stack, 'ingress_ro', {
      name: 'terminal-ro',
      namespace: ns,
      service: ttydRo,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage('Terminal (Read-Only)', 'Read-only web terminal (ttyd)'),
      legacyAddress: 'module.ingress_ro',
    });

    // Lobby services on the main host, each behind Authentik.
    const onHost = (rule: string) => `Host(\`${HOST}\`) && ${rule}`;
    const stripPrefix = (id: string, name: string, prefix: string) =>
      new TraefikMiddleware(stack, id, {
        namespace: ns,
        name,
        stripPrefixes: [prefix],
      });
    const route = (
      id: string,
      name: string,
      match: string,
      service: OffClusterService,
      extra = [] as TraefikMiddleware[],
    ) =>
      new IngressRoute(stack, id, {
        namespace: ns,
        name,
        routes: [
          {
            match: onHost(match),
            middlewares: [SharedMiddleware.AUTHENTIK_FORWARD_AUTH, ...extra.map((m) => m.ref)],
            services: [{ name: service.name, port: service.port }],
          },
        ],
      });
    route('clipboard_ingressroute', 'clipboard-upload', 'PathPrefix(`/clipboard/`)', clipboard, [
      stripPrefix('clipboard_strip_prefix', 'clipboard-strip-prefix', '/clipboard'),
    ]);
    route('tmux_api_ingressroute', 'tmux-api', 'PathPrefix(`/api/sessions/`)', tmuxApi, [
      stripPrefix('tmux_api_strip_prefix', 'tmux-api-strip-prefix', '/api/sessions'),
    ]);
    route(
      'session_events_ingressroute',
      'session-events',
      `(${SESSION_EVENT_PATHS.map((p) => `PathPrefix(\`/${p}/\`)`).join(' || ')})`,
      sessionEvents,
    );
    route('file_api_ingressroute', 'file-api', 'PathPrefix(`/files/`)', fileApi);
    route('skills_api_ingressroute', 'skills-api', '(Path(`/skills`) || PathPrefix(`/skills/`))', skillsApi);
    route('term_html_ingressroute', 'terminal-term-html', 'Path(`/term.html`)', clipboard);

    // Suspended, as in the tree: checks the token, WebSocket and in-cluster ttyd paths and pushes metrics.
    const probe = treeHeredoc(stack, 'command', { index: 0 });
    const probeJob = new CronJob(stack, 'webterminal_probe', {
      namespace: ns,
      name: 'webterminal-probe',
      schedule: '*/5 * * * *',
      suspend: true,
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 1,
      backoffLimit: 1,
      activeDeadline: Duration.minutes(5),
      ttlAfterFinished: Duration.minutes(10),
      podLabels: { app: 'webterminal-probe' },
      containers: [
        {
          name: 'probe',
          image: 'docker.io/library/alpine:3.20',
          imagePullPolicy: 'IfNotPresent',
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(32),
            memoryLimit: Size.mebibytes(96),
          },
          env: {
            TARGET_HOST: HOST,
            PUSHGATEWAY:
              'http://prometheus-prometheus-pushgateway.monitoring:9091/metrics/job/webterminal-probe',
          },
          command: ['/bin/sh', '-c', probe.content],
        },
      ],
    });
    probe.guard(probeJob);
  },
});
