import { describe, expect, it } from 'vitest';
import { OffClusterService } from '../../../constructs/blocks/external-service';
import { IngressFactory } from '../../../constructs/blocks/ingress-factory';
import { expectConfigError, resource, synth, testStack, namespaceNamed } from '../../support/synth';

describe('OffClusterService', () => {
  it('a selector-less Service and its Endpoints at one address; an ingress can target it', () => {
    const s = testStack();
    const svc = new OffClusterService(s, 'gw', {
      name: 'gw',
      namespace: 'app',
      ip: '10.0.10.10',
      port: 7690,
    });
    new IngressFactory(s, 'ingress', { name: 'gw', namespace: namespaceNamed('app'), service: svc });
    const json = synth(s);
    expect(resource(json, 'kubernetes_service', 'gw')).toEqual({
      metadata: { name: 'gw', namespace: 'app', labels: { app: 'gw' } },
      spec: { port: [{ name: 'http', port: 80, target_port: '7690' }] },
    });
    expect(resource(json, 'kubernetes_endpoints', 'gw')).toEqual({
      metadata: { name: 'gw', namespace: 'app' },
      subset: [{ address: [{ ip: '10.0.10.10' }], port: [{ name: 'http', port: 7690 }] }],
    });
    expect(
      resource(json, 'kubernetes_ingress_v1', 'ingress').spec.rule[0].http.path[0].backend.service,
    ).toEqual({
      name: '${kubernetes_service.gw.metadata[0].name}',
      port: { number: 80 },
    });
  });

  it('refuses a bad address, port or name', () => {
    const mk = (p: object) => () =>
      new OffClusterService(testStack(), 'x', { name: 'x', namespace: 'a', ip: '10.0.0.1', port: 80, ...p });
    expect(expectConfigError(mk({ ip: 'devvm' })).prop).toBe('ip');
    expect(expectConfigError(mk({ port: 0 })).prop).toBe('port');
    expect(expectConfigError(mk({ name: 'Bad_Name' })).prop).toBe('name');
  });
});
