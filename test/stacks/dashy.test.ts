// Parity of stacks/dashy with the tree's stacks/dashy (HEAD 0cd4afb6): every tree address is synthesized or
// moved, the literal values and ignore_changes are the tree's, and conf.yml is the tree's file read at plan
// time (a tree payload), never a copy.
import { describe, expect, it } from 'vitest';
import dashy, { DASHY_CONFIG } from '../../stacks/dashy';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(dashy);
const TREE_ADDRESSES = [
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_namespace.dashy',
  'kubernetes_config_map.config',
  'kubernetes_deployment.dashy',
  'kubernetes_service.dashy',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]',
];
const at = (a: string): Json => atTreeAddress(json, a);
const PAYLOAD = '"${path.root}/../../../tree-payloads/dashy/conf.yml"';

describe('stack dashy', () => {
  it('is in the registry, after platform, with pg state under schema "dashy"', () => {
    expect(STACKS).toContain(dashy);
    expect(dashy.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'dashy' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('reads the tree conf.yml at plan time, guarded, into the Reloader-matched ConfigMap', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([{ stack: 'dashy', file: DASHY_CONFIG }]);
    const cm = at('kubernetes_config_map.config');
    expect(cm.metadata.annotations).toEqual({ 'reloader.stakater.com/match': 'true' });
    expect(cm.data['conf.yml']).toBe(`\${fileexists(${PAYLOAD}) ? file(${PAYLOAD}) : null}`);
    expect(cm.lifecycle.precondition[0].condition).toBe(`\${fileexists(${PAYLOAD})}`);
  });

  it('is parked by Sablier: labels, replicas 0 and ignored, the middleware after Authentik', () => {
    const d = at('kubernetes_deployment.dashy');
    expect(d.metadata.labels).toEqual({
      app: 'dashy',
      tier: '4-aux',
      'sablier.enable': 'true',
      'sablier.group': 'dashy',
      'sablier.ready-after': '5s',
    });
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(d.spec.replicas).toBe('0');
    expect(d.spec.template.metadata.annotations).toEqual({});
    expect(d.lifecycle.ignore_changes).toContain('spec[0].replicas');
    expect(d.lifecycle.ignore_changes).toHaveLength(10);
    const chain = (
      at('module.ingress.kubernetes_ingress_v1.proxied-ingress').metadata.annotations[
        'traefik.ingress.kubernetes.io/router.middlewares'
      ] as string
    ).split(',');
    expect(chain.indexOf('dashy-sablier-dashy@kubernetescrd')).toBeGreaterThan(
      chain.indexOf('traefik-authentik-forward-auth@kubernetescrd'),
    );
    expect(at('module.ingress.kubectl_manifest.sablier[0]').yaml_body).toContain('"group": "dashy"');
  });
});
