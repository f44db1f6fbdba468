// Parity of stacks/owntracks with the tree's stacks/owntracks (HEAD 0cd4afb6); rehearsed clean since the
// stubs return JSON for jsondecode()d data keys.
import { describe, expect, it } from 'vitest';
import owntracks, { DAWARICH_HOOK } from '../../stacks/owntracks';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(owntracks);
const TREE_ADDRESSES = [
  'kubernetes_manifest.external_secret',
  'data.kubernetes_secret.eso_secrets',
  'kubernetes_namespace.owntracks',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_secret.basic_auth',
  'kubernetes_config_map.dawarich_hook',
  'kubernetes_deployment.owntracks',
  'kubernetes_service.owntracks',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_manifest.basic_auth_middleware',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack owntracks', () => {
  it('is in the registry, after platform and vault, with pg state', () => {
    expect(STACKS).toContain(owntracks);
    expect(owntracks.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'owntracks' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('the namespace carries the tree labels and the Goldilocks ignore', () => {
    const ns = comparable(at('kubernetes_namespace.owntracks'));
    expect(ns.metadata).toEqual({
      name: 'owntracks',
      labels: { 'istio-injection': 'disabled', tier: '4-aux', 'keel.sh/enrolled': 'true' },
    });
    expect(ns.lifecycle.ignore_changes).toEqual([
      'metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]',
    ]);
  });

  it('extracts the whole Vault secret; the htpasswd is built from its credentials, data ignored', () => {
    const es = at('kubernetes_manifest.external_secret');
    expect(es.manifest.metadata).toEqual({ name: 'owntracks-secrets', namespace: 'owntracks' });
    expect(es.manifest.spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
      target: { name: 'owntracks-secrets' },
      dataFrom: [{ extract: { key: 'owntracks' } }],
    });
    const secret = at('kubernetes_secret.basic_auth');
    expect(secret.metadata.name).toBe('basic-auth-secret');
    expect(secret.type).toBe('Opaque');
    expect(secret.data.auth).toContain('jsondecode(data.kubernetes_secret.eso_secrets.data["credentials"])');
    expect(secret.data.auth).toContain('bcrypt(val, 10)');
    expect(secret.lifecycle.ignore_changes).toEqual(['data']);
    expect(comparable(at('kubernetes_manifest.basic_auth_middleware')).manifest).toEqual({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'basic-auth', namespace: 'owntracks' },
      spec: { basicAuth: { secret: 'basic-auth-secret' } },
    });
  });

  it("mounts the tree owner's Lua hook, read at plan time", () => {
    const cm = at('kubernetes_config_map.dawarich_hook');
    expect(cm.metadata.name).toBe('dawarich-hook');
    expect(cm.data[DAWARICH_HOOK]).toContain('tree-payloads/owntracks/dawarich-hook.lua');
    expect(cm.lifecycle.precondition).toHaveLength(1);
  });

  it('runs the recorder as the tree', () => {
    const d = comparable(at('kubernetes_deployment.owntracks'));
    expect(d.metadata.labels).toEqual({ app: 'owntracks', tier: '4-aux' });
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(d.spec.replicas).toBe('1');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.template.metadata.annotations).toEqual({
      'diun.enable': 'true',
      'diun.include_tags': '^\\d+(?:\\.\\d+)?(?:\\.\\d+)?$',
    });
    const pod = d.spec.template.spec;
    expect(pod.container).toEqual([
      {
        name: 'owntracks',
        image: 'owntracks/recorder:1.0.1',
        port: [{ name: 'http', container_port: 8083 }],
        args: ['--lua-script', '/hook/dawarich-hook.lua', 'owntracks/#'],
        env: [
          { name: 'OTR_PORT', value: '0' },
          {
            name: 'DAWARICH_API_KEY',
            value_from: { secret_key_ref: { name: 'owntracks-secrets', key: 'dawarich_api_key' } },
          },
        ],
        volume_mount: [
          { name: 'data', mount_path: '/store' },
          { name: 'data', mount_path: '/config' },
          { name: 'hook', mount_path: '/hook', read_only: true },
        ],
        resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      },
    ]);
    expect(pod.volume).toEqual([
      { name: 'data', persistent_volume_claim: { claim_name: 'owntracks-data-encrypted' } },
      { name: 'hook', config_map: { name: 'dawarich-hook' } },
    ]);
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'spec[0].template[0].spec[0].container[0].image',
      ].sort(),
    );
  });

  it('the service is http/80 to 8083; the ingress chain is basic auth, rate limit, CSP', () => {
    const svc = comparable(at('kubernetes_service.owntracks'));
    expect(svc.metadata.labels).toEqual({ app: 'owntracks' });
    expect(svc.spec.port).toEqual([{ name: 'http', port: 80, target_port: '8083', protocol: 'TCP' }]);
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.annotations).toMatchObject({
      'traefik.ingress.kubernetes.io/router.middlewares':
        'owntracks-basic-auth@kubernetescrd,traefik-rate-limit@kubernetescrd,traefik-csp-headers@kubernetescrd',
      'gethomepage.dev/enabled': 'true',
      'gethomepage.dev/name': 'OwnTracks',
      'gethomepage.dev/description': 'Location tracking',
      'gethomepage.dev/icon': 'owntracks.png',
      'gethomepage.dev/group': 'Smart Home',
      'gethomepage.dev/pod-selector': '',
    });
    expect(ingress.spec.rule[0].http.path[0].backend.service).toEqual({
      name: 'owntracks',
      port: { number: 80 },
    });
  });
});
