// Parity of stacks/terminal with the tree's stacks/terminal (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import terminal, { PUBLIC_ASSETS } from '../../stacks/terminal';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(terminal);
const DEVVM_SERVICES = [
  ['terminal', 'terminal', 7681],
  ['terminal_ro', 'terminal-ro', 7682],
  ['clipboard_upload', 'clipboard-upload', 7683],
  ['tmux_api', 'tmux-api', 7684],
  ['session_events', 'session-events', 7685],
  ['file_api', 'file-api', 7686],
  ['skills_api', 'skills-api', 7688],
] as const;
const ROUTES = [
  'clipboard_ingressroute',
  'tmux_api_ingressroute',
  'session_events_ingressroute',
  'file_api_ingressroute',
  'skills_api_ingressroute',
  'term_html_ingressroute',
];
const TREE_ADDRESSES = [
  'kubernetes_namespace.terminal',
  'module.tls_secret.kubernetes_secret.tls_secret',
  ...DEVVM_SERVICES.flatMap(([id]) => [`kubernetes_service.${id}`, `kubernetes_endpoints.${id}`]),
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_assets.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_ro.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_manifest.terminal_compress',
  'kubernetes_manifest.clipboard_strip_prefix',
  'kubernetes_manifest.tmux_api_strip_prefix',
  ...ROUTES.map((r) => `kubernetes_manifest.${r}`),
  'kubernetes_cron_job_v1.webterminal_probe',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const ROUTER = 'traefik.ingress.kubernetes.io/router.middlewares';
const AUTH = { name: 'authentik-forward-auth', namespace: 'traefik' };

describe('stack terminal', () => {
  it('is in the registry, with no dependency, with pg state', () => {
    expect(STACKS).toContain(terminal);
    expect(terminal.after).toEqual([]);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'terminal' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('every DevVM service is a selectorless http/80 Service and an Endpoints on 10.0.10.10', () => {
    for (const [id, name, port] of DEVVM_SERVICES) {
      const svc = comparable(at(`kubernetes_service.${id}`));
      expect(svc.metadata).toEqual({ name, namespace: 'terminal', labels: { app: name } });
      expect(svc.spec).toEqual({ port: [{ name: 'http', port: 80, target_port: String(port) }] });
      expect(comparable(at(`kubernetes_endpoints.${id}`)).subset).toEqual([
        { address: [{ ip: '10.0.10.10' }], port: [{ name: 'http', port }] },
      ]);
    }
  });

  it('the main route compresses after the factory chain; read-only has its own host', () => {
    const main = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(main.metadata.annotations[ROUTER]).toMatch(/authentik.*,terminal-compress@kubernetescrd$/);
    expect(main.metadata.annotations['gethomepage.dev/name']).toBe('Terminal');
    expect(comparable(at('kubernetes_manifest.terminal_compress')).manifest.spec).toEqual({ compress: {} });
    const ro = at('module.ingress_ro.kubernetes_ingress_v1.proxied-ingress');
    expect(ro.spec.rule[0].host).toBe('terminal-ro.viktorbarzin.me');
    expect(ro.metadata.annotations['gethomepage.dev/name']).toBe('Terminal (Read-Only)');
  });

  it('only the ten PWA files skip Authentik, on the main host, without a record or homepage tile', () => {
    const assets = at('module.ingress_assets.kubernetes_ingress_v1.proxied-ingress');
    expect(assets.spec.rule[0].host).toBe('terminal.viktorbarzin.me');
    expect(assets.spec.rule[0].http.path.map((p: Json) => p.path)).toEqual(PUBLIC_ASSETS);
    expect(PUBLIC_ASSETS).toHaveLength(10);
    expect(assets.spec.rule[0].http.path[0].backend.service.name).toBe('clipboard-upload');
    const a = assets.metadata.annotations;
    expect(a[ROUTER]).not.toContain('authentik');
    expect(Object.keys(a).filter((k) => k.startsWith('gethomepage.dev/'))).toEqual([]);
    expect(a['cloudflare.viktorbarzin.me/dns-type']).toBeUndefined();
  });

  it('the lobby routes are Authentik-gated IngressRoutes on the main host', () => {
    const route = (r: string) => comparable(at(`kubernetes_manifest.${r}`)).manifest;
    const tmux = route('tmux_api_ingressroute');
    expect(tmux.metadata.name).toBe('tmux-api');
    expect(tmux.spec.entryPoints).toEqual(['websecure']);
    expect(tmux.spec.routes).toEqual([
      {
        match: 'Host(`terminal.viktorbarzin.me`) && PathPrefix(`/api/sessions/`)',
        kind: 'Rule',
        middlewares: [AUTH, { name: 'tmux-api-strip-prefix', namespace: 'terminal' }],
        services: [{ name: 'tmux-api', port: 80 }],
      },
    ]);
    expect(at('kubernetes_manifest.tmux_api_ingressroute').manifest.spec.tls).toEqual({
      secretName: '${sensitive("tls-secret")}',
    });
    expect(route('session_events_ingressroute').spec.routes[0].match).toBe(
      'Host(`terminal.viktorbarzin.me`) && (PathPrefix(`/events/`) || PathPrefix(`/prompt/`) || PathPrefix(`/cancel/`) || PathPrefix(`/earlier/`) || PathPrefix(`/result/`) || PathPrefix(`/pane/`) || PathPrefix(`/keys/`) || PathPrefix(`/commands/`) || PathPrefix(`/search/`) || PathPrefix(`/answer-text/`))',
    );
    expect(route('skills_api_ingressroute').spec.routes[0].match).toBe(
      'Host(`terminal.viktorbarzin.me`) && (Path(`/skills`) || PathPrefix(`/skills/`))',
    );
    const term = route('term_html_ingressroute');
    expect(term.metadata.name).toBe('terminal-term-html');
    expect(term.spec.routes[0].middlewares).toEqual([AUTH]);
    expect(term.spec.routes[0].services).toEqual([{ name: 'clipboard-upload', port: 80 }]);
    expect(comparable(at('kubernetes_manifest.clipboard_strip_prefix')).manifest.spec).toEqual({
      stripPrefix: { prefixes: ['/clipboard'] },
    });
  });

  it("the probe stays suspended and runs the tree's inline script", () => {
    const raw = at('kubernetes_cron_job_v1.webterminal_probe');
    const cj = comparable(raw);
    expect(cj.metadata.labels).toBeUndefined();
    expect(cj.spec).toMatchObject({
      schedule: '*/5 * * * *',
      suspend: true,
      concurrency_policy: 'Forbid',
      failed_jobs_history_limit: 3,
      successful_jobs_history_limit: 1,
    });
    const job = cj.spec.job_template.spec;
    expect([job.backoff_limit, job.active_deadline_seconds, job.ttl_seconds_after_finished]).toEqual([
      1,
      300,
      '600',
    ]);
    expect(job.template.metadata.labels).toEqual({ app: 'webterminal-probe' });
    const [c] = job.template.spec.container;
    expect(c.image).toBe('docker.io/library/alpine:3.20');
    expect(c.command[2]).toContain('tree-payloads/terminal/_heredoc/main.tf/command/0');
    expect(c.env).toEqual([
      { name: 'TARGET_HOST', value: 'terminal.viktorbarzin.me' },
      {
        name: 'PUSHGATEWAY',
        value: 'http://prometheus-prometheus-pushgateway.monitoring:9091/metrics/job/webterminal-probe',
      },
    ]);
    expect(raw.lifecycle.precondition).toHaveLength(1);
  });
});
