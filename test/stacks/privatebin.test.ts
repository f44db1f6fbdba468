// Parity of stacks/privatebin with the tree's stacks/privatebin (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import privatebin from '../../stacks/privatebin';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(privatebin);
const TREE_ADDRESSES = [
  'kubernetes_namespace.privatebin',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_proxmox',
  'kubernetes_deployment.privatebin',
  'kubernetes_service.privatebin',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]',
  'module.ingress.kubernetes_manifest.custom_csp[0]',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const CSP = "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'";

describe('stack privatebin', () => {
  it('is in the registry, after platform, with pg state', () => {
    expect(STACKS).toContain(privatebin);
    expect(privatebin.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'privatebin' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('edge tier; pastes on a plain LVM volume grown by the resizer (100% steps up to 5Gi)', () => {
    expect(comparable(at('kubernetes_namespace.privatebin')).metadata.labels.tier).toBe('3-edge');
    expect(comparable(at('kubernetes_persistent_volume_claim.data_proxmox'))).toEqual({
      wait_until_bound: false,
      metadata: {
        name: 'privatebin-data-proxmox',
        namespace: 'privatebin',
        annotations: {
          'resize.topolvm.io/threshold': '10%',
          'resize.topolvm.io/increase': '100%',
          'resize.topolvm.io/storage_limit': '5Gi',
        },
      },
      spec: {
        access_modes: ['ReadWriteOnce'],
        storage_class_name: 'proxmox-lvm',
        resources: { requests: { storage: '1Gi' } },
      },
      lifecycle: { ignore_changes: ['spec[0].resources[0].requests'] },
    });
  });

  it('runs PrivateBin enrolled in Sablier with the data sub-path mount', () => {
    const d = comparable(at('kubernetes_deployment.privatebin'));
    expect(d.metadata.labels).toEqual({
      app: 'privatebin',
      tier: '3-edge',
      'sablier.enable': 'true',
      'sablier.group': 'privatebin',
      'sablier.ready-after': '5s',
    });
    expect(d.spec.template.spec.container).toEqual([
      {
        name: 'privatebin',
        image: 'privatebin/nginx-fpm-alpine',
        image_pull_policy: 'IfNotPresent',
        port: [{ container_port: 8080 }],
        volume_mount: [{ name: 'data', mount_path: '/srv/data', sub_path: 'data' }],
        resources: { requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      },
    ]);
    expect(d.lifecycle.ignore_changes).toContain('spec[0].replicas');
    expect(d.lifecycle.ignore_changes).toHaveLength(10);
  });

  it('public pb.* with its own CSP, x402 and the Sablier middleware', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].host).toBe('pb.viktorbarzin.me');
    expect(
      (ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string).split(','),
    ).toEqual([
      'traefik-retry@kubernetescrd',
      'traefik-error-pages@kubernetescrd',
      'traefik-rate-limit@kubernetescrd',
      'traefik-ai-bot-block@kubernetescrd',
      'traefik-anti-ai-headers@kubernetescrd',
      'privatebin-sablier-privatebin@kubernetescrd',
      'privatebin-custom-csp-privatebin@kubernetescrd',
      'traefik-x402@kubernetescrd',
    ]);
    expect(at('module.ingress.kubernetes_manifest.custom_csp[0]').manifest.spec).toEqual({
      headers: { contentSecurityPolicy: CSP },
    });
  });
});
