import { describe, expect, it } from 'vitest';
import { ConfigMap, type ConfigMapProps } from '../../../constructs/blocks/config-map';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Tier } from '../../../lib/conventions/tiers';
import { treePayload } from '../../../lib/terraform/tree-payload';
import {
  expectConfigError,
  moves,
  namespaceNamed,
  resource,
  resolveNames,
  synth,
  testStack,
} from '../../support/synth';

const build = (props: Partial<ConfigMapProps>) => () =>
  new ConfigMap(testStack(), 'config', { name: 'app-config', namespace: namespaceNamed('app'), ...props });

describe('ConfigMap', () => {
  it('renders name, namespace reference and files at kubernetes_config_map.<id>', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'app', { tier: Tier.AUX });
    const cm = new ConfigMap(s, 'config', {
      namespace: ns,
      name: 'app-config',
      data: { 'app.yaml': 'a: 1\n' },
      annotations: { 'reloader.stakater.com/match': 'true' },
    });
    const json = synth(s);
    const r = resource(json, 'kubernetes_config_map', 'config');
    expect(resolveNames(json, r)).toEqual({
      metadata: {
        name: 'app-config',
        namespace: 'app',
        annotations: { 'reloader.stakater.com/match': 'true' },
      },
      data: { 'app.yaml': 'a: 1\n' },
    });
    // references, so the ConfigMap follows the namespace and mounting pods follow the ConfigMap
    expect(r.metadata.namespace).toBe('${kubernetes_namespace.app.metadata[0].name}');
    expect(cm.name).toMatch(/^\$\{TfToken/);
  });

  it('v1 keeps the tree type kubernetes_config_map_v1; legacyAddress writes the moved block', () => {
    const s = testStack();
    new ConfigMap(s, 'this', {
      namespace: namespaceNamed('app'),
      name: 'app-config',
      binaryData: { 'logo.png': 'iVBORw0K' },
      immutable: true,
      v1: true,
      legacyAddress: 'module.app.kubernetes_config_map_v1.this',
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_config_map_v1', 'this')).toMatchObject({
      binary_data: { 'logo.png': 'iVBORw0K' },
      immutable: true,
    });
    expect(moves(json).get('module.app.kubernetes_config_map_v1.this')).toBe('kubernetes_config_map_v1.this');
  });

  it('ignoreData: created once, then the workload owns the data', () => {
    const s = testStack();
    new ConfigMap(s, 'state', {
      namespace: namespaceNamed('app'),
      name: 'app-state',
      data: { 'state.json': '{}' },
      ignoreData: true,
    });
    expect(resource(synth(s), 'kubernetes_config_map', 'state').lifecycle).toEqual({
      ignore_changes: ['data'],
    });
  });

  it('a tree payload in the data gets its plan-time precondition', () => {
    const s = testStack();
    const conf = treePayload(s, 'conf.yml');
    new ConfigMap(s, 'config', {
      namespace: namespaceNamed('app'),
      name: 'config',
      data: { 'conf.yml': conf.content },
      payloads: [conf],
    });
    const r = resource(synth(s), 'kubernetes_config_map', 'config');
    expect(r.data['conf.yml']).toContain('tree-payloads/test-stack/conf.yml');
    expect(r.lifecycle.precondition[0].error_message).toContain(
      'tree payload tree-payloads/test-stack/conf.yml is missing',
    );
  });

  it('refuses a bad file name, a non-string value and a key in both data and binaryData', () => {
    expect(expectConfigError(build({ data: { 'a/b': 'x' } })).message).toBe(
      `test-stack/config: invalid data file name = "a/b"; allowed: a file name of letters, digits, '-', '_' and '.' (at most 253)`,
    );
    expect(expectConfigError(build({ data: { a: 1 as never } })).prop).toBe('data.a');
    expect(expectConfigError(build({ data: { a: 'x' }, binaryData: { a: 'eA==' } })).prop).toBe(
      'binaryData file name',
    );
    expect(expectConfigError(build({ name: 'Bad_Name' })).prop).toBe('name');
  });
});
