// IngressFactory against real call sites of the tree (stacks at HEAD 0cd4afb6): the expected values are
// what the tree's ingress_factory module renders for each call.
import { SENSITIVE_TLS_SECRET_NAME, namespaceNamed } from '../../support/synth';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DnsType,
  IngressAuth,
  IngressFactory,
  maxBodySizeBytes,
  SablierStrategy,
} from '../../../constructs/blocks/ingress-factory';
import {
  synth,
  testStack,
  resource,
  resourcesOf,
  moves,
  expectConfigError,
  type TfJson,
} from '../../support/synth';

const mw = (...names: string[]) =>
  names.map((n) => (n.includes('@') ? n : `traefik-${n}@kubernetescrd`)).join(',');
const ROUTER = 'traefik.ingress.kubernetes.io/router.middlewares';
const ENTRY = { 'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure' };

let json: TfJson;
const ing = (name: string) => resource(json, 'kubernetes_ingress_v1', name);

beforeAll(() => {
  const s = testStack('ingress-sites');
  // stacks/forgejo
  new IngressFactory(s, 'forgejo', {
    auth: IngressAuth.NONE,
    dnsType: DnsType.NON_PROXIED,
    namespace: namespaceNamed('forgejo'),
    name: 'forgejo',
    maxBodySize: '5g',
    extraAnnotations: {
      'gethomepage.dev/enabled': 'true',
      'gethomepage.dev/name': 'Forgejo',
      'gethomepage.dev/description': 'Git hosting',
      'gethomepage.dev/icon': 'forgejo.png',
      'gethomepage.dev/group': 'Development & CI',
      'gethomepage.dev/pod-selector': '',
      'uptime.viktorbarzin.me/external-monitor-path': '/api/healthz',
    },
    legacyAddress: 'module.ingress',
  });
  // stacks/t3code module.ingress and module.ingress_probe
  new IngressFactory(s, 't3', {
    dnsType: DnsType.PROXIED,
    namespace: namespaceNamed('t3code'),
    name: 't3',
    serviceName: 't3',
    auth: IngressAuth.REQUIRED,
    allowedGroups: ['T3 Users'],
    extraAnnotations: {
      'gethomepage.dev/enabled': 'true',
      'gethomepage.dev/name': 'T3 Code',
      'gethomepage.dev/description': 'Coding-agent GUI (per-user, t3 serve on DevVM)',
      'gethomepage.dev/icon': 'mdi-robot',
      'gethomepage.dev/group': 'Infrastructure',
      'gethomepage.dev/pod-selector': '',
    },
  });
  new IngressFactory(s, 't3_probe', {
    auth: IngressAuth.NONE,
    antiAiScraping: false,
    dnsType: DnsType.NONE,
    namespace: namespaceNamed('t3code'),
    name: 't3-probe',
    homepageEnabled: false,
    serviceName: 't3',
    fullHost: 't3.viktorbarzin.me',
    ingressPath: ['/probe'],
  });
  // stacks/blog module.ingress (Anubis-fronted apex) and module.ingress_net_diag (carve-out)
  new IngressFactory(s, 'blog', {
    auth: IngressAuth.NONE,
    namespace: namespaceNamed('website'),
    name: 'blog',
    serviceName: 'anubis-blog',
    port: 8080,
    extraMiddlewares: ['traefik-x402@kubernetescrd'],
    fullHost: 'viktorbarzin.me',
    dnsType: DnsType.PROXIED,
    antiAiScraping: false,
    extraAnnotations: {
      'gethomepage.dev/enabled': 'true',
      'gethomepage.dev/name': 'Blog',
      'gethomepage.dev/description': 'Personal blog',
      'gethomepage.dev/icon': 'hugo.png',
      'gethomepage.dev/group': 'Other',
      'gethomepage.dev/pod-selector': '',
    },
  });
  new IngressFactory(s, 'blog_net_diag', {
    auth: IngressAuth.NONE,
    namespace: namespaceNamed('website'),
    name: 'blog-net-diag',
    homepageEnabled: false,
    serviceName: 'blog',
    port: 80,
    ingressPath: ['/net-diag.sh'],
    fullHost: 'viktorbarzin.me',
    dnsType: DnsType.NONE,
    antiAiScraping: false,
  });
  // stacks/privatebin: sablier (dynamic) + custom CSP
  new IngressFactory(s, 'privatebin', {
    sablier: { group: 'privatebin' },
    auth: IngressAuth.NONE,
    namespace: namespaceNamed('privatebin'),
    name: 'privatebin',
    host: 'pb',
    dnsType: DnsType.PROXIED,
    extraMiddlewares: ['traefik-x402@kubernetescrd'],
    customContentSecurityPolicy: "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'",
    extraAnnotations: { 'gethomepage.dev/name': 'PrivateBin' },
  });
  // stacks/grampsweb: internal DNS, sablier, buffering, home-lans-only, monitor off
  new IngressFactory(s, 'grampsweb', {
    sablier: { group: 'grampsweb' },
    namespace: namespaceNamed('grampsweb'),
    name: 'family',
    serviceName: 'grampsweb',
    maxBodySize: '500m',
    auth: IngressAuth.REQUIRED,
    dnsType: DnsType.INTERNAL,
    extraMiddlewares: ['traefik-home-lans-only@kubernetescrd'],
    externalMonitor: false,
  });
  // stacks/affine: auth app, blocking sablier, non-proxied
  new IngressFactory(s, 'affine', {
    sablier: { group: 'affine', strategy: SablierStrategy.BLOCKING },
    auth: IngressAuth.APP,
    dnsType: DnsType.NON_PROXIED,
    namespace: namespaceNamed('affine'),
    name: 'affine',
    maxBodySize: '500m',
  });
  // stacks/echo: public auth
  new IngressFactory(s, 'echo', {
    auth: IngressAuth.PUBLIC,
    dnsType: DnsType.PROXIED,
    namespace: namespaceNamed('echo'),
    name: 'echo',
    extraAnnotations: {
      'gethomepage.dev/description': 'Header-reflecting endpoint for ingress smoke tests',
      'gethomepage.dev/icon': 'mdi-broadcast',
    },
  });
  json = synth(s);
});

