// Parity of stacks/vpn-portal with the tree's stacks/vpn-portal (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import vpnPortal from '../../stacks/vpn-portal';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(vpnPortal);
const TREE_ADDRESSES = [
  'kubernetes_namespace.vpn_portal',
  'kubernetes_service_account.vpn_portal',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.vpn_portal',
  'kubernetes_service.vpn_portal',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_sub.kubernetes_ingress_v1.proxied-ingress',
  // dns_type none on both: no cloudflare_record
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const middlewares = (address: string): string[] =>
  (at(address).metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string).split(',');

describe('stack vpn-portal', () => {
  it('is in the registry, after platform and vault, with pg state', () => {
    expect(STACKS).toContain(vpnPortal);
    expect(vpnPortal.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'vpn-portal' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(json.provider?.cloudflare).toBeUndefined();
  });

  it('namespace without the istio label; the ServiceAccount the Vault role binds', () => {
    expect(comparable(at('kubernetes_namespace.vpn_portal')).metadata).toEqual({
      name: 'vpn-portal',
      labels: { tier: '4-aux', 'keel.sh/enrolled': 'true' },
    });
    expect(comparable(at('kubernetes_service_account.vpn_portal'))).toEqual({
      metadata: { name: 'vpn-portal', namespace: 'vpn-portal' },
    });
  });

  it('runs the portal with its ServiceAccount, Vault settings, probes and the canonical Keel ignores', () => {
    const d = comparable(at('kubernetes_deployment.vpn_portal'));
    expect(d.metadata.labels).toEqual({ app: 'vpn-portal', tier: '4-aux' });
    const pod = d.spec.template.spec;
    expect(pod.service_account_name).toBe('vpn-portal');
    expect(pod.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
    expect(pod.container).toEqual([
      {
        name: 'vpn-portal',
        image: 'ghcr.io/viktorbarzin/vpn-portal:latest',
        port: [{ container_port: 3000 }],
        env: [
          { name: 'VAULT_ADDR', value: 'http://vault-active.vault.svc.cluster.local:8200' },
          { name: 'VAULT_K8S_ROLE', value: 'vpn-portal' },
          { name: 'VAULT_KV_MOUNT', value: 'secret' },
          { name: 'VAULT_PORTAL_PATH', value: 'vpn-portal' },
          { name: 'PORT', value: '3000' },
        ],
        resources: { requests: { cpu: '20m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        readiness_probe: {
          http_get: { path: '/', port: '3000' },
          initial_delay_seconds: 5,
          period_seconds: 10,
        },
        liveness_probe: {
          http_get: { path: '/', port: '3000' },
          initial_delay_seconds: 15,
          period_seconds: 30,
        },
      },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
    expect(comparable(at('kubernetes_service.vpn_portal')).spec.port).toEqual([
      { port: 80, target_port: '3000' },
    ]);
  });

  it('UI behind Authentik, /sub open with the identity headers stripped, both on vpn.*', () => {
    const ui = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const sub = at('module.ingress_sub.kubernetes_ingress_v1.proxied-ingress');
    for (const i of [ui, sub]) {
      expect(i.spec.rule[0].host).toBe('vpn.viktorbarzin.me');
      expect(i.metadata.annotations['uptime.viktorbarzin.me/external-monitor']).toBe('false');
      expect(i.metadata.annotations['cloudflare.viktorbarzin.me/dns-type']).toBeUndefined();
    }
    expect(middlewares('module.ingress.kubernetes_ingress_v1.proxied-ingress')).toContain(
      'traefik-authentik-forward-auth@kubernetescrd',
    );
    expect(middlewares('module.ingress_sub.kubernetes_ingress_v1.proxied-ingress')).toEqual([
      'traefik-retry@kubernetescrd',
      'traefik-error-pages@kubernetescrd',
      'traefik-rate-limit@kubernetescrd',
      'traefik-csp-headers@kubernetescrd',
      'traefik-strip-auth-headers@kubernetescrd',
    ]);
    expect(sub.spec.rule[0].http.path).toEqual([
      { path: '/sub', backend: { service: { name: 'vpn-portal', port: { number: 80 } } } },
    ]);
    expect(sub.metadata.annotations['gethomepage.dev/enabled']).toBeUndefined();
    expect(ui.metadata.annotations['gethomepage.dev/name']).toBe('VPN Portal');
  });
});
