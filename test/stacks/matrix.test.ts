// Parity of stacks/matrix with the tree's stacks/matrix (HEAD 0cd4afb6): every tree address is synthesized
// or moved, the literal values and ignore_changes are the tree's.
import { describe, expect, it } from 'vitest';
import matrix from '../../stacks/matrix';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(matrix);
const TREE_ADDRESSES = [
  'kubernetes_namespace.matrix',
  'kubernetes_manifest.secrets_external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_encrypted',
  'kubernetes_deployment.matrix',
  'kubernetes_service.matrix',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress', // proxied, not the apex: the wildcard record
  'kubernetes_manifest.register_ratelimit',
  'module.ingress_register.kubernetes_ingress_v1.proxied-ingress',
];
const at = (a: string): Json => atTreeAddress(json, a);
const chain = (a: string) =>
  (at(a).metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string).split(',');

describe('stack matrix', () => {
  it('is in the registry, after platform, with pg state under schema "matrix"', () => {
    expect(STACKS).toContain(matrix);
    expect(matrix.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'matrix' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('keeps RocksDB on a 1Gi encrypted volume the resizer grows to 5Gi', () => {
    const pvc = comparable(at('kubernetes_persistent_volume_claim.data_encrypted'));
    expect(pvc.wait_until_bound).toBe(false);
    expect(pvc.metadata.name).toBe('matrix-data-encrypted');
    expect(pvc.metadata.annotations['resize.topolvm.io/increase']).toBe('100%');
    expect(pvc.metadata.annotations['resize.topolvm.io/storage_limit']).toBe('5Gi');
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm-encrypted');
  });

  it('runs tuwunel as uid/gid 1000 with registration closed and the client IP from CF-Connecting-IP', () => {
    const d = comparable(at('kubernetes_deployment.matrix'));
    const pod = d.spec.template.spec;
    expect(pod.security_context).toEqual({ run_as_user: '1000', run_as_group: '1000', fs_group: '1000' });
    expect(d.spec.template.metadata.annotations).toEqual({
      'diun.enable': 'true',
      'diun.include_tags': '^v\\d+\\.\\d+\\.\\d+$',
    });
    const c = pod.container[0];
    expect(c.image).toBe('ghcr.io/matrix-construct/tuwunel:v1.7.1');
    const env = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value]));
    expect(env).toEqual({
      TUWUNEL_SERVER_NAME: 'matrix.viktorbarzin.me',
      TUWUNEL_DATABASE_PATH: '/var/lib/tuwunel',
      TUWUNEL_PORT: '8008',
      TUWUNEL_ADDRESS: '0.0.0.0',
      TUWUNEL_ALLOW_FEDERATION: 'true',
      TUWUNEL_TRUSTED_SERVERS: '["matrix.org"]',
      TUWUNEL_ALLOW_REGISTRATION: 'false',
      TUWUNEL_MAX_REQUEST_SIZE: '52428800',
      TUWUNEL_WELL_KNOWN__CLIENT: 'https://matrix.viktorbarzin.me',
      TUWUNEL_WELL_KNOWN__SERVER: 'matrix.viktorbarzin.me:443',
      TUWUNEL_IP_SOURCE: 'cf_connecting_ip',
      TUWUNEL_LOG: 'warn,tuwunel=info',
    });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } });
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('both ingresses are tokens-only (no Authentik) and rewrite the client IP; register is rate-limited', () => {
    expect(at('kubernetes_service.matrix').spec.port).toEqual([
      { name: 'http', port: 80, target_port: '8008' },
    ]);
    const main = chain('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(main.join(',')).not.toContain('authentik');
    expect(main).toContain('traefik-real-ip@kubernetescrd');
    const reg = chain('module.ingress_register.kubernetes_ingress_v1.proxied-ingress');
    expect(reg.indexOf('traefik-real-ip@kubernetescrd')).toBeLessThan(
      reg.indexOf('matrix-register-ratelimit@kubernetescrd'),
    );
    const ingress = at('module.ingress_register.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].host).toBe('matrix.viktorbarzin.me');
    expect(ingress.spec.rule[0].http.path.map((p: Json) => p.path)).toEqual([
      '/_matrix/client/v3/register',
      '/_matrix/client/r0/register',
    ]);
    expect(Object.keys(ingress.metadata.annotations).filter((k) => k.startsWith('gethomepage'))).toEqual([]);
    expect(at('kubernetes_manifest.register_ratelimit').manifest.spec).toEqual({
      rateLimit: { average: 10, period: '1m', burst: 20, sourceCriterion: { requestHost: true } },
    });
  });
});
