// Parity of stacks/frigate with the tree's stacks/frigate (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values (GPU placement and budget included) and ignore_changes sets
// are the tree's. The liveness check is the tree's heredoc, read at plan time (never a copy).
import { describe, expect, it } from 'vitest';
import frigate from '../../stacks/frigate';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(frigate);
const TREE_ADDRESSES = [
  'kubernetes_namespace.frigate',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.config_encrypted',
  'module.nfs_media_host.kubernetes_persistent_volume.this',
  'module.nfs_media_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.frigate',
  'kubernetes_service.frigate',
  'kubernetes_service.frigate-rtsp',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress', // proxied, not the apex: no record
  'module.ingress-internal.kubernetes_ingress_v1.proxied-ingress',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const HEREDOC = '"${path.root}/../../../tree-payloads/frigate/_heredoc/main.tf/command/0"';

describe('stack frigate', () => {
  it('is in the registry, after platform, with pg state under schema "frigate"', () => {
    expect(STACKS).toContain(frigate);
    expect(frigate.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'frigate' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('is a GPU-tier namespace without the istio label', () => {
    expect(comparable(at('kubernetes_namespace.frigate')).metadata.labels).toEqual({
      tier: '2-gpu',
      'keel.sh/enrolled': 'true',
    });
  });

  it('runs Frigate on the GPU node with its time-slice, VRAM budget and node devices', () => {
    const d = comparable(at('kubernetes_deployment.frigate'));
    expect(d.metadata.labels).toEqual({ app: 'frigate', tier: '2-gpu' });
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = d.spec.template.spec;
    expect(pod.node_selector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.toleration).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ]);
    const [c] = pod.container;
    expect(c.image).toBe('ghcr.io/blakeblackshear/frigate:0.17.0-beta1-tensorrt');
    expect(c.resources).toEqual({
      requests: { cpu: '1500m', memory: '5Gi' },
      limits: { memory: '10Gi', 'nvidia.com/gpu': '1', 'viktorbarzin.me/gpumem': '2300' },
    });
    expect(c.security_context).toEqual({ privileged: true });
    expect(c.port).toEqual([
      { container_port: 5000 },
      { container_port: 8554 },
      { container_port: 8555, protocol: 'TCP' },
      { container_port: 8555, protocol: 'UDP' },
    ]);
    expect(c.volume_mount.map((m: Json) => [m.name, m.mount_path])).toEqual([
      ['config', '/config'],
      ['dri', '/dev/dri'],
      ['dshm', '/dev/shm'],
      ['media', '/media/frigate'],
      ['cache-tmpfs', '/tmp/cache'],
    ]);
    expect(pod.volume).toEqual([
      { name: 'config', persistent_volume_claim: { claim_name: 'frigate-config-encrypted' } },
      { name: 'dshm', empty_dir: { medium: 'Memory', size_limit: '1Gi' } },
      { name: 'media', persistent_volume_claim: { claim_name: 'frigate-media-host' } },
      { name: 'cache-tmpfs', empty_dir: { medium: 'Memory', size_limit: '512Mi' } },
      { name: 'dri', host_path: { path: '/dev/dri', type: 'Directory' } },
    ]);
    expect(c.startup_probe).toEqual({
      http_get: { path: '/api/version', port: '5000' },
      period_seconds: 10,
      failure_threshold: 30,
    });
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('checks liveness with the tree heredoc, guarded against a missing payload', () => {
    const raw = at('kubernetes_deployment.frigate');
    expect(comparable(raw).spec.template.spec.container[0].liveness_probe).toEqual({
      exec: {
        command: ['sh', '-c', `\${fileexists(${HEREDOC}) ? templatefile(${HEREDOC}, {}) : null}`],
      },
      initial_delay_seconds: 120,
      period_seconds: 60,
      timeout_seconds: 10,
      failure_threshold: 3,
    });
    expect(raw.lifecycle.precondition[0].condition).toBe(`\${fileexists(${HEREDOC})}`);
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'frigate', file: '_heredoc/main.tf/command/0' },
    ]);
  });

  it('publishes RTSP and WebRTC on a dedicated MetalLB address with the client IP kept', () => {
    expect(comparable(at('kubernetes_service.frigate-rtsp'))).toEqual({
      metadata: {
        name: 'frigate-rtsp',
        namespace: 'frigate',
        labels: { app: 'frigate' },
        annotations: { 'metallb.io/loadBalancerIPs': '10.0.20.204' },
      },
      spec: {
        type: 'LoadBalancer',
        external_traffic_policy: 'Local',
        selector: { app: 'frigate' },
        port: [
          { name: 'rtsp-tcp', port: 8554, target_port: '8554', protocol: 'TCP' },
          { name: 'rtsp-udp', port: 8554, target_port: '8554', protocol: 'UDP' },
          { name: 'webrtc-tcp', port: 8555, target_port: '8555', protocol: 'TCP' },
          { name: 'webrtc-udp', port: 8555, target_port: '8555', protocol: 'UDP' },
        ],
      },
      lifecycle: { ignore_changes: ['metadata[0].annotations["metallb.io/ip-allocated-from-pool"]'] },
    });
  });

  it('serves the UI behind Authentik and a LAN-only host for the Home Assistant integration', () => {
    const ui = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ui.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'traefik-authentik-forward-auth@kubernetescrd',
    );
    expect(ui.metadata.annotations['gethomepage.dev/widget.type']).toBe('frigate');
    const lan = at('module.ingress-internal.kubernetes_ingress_v1.proxied-ingress');
    expect(lan.metadata.name).toBe('frigate-lan');
    expect(lan.spec.rule[0].host).toBe('frigate-lan.viktorbarzin.lan');
    const chain = lan.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).toContain('traefik-local-only@kubernetescrd');
    expect(chain).not.toContain('authentik');
    // the group the tree's module derives from the namespace, though the tile is disabled
    expect(lan.metadata.annotations['gethomepage.dev/group']).toBe('Smart Home');
    expect(lan.metadata.annotations['gethomepage.dev/enabled']).toBe('false');
  });
});
