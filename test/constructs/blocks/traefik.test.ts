import { describe, expect, it } from 'vitest';
import { FORWARD_AUTH, TraefikIngressRoute, TraefikMiddleware } from '../../../constructs/blocks/traefik';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

describe('TraefikMiddleware and TraefikIngressRoute', () => {
  it('a Middleware with its spec; the route sends one match through the middlewares to a Service', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    const strip = new TraefikMiddleware(s, 'strip', {
      namespace: ns,
      name: 'api-strip-prefix',
      spec: { stripPrefix: { prefixes: ['/api'] } },
    });
    new TraefikIngressRoute(s, 'api_route', {
      namespace: ns,
      name: 'api',
      match: 'Host(`app.example`) && PathPrefix(`/api/`)',
      middlewares: [FORWARD_AUTH, strip.ref],
      service: { name: 'api', port: 80 },
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_manifest', 'strip').manifest).toEqual({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'api-strip-prefix', namespace: '${kubernetes_namespace.app.metadata[0].name}' },
      spec: { stripPrefix: { prefixes: ['/api'] } },
    });
    expect(resource(json, 'kubernetes_manifest', 'api_route').manifest.spec).toEqual({
      entryPoints: ['websecure'],
      routes: [
        {
          match: 'Host(`app.example`) && PathPrefix(`/api/`)',
          kind: 'Rule',
          middlewares: [
            { name: 'authentik-forward-auth', namespace: 'traefik' },
            { name: 'api-strip-prefix', namespace: '${kubernetes_namespace.app.metadata[0].name}' },
          ],
          services: [{ name: 'api', port: 80 }],
        },
      ],
      tls: { secretName: '${sensitive("tls-secret")}' },
    });
    // the namespace part is the namespace's name reference
    expect(strip.chainEntry).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}-api-strip-prefix@kubernetescrd$/);
  });

  it('a route without middlewares leaves the list out', () => {
    const s = testStack();
    new TraefikIngressRoute(s, 'r', {
      namespace: namespaceNamed('app'),
      name: 'r',
      match: 'Host(`a.example`)',
      service: { name: 'svc', port: 8080 },
    });
    expect(
      resource(synth(s), 'kubernetes_manifest', 'r').manifest.spec.routes[0].middlewares,
    ).toBeUndefined();
  });

  it('refuses an empty spec, an empty match and a bad port', () => {
    const mw = () =>
      new TraefikMiddleware(testStack(), 'm', { namespace: namespaceNamed('app'), name: 'm', spec: {} });
    expect(expectConfigError(mw).prop).toBe('spec');
    const route = (match: string, port: number) => () =>
      new TraefikIngressRoute(testStack(), 'r', {
        namespace: namespaceNamed('app'),
        name: 'r',
        match,
        service: { name: 'svc', port },
      });
    expect(expectConfigError(route('', 80)).prop).toBe('match');
    expect(expectConfigError(route('Host(`a`)', 0)).prop).toBe('service.port');
  });
});
