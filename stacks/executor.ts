// executor: the self-hosted MCP integration hub (executor.sh) that agents (hermes-agent) reach at /mcp; its
// web UI has its own login and is reachable only from the home LANs. SQLite, the master key and every
// connected account's credentials live on an encrypted volume, copied nightly to NFS by the tree owner's
// backup program (a heredoc, read at plan time). Tree: stacks/executor.
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NamespaceIngressPolicy } from '../constructs/blocks/network-policy';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Keel, KeelPolicy, Probe, Volume } from '../constructs/blocks/workload';
import { homepage, reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

/** Fast-moving upstream: pinned, Keel allowed patch bumps only. */
export const EXECUTOR_IMAGE = 'ghcr.io/rhyssullivan/executor-selfhost:v1.5.33';
export const EXECUTOR_PORT = 4788;

export default defineStack({
  name: 'executor',
  description:
    'Executor MCP integration hub: own login, home-LAN-only UI, /mcp for hermes-agent, nightly backup',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'executor', { tier: Tier.AUX, istioInjectionDisabled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'executor-secrets',
      namespace: ns,
      extractPaths: ['executor'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    const dataPvc = new EncryptedPvc(stack, 'data_encrypted', {
      name: 'executor-data-encrypted',
      namespace: ns,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });
    const data = Volume.fromPvc('data', dataPvc.claimName);
    const admin = (key: string) => ({ secretName: secrets.secretName, key });
    // no documented health path: TCP probes
    const tcp = (initialDelay: number, period: number, failureThreshold?: number) =>
      Probe.tcpSocket(EXECUTOR_PORT, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
        failureThreshold,
      });

    const app = new Deployment(stack, 'executor', {
      namespace: ns,
      name: 'executor',
      keel: Keel.policy(KeelPolicy.PATCH, { matchTag: false, pollSchedule: '@daily' }),
      strategy: 'Recreate', // RWO volume
      podAnnotations: reloader('search'),
      fsGroup: 1000,
      containers: [
        {
          name: 'executor',
          image: EXECUTOR_IMAGE,
          ports: [EXECUTOR_PORT],
          env: {
            PORT: String(EXECUTOR_PORT),
            EXECUTOR_HOST: '0.0.0.0',
            EXECUTOR_DATA_DIR: '/data',
            // must equal the browser origin, or logins fail the origin check
            EXECUTOR_WEB_BASE_URL: 'https://executor.viktorbarzin.me',
            EXECUTOR_BOOTSTRAP_ADMIN_EMAIL: admin('bootstrap_admin_email'),
            EXECUTOR_BOOTSTRAP_ADMIN_PASSWORD: admin('bootstrap_admin_password'),
          },
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.gibibytes(1),
          },
          readinessProbe: tcp(5, 10),
          livenessProbe: tcp(20, 30, 3),
        },
      ],
      volumes: [data],
    });
    const service = app.exposeViaService({ ports: [{ port: EXECUTOR_PORT, targetPort: EXECUTOR_PORT }] });

    // Only Traefik (the UI) and hermes-agent (the MCP client) reach the pod.
    new NamespaceIngressPolicy(stack, 'executor_ingress', {
      namespace: ns,
      name: 'executor-allow-traefik-and-hermes',
      podSelector: { ...app.selector },
      allow: [{ fromNamespaces: ['traefik', 'hermes-agent'], ports: [EXECUTOR_PORT], protocol: 'TCP' }],
      legacyResourceType: true, // the tree's kubernetes_network_policy
    });

    new IngressFactory(stack, 'ingress', {
      name: 'executor',
      namespace: ns,
      service,
      auth: IngressAuth.APP, // its own better-auth login
      dnsType: DnsType.INTERNAL,
      // the SPA loads ~50 chunks at once: a dedicated limiter, behind the LAN allowlist
      skipDefaultRateLimit: true,
      extraMiddlewares: ['traefik-home-lans-only@kubernetescrd', 'traefik-executor-rate-limit@kubernetescrd'],
      externalMonitor: false,
      extraAnnotations: homepage(
        'Executor',
        'Agent integration hub (MCP proxy)',
        'mdi-connection',
        'AI & Data',
      ),
      legacyAddress: 'module.ingress',
    });

    // Nightly WAL-safe SQLite snapshot plus the key files, on the app's node (the RWO volume is attached there).
    const backupVolume = Volume.fromNfs('backup', '/srv/nfs/executor-backup');
    const program = treeHeredoc(stack, 'command');
    const backup = new CronJob(stack, 'executor_backup', {
      namespace: ns,
      name: 'executor-backup',
      schedule: '30 4 * * *',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 2,
      backoffLimit: 1,
      restartPolicy: 'Never',
      affinity: {
        podAffinityRequired: [{ matchLabels: app.selector, topologyKey: 'kubernetes.io/hostname' }],
      },
      containers: [
        {
          name: 'backup',
          image: 'python:3.12-alpine',
          command: ['python3', '-c', program.content],
          volumeMounts: [
            { volume: data, mountPath: '/data', readOnly: true },
            { volume: backupVolume, mountPath: '/backup' },
          ],
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [data, backupVolume],
    });
    program.guard(backup);
  },
});
