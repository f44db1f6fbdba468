import { describe, expect, it } from 'vitest';
import { CopiedConfigMap, CopiedSecret } from '../../../constructs/blocks/namespace-copy';
import { expectConfigError, namespaceNamed, resource, synth, testStack } from '../../support/synth';

const from = { namespace: 'calico-system', name: 'src', dataSourceName: 'src_read' };

describe('CopiedSecret / CopiedConfigMap', () => {
  it('a Secret copy of the listed keys, read by a named data source, Opaque by default', () => {
    const s = testStack();
    const copy = new CopiedSecret(s, 'client_tls', {
      namespace: namespaceNamed('app'),
      name: 'client-tls',
      from,
      keys: ['tls.crt', 'tls.key'],
    });
    const json = synth(s);
    expect(json.data!.kubernetes_secret.src_read.metadata).toEqual({
      name: 'src',
      namespace: 'calico-system',
    });
    expect(resource(json, 'kubernetes_secret', 'client_tls')).toEqual({
      metadata: { name: 'client-tls', namespace: 'app' },
      type: 'Opaque',
      data: {
        'tls.crt': '${data.kubernetes_secret.src_read.data["tls.crt"]}',
        'tls.key': '${data.kubernetes_secret.src_read.data["tls.key"]}',
      },
    });
    expect(copy.name).toMatch(/TfToken/);
  });

  it('a ConfigMap copy of every key (the whole map) or of the listed keys, named as the source', () => {
    const s = testStack();
    new CopiedConfigMap(s, 'ca', { namespace: namespaceNamed('app'), from });
    new CopiedConfigMap(s, 'ca_one', {
      namespace: namespaceNamed('app'),
      from: { ...from, dataSourceName: 'src_two' },
      keys: ['ca.crt'],
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_config_map', 'ca')).toEqual({
      metadata: { name: 'src', namespace: 'app' },
      data: '${data.kubernetes_config_map.src_read.data}',
    });
    expect(resource(json, 'kubernetes_config_map', 'ca_one').data).toEqual({
      'ca.crt': '${data.kubernetes_config_map.src_two.data["ca.crt"]}',
    });
  });

  it('refuses a Secret without keys, a bad key or source, a ConfigMap type and unknown keys', () => {
    const ns = namespaceNamed('app');
    expect(expectConfigError(() => new CopiedSecret(testStack(), 'x', { namespace: ns, from })).prop).toBe(
      'keys',
    );
    expect(
      expectConfigError(() => new CopiedSecret(testStack(), 'x', { namespace: ns, from, keys: ['a b'] }))
        .prop,
    ).toBe('keys[0]');
    expect(
      expectConfigError(
        () =>
          new CopiedConfigMap(testStack(), 'x', { namespace: ns, from: { ...from, namespace: 'Bad_NS' } }),
      ).prop,
    ).toBe('from.namespace');
    expect(
      expectConfigError(() => new CopiedConfigMap(testStack(), 'x', { namespace: ns, from, type: 'Opaque' }))
        .prop,
    ).toBe('type');
    expect(
      expectConfigError(
        () => new CopiedConfigMap(testStack(), 'x', { namespace: ns, from: { ...from, nmae: 'x' } as never }),
      ).prop,
    ).toBe('from.nmae');
  });
});
