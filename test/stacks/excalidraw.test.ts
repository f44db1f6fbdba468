// Parity of stacks/excalidraw with the tree's stacks/excalidraw (HEAD 0cd4afb6): every address the tree
// has is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import excalidraw from '../../stacks/excalidraw';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  resource,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(excalidraw);
const TREE_ADDRESSES = [
  'kubernetes_namespace.excalidraw',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_data_host.kubernetes_persistent_volume.this',
  'module.nfs_data_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.excalidraw',
  'kubernetes_service.draw',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubectl_manifest.sablier[0]', // sablier set
  'kubernetes_role.portforward', // rbac.tf
  'kubernetes_role_binding.emo_browser_portforward',
  // no cloudflare_record: draw.viktorbarzin.me is not the apex, it rides the `*` wildcard CNAME
];

const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack excalidraw', () => {
  it('is in the registry, after platform, with pg state under schema "excalidraw"', () => {
    expect(STACKS).toContain(excalidraw);
    expect(excalidraw.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'excalidraw' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(json.provider?.cloudflare).toBeUndefined();
  });

  it('declares the namespace and the NFS volume as the tree', () => {
    expect(comparable(at('kubernetes_namespace.excalidraw'))).toEqual({
      metadata: {
        name: 'excalidraw',
        labels: { 'istio-injection': 'disabled', tier: '4-aux', 'keel.sh/enrolled': 'true' },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
    const pvc = at('module.nfs_data_host.kubernetes_persistent_volume_claim.this');
    expect(pvc.metadata).toEqual({ name: 'excalidraw-data-host', namespace: 'excalidraw' });
    expect(pvc.spec.access_modes).toEqual(['ReadWriteOnce']);
    expect(pvc.spec.resources).toEqual({ requests: { storage: '1Gi' } });
    const pv = at('module.nfs_data_host.kubernetes_persistent_volume.this');
    expect(pv.spec[0].persistent_volume_source.csi.volume_attributes.share).toBe('/srv/nfs/excalidraw');
  });

  it('runs excalidraw with its own Keel force policy and Sablier enrolment, as the tree', () => {
    expect(comparable(at('kubernetes_deployment.excalidraw'))).toEqual({
      metadata: {
        name: 'excalidraw',
        namespace: 'excalidraw',
        labels: {
          app: 'excalidraw',
          tier: '4-aux',
          'sablier.enable': 'true',
          'sablier.group': 'excalidraw',
          'sablier.ready-after': '5s',
        },
        annotations: {
          'keel.sh/policy': 'force',
          'keel.sh/trigger': 'poll',
          'keel.sh/match-tag': 'true',
          'keel.sh/pollSchedule': '@every 5m',
        },
      },
      spec: {
        replicas: '1',
        strategy: { type: 'Recreate' },
        selector: { match_labels: { app: 'excalidraw' } },
        template: {
          metadata: {
            labels: { app: 'excalidraw' },
            annotations: { 'diun.enable': 'true', 'diun.include_tags': '^latest$' },
          },
          spec: {
            image_pull_secrets: [{ name: 'ghcr-credentials' }],
            container: [
              {
                image: 'ghcr.io/viktorbarzin/excalidraw-library:latest',
                image_pull_policy: 'Always',
                name: 'excalidraw',
                port: [{ container_port: 8080 }],
                env: [
                  { name: 'DATA_DIR', value: '/data' },
                  { name: 'PORT', value: '8080' },
                ],
                volume_mount: [{ name: 'data', mount_path: '/data' }],
                resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } },
              },
            ],
            volume: [{ name: 'data', persistent_volume_claim: { claim_name: 'excalidraw-data-host' } }],
          },
        },
      },
      lifecycle: {
        ignore_changes: [
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
      },
    });
    expect(comparable(at('kubernetes_service.draw'))).toEqual({
      metadata: { name: 'draw', namespace: 'excalidraw', labels: { app: 'excalidraw' } },
      spec: { selector: { app: 'excalidraw' }, port: [{ name: 'http', port: 80, target_port: '8080' }] },
    });
  });

  it('routes draw behind Authentik with the Sablier middleware of the excalidraw group', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.name).toBe('draw');
    const chain = (
      ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string
    ).split(',');
    expect(chain.indexOf('excalidraw-sablier-draw@kubernetescrd')).toBeGreaterThan(
      chain.indexOf('traefik-authentik-forward-auth@kubernetescrd'),
    );
    expect(chain.indexOf('traefik-authentik-forward-auth@kubernetescrd')).toBeGreaterThanOrEqual(0);
    expect(ingress.metadata.annotations['gethomepage.dev/name']).toBe('Excalidraw');
    expect(ingress.spec.rule[0]).toEqual({
      host: 'draw.viktorbarzin.me',
      http: { path: [{ path: '/', backend: { service: { name: 'draw', port: { number: 80 } } } }] },
    });
    const sablier = at('module.ingress.kubectl_manifest.sablier[0]').yaml_body as string;
    expect(sablier).toContain('"name": "sablier-draw"');
    expect(sablier).toContain('"group": "excalidraw"');
    expect(sablier).toContain('"sessionDuration": "3h"');
  });

  it('lets the chrome-service emo-browser ServiceAccount port-forward into the namespace, nothing more', () => {
    expect(comparable(at('kubernetes_role.portforward'))).toEqual({
      metadata: { name: 'excalidraw-portforward', namespace: 'excalidraw' },
      rule: [{ api_groups: [''], resources: ['pods/portforward'], verbs: ['create'] }],
    });
    expect(comparable(at('kubernetes_role_binding.emo_browser_portforward'))).toEqual({
      metadata: { name: 'emo-browser-portforward', namespace: 'excalidraw' },
      role_ref: {
        api_group: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'excalidraw-portforward',
      },
      subject: [{ kind: 'ServiceAccount', name: 'emo-browser', namespace: 'chrome-service' }],
    });
    // by reference, as the tree: the binding is created after the role
    expect(resource(json, 'kubernetes_role_binding', 'emo_browser_portforward').role_ref.name).toBe(
      '${kubernetes_role.portforward.metadata[0].name}',
    );
  });
});