describe('IngressFactory on real call sites', () => {
  it('forgejo: non-proxied, buffering, homepage overrides, monitor path, A + AAAA', () => {
    const i = ing('forgejo');
    expect(i.metadata).toEqual({
      name: 'forgejo',
      namespace: 'forgejo',
      annotations: {
        [ROUTER]: mw(
          'retry',
          'error-pages',
          'rate-limit',
          'csp-headers',
          'ai-bot-block',
          'anti-ai-headers',
          'forgejo-buffering-forgejo@kubernetescrd',
        ),
        ...ENTRY,
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Forgejo',
        'gethomepage.dev/group': 'Development & CI',
        'gethomepage.dev/href': 'https://forgejo.viktorbarzin.me',
        'gethomepage.dev/icon': 'forgejo.png',
        'gethomepage.dev/description': 'Git hosting',
        'gethomepage.dev/pod-selector': '',
        'uptime.viktorbarzin.me/external-monitor-path': '/api/healthz',
        'cloudflare.viktorbarzin.me/dns-type': 'non-proxied',
        'uptime.viktorbarzin.me/external-monitor': 'true',
      },
    });
    expect(i.spec).toEqual({
      ingress_class_name: 'traefik',
      tls: [{ hosts: ['forgejo.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
      rule: [
        {
          host: 'forgejo.viktorbarzin.me',
          http: { path: [{ path: '/', backend: { service: { name: 'forgejo', port: { number: 80 } } } }] },
        },
      ],
    });
    expect(resource(json, 'kubernetes_manifest', 'forgejo_buffering').manifest).toEqual({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'buffering-forgejo', namespace: 'forgejo' },
      spec: { buffering: { maxRequestBodyBytes: 5368709120 } },
    });
    const record = {
      name: 'forgejo',
      proxied: false,
      ttl: 1,
      zone_id: 'fd2c5dd4efe8fe38958944e74d0ced6d',
      allow_overwrite: true,
    };
    expect(resource(json, 'cloudflare_record', 'forgejo_non_proxied_a')).toEqual({
      ...record,
      type: 'A',
      content: '176.12.22.76',
    });
    expect(resource(json, 'cloudflare_record', 'forgejo_non_proxied_aaaa')).toEqual({
      ...record,
      type: 'AAAA',
      content: '2001:470:6e:43d::2',
    });
  });

  it('forgejo: moved blocks from every module.ingress address it replaces', () => {
    const m = moves(json);
    expect(m.get('module.ingress.kubernetes_ingress_v1.proxied-ingress')).toBe(
      'kubernetes_ingress_v1.forgejo',
    );
    expect(m.get('module.ingress.kubernetes_manifest.buffering[0]')).toBe(
      'kubernetes_manifest.forgejo_buffering',
    );
    expect(m.get('module.ingress.cloudflare_record.non_proxied_a[0]')).toBe(
      'cloudflare_record.forgejo_non_proxied_a',
    );
    expect(m.get('module.ingress.cloudflare_record.non_proxied_aaaa[0]')).toBe(
      'cloudflare_record.forgejo_non_proxied_aaaa',
    );
    expect(m.size).toBe(4);
  });

  it('t3: forward-auth with its allowed group, proxied without a record (wildcard)', () => {
    const a = ing('t3').metadata.annotations;
    expect(a[ROUTER]).toBe(mw('retry', 'error-pages', 'rate-limit', 'csp-headers', 'authentik-forward-auth'));
    expect(a['authentik.viktorbarzin.me/allowed-groups']).toBe('T3 Users');
    expect(a['gethomepage.dev/href']).toBe('https://t3.viktorbarzin.me');
    expect(a['gethomepage.dev/icon']).toBe('mdi-robot');
    expect(a['gethomepage.dev/group']).toBe('Infrastructure');
    expect(a['cloudflare.viktorbarzin.me/dns-type']).toBe('proxied');
    expect(a['uptime.viktorbarzin.me/external-monitor']).toBe('true');
    expect(Object.keys(resourcesOf(json, 'cloudflare_record')).filter((k) => k.startsWith('t3'))).toEqual([]);
  });

  it('repowise mcp: dependsOn orders the ingress after the Middleware its chain names', () => {
    const s = testStack();
    const ns = namespaceNamed('repowise');
    const first = new IngressFactory(s, 'ingress_web', { name: 'repowise', namespace: ns });
    new IngressFactory(s, 'ingress_mcp', {
      name: 'repowise-mcp',
      namespace: ns,
      auth: IngressAuth.NONE,
      dnsType: DnsType.NONE,
      dependsOn: [first.ingress],
    });
    const j = synth(s);
    expect(resource(j, 'kubernetes_ingress_v1', 'ingress_mcp').depends_on).toEqual([
      'kubernetes_ingress_v1.ingress_web',
    ]);
    expect(resource(j, 'kubernetes_ingress_v1', 'ingress_web').depends_on).toBeUndefined();
  });

  it('t3 /probe: only the router annotations, path /probe on the full host', () => {
    const i = ing('t3_probe');
    expect(i.metadata.annotations).toEqual({
      [ROUTER]: mw('retry', 'error-pages', 'rate-limit', 'csp-headers'),
      ...ENTRY,
    });
    expect(i.spec.rule).toEqual([
      {
        host: 't3.viktorbarzin.me',
        http: { path: [{ path: '/probe', backend: { service: { name: 't3', port: { number: 80 } } } }] },
      },
    ]);
  });

  it('blog: Anubis backend gets real-ip first, apex gets the tunnel CNAME', () => {
    const i = ing('blog');
    expect(i.metadata.annotations[ROUTER]).toBe(
      mw('real-ip', 'retry', 'error-pages', 'rate-limit', 'csp-headers', 'traefik-x402@kubernetescrd'),
    );
    expect(i.metadata.annotations['gethomepage.dev/href']).toBe('https://viktorbarzin.me');
    expect(i.metadata.annotations['gethomepage.dev/icon']).toBe('hugo.png');
    expect(i.spec.rule[0]).toEqual({
      host: 'viktorbarzin.me',
      http: { path: [{ path: '/', backend: { service: { name: 'anubis-blog', port: { number: 8080 } } } }] },
    });
    expect(resource(json, 'cloudflare_record', 'blog_proxied')).toEqual({
      name: '@',
      content: '75182cd7-bb91-4310-b961-5d8967da8b41.cfargotunnel.com',
      proxied: true,
      ttl: 1,
      type: 'CNAME',
      zone_id: 'fd2c5dd4efe8fe38958944e74d0ced6d',
      allow_overwrite: true,
    });
  });

  it('blog /net-diag.sh carve-out: bare backend, no DNS, no homepage tile', () => {
    const i = ing('blog_net_diag');
    expect(i.metadata.annotations).toEqual({
      [ROUTER]: mw('retry', 'error-pages', 'rate-limit', 'csp-headers'),
      ...ENTRY,
    });
    expect(i.spec.rule[0].http.path).toEqual([
      { path: '/net-diag.sh', backend: { service: { name: 'blog', port: { number: 80 } } } },
    ]);
    expect(i.spec.rule[0].host).toBe('viktorbarzin.me');
    expect(
      Object.keys(resourcesOf(json, 'cloudflare_record')).filter((k) => k.startsWith('blog_net')),
    ).toEqual([]);
  });

  it('privatebin: sablier after auth position, custom CSP replaces csp-headers, x402 last', () => {
    const a = ing('privatebin').metadata.annotations;
    expect(a[ROUTER]).toBe(
      mw(
        'retry',
        'error-pages',
        'rate-limit',
        'ai-bot-block',
        'anti-ai-headers',
        'privatebin-sablier-privatebin@kubernetescrd',
        'privatebin-custom-csp-privatebin@kubernetescrd',
        'traefik-x402@kubernetescrd',
      ),
    );
    expect(a['gethomepage.dev/href']).toBe('https://pb.viktorbarzin.me');
    expect(resource(json, 'kubernetes_manifest', 'privatebin_custom_csp').manifest).toEqual({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'custom-csp-privatebin', namespace: 'privatebin' },
      spec: {
        headers: {
          contentSecurityPolicy: "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'",
        },
      },
    });
    // Byte-identical to Terraform's yamlencode() of the module's object (captured with terraform console).
    expect(resource(json, 'kubectl_manifest', 'privatebin_sablier').yaml_body).toBe(
      [
        '"apiVersion": "traefik.io/v1alpha1"',
        '"kind": "Middleware"',
        '"metadata":',
        '  "name": "sablier-privatebin"',
        '  "namespace": "privatebin"',
        '"spec":',
        '  "plugin":',
        '    "sablier":',
        '      "dynamic":',
        '        "displayName": "privatebin"',
        '        "refreshFrequency": "5s"',
        '        "showDetails": "true"',
        '        "theme": "ghost"',
        '      "failOpen": true',
        '      "group": "privatebin"',
        '      "ignoreUserAgent":',
        '      - "(?i)uptime-?kuma"',
        '      - "(?i)blackbox"',
        '      - "Go-http-client"',
        '      "sablierUrl": "http://sablier.sablier.svc.cluster.local:10000"',
        '      "sessionDuration": "3h"',
        '',
      ].join('\n'),
    );
  });

  it('grampsweb: internal A record, monitor explicitly off, default allowed group', () => {
    const i = ing('grampsweb');
    expect(i.metadata.annotations).toMatchObject({
      [ROUTER]: mw(
        'retry',
        'error-pages',
        'rate-limit',
        'csp-headers',
        'authentik-forward-auth',
        'grampsweb-sablier-family@kubernetescrd',
        'grampsweb-buffering-family@kubernetescrd',
        'home-lans-only',
      ),
      'cloudflare.viktorbarzin.me/dns-type': 'internal',
      'uptime.viktorbarzin.me/external-monitor': 'false',
      'authentik.viktorbarzin.me/allowed-groups': 'Home Server Admins',
      'gethomepage.dev/name': 'family',
      'gethomepage.dev/group': 'Other',
    });
    expect(i.spec.rule[0].http.path[0].backend.service.name).toBe('grampsweb');
    expect(resource(json, 'cloudflare_record', 'grampsweb_internal_a')).toMatchObject({
      name: 'family',
      type: 'A',
      content: '10.0.20.203',
      proxied: false,
    });
    expect(
      resource(json, 'kubernetes_manifest', 'grampsweb_buffering').manifest.spec.buffering
        .maxRequestBodyBytes,
    ).toBe(524288000);
  });

  it('affine: auth app keeps anti-AI, blocking sablier body', () => {
    expect(ing('affine').metadata.annotations[ROUTER]).toBe(
      mw(
        'retry',
        'error-pages',
        'rate-limit',
        'csp-headers',
        'ai-bot-block',
        'anti-ai-headers',
        'affine-sablier-affine@kubernetescrd',
        'affine-buffering-affine@kubernetescrd',
      ),
    );
    expect(resource(json, 'kubectl_manifest', 'affine_sablier').yaml_body).toContain(
      '    "sablier":\n      "blocking":\n        "timeout": "5m"\n      "failOpen": true\n      "group": "affine"\n',
    );
    expect(Object.keys(resourcesOf(json, 'cloudflare_record')).filter((k) => k.startsWith('affine'))).toEqual(
      ['affine_non_proxied_a', 'affine_non_proxied_aaaa'],
    );
  });

  it('echo: public outpost, no allowed-groups annotation', () => {
    const a = ing('echo').metadata.annotations;
    expect(a).toEqual({
      [ROUTER]: mw('retry', 'error-pages', 'rate-limit', 'csp-headers', 'authentik-forward-auth-public'),
      ...ENTRY,
      'gethomepage.dev/enabled': 'true',
      'gethomepage.dev/name': 'echo',
      'gethomepage.dev/group': 'Other',
      'gethomepage.dev/href': 'https://echo.viktorbarzin.me',
      'gethomepage.dev/icon': 'mdi-broadcast',
      'gethomepage.dev/description': 'Header-reflecting endpoint for ingress smoke tests',
      'cloudflare.viktorbarzin.me/dns-type': 'proxied',
      'uptime.viktorbarzin.me/external-monitor': 'true',
    });
  });

  it('creates the cloudflare provider (api key from Vault) and kubectl provider only because they are used', () => {
    expect(json.provider?.cloudflare).toEqual([
      {
        api_key: '${data.vault_kv_secret_v2.cf_platform.data["cloudflare_api_key"]}',
        email: 'vbarzin@gmail.com',
      },
    ]);
    expect(json.provider?.kubectl).toEqual([
      { config_path: '${var.kube_config_path}', load_config_file: true },
    ]);
  });
});

describe('IngressFactory behaviour', () => {
  it('de-duplicates middlewares, keeping the first occurrence', () => {
    const s = testStack();
    const f = new IngressFactory(s, 'x', {
      name: 'x',
      namespace: namespaceNamed('ns'),
      auth: IngressAuth.REQUIRED,
      extraMiddlewares: [
        'traefik-retry@kubernetescrd',
        'traefik-x402@kubernetescrd',
        'traefik-x402@kubernetescrd',
      ],
    });
    expect(f.middlewares).toBe(
      mw('retry', 'error-pages', 'rate-limit', 'csp-headers', 'authentik-forward-auth', 'x402'),
    );
  });

  it('extra annotations cannot override DNS, monitor or allowed-group keys', () => {
    const s = testStack();
    const f = new IngressFactory(s, 'x', {
      name: 'x',
      namespace: namespaceNamed('ns'),
      dnsType: DnsType.PROXIED,
      allowedGroups: ['A', 'B'],
      extraAnnotations: {
        'cloudflare.viktorbarzin.me/dns-type': 'none',
        'uptime.viktorbarzin.me/external-monitor': 'false',
        'authentik.viktorbarzin.me/allowed-groups': 'everyone',
        'gethomepage.dev/group': 'Mine',
      },
    });
    expect(f.annotations['cloudflare.viktorbarzin.me/dns-type']).toBe('proxied');
    expect(f.annotations['uptime.viktorbarzin.me/external-monitor']).toBe('true');
    expect(f.annotations['authentik.viktorbarzin.me/allowed-groups']).toBe('A,B');
    expect(f.annotations['gethomepage.dev/group']).toBe('Mine');
  });

  it('homepage defaults: group from namespace, name and icon from the ingress name', () => {
    const s = testStack();
    const f = new IngressFactory(s, 'x', {
      name: 'home-assistant-ui',
      namespace: namespaceNamed('home-assistant'),
    });
    expect(f.annotations['gethomepage.dev/group']).toBe('Smart Home');
    expect(f.annotations['gethomepage.dev/name']).toBe('home assistant ui');
    expect(f.annotations['gethomepage.dev/icon']).toBe('homeassistantui.png');
  });

  it('external monitor name and local-only, no rate limit', () => {
    const s = testStack();
    const f = new IngressFactory(s, 'x', {
      name: 'x',
      namespace: namespaceNamed('ns'),
      dnsType: DnsType.NON_PROXIED,
      externalMonitorName: 'xx',
      allowLocalAccessOnly: true,
      skipDefaultRateLimit: true,
    });
    expect(f.annotations['uptime.viktorbarzin.me/external-monitor-name']).toBe('xx');
    expect(f.middlewares).toBe(
      mw('retry', 'error-pages', 'csp-headers', 'authentik-forward-auth', 'local-only'),
    );
  });

  it('several paths become several backend paths, in order', () => {
    const s = testStack();
    new IngressFactory(s, 'x', {
      name: 'x',
      namespace: namespaceNamed('ns'),
      ingressPath: ['/a', '/b'],
      port: 3000,
    });
    const paths = resource(synth(s), 'kubernetes_ingress_v1', 'x').spec.rule[0].http.path;
    expect(paths.map((p: { path: string }) => p.path)).toEqual(['/a', '/b']);
    expect(paths[1].backend.service.port.number).toBe(3000);
  });

  it('max body size units', () => {
    expect(maxBodySizeBytes('5g')).toBe(5368709120);
    expect(maxBodySizeBytes('5G')).toBe(5368709120);
    expect(maxBodySizeBytes('100m')).toBe(104857600);
    expect(maxBodySizeBytes('512k')).toBe(524288);
    expect(maxBodySizeBytes('1000')).toBe(1000);
    expect(maxBodySizeBytes('5gb')).toBeUndefined();
  });

  it('a stack without DNS records or sablier gets neither the cloudflare nor the kubectl provider', () => {
    const s = testStack();
    new IngressFactory(s, 'x', { name: 'x', namespace: namespaceNamed('ns'), dnsType: DnsType.PROXIED });
    const j = synth(s);
    expect(j.provider?.cloudflare).toBeUndefined();
    expect(j.provider?.kubectl).toBeUndefined();
    expect(j.data).toBeUndefined();
    expect(Object.keys(j.terraform.required_providers ?? {})).toEqual(['kubernetes']);
  });
});

describe('IngressFactory guards', () => {
  const make = (props: Record<string, unknown>) => () =>
    new IngressFactory(testStack('guards'), 'web', {
      name: 'web',
      namespace: namespaceNamed('ns'),
      ...props,
    } as never);

  it.each([
    ['auth', { auth: 'private' }, '"private"', 'one of "required", "app", "public", "none"'],
    ['dnsType', { dnsType: 'cname' }, '"cname"', 'one of "proxied", "non-proxied", "internal", "none"'],
    ['maxBodySize', { maxBodySize: '5GB' }, '"5GB"', 'digits with an optional k, m or g suffix'],
    ['sablier.strategy', { sablier: { strategy: 'lazy' } }, '"lazy"', 'one of "dynamic", "blocking"'],
    ['name', { name: '' }, '""', 'a Kubernetes object name'],
    ['namespace.name', { namespace: namespaceNamed('') }, '""', 'a DNS-1123 label'],
    ['namespace.name', { namespace: namespaceNamed('Web_Apps') }, '"Web_Apps"', 'a DNS-1123 label'],
    ['port', { port: 70000 }, '70000', 'an integer from 1 to 65535'],
    ['ingressPath[0]', { ingressPath: ['api'] }, '"api"', 'a path starting with "/"'],
    ['legacyAddress', { legacyAddress: 'ingress' }, '"ingress"', 'a Terraform module address'],
  ])('%s', (prop, props, value, allowed) => {
    const err = expectConfigError(make(props));
    expect(err.constructPath).toBe('guards/web');
    expect(err.prop).toBe(prop);
    expect(err.message).toContain(`guards/web: invalid ${prop} = ${value}; allowed: ${allowed}`);
  });
});
