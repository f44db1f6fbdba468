// Parity of stacks/send with the tree's stacks/send (HEAD 0cd4afb6): parked at zero replicas, public share
// links on a non-proxied name (A + AAAA records), no external monitor.
import { describe, expect, it } from 'vitest';
import send from '../../stacks/send';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(send);
const TREE_ADDRESSES = [
  'kubernetes_namespace.send',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_send.kubernetes_persistent_volume.this',
  'module.nfs_send.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.send',
  'kubernetes_service.send',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack send', () => {
  it('is in the registry, after platform, with pg state', () => {
    expect(STACKS).toContain(send);
    expect(send.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'send' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('is parked at zero replicas with the tree settings and the canonical Keel ignores', () => {
    const d = comparable(at('kubernetes_deployment.send'));
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(d.spec.replicas).toBe('0');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const [c] = d.spec.template.spec.container;
    expect(c.env).toEqual([
      { name: 'FILE_DIR', value: '/uploads' },
      { name: 'BASE_URL', value: 'https://send.viktorbarzin.me' },
      { name: 'MAX_FILE_SIZE', value: '5368709120' },
      { name: 'MAX_DOWNLOADS', value: '10' },
      { name: 'MAX_EXPIRE_SECONDS', value: '604800' },
      { name: 'REDIS_HOST', value: 'redis-master.redis.svc.cluster.local' },
    ]);
    expect(c.liveness_probe).toEqual({
      http_get: { path: '/__version__', port: '1443' },
      initial_delay_seconds: 10,
      period_seconds: 30,
      failure_threshold: 3,
    });
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    expect(d.spec.template.spec.volume).toEqual([
      { name: 'data', persistent_volume_claim: { claim_name: 'send-data-nfs' } },
    ]);
    expect(d.lifecycle.ignore_changes).not.toContain('spec[0].replicas');
    expect(d.lifecycle.ignore_changes).toContain('spec[0].template[0].spec[0].container[0].image');
  });

  it('Service port without target_port, as the tree', () => {
    expect(comparable(at('kubernetes_service.send')).spec.port).toEqual([{ name: 'http', port: 1443 }]);
  });

  it('public share links on a non-proxied name, external monitor off', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const a = ingress.metadata.annotations;
    expect(a['uptime.viktorbarzin.me/external-monitor']).toBe('false');
    expect(a['cloudflare.viktorbarzin.me/dns-type']).toBe('non-proxied');
    expect(a['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain('authentik');
    expect(ingress.spec.rule[0].http.path[0].backend.service).toEqual({
      name: 'send',
      port: { number: 1443 },
    });
    expect(at('module.ingress.cloudflare_record.non_proxied_a[0]')).toMatchObject({
      name: 'send',
      content: '176.12.22.76',
      type: 'A',
      proxied: false,
    });
    expect(at('module.ingress.cloudflare_record.non_proxied_aaaa[0]')).toMatchObject({
      name: 'send',
      content: '2001:470:6e:43d::2',
      type: 'AAAA',
    });
  });
});
