// Pod-level network settings a VPN gateway needs: sysctls, its own resolver (dns_policy None +
// nameservers) and a ConfigMap volume that may not exist yet (optional).
import { describe, expect, it } from 'vitest';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { Deployment, type DeploymentProps, Volume } from '../../../constructs/blocks/workload';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

function podSpec(props: Partial<DeploymentProps>) {
  const s = testStack();
  const ns = new TieredNamespace(s, 'x', { tier: Tier.AUX });
  new Deployment(s, 'app', {
    namespace: ns,
    name: 'app',
    containers: [{ name: 'a', image: 'a:1' }],
    ...props,
  });
  return resource(synth(s), 'kubernetes_deployment', 'app').spec.template.spec;
}

describe('pod network settings', () => {
  it('renders sysctls in order under security_context, beside the other pod security fields', () => {
    expect(podSpec({ sysctls: { 'net.ipv4.ip_forward': '1' } }).security_context).toEqual({
      sysctl: [{ name: 'net.ipv4.ip_forward', value: '1' }],
    });
    expect(
      podSpec({ podRunAsUser: 0, sysctls: { 'net.ipv4.ip_forward': '1', 'net.core.somaxconn': '1024' } })
        .security_context,
    ).toEqual({
      run_as_user: '0',
      sysctl: [
        { name: 'net.ipv4.ip_forward', value: '1' },
        { name: 'net.core.somaxconn', value: '1024' },
      ],
    });
    expect(podSpec({ sysctls: {} }).security_context).toBeUndefined();
    expect(expectConfigError(() => podSpec({ sysctls: { 'Not A Sysctl': '1' } })).prop).toBe('sysctls[0]');
  });

  it('renders dns_policy and nameservers, with dnsOptions in the same dns_config', () => {
    const pod = podSpec({ dnsPolicy: 'None', dnsNameservers: ['127.0.0.1'] });
    expect(pod.dns_policy).toBe('None');
    expect(pod.dns_config).toEqual({ nameservers: ['127.0.0.1'] });
    expect(podSpec({ dnsNameservers: ['10.0.0.1'], dnsOptions: { ndots: '2' } }).dns_config).toEqual({
      nameservers: ['10.0.0.1'],
      option: [{ name: 'ndots', value: '2' }],
    });
    expect(podSpec({ dnsOptions: { ndots: '2' } }).dns_config).toEqual({
      option: [{ name: 'ndots', value: '2' }],
    });
    const unset = podSpec({});
    expect(unset.dns_policy).toBeUndefined();
    expect(unset.dns_config).toBeUndefined();
  });

  it('refuses dnsPolicy None without nameservers, an unknown policy and a non-IP nameserver', () => {
    expect(expectConfigError(() => podSpec({ dnsPolicy: 'None' })).prop).toBe('dnsPolicy');
    const bad = { dnsPolicy: 'Cluster' } as unknown as Partial<DeploymentProps>;
    expect(expectConfigError(() => podSpec(bad)).prop).toBe('dnsPolicy');
    expect(expectConfigError(() => podSpec({ dnsNameservers: ['dns.example'] })).prop).toBe(
      'dnsNameservers[0]',
    );
  });

  it('renders an optional ConfigMap volume (and leaves optional unset by default)', () => {
    const peers = Volume.fromConfigMap('peers', 'gw-peers', { optional: true });
    expect(podSpec({ volumes: [peers] }).volume).toEqual([
      { name: 'peers', config_map: { name: 'gw-peers', optional: true } },
    ]);
    expect(podSpec({ volumes: [Volume.fromConfigMap('c', 'cm')] }).volume).toEqual([
      { name: 'c', config_map: { name: 'cm' } },
    ]);
  });
});
