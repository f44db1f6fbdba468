// Parity of stacks/priority-pass with the tree's stacks/priority-pass (HEAD 0cd4afb6): every tree address is
// synthesized or moved, and the literal values and the ignore_changes list are the tree's.
import { describe, expect, it } from 'vitest';
import priorityPass, { IMAGE_TAG } from '../../stacks/priority-pass';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(priorityPass);
const TREE_ADDRESSES = [
  'kubernetes_namespace.priority-pass',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_priority_pass.kubernetes_persistent_volume.this',
  'module.nfs_priority_pass.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.priority-pass',
  'kubernetes_service.priority-pass',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubernetes_manifest.buffering[0]', // max_body_size = "10m"
  // no cloudflare_record: proxied and not the apex (rides the wildcard CNAME)
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack priority-pass', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(priorityPass);
    expect(priorityPass.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'priority-pass' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(json.provider?.cloudflare).toBeUndefined();
  });

  it('keeps uploads on the NFS export /srv/nfs/priority-pass (10Gi)', () => {
    const pvc = at('module.nfs_priority_pass.kubernetes_persistent_volume_claim.this');
    expect(pvc.metadata).toEqual({ name: 'priority-pass-uploads-nfs', namespace: 'priority-pass' });
    expect(pvc.spec.resources).toEqual({ requests: { storage: '10Gi' } });
    const pv = at('module.nfs_priority_pass.kubernetes_persistent_volume.this');
    expect(pv.spec[0].persistent_volume_source.csi.volume_attributes.share).toBe('/srv/nfs/priority-pass');
  });

  it('runs frontend and backend in one pod selected by run=priority-pass, both images Keel-managed', () => {
    const d = comparable(at('kubernetes_deployment.priority-pass'));
    expect(d.metadata).toEqual({
      name: 'priority-pass',
      namespace: 'priority-pass',
      labels: { run: 'priority-pass', tier: '4-aux' },
    });
    expect(d.spec.replicas).toBe('1');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.selector).toEqual({ match_labels: { run: 'priority-pass' } });
    expect(d.spec.template.metadata).toEqual({ labels: { run: 'priority-pass' } });
    const pod = d.spec.template.spec;
    expect(pod.image_pull_secrets).toEqual([{ name: 'registry-credentials' }]);
    expect(pod.volume).toEqual([
      { name: 'uploads', persistent_volume_claim: { claim_name: 'priority-pass-uploads-nfs' } },
    ]);
    expect(pod.container).toEqual([
      {
        name: 'frontend',
        image: `docker.io/viktorbarzin/priority-pass-frontend:${IMAGE_TAG}`,
        port: [{ container_port: 3000 }],
        env: [
          { name: 'BACKEND_URL', value: 'http://127.0.0.1:8000' },
          { name: 'ORIGIN', value: 'https://priority-pass.viktorbarzin.me' },
        ],
        resources: { requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      },
      {
        name: 'backend',
        image: `docker.io/viktorbarzin/priority-pass-backend:${IMAGE_TAG}`,
        port: [{ container_port: 8000 }],
        env: [{ name: 'UPLOAD_DIR', value: '/data/uploads' }],
        volume_mount: [{ name: 'uploads', mount_path: '/data/uploads' }],
        resources: { requests: { cpu: '10m', memory: '512Mi' }, limits: { memory: '512Mi' } },
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
        'spec[0].template[0].spec[0].container[1].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
    expect(comparable(at('kubernetes_service.priority-pass'))).toEqual({
      metadata: { name: 'priority-pass', namespace: 'priority-pass', labels: { run: 'priority-pass' } },
      spec: { selector: { run: 'priority-pass' }, port: [{ name: 'http', port: 80, target_port: '3000' }] },
    });
  });

  it('routes behind Authentik with a 10 MiB body buffer', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const a = ingress.metadata.annotations;
    expect(a['traefik.ingress.kubernetes.io/router.middlewares'].split(',')).toEqual([
      'traefik-retry@kubernetescrd',
      'traefik-error-pages@kubernetescrd',
      'traefik-rate-limit@kubernetescrd',
      'traefik-csp-headers@kubernetescrd',
      'traefik-authentik-forward-auth@kubernetescrd',
      'priority-pass-buffering-priority-pass@kubernetescrd',
    ]);
    expect(a['gethomepage.dev/icon']).toBe('mdi-airplane');
    expect(a['cloudflare.viktorbarzin.me/dns-type']).toBe('proxied');
    expect(ingress.spec.rule[0].host).toBe('priority-pass.viktorbarzin.me');
    const buffering = at('module.ingress.kubernetes_manifest.buffering[0]');
    expect(buffering.manifest.spec).toEqual({ buffering: { maxRequestBodyBytes: 10485760 } });
  });
});
