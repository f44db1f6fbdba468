import { describe, expect, it } from 'vitest';
import {
  IngressRoute,
  IngressRouteTcp,
  type IngressRouteTcpProps,
  SharedMiddleware,
  TraefikMiddleware,
  type IngressRouteProps,
  type TraefikMiddlewareProps,
} from '../../../constructs/blocks/traefik';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import { vaultKvSecret } from '../../../lib/terraform/providers';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

const NS_REF = '${kubernetes_namespace.app.metadata[0].name}';

describe('TraefikMiddleware', () => {
  it('stripPrefixRegex with kubectl: a kubectl_manifest whose yaml_body is yamlencode of the Middleware', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    new TraefikMiddleware(s, 'strip_session', {
      kubectl: true,
      namespace: ns,
      name: 'strip-session',
      stripPrefixRegex: ['^/s/[^/]+'],
    });
    const json = synth(s);
    expect(resource(json, 'kubectl_manifest', 'strip_session')).toEqual({
      yaml_body: [
        '"apiVersion": "traefik.io/v1alpha1"',
        '"kind": "Middleware"',
        '"metadata":',
        '  "name": "strip-session"',
        '  "namespace": "app"',
        '"spec":',
        '  "stripPrefixRegex":',
        '    "regex":',
        '    - "^/s/[^/]+"',
        '',
      ].join('\n'),
    });
    expect(json.terraform.required_providers?.kubectl).toBeDefined();
  });

  it('stripPrefixRegex as a kubernetes_manifest; refuses an empty list and a bad regex', () => {
    const s = testStack();
    new TraefikMiddleware(s, 'strip', {
      namespace: namespaceNamed('app'),
      name: 'strip',
      stripPrefixRegex: ['^/x'],
    });
    expect(resource(synth(s), 'kubernetes_manifest', 'strip').manifest.spec).toEqual({
      stripPrefixRegex: { regex: ['^/x'] },
    });
    const bad = (stripPrefixRegex: string[]) => () =>
      new TraefikMiddleware(testStack(), 'm', {
        namespace: namespaceNamed('app'),
        name: 'm',
        stripPrefixRegex,
      });
    expect(expectConfigError(bad([])).prop).toBe('stripPrefixRegex');
    expect(expectConfigError(bad(['('])).prop).toBe('stripPrefixRegex[0]');
  });

  it('requestHeaders: a headers Middleware at kubernetes_manifest.<id>; ref and ingressMiddleware', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    const secret = vaultKvSecret(s, 'gw', 'gw').data.lookup('secret');
    const mw = new TraefikMiddleware(s, 'gateway_header', {
      namespace: ns,
      name: 'gateway-secret',
      requestHeaders: { 'X-Gateway-Auth': secret },
    });
    expect(resource(synth(s), 'kubernetes_manifest', 'gateway_header')).toEqual({
      manifest: {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: 'gateway-secret', namespace: NS_REF },
        spec: {
          headers: {
            customRequestHeaders: { 'X-Gateway-Auth': '${data.vault_kv_secret_v2.gw.data["secret"]}' },
          },
        },
      },
    });
    expect(mw.ref).toEqual({ name: 'gateway-secret', namespace: ns.name });
    expect(mw.ingressMiddleware).toBe('app-gateway-secret@kubernetescrd');
  });

  it('one spec per kind: CSP, basic auth, body limit, plugin; addressName sets the Terraform name', () => {
    const s = testStack();
    const ns = namespaceNamed('app');
    new TraefikMiddleware(s, 'a', { namespace: ns, name: 'csp', contentSecurityPolicy: "script-src 'self'" });
    new TraefikMiddleware(s, 'b', { namespace: ns, name: 'auth', basicAuthSecret: 'htpasswd' });
    new TraefikMiddleware(s, 'c', { namespace: ns, name: 'buf', maxRequestBodyBytes: 1048576 });
    new TraefikMiddleware(s, 'd', {
      namespace: ns,
      name: 'bearer',
      pluginName: 'api-token-middleware',
      pluginConfig: { bearerHeader: true },
      addressName: 'bearer_middleware',
    });
    const json = synth(s);
    const spec = (n: string) => resource(json, 'kubernetes_manifest', n).manifest.spec;
    expect(spec('a')).toEqual({ headers: { contentSecurityPolicy: "script-src 'self'" } });
    expect(spec('b')).toEqual({ basicAuth: { secret: 'htpasswd' } });
    expect(spec('c')).toEqual({ buffering: { maxRequestBodyBytes: 1048576 } });
    expect(spec('bearer_middleware')).toEqual({ plugin: { 'api-token-middleware': { bearerHeader: true } } });
  });

  it('rateLimit, compress and stripPrefixes by intent; a bad period or an unknown rateLimit key is refused', () => {
    const s = testStack();
    const ns = namespaceNamed('app');
    new TraefikMiddleware(s, 'r', {
      namespace: ns,
      name: 'rl',
      rateLimit: { average: 10, period: '1m', burst: 20, perRequestHost: true },
    });
    new TraefikMiddleware(s, 'z', { namespace: ns, name: 'gz', compress: true });
    new TraefikMiddleware(s, 'p', { namespace: ns, name: 'strip', stripPrefixes: ['/api'] });
    const json = synth(s);
    const spec = (n: string) => resource(json, 'kubernetes_manifest', n).manifest.spec;
    expect(spec('r')).toEqual({
      rateLimit: { average: 10, period: '1m', burst: 20, sourceCriterion: { requestHost: true } },
    });
    expect(spec('z')).toEqual({ compress: {} });
    expect(spec('p')).toEqual({ stripPrefix: { prefixes: ['/api'] } });
    const build = (props: Partial<TraefikMiddlewareProps>) => () =>
      new TraefikMiddleware(testStack('g'), 'm', { namespace: namespaceNamed('app'), name: 'm', ...props });
    expect(expectConfigError(build({ rateLimit: { average: 1, period: 'a minute', burst: 1 } })).prop).toBe(
      'rateLimit.period',
    );
    expect(
      expectConfigError(build({ rateLimit: { average: 1, period: '1m', burst: 1, brust: 2 } as never })).prop,
    ).toBe('rateLimit.brust');
    expect(expectConfigError(build({ stripPrefixes: ['api'] })).prop).toBe('stripPrefixes[0]');
  });

  it('refuses no kind, two kinds, pluginConfig alone, a bad header name, an unknown prop', () => {
    const build = (props: Partial<TraefikMiddlewareProps>) => () =>
      new TraefikMiddleware(testStack('g'), 'm', { namespace: namespaceNamed('app'), name: 'm', ...props });
    expect(expectConfigError(build({})).message).toContain('exactly one middleware kind');
    expect(expectConfigError(build({ basicAuthSecret: 's', maxRequestBodyBytes: 10 })).message).toContain(
      'invalid props = ["basicAuthSecret","maxRequestBodyBytes"]',
    );
    expect(expectConfigError(build({ basicAuthSecret: 's', pluginConfig: {} })).prop).toBe('pluginConfig');
    expect(expectConfigError(build({ requestHeaders: { 'Bad Header': 'x' } })).prop).toBe(
      'requestHeaders name',
    );
    expect(expectConfigError(build({ requestHeaders: {} })).prop).toBe('requestHeaders');
    expect(expectConfigError(build({ maxRequestBodyBytes: 0 })).prop).toBe('maxRequestBodyBytes');
    expect(expectConfigError(build({ basicAuthSecret: 's', bogus: 1 } as never)).message).toContain('bogus');
  });

  it('dependsOn: written as depends_on (repowise: the bearer plugin after its namespace)', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    new TraefikMiddleware(s, 'bearer_middleware', {
      namespace: ns,
      name: 'bearer-auth',
      pluginName: 'api-token-middleware',
      dependsOn: [ns.resource],
    });
    new TraefikMiddleware(s, 'plain', { namespace: ns, name: 'plain', compress: true });
    const json = synth(s);
    expect(resource(json, 'kubernetes_manifest', 'bearer_middleware').depends_on).toEqual([
      'kubernetes_namespace.app',
    ]);
    expect(resource(json, 'kubernetes_manifest', 'plain').depends_on).toBeUndefined();
  });

  it('ingressMiddleware needs a literal namespace name', () => {
    const s = testStack('g');
    const ns = new TieredNamespace(s, 'x', { tier: Tier.AUX });
    const mw = new TraefikMiddleware(s, 'm', {
      namespace: { name: ns.name, tier: ns.tier }, // a reference only: no literal name to spell
      name: 'm',
      basicAuthSecret: 's',
    });
    expect(() => mw.ingressMiddleware).toThrow(/a namespace with a literal name/);
  });
});

