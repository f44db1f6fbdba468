// Parity of stacks/stirling-pdf with the tree's stacks/stirling-pdf (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import stirlingPdf from '../../stacks/stirling-pdf';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(stirlingPdf);
const TREE_ADDRESSES = [
  'kubernetes_namespace.stirling-pdf',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.configs_proxmox',
  'kubernetes_deployment.stirling-pdf',
  'kubernetes_service.stirling-pdf',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack stirling-pdf', () => {
  it('is in the registry, after platform, with pg state', () => {
    expect(STACKS).toContain(stirlingPdf);
    expect(stirlingPdf.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'stirling-pdf' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('owns the Keel major policy (not ignored) and ignores exactly what the tree ignores', () => {
    const d = comparable(at('kubernetes_deployment.stirling-pdf'));
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'major',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 1h',
    });
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'spec[0].replicas',
      ].sort(),
    );
    expect(d.metadata.labels['sablier.group']).toBe('stirling-pdf');
  });

  it('runs the semver seed with local login, the 2Gi JVM floor and the status probes', () => {
    const [c] = comparable(at('kubernetes_deployment.stirling-pdf')).spec.template.spec.container;
    expect(c.image).toBe('stirlingtools/stirling-pdf:2.13.2');
    expect(c.env).toEqual([
      { name: 'SECURITY_ENABLELOGIN', value: 'true' },
      { name: 'SECURITY_LOGINMETHOD', value: 'normal' },
    ]);
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '768Mi' }, limits: { memory: '2Gi' } });
    expect(c.startup_probe).toEqual({
      http_get: { path: '/api/v1/info/status', port: '8080' },
      initial_delay_seconds: 5,
      period_seconds: 3,
      timeout_seconds: 3,
      failure_threshold: 40,
    });
    expect(c.readiness_probe).toEqual({
      http_get: { path: '/api/v1/info/status', port: '8080' },
      period_seconds: 10,
      timeout_seconds: 3,
      failure_threshold: 3,
    });
    expect(c.volume_mount).toEqual([{ name: 'configs', mount_path: '/configs' }]);
    const pvc = comparable(at('kubernetes_persistent_volume_claim.configs_proxmox'));
    expect(pvc.metadata.name).toBe('stirling-pdf-configs-proxmox');
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm');
  });

  it('app login behind the anti-AI middlewares, with the Sablier middleware', () => {
    const chain = at('module.ingress.kubernetes_ingress_v1.proxied-ingress').metadata.annotations[
      'traefik.ingress.kubernetes.io/router.middlewares'
    ] as string;
    expect(chain).not.toContain('authentik');
    expect(chain.split(',').slice(-3)).toEqual([
      'traefik-ai-bot-block@kubernetescrd',
      'traefik-anti-ai-headers@kubernetescrd',
      'stirling-pdf-sablier-stirling-pdf@kubernetescrd',
    ]);
  });
});
