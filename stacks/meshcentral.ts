// meshcentral: MeshCentral remote device management at meshcentral.viktorbarzin.me. The web UI is behind
// Authentik; the agent, relay and native-client endpoints get a path-scoped ingress without it (agents
// authenticate with their mesh certificate and cannot follow an SSO redirect). Traefik terminates TLS, so
// an init container patches the config for TLS offload before start: that script is the tree owner's
// inline heredoc, read at plan time. Tree: stacks/meshcentral.
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const HOST = 'meshcentral.viktorbarzin.me';
const DATA_DIR = '/opt/meshcentral/meshcentral-data';

/** Endpoints of the agents and native clients (control, relay, downloads, settings, AMT events). */
export const AGENT_PATHS = [
  '/agent.ashx',
  '/control.ashx',
  '/meshrelay.ashx',
  '/meshagents',
  '/devicefile.ashx',
  '/agentdownload.ashx',
  '/meshsettings.ashx',
  '/amtevents.ashx',
];

export default defineStack({
  name: 'meshcentral',
  description: 'MeshCentral remote management: UI behind Authentik, agent endpoints on their own ingress',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'meshcentral', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const encrypted = (id: string, name: string) =>
      new EncryptedPvc(stack, id, {
        name,
        namespace: ns,
        storage: '1Gi',
        storageLimit: '5Gi',
        resizeIncrease: '100%',
      });
    const data = Volume.fromPvc('data', encrypted('data_encrypted', 'meshcentral-data-encrypted').claimName);
    const files = Volume.fromPvc(
      'files',
      encrypted('files_encrypted', 'meshcentral-files-encrypted').claimName,
    );
    const backupsNfs = new NfsVolume(stack, 'nfs_backups_host', {
      name: 'meshcentral-backups-host',
      namespace: ns,
      nfsPath: '/srv/nfs/meshcentral/meshcentral-backups',
      legacyAddress: 'module.nfs_backups_host',
    });
    const backups = Volume.fromPvc('backups', backupsNfs.claimName);

    const fixConfig = treeHeredoc(stack, 'args');
    const app = new Deployment(stack, 'meshcentral', {
      namespace: ns,
      name: 'meshcentral',
      keel: Keel.enrolled({ initContainers: ['fix-config'] }),
      strategy: 'Recreate',
      annotations: { 'reloader.stakater.com/search': 'true', 'meshcentral.enable': 'true' },
      podAnnotations: { 'diun.enable': 'true', 'diun.include_tags': '^\\d+(?:\\.\\d+)?(?:\\.\\d+)?$,latest' },
      initContainers: [
        {
          name: 'fix-config',
          image: 'alpine:latest',
          imagePullPolicy: 'IfNotPresent',
          command: ['/bin/sh'],
          args: ['-c', fixConfig.content],
          volumeMounts: [{ volume: data, mountPath: DATA_DIR }],
        },
      ],
      containers: [
        {
          name: 'meshcentral',
          image: 'typhonragewind/meshcentral:latest',
          ports: [{ name: 'http', containerPort: 443 }],
          env: {
            TZ: 'Europe/Sofia',
            HOSTNAME: HOST,
            REVERSE_PROXY: 'false', // the init container writes the offload config itself
            ALLOW_NEW_ACCOUNTS: 'false',
            WEBRTC: 'false',
          },
          volumeMounts: [
            { volume: data, mountPath: DATA_DIR },
            { volume: files, mountPath: '/opt/meshcentral/meshcentral-files' },
            { volume: backups, mountPath: '/opt/meshcentral/meshcentral-backups' },
          ],
          resources: {
            cpuRequest: '15m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [data, files, backups],
    });
    fixConfig.guard(app);
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs typhonragewind/meshcentral:latest and alpine:latest; Keel tracks the tags',
    );
    const service = app.exposeViaService({
      ports: [{ name: 'http', port: 80, targetPort: 443, protocol: 'TCP' }],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'meshcentral',
      namespace: ns,
      service,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      antiAiScraping: false,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'MeshCentral',
        'gethomepage.dev/description': 'Remote management',
        'gethomepage.dev/icon': 'meshcentral.png',
        'gethomepage.dev/group': 'Infrastructure',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });
    // Longer path rules out-prioritise the "/" catch-all; the main ingress owns DNS, tile and monitor.
    new IngressFactory(stack, 'ingress_agent', {
      name: 'meshcentral-agent',
      namespace: ns,
      service,
      fullHost: HOST,
      ingressPath: AGENT_PATHS,
      auth: IngressAuth.NONE,
      dnsType: DnsType.NONE,
      antiAiScraping: false,
      homepageEnabled: false,
      externalMonitor: false,
      legacyAddress: 'module.ingress_agent',
    });
  },
});
