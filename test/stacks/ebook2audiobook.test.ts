// Parity of stacks/ebook2audiobook with the tree's stacks/ebook2audiobook (HEAD 0cd4afb6): every address
// the tree has is synthesized or moved, and the literal values (GPU placement included) and ignore_changes
// sets are the tree's.
import { describe, expect, it } from 'vitest';
import ebook2audiobook from '../../stacks/ebook2audiobook';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(ebook2audiobook);
const nfs = (call: string) => [
  `module.${call}.kubernetes_persistent_volume.this`,
  `module.${call}.kubernetes_persistent_volume_claim.this`,
];
const TREE_ADDRESSES = [
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_namespace.ebook2audiobook',
  ...nfs('nfs_data_host'),
  ...nfs('nfs_audiblez_data_host'),
  'kubernetes_deployment.ebook2audiobook',
  'kubernetes_service.ebook2audiobook',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'kubernetes_deployment.audiblez',
  'kubernetes_deployment.audiblez-web',
  'kubernetes_service.audiblez-web',
  'module.audiblez-web-ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.audiblez-web-ingress.kubernetes_manifest.buffering[0]',
  'module.audiblez-web-ingress.cloudflare_record.non_proxied_a[0]',
  'module.audiblez-web-ingress.cloudflare_record.non_proxied_aaaa[0]',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const KEEL_IGNORES = [
  'spec[0].template[0].spec[0].dns_config',
  'spec[0].template[0].spec[0].container[0].image',
  'metadata[0].annotations["keel.sh/policy"]',
  'metadata[0].annotations["keel.sh/trigger"]',
  'metadata[0].annotations["keel.sh/pollSchedule"]',
  'metadata[0].annotations["keel.sh/match-tag"]',
  'metadata[0].annotations["kubernetes.io/change-cause"]',
  'metadata[0].annotations["deployment.kubernetes.io/revision"]',
  'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
].sort();

describe('stack ebook2audiobook', () => {
  it('is in the registry, after platform, with pg state under schema "ebook2audiobook"', () => {
    expect(STACKS).toContain(ebook2audiobook);
    expect(ebook2audiobook.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'ebook2audiobook' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('is a GPU-tier namespace with istio injection disabled', () => {
    expect(comparable(at('kubernetes_namespace.ebook2audiobook')).metadata.labels).toEqual({
      'istio-injection': 'disabled',
      tier: '2-gpu',
      'keel.sh/enrolled': 'true',
    });
  });

  it('mounts both NFS exports from the NAS host the tree pins', () => {
    for (const [call, share] of [
      ['nfs_data_host', '/srv/nfs/ebook2audiobook'],
      ['nfs_audiblez_data_host', '/srv/nfs/audiblez'],
    ]) {
      const pv = at(`module.${call}.kubernetes_persistent_volume.this`);
      expect(pv.spec[0].persistent_volume_source.csi.volume_attributes).toEqual({
        server: '192.168.1.127',
        share,
      });
    }
  });

  it('parks all three converters at zero on the GPU node, one time-slice each', () => {
    for (const name of ['ebook2audiobook', 'audiblez', 'audiblez-web']) {
      const d = comparable(at(`kubernetes_deployment.${name}`));
      expect(d.metadata.labels).toEqual({ app: name, tier: '2-gpu' });
      expect(d.spec.replicas).toBe('0');
      expect(d.spec.template.spec.node_selector).toEqual({ 'nvidia.com/gpu.present': 'true' });
      expect(d.spec.template.spec.toleration).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      ]);
      expect(d.spec.template.spec.container[0].resources).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
      expect(d.lifecycle.ignore_changes).toEqual(KEEL_IGNORES);
    }
    expect(comparable(at('kubernetes_deployment.audiblez')).spec.strategy).toBeUndefined();
    expect(comparable(at('kubernetes_deployment.audiblez-web')).spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('runs ebook2audiobook with a terminal and the CUDA library path', () => {
    const c = comparable(at('kubernetes_deployment.ebook2audiobook')).spec.template.spec.container[0];
    expect(c.image).toBe('docker.io/athomasson2/ebook2audiobook:v25.12.30-cu128');
    expect(c.tty).toBe(true);
    expect(c.stdin).toBe(true);
    expect(c.port).toEqual([{ container_port: 7860 }]);
    expect(c.env).toEqual([
      {
        name: 'LD_LIBRARY_PATH',
        value:
          '/usr/local/lib/python3.12/site-packages/nvidia/cuda_runtime/lib:/usr/local/lib/python3.12/site-packages/nvidia/cudnn/lib',
      },
    ]);
    expect(c.volume_mount).toEqual([{ name: 'data', mount_path: '/home/user' }]);
  });

  it('runs audiblez as an idle shell and the web UI on the audiblez export', () => {
    const cli = comparable(at('kubernetes_deployment.audiblez')).spec.template.spec;
    expect(cli.container[0].command).toEqual(['/usr/bin/sleep', 'infinity']);
    expect(cli.volume).toEqual([
      { name: 'data', persistent_volume_claim: { claim_name: 'ebook2audiobook-audiblez-data-host' } },
    ]);
    const web = comparable(at('kubernetes_deployment.audiblez-web')).spec.template.spec.container[0];
    expect(web.image_pull_policy).toBe('Always');
    expect(web.port).toEqual([{ container_port: 8000 }]);
  });

  it('serves audiblez behind Authentik with 500m uploads', () => {
    const i = at('module.audiblez-web-ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(i.metadata.name).toBe('audiblez-web');
    expect(i.spec.rule[0].host).toBe('audiblez.viktorbarzin.me');
    expect(i.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'traefik-authentik-forward-auth@kubernetescrd',
    );
    expect(at('module.audiblez-web-ingress.kubernetes_manifest.buffering[0]').manifest.spec).toEqual({
      buffering: { maxRequestBodyBytes: 524288000 },
    });
  });
});
