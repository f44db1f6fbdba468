import { describe, expect, it } from 'vitest';
import { PathIngress } from '../../../constructs/blocks/path-ingress';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

const service = { name: 'api', port: 80 };

describe('PathIngress', () => {
  it('one host and path to a Service port, traefik class, site TLS secret, empty annotations', () => {
    const s = testStack();
    new PathIngress(s, 'graphql', {
      name: 'app-graphql',
      namespace: namespaceNamed('app'),
      host: 'app.example.org',
      path: '/graphql',
      pathType: 'Exact',
      service,
      port: 9002,
    });
    const ing = resource(synth(s), 'kubernetes_ingress_v1', 'graphql');
    expect(ing.metadata).toEqual({ name: 'app-graphql', namespace: 'app', annotations: {} });
    expect(ing.spec.ingress_class_name).toBe('traefik');
    expect(ing.spec.tls[0].hosts).toEqual(['app.example.org']);
    expect(ing.spec.rule).toEqual([
      {
        host: 'app.example.org',
        http: {
          path: [
            {
              path: '/graphql',
              path_type: 'Exact',
              backend: { service: { name: 'api', port: { number: 9002 } } },
            },
          ],
        },
      },
    ]);
  });

  it("defaults to a Prefix path on the service's port and refuses a bad path, host or type", () => {
    const s = testStack();
    new PathIngress(s, 'p', {
      name: 'p',
      namespace: namespaceNamed('app'),
      host: 'h.example.org',
      path: '/',
      service,
    });
    const path = resource(synth(s), 'kubernetes_ingress_v1', 'p').spec.rule[0].http.path[0];
    expect(path.path_type).toBe('Prefix');
    expect(path.backend.service.port.number).toBe(80);
    const mk = (p: object) => () =>
      new PathIngress(testStack(), 'x', {
        name: 'x',
        namespace: namespaceNamed('a'),
        host: 'h.example.org',
        path: '/x',
        service,
        ...p,
      });
    expect(expectConfigError(mk({ path: 'x' })).prop).toBe('path');
    expect(expectConfigError(mk({ host: 'Bad Host' })).prop).toBe('host');
    expect(expectConfigError(mk({ pathType: 'Regex' })).prop).toBe('pathType');
  });
});
