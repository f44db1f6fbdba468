// Parity of stacks/shadowsocks with the tree's stacks/shadowsocks (HEAD 0cd4afb6): every tree address is
// synthesized and the literal values and ignore_changes are the tree's.
import { describe, expect, it } from 'vitest';
import shadowsocks from '../../stacks/shadowsocks';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(shadowsocks);
const TREE_ADDRESSES = [
  'kubernetes_namespace.shadowsocks',
  'kubernetes_manifest.external_secret',
  'kubernetes_deployment.shadowsocks',
  'kubernetes_service.mailserver',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack shadowsocks', () => {
  it('is in the registry, after platform and vault, with pg state under schema "shadowsocks"', () => {
    expect(STACKS).toContain(shadowsocks);
    expect(shadowsocks.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'shadowsocks' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('reads the password through an ExternalSecret of the whole Vault secret, never as a value', () => {
    const es = at('kubernetes_manifest.external_secret');
    expect(es.manifest.spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
      target: { name: 'shadowsocks-secrets' },
      dataFrom: [{ extract: { key: 'shadowsocks' } }],
    });
    expect(es.depends_on).toEqual(['kubernetes_namespace.shadowsocks']);
    const c = at('kubernetes_deployment.shadowsocks').spec.template.spec.container[0];
    expect(c.env).toEqual([
      { name: 'METHOD', value: 'chacha20-ietf-poly1305' },
      { name: 'PASSWORD', value_from: { secret_key_ref: { name: 'shadowsocks-secrets', key: 'password' } } },
    ]);
    expect(c.port).toEqual([
      { container_port: 8388, protocol: 'TCP' },
      { container_port: 8388, protocol: 'UDP' },
    ]);
  });

  it('serves TCP and UDP on the shared MetalLB IP at the tree address kubernetes_service.mailserver', () => {
    expect(comparable(at('kubernetes_service.mailserver'))).toEqual({
      metadata: {
        name: 'shadowsocks',
        namespace: 'shadowsocks',
        labels: { app: 'shadowsocks' },
        annotations: { 'metallb.io/loadBalancerIPs': '10.0.20.200', 'metallb.io/allow-shared-ip': 'shared' },
      },
      spec: {
        type: 'LoadBalancer',
        external_traffic_policy: 'Cluster',
        selector: { app: 'shadowsocks' },
        port: [
          { name: 'shadowsocks-tcp', protocol: 'TCP', port: 8388, target_port: '8388' },
          { name: 'shadowsocks-udp', protocol: 'UDP', port: 8388, target_port: '8388' },
        ],
      },
      lifecycle: { ignore_changes: ['metadata[0].annotations["metallb.io/ip-allocated-from-pool"]'] },
    });
    const d = at('kubernetes_deployment.shadowsocks');
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    expect(d.lifecycle.ignore_changes).toContain('spec[0].template[0].spec[0].container[0].image');
  });
});
