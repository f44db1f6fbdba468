// claude-breakglass: the in-cluster emergency-recovery UI for a wedged devvm (the warm case: the cluster is
// healthy). Its own namespace, ServiceAccount and secrets, apart from claude-agent-service, whose image it
// runs with the breakglass entrypoint; sized and tolerated to survive the node pressure it exists to fix.
// Behind Authentik (whose resilience proxy falls back to basic auth). Tree: stacks/claude-breakglass.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel, Probe, type Toleration, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The claude-agent-service image: the breakglass code ships in it. */
export const BREAKGLASS_IMAGE = 'ghcr.io/viktorbarzin/claude-agent-service:latest';
const PORT = 8080;
const LABELS = { app: 'claude-breakglass' };

/** Stay scheduled under node pressure; leave a not-ready or unreachable node after 5 minutes. */
const PRESSURE_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export default defineStack({
  name: 'claude-breakglass',
  description:
    'devvm emergency-recovery UI (breakglass agent), isolated from claude-agent-service, behind Authentik',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'breakglass', {
      name: 'claude-breakglass',
      tier: Tier.AUX,
      keelEnrolled: false,
      istioInjectionDisabled: false,
    });
    const account = new ServiceAccount(stack, 'breakglass_sa', {
      namespace: ns,
      name: 'claude-breakglass',
      addressName: 'breakglass',
    });
    // The SSH key has its own Vault path, denied to the shared claude-agent namespace.
    const ssh = new ExternalSecret(stack, 'external_secret_ssh', {
      name: 'breakglass-ssh',
      namespace: ns.byLiteralName,
      refreshInterval: '1h',
      data: [
        { secretKey: 'private_key', vault: { path: 'claude-breakglass/ssh_key', property: 'private_key' } },
      ],
      dependsOn: [ns.resource],
    });
    const env = new ExternalSecret(stack, 'external_secret_env', {
      name: 'breakglass-env',
      namespace: ns.byLiteralName,
      refreshInterval: '1h',
      data: [
        {
          secretKey: 'CLAUDE_CODE_OAUTH_TOKEN',
          vault: { path: 'claude-agent-service', property: 'claude_oauth_token' },
        },
        { secretKey: 'API_BEARER_TOKEN', vault: { path: 'claude-breakglass', property: 'api_bearer_token' } },
      ],
      dependsOn: [ns.resource],
    });

    const claudeHome = Volume.emptyDir('claude-home');
    const sessions = Volume.emptyDir('sessions');
    // 0440 + fsGroup: readable by uid 1000 only through the group
    const sshKey = Volume.fromSecret('breakglass-ssh', ssh.secretName, { defaultMode: '0440' });
    const homeMounts = [
      { volume: claudeHome, mountPath: '/home/agent/.claude' },
      { volume: sessions, mountPath: '/workspace' },
    ];
    const seed = treeHeredoc(stack, 'command');
    const health = (initialDelay: number, period: number) =>
      Probe.httpGet('/health', PORT, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });

    const app = new Deployment(stack, 'breakglass', {
      namespace: ns,
      name: 'claude-breakglass',
      selector: LABELS,
      tierLabel: false, // Kyverno stamps it (ignored below)
      // not Keel-enrolled, yet Kyverno's Keel annotations and the image are left alone
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.keelAnnotations, Ignore.tierLabel, Ignore.keelImage(0)],
      strategy: 'Recreate',
      serviceAccountName: account.name,
      imagePullSecrets: ['registry-credentials'],
      priorityClassName: 'tier-0-core',
      tolerations: PRESSURE_TOLERATIONS,
      // keep off the contended GPU node
      affinity: {
        nodeAffinityPreferred: [
          {
            weight: 100,
            matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['k8s-node1'] }],
          },
        ],
      },
      podRunAsUser: 1000,
      podRunAsGroup: 1000,
      fsGroup: 1000,
      initContainers: [
        {
          name: 'seed-agent',
          image: BREAKGLASS_IMAGE,
          command: ['sh', '-c', seed.content],
          imagePullPolicy: 'Always',
          securityContext: { runAsUser: 0 },
          volumeMounts: homeMounts,
          resources: { memoryRequest: Size.mebibytes(32), memoryLimit: Size.mebibytes(64) },
        },
      ],
      containers: [
        {
          name: 'claude-breakglass',
          image: BREAKGLASS_IMAGE,
          // Always: nodes cache an older :latest without the breakglass entrypoint
          imagePullPolicy: 'Always',
          command: ['/srv/docker-entrypoint-breakglass.sh'],
          ports: [PORT],
          envFrom: [{ secretName: env.secretName }],
          env: {
            BREAKGLASS_KEY_PATH: '/secrets/breakglass/private_key',
            BREAKGLASS_SESSIONS_DIR: '/workspace/sessions',
            HOME: '/home/agent',
          },
          livenessProbe: health(10, 30),
          readinessProbe: health(5, 10),
          volumeMounts: [...homeMounts, { volume: sshKey, mountPath: '/secrets/breakglass', readOnly: true }],
          resources: {
            cpuRequest: '200m',
            memoryRequest: Size.mebibytes(320),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
      volumes: [claudeHome, sessions, sshKey],
      dependsOn: [ssh.resource, env.resource],
    });
    seed.guard(app);
    suppressRule(app, 'images-pinned', `tree parity: the tree runs ${BREAKGLASS_IMAGE}`);

    new IngressFactory(stack, 'ingress', {
      name: 'breakglass',
      namespace: ns,
      service: app.exposeViaService({ type: 'ClusterIP', ports: [{ port: PORT, targetPort: PORT }] }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'devvm breakglass',
        'gethomepage.dev/description': 'Emergency recovery UI for the devvm',
        'gethomepage.dev/icon': 'proxmox.png',
        'gethomepage.dev/group': 'Infrastructure',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
