// Parity of stacks/coturn with the tree's stacks/coturn (HEAD 0cd4afb6): every tree address is synthesized
// or moved, the literal values and ignore_changes are the tree's, and turnserver.conf is the tree's heredoc
// rendered with the tree's locals, public IP and TURN secret (rehearsal: clean).
import { describe, expect, it } from 'vitest';
import coturn, { COTURN_LB_IP, RELAY_PORTS, TURN_PORT } from '../../stacks/coturn';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(coturn);
const TREE_ADDRESSES = [
  'kubernetes_manifest.external_secret',
  'data.kubernetes_secret.eso_secrets',
  'kubernetes_namespace.coturn',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_config_map.coturn_config',
  'kubernetes_deployment.coturn',
  'kubernetes_service.coturn',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack coturn', () => {
  it('is in the registry, after platform and vault, with pg state under schema "coturn"', () => {
    expect(STACKS).toContain(coturn);
    expect(coturn.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'coturn' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('renders the tree heredoc with the TURN secret read back from the ESO secret', () => {
    const conf = at('kubernetes_config_map.coturn_config');
    expect(conf.metadata.name).toBe('coturn-config');
    const body = conf.data['turnserver.conf'] as string;
    expect(body).toContain('tree-payloads/coturn/_heredoc/main.tf/turnserver.conf/0');
    expect(body).toContain('turn_port = 3478');
    expect(body).toContain('public_ip = "176.12.22.76"');
    expect(body).toContain('eso_secrets = { data = data.kubernetes_secret.eso_secrets.data }');
    expect(conf.lifecycle.precondition[0].error_message).toContain('turnserver.conf');
    const es = at('kubernetes_manifest.external_secret');
    expect(es.manifest.metadata).toEqual({ name: 'coturn-secrets', namespace: 'coturn' });
    expect(es.manifest.spec.dataFrom).toEqual([{ extract: { key: 'coturn' } }]);
  });

  it('runs coturn 4.10.0-r1 with a surge-only rolling update and the tree lifecycle', () => {
    const d = at('kubernetes_deployment.coturn');
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_unavailable: '0', max_surge: '1' },
    });
    const c = d.spec.template.spec.container[0];
    expect(c.args).toEqual(['-c', '/etc/turnserver/turnserver.conf']);
    expect(c.port).toEqual([
      { name: 'turn-udp', container_port: TURN_PORT, protocol: 'UDP' },
      { name: 'turn-tcp', container_port: TURN_PORT, protocol: 'TCP' },
    ]);
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
  });

  it('publishes signalling and the 101 relay ports on its own MetalLB IP with ETP Local, without labels', () => {
    const svc = comparable(at('kubernetes_service.coturn'));
    expect(svc.metadata).toEqual({
      name: 'coturn',
      namespace: 'coturn',
      annotations: { 'metallb.io/loadBalancerIPs': COTURN_LB_IP },
    });
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.external_traffic_policy).toBe('Local');
    const ports = svc.spec.port as Json[];
    expect(ports).toHaveLength(2 + RELAY_PORTS.max - RELAY_PORTS.min + 1);
    expect(ports[2]).toEqual({ name: 'relay-49152', port: 49152, target_port: '49152', protocol: 'UDP' });
    expect(ports.at(-1)).toEqual({ name: 'relay-49252', port: 49252, target_port: '49252', protocol: 'UDP' });
    expect(svc.lifecycle.ignore_changes).toEqual([
      'metadata[0].annotations["metallb.io/ip-allocated-from-pool"]',
    ]);
  });
});