describe('IngressRoute', () => {
  it('host + pathPrefix, middlewares in order, websecure, the site TLS secret', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    const mw = new TraefikMiddleware(s, 'hdr', {
      namespace: ns,
      name: 'hdr',
      requestHeaders: { 'X-A': 'b' },
    });
    new IngressRoute(s, 'ws_route', {
      namespace: ns,
      name: 'app-ws',
      routes: [
        {
          host: 'app.viktorbarzin.me',
          pathPrefix: '/ws',
          middlewares: [SharedMiddleware.AUTHENTIK_FORWARD_AUTH, mw.ref],
          services: [{ name: 'app-gw', port: 80 }],
        },
      ],
    });
    const manifest = resource(synth(s), 'kubernetes_manifest', 'ws_route').manifest;
    expect(manifest.apiVersion).toBe('traefik.io/v1alpha1');
    expect(manifest.kind).toBe('IngressRoute');
    expect(manifest.metadata).toEqual({ name: 'app-ws', namespace: NS_REF });
    expect(manifest.spec.entryPoints).toEqual(['websecure']);
    expect(manifest.spec.routes).toEqual([
      {
        match: 'Host(`app.viktorbarzin.me`) && PathPrefix(`/ws`)',
        kind: 'Rule',
        middlewares: [
          { name: 'authentik-forward-auth', namespace: 'traefik' },
          { name: 'hdr', namespace: NS_REF },
        ],
        services: [{ name: 'app-gw', port: 80 }],
      },
    ]);
    expect(Object.keys(manifest.spec.tls)).toEqual(['secretName']);
  });

  it('a raw match with a priority, other entry points and TLS secret, a service of another namespace', () => {
    const s = testStack();
    new IngressRoute(s, 'r', {
      namespace: namespaceNamed('app'),
      name: 'native',
      entryPoints: ['web'],
      tlsSecretName: 'my-tls',
      routes: [
        {
          match: 'Host(`a.example.org`) && Path(`/x`)',
          priority: 100,
          services: [{ name: 'svc', namespace: 'other', port: 8080 }],
        },
      ],
    });
    const spec = resource(synth(s), 'kubernetes_manifest', 'r').manifest.spec;
    expect(spec).toEqual({
      entryPoints: ['web'],
      routes: [
        {
          match: 'Host(`a.example.org`) && Path(`/x`)',
          kind: 'Rule',
          priority: 100,
          services: [{ name: 'svc', namespace: 'other', port: 8080 }],
        },
      ],
      tls: { secretName: 'my-tls' },
    });
  });

  it('refuses no routes, match with host, no host, a bad path, no services, a bad port, unknown keys', () => {
    const route = { host: 'a.example.org', services: [{ name: 's', port: 80 }] };
    const build = (props: Partial<IngressRouteProps>) => () =>
      new IngressRoute(testStack('g'), 'r', {
        namespace: namespaceNamed('app'),
        name: 'r',
        routes: [route],
        ...props,
      });
    expect(expectConfigError(build({ routes: [] })).prop).toBe('routes');
    expect(expectConfigError(build({ routes: [{ ...route, match: 'Path(`/`)' }] })).prop).toBe(
      'routes[0].match',
    );
    expect(expectConfigError(build({ routes: [{ services: route.services }] })).prop).toBe('routes[0].host');
    expect(expectConfigError(build({ routes: [{ ...route, pathPrefix: 'ws' }] })).prop).toBe(
      'routes[0].pathPrefix',
    );
    expect(expectConfigError(build({ routes: [{ ...route, services: [] }] })).prop).toBe(
      'routes[0].services',
    );
    expect(
      expectConfigError(build({ routes: [{ ...route, services: [{ name: 's', port: 0 }] }] })).prop,
    ).toBe('routes[0].services[0].port');
    expect(
      expectConfigError(
        build({ routes: [{ ...route, middlewares: [{ name: 'm', namespace: 'n', x: 1 } as never] }] }),
      ).message,
    ).toContain('routes[0].middlewares[0].x');
    expect(expectConfigError(build({ routes: [{ ...route, hots: 'x' } as never] })).message).toContain(
      'did you mean "host"?',
    );
  });
});

