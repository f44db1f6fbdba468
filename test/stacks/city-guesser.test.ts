// Parity of stacks/city-guesser with the tree's stacks/city-guesser (HEAD 0cd4afb6): every address the
// tree has is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import cityGuesser from '../../stacks/city-guesser';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(cityGuesser);
const TREE_ADDRESSES = [
  'kubernetes_namespace.city-guesser',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.city-guesser',
  'kubernetes_service.city-guesser',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]', // sablier set
  // no cloudflare_record: city-guesser.viktorbarzin.me rides the `*` wildcard CNAME
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack city-guesser', () => {
  it('is in the registry, after platform, with pg state under schema "city-guesser"', () => {
    expect(STACKS).toContain(cityGuesser);
    expect(cityGuesser.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'city-guesser' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(json.provider?.cloudflare).toBeUndefined();
  });

  it('selects the pods by `run`, Keel-enrolled and Sablier-managed, as the tree', () => {
    const deployment = comparable(at('kubernetes_deployment.city-guesser'));
    expect(deployment.metadata).toEqual({
      name: 'city-guesser',
      namespace: 'city-guesser',
      labels: {
        run: 'city-guesser',
        tier: '4-aux',
        'sablier.enable': 'true',
        'sablier.group': 'city-guesser',
        'sablier.ready-after': '5s',
      },
    });
    expect(deployment.spec.selector).toEqual({ match_labels: { run: 'city-guesser' } });
    expect(deployment.spec.template.metadata).toEqual({ labels: { run: 'city-guesser' } });
    expect(deployment.spec.template.spec.container).toEqual([
      {
        image: 'viktorbarzin/city-guesser:latest',
        name: 'city-guesser',
        port: [{ container_port: 80 }],
        resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      },
    ]);
    expect(deployment.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'spec[0].replicas',
      ].sort(),
    );
    expect(comparable(at('kubernetes_service.city-guesser'))).toEqual({
      metadata: { name: 'city-guesser', namespace: 'city-guesser', labels: { run: 'city-guesser' } },
      spec: { selector: { run: 'city-guesser' }, port: [{ name: 'http', port: 80, target_port: '80' }] },
    });
  });

  it('routes city-guesser behind Authentik with the Sablier middleware of its group', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.name).toBe('city-guesser');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'city-guesser-sablier-city-guesser@kubernetescrd',
    );
    expect(ingress.metadata.annotations['gethomepage.dev/name']).toBe('City Guesser');
    expect(at('module.ingress.kubectl_manifest.sablier[0]').yaml_body).toContain('"group": "city-guesser"');
  });
});
