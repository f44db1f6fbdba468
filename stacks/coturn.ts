// coturn: the STUN/TURN server the neko browsers (chrome-service, proxy) relay WebRTC media through, on
// its own MetalLB address with externalTrafficPolicy Local so it sees real client addresses. Its
// turnserver.conf is the tree owner's heredoc, read at plan time. Tree: stacks/coturn.
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

/** STUN/TURN signalling port (UDP and TCP). */
export const TURN_PORT = 3478;
/** The media relay range, inclusive (100 ports; the pfSense NAT forwards the same range). */
export const RELAY_PORTS = { min: 49152, max: 49252 } as const;
/** A dedicated MetalLB address: a shared IP would force ETP Cluster, whose SNAT breaks STUN. */
export const COTURN_LB_IP = '10.0.20.205';
export const TURN_REALM = 'viktorbarzin.me';

export default defineStack({
  name: 'coturn',
  description: 'coturn STUN/TURN relay for the neko browsers on a dedicated MetalLB IP (ETP Local)',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'coturn', { tier: Tier.EDGE, istioInjectionDisabled: false });
    // The TURN shared secret (turn_secret) lives in Vault secret/coturn; Terraform reads it back to render it
    // into the config, as the tree does.
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'coturn-secrets',
      namespace: ns.byLiteralName,
      extractPaths: ['coturn'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    const eso = secrets.syncedSecret('eso_secrets');
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });

    const conf = treeHeredoc(stack, 'turnserver.conf');
    const vars = [
      `local = { turn_port = ${TURN_PORT}, turn_realm = "${TURN_REALM}", min_port = ${RELAY_PORTS.min}, max_port = ${RELAY_PORTS.max} }`,
      `var = { public_ip = "${siteOf(stack).publicIpv4}" }`,
      `data = { kubernetes_secret = { eso_secrets = { data = data.${eso.terraformResourceType}.${eso.friendlyUniqueId}.data } } }`,
    ];
    const config = new ConfigMap(stack, 'coturn_config', {
      namespace: ns,
      name: 'coturn-config',
      data: { 'turnserver.conf': conf.template(`{ ${vars.join(', ')} }`) },
      payloads: [conf],
    });
    const configVolume = Volume.fromConfigMap('config', config.name);

    const turn = new Deployment(stack, 'coturn', {
      namespace: ns,
      name: 'coturn',
      keel: Keel.enrolled(),
      annotations: reloader('auto'),
      strategy: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '0', maxSurge: '1' },
      podAnnotations: { 'diun.enable': 'true', 'diun.include_tags': '^\\d+\\.\\d+\\.\\d+-r\\d+$' },
      containers: [
        {
          name: 'coturn',
          image: 'coturn/coturn:4.10.0-r1',
          args: ['-c', '/etc/turnserver/turnserver.conf'],
          ports: [
            { name: 'turn-udp', containerPort: TURN_PORT, protocol: 'UDP' },
            { name: 'turn-tcp', containerPort: TURN_PORT, protocol: 'TCP' },
          ],
          volumeMounts: [{ volume: configVolume, mountPath: '/etc/turnserver', readOnly: true }],
          // sized for ~10 relayed HD streams; no CPU limit (CFS throttling)
          resources: {
            cpuRequest: '250m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [configVolume],
    });

    const relay = [];
    for (let p = RELAY_PORTS.min; p <= RELAY_PORTS.max; p++) {
      relay.push({ name: `relay-${p}`, port: p, targetPort: p, protocol: 'UDP' as const });
    }
    turn.exposeViaService({
      labels: {}, // the tree's Service carries no labels
      loadBalancer: { ip: COTURN_LB_IP, externalTrafficPolicy: 'Local' },
      ports: [
        { name: 'turn-udp', port: TURN_PORT, targetPort: TURN_PORT, protocol: 'UDP' },
        { name: 'turn-tcp', port: TURN_PORT, targetPort: TURN_PORT, protocol: 'TCP' },
        ...relay,
      ],
    });
  },
});