describe('IngressRouteTcp', () => {
  it('every connection on the entry point to a Service port of another namespace (whisper)', () => {
    const s = testStack();
    new IngressRouteTcp(s, 'whisper_tcp_ingressroute', {
      namespace: TieredNamespace.fromName(s, 'traefik', 'traefik', Tier.CORE),
      name: 'whisper-tcp',
      entryPoints: ['whisper-tcp'],
      routes: [{ services: [{ name: 'whisper', namespace: 'whisper', port: 10300 }] }],
    });
    expect(resource(synth(s), 'kubernetes_manifest', 'whisper_tcp_ingressroute')).toEqual({
      manifest: {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRouteTCP',
        metadata: { name: 'whisper-tcp', namespace: 'traefik' },
        spec: {
          entryPoints: ['whisper-tcp'],
          routes: [
            { match: 'HostSNI(`*`)', services: [{ name: 'whisper', namespace: 'whisper', port: 10300 }] },
          ],
        },
      },
    });
  });

  it('addressName sets the Terraform name; a reference namespace orders the route after it', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    new IngressRouteTcp(s, 'r', {
      namespace: ns,
      name: 'r',
      entryPoints: ['a', 'b'],
      routes: [{ services: [{ name: 'svc', port: 5000 }] }],
      addressName: 'tcp_route',
    });
    const m = resource(synth(s), 'kubernetes_manifest', 'tcp_route').manifest;
    expect(m.metadata).toEqual({ name: 'r', namespace: NS_REF });
    expect(m.spec.entryPoints).toEqual(['a', 'b']);
    expect(m.spec.routes[0].services).toEqual([{ name: 'svc', port: 5000 }]);
  });

  it('refuses no entry points, no routes, no services, a bad port, a bad name, unknown keys', () => {
    const route = { services: [{ name: 's', port: 80 }] };
    const build = (props: Partial<IngressRouteTcpProps>) => () =>
      new IngressRouteTcp(testStack('g'), 'r', {
        namespace: namespaceNamed('traefik'),
        name: 'r',
        entryPoints: ['r-tcp'],
        routes: [route],
        ...props,
      });
    expect(expectConfigError(build({ entryPoints: [] })).prop).toBe('entryPoints');
    expect(expectConfigError(build({ entryPoints: [''] })).prop).toBe('entryPoints[0]');
    expect(expectConfigError(build({ routes: [] })).prop).toBe('routes');
    expect(expectConfigError(build({ routes: [{ services: [] }] })).prop).toBe('routes[0].services');
    expect(expectConfigError(build({ routes: [{ services: [{ name: 's', port: 70000 }] }] })).prop).toBe(
      'routes[0].services[0].port',
    );
    expect(expectConfigError(build({ name: 'Bad_Name' })).prop).toBe('name');
    expect(expectConfigError(build({ routes: [{ ...route, match: 'x' } as never] })).message).toContain(
      'routes[0].match',
    );
    expect(expectConfigError(build({ tlsSecretName: 'x' } as never)).message).toContain('tlsSecretName');
  });
});
