// Parity of stacks/ac with the tree's stacks/ac (HEAD 0cd4afb6): every address the tree has is synthesized
// or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import ac from '../../stacks/ac';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  SENSITIVE_TLS_SECRET_NAME,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(ac);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.ac_gateway',
  'kubernetes_namespace.ac',
  'data.kubernetes_secret.wildcard',
  'kubernetes_secret.tls',
  'kubernetes_service.ac_demux',
  'kubernetes_endpoints.ac_demux',
  'kubernetes_service.ac_static',
  'kubernetes_endpoints.ac_static',
  'kubernetes_manifest.ac_gateway_secret_header',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_manifest.ac_ws_ingressroute',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const dataSource = (type: string, name: string): Json => (json as Json).data[type][name];

describe('stack ac', () => {
  it('is in the registry, with no dependencies, with pg state under schema "ac"', () => {
    expect(STACKS).toContain(ac);
    expect(ac.after ?? []).toEqual([]);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'ac' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('a namespace without a tier label, as the tree', () => {
    expect(at('kubernetes_namespace.ac').metadata.labels).toEqual({
      'istio-injection': 'disabled',
      'keel.sh/enrolled': 'true',
    });
  });

  it('copies the wildcard certificate from the traefik namespace', () => {
    expect(dataSource('kubernetes_secret', 'wildcard').metadata).toEqual({
      name: SENSITIVE_TLS_SECRET_NAME,
      namespace: 'traefik',
    });
    const tls = comparable(at('kubernetes_secret.tls'));
    expect(tls.type).toBe('kubernetes.io/tls');
    expect(tls.data).toEqual({
      'tls.crt': '${data.kubernetes_secret.wildcard.data["tls.crt"]}',
      'tls.key': '${data.kubernetes_secret.wildcard.data["tls.key"]}',
    });
    expect(tls.lifecycle).toEqual({ ignore_changes: ['metadata[0].labels'] });
  });

  it('points ac-demux and ac-static at the DevVM', () => {
    for (const [tf, name, port] of [
      ['ac_demux', 'ac-demux', 7690],
      ['ac_static', 'ac-static', 7691],
    ] as const) {
      expect(comparable(at(`kubernetes_service.${tf}`))).toEqual({
        metadata: { name, namespace: 'ac', labels: { app: name } },
        spec: { port: [{ name: 'http', port: 80, target_port: String(port) }] },
      });
      expect(comparable(at(`kubernetes_endpoints.${tf}`))).toEqual({
        metadata: { name, namespace: 'ac' },
        subset: [{ address: [{ ip: '10.0.10.10' }], port: [{ name: 'http', port }] }],
      });
    }
  });

  it('injects the Vault gateway secret on /ws only, behind forward-auth', () => {
    expect(dataSource('vault_kv_secret_v2', 'ac_gateway')).toEqual({ mount: 'secret', name: 'ac-gateway' });
    const mw = at('kubernetes_manifest.ac_gateway_secret_header').manifest;
    expect(mw.spec.headers.customRequestHeaders).toEqual({
      'X-Gateway-Auth': '${data.vault_kv_secret_v2.ac_gateway.data["gateway_secret"]}',
    });
    const route = at('kubernetes_manifest.ac_ws_ingressroute').manifest;
    expect(route.spec.routes).toEqual([
      {
        match: 'Host(`ac.viktorbarzin.me`) && PathPrefix(`/ws`)',
        kind: 'Rule',
        middlewares: [
          { name: 'authentik-forward-auth', namespace: 'traefik' },
          { name: 'ac-gateway-secret', namespace: 'ac' },
        ],
        services: [{ name: 'ac-demux', port: 80 }],
      },
    ]);
    expect(route.spec.tls).toEqual({ secretName: SENSITIVE_TLS_SECRET_NAME });
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].http.path[0].backend.service).toEqual({
      name: 'ac-static',
      port: { number: 80 },
    });
  });
});
