// whisper: the Wyoming voice services for Home Assistant on the GPU node, speech-to-text (whisper) and
// text-to-speech (piper), each reached through its own Traefik TCP entrypoint. Both are scaled to 0 in the
// tree (GPU node memory pressure). Tree: stacks/whisper.
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { IngressRouteTcp } from '../constructs/blocks/traefik';
import { Deployment, Keel, type Toleration, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's GPU placement: the GPU node's label and taint (no nvidia.com/gpu request: CPU inference). */
const GPU_NODE = {
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
  ] as Toleration[],
};

export default defineStack({
  name: 'whisper',
  description: 'Wyoming whisper (STT) and piper (TTS) on the GPU node, Traefik TCP entrypoints',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'whisper', { tier: Tier.GPU, istioInjectionDisabled: false });
    // the TCP routes live next to Traefik's entry points
    const traefik = TieredNamespace.fromName(stack, 'traefik', 'traefik', Tier.CORE);
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const nfs = new NfsVolume(stack, 'nfs_data_host', {
      name: 'whisper-data-host',
      namespace: ns,
      nfsPath: '/srv/nfs/whisper',
      storage: '1Gi',
      accessModes: ['ReadWriteMany'],
      legacyAddress: 'module.nfs_data_host',
    });
    const data = Volume.fromPvc('data', nfs.claimName);

    const voice = (name: string, image: string, args: string[], port: number, memory: Size) => {
      const d = new Deployment(stack, name, {
        namespace: ns,
        name,
        keel: Keel.enrolled(),
        replicas: 0, // scaled down: GPU node memory pressure
        strategy: 'Recreate',
        ...GPU_NODE,
        containers: [
          {
            name,
            image,
            args,
            ports: [{ containerPort: port, protocol: 'TCP' }],
            volumeMounts: [{ volume: data, mountPath: '/data' }],
            resources: { cpuRequest: '25m', memoryRequest: memory, memoryLimit: memory },
          },
        ],
        volumes: [data],
      });
      suppressRule(d, 'images-pinned', `tree parity: the tree runs ${image}; Keel tracks the tag`);
      d.exposeViaService({ ports: [{ name: 'wyoming', port, protocol: 'TCP' }] });
      // Traefik's `<name>-tcp` entry point straight to the Wyoming port
      new IngressRouteTcp(stack, `${name}_tcp_ingressroute`, {
        namespace: traefik,
        name: `${name}-tcp`,
        entryPoints: [`${name}-tcp`],
        routes: [{ services: [{ name, namespace: ns.literalName, port }] }],
      });
    };
    voice(
      'whisper',
      'rhasspy/wyoming-whisper:latest',
      ['--model', 'small-int8', '--language', 'en', '--beam-size', '1'],
      10300,
      Size.gibibytes(1),
    );
    voice(
      'piper',
      'rhasspy/wyoming-piper:latest',
      ['--voice', 'en_US-lessac-medium'],
      10200,
      Size.mebibytes(64),
    );
  },
});
