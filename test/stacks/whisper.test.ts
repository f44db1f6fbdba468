// Parity of stacks/whisper with the tree's stacks/whisper (HEAD 0cd4afb6): every tree address is synthesized
// or moved, and the literal values (GPU tier, node selector, toleration, no GPU request) are the tree's.
import { describe, expect, it } from 'vitest';
import whisper from '../../stacks/whisper';
import { STACKS } from '../../stacks';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(whisper);
const TREE_ADDRESSES = [
  'kubernetes_namespace.whisper',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_data_host.kubernetes_persistent_volume.this',
  'module.nfs_data_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.whisper',
  'kubernetes_service.whisper',
  'kubernetes_manifest.whisper_tcp_ingressroute',
  'kubernetes_deployment.piper',
  'kubernetes_service.piper',
  'kubernetes_manifest.piper_tcp_ingressroute',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack whisper', () => {
  it('is in the registry, after platform, with pg state under schema "whisper"', () => {
    expect(STACKS).toContain(whisper);
    expect(whisper.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'whisper' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it.each([
    ['whisper', 10300, '1Gi'],
    ['piper', 10200, '64Mi'],
  ])(
    'runs %s on the GPU node (tier, selector, toleration) without a GPU request, scaled to 0',
    (name, port, memory) => {
      const d = at(`kubernetes_deployment.${name}`);
      expect(d.metadata.labels).toEqual({ app: name, tier: '2-gpu' });
      expect(d.spec.replicas).toBe('0');
      const pod = d.spec.template.spec;
      expect(pod.node_selector).toEqual({ 'nvidia.com/gpu.present': 'true' });
      expect(pod.toleration).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      ]);
      // no nvidia.com/gpu request: the exact resources are CPU and memory only
      expect(pod.container[0].resources).toEqual({ requests: { cpu: '25m', memory }, limits: { memory } });
      expect(at(`kubernetes_service.${name}`).spec.port).toEqual([
        { name: 'wyoming', port, target_port: String(port), protocol: 'TCP' },
      ]);
      expect(at(`kubernetes_manifest.${name}_tcp_ingressroute`).manifest).toEqual({
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRouteTCP',
        metadata: { name: `${name}-tcp`, namespace: 'traefik' },
        spec: {
          entryPoints: [`${name}-tcp`],
          routes: [{ match: 'HostSNI(`*`)', services: [{ name, namespace: 'whisper', port }] }],
        },
      });
    },
  );

  it('labels the namespace with the GPU tier', () => {
    expect(at('kubernetes_namespace.whisper').metadata.labels).toEqual({
      tier: '2-gpu',
      'keel.sh/enrolled': 'true',
    });
  });
});
