import { describe, expect, it } from 'vitest';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { DataKubernetesConfigMap } from '@cdktf/provider-kubernetes/lib/data-kubernetes-config-map';
import { named } from '../../../lib/terraform/addresses';
import { addresses, synth, testStack } from '../../support/synth';

describe('named() construct ids', () => {
  it('lets resources and data sources of different types share one name in one scope, as the tree does', () => {
    const s = testStack();
    const meta = { metadata: { name: 'blog' } };
    const first = named(s, ConfigMap, 'blog', meta);
    const second = named(s, Secret, 'blog', meta);
    const data = named(s, DataKubernetesConfigMap, 'blog', meta);
    expect([first.node.id, second.node.id, data.node.id]).toEqual([
      'blog',
      'kubernetes_secret.blog',
      'data.kubernetes_config_map.blog',
    ]);
    expect([...addresses(synth(s))].sort()).toEqual([
      'data.kubernetes_config_map.blog',
      'kubernetes_config_map.blog',
      'kubernetes_secret.blog',
    ]);
  });

  it('still refuses one type and name twice: the duplicate-address check fails the synth', () => {
    const s = testStack('twice');
    named(s, ConfigMap, 'blog', { metadata: { name: 'a' } });
    named(s, ConfigMap, 'blog', { metadata: { name: 'b' } });
    expect(() => synth(s)).toThrow(/address kubernetes_config_map\.blog is declared twice/);
  });
});
