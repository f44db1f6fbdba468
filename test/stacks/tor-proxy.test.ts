// Parity of stacks/tor-proxy with the tree's stacks/tor-proxy (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import torProxy from '../../stacks/tor-proxy';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(torProxy);
const TREE_ADDRESSES = [
  'kubernetes_namespace.tor-proxy',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.tor-proxy',
  'kubernetes_service.tor-proxy',
  'kubernetes_persistent_volume_claim.torrserver_data_proxmox',
  'kubernetes_deployment.torrserver',
  'kubernetes_service.torrserver',
  'kubernetes_service.torrserver-bt',
  'module.torrserver_ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.torrserver_ingress.cloudflare_record.internal_a[0]',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const KEEL_ENROLLED = [
  'spec[0].template[0].spec[0].dns_config',
  'metadata[0].annotations["keel.sh/policy"]',
  'metadata[0].annotations["keel.sh/trigger"]',
  'metadata[0].annotations["keel.sh/pollSchedule"]',
  'metadata[0].annotations["keel.sh/match-tag"]',
  'spec[0].template[0].spec[0].container[0].image',
  'metadata[0].annotations["kubernetes.io/change-cause"]',
  'metadata[0].annotations["deployment.kubernetes.io/revision"]',
  'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
].sort();

describe('stack tor-proxy', () => {
  it('is in the registry, after platform, with pg state', () => {
    expect(STACKS).toContain(torProxy);
    expect(torProxy.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'tor-proxy' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('runs the Tor proxy with its HTTP and SOCKS ports; the Service leaves target ports to Kubernetes', () => {
    const d = comparable(at('kubernetes_deployment.tor-proxy'));
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate' });
    const [c] = d.spec.template.spec.container;
    expect(c.image).toBe('dperson/torproxy:latest');
    expect(c.port).toEqual([
      { name: 'http', container_port: 8118, protocol: 'TCP' },
      { name: 'tor', container_port: 9050, protocol: 'TCP' },
    ]);
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(KEEL_ENROLLED);
    expect(comparable(at('kubernetes_service.tor-proxy')).spec.port).toEqual([
      { name: 'http', port: 8118 },
      { name: 'tor', port: 9050 },
    ]);
  });

  it('keeps TorrServer data on a resizable Proxmox volume', () => {
    const pvc = comparable(at('kubernetes_persistent_volume_claim.torrserver_data_proxmox'));
    expect(pvc.metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '10%',
      'resize.topolvm.io/increase': '100%',
      'resize.topolvm.io/storage_limit': '5Gi',
    });
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm');
    expect(pvc.lifecycle.ignore_changes).toEqual(['spec[0].resources[0].requests']);
    const d = comparable(at('kubernetes_deployment.torrserver'));
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const [c] = d.spec.template.spec.container;
    expect(c.image).toBe('ghcr.io/yourok/torrserver:MatriX.141');
    expect(c.readiness_probe.http_get).toEqual({ path: '/echo', port: '8090' });
    expect(c.liveness_probe.initial_delay_seconds).toBe(15);
    expect(d.spec.template.spec.volume).toEqual([
      {
        name: 'torrserver-data',
        persistent_volume_claim: { claim_name: 'tor-proxy-torrserver-data-proxmox' },
      },
    ]);
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(KEEL_ENROLLED);
  });

  it('publishes the BitTorrent port on the shared MetalLB IP, TCP and UDP', () => {
    const bt = comparable(at('kubernetes_service.torrserver-bt'));
    expect(bt.metadata.labels).toEqual({ app: 'torrserver-bt' });
    expect(bt.metadata.annotations).toEqual({
      'metallb.io/loadBalancerIPs': '10.0.20.200',
      'metallb.io/allow-shared-ip': 'shared',
    });
    expect(bt.spec.type).toBe('LoadBalancer');
    expect(bt.spec.external_traffic_policy).toBe('Cluster');
    expect(bt.spec.selector).toEqual({ app: 'torrserver' });
    expect(bt.spec.port).toEqual([
      { name: 'bt-tcp', port: 5665, target_port: '5665', protocol: 'TCP' },
      { name: 'bt-udp', port: 5665, target_port: '5665', protocol: 'UDP' },
    ]);
    expect(bt.lifecycle.ignore_changes).toEqual([
      'metadata[0].annotations["metallb.io/ip-allocated-from-pool"]',
    ]);
  });

  it('the UI is internal-only: Authentik, home LANs, an internal record, no external monitor', () => {
    const ingress = at('module.torrserver_ingress.kubernetes_ingress_v1.proxied-ingress');
    const a = ingress.metadata.annotations;
    expect(a['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'traefik-home-lans-only@kubernetescrd',
    );
    expect(a['traefik.ingress.kubernetes.io/router.middlewares']).toContain('authentik');
    expect(a['uptime.viktorbarzin.me/external-monitor']).toBe('false');
    expect(a['gethomepage.dev/group']).toBe('Media & Entertainment');
    expect(ingress.spec.rule[0].http.path[0].backend.service.port.number).toBe(8090);
    expect(at('module.torrserver_ingress.cloudflare_record.internal_a[0]').content).toBe('10.0.20.203');
  });
});
