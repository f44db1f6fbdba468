// hermes-agent: Viktor's personal assistant, a Discord bot on the Claude Code harness with homelab powers
// (read-mostly cluster access, an infra checkout it can commit to, a Vault token from a refresher sidecar).
// Its system prompt (SOUL.md) and the git-init / token-refresh scripts are the tree owner's payloads, read
// at plan time. Tree: stacks/hermes-agent.
import { Fn, ref, Token } from 'cdktf';
import { ClusterRbac } from '../constructs/blocks/cluster-rbac';
import { ConfigMap } from '../constructs/blocks/config-map';
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret, type ExternalSecretKey } from '../constructs/blocks/external-secret';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, KeelPolicy, Probe, Volume } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc, treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** Private image (ghcr-credentials are cloned into the namespace by Kyverno). */
export const HERMES_IMAGE = 'ghcr.io/viktorbarzin/hermes-agent:latest';
/**
 * The infra repository's git-crypt key, read at plan time like the TLS files (never synthesized). The tree
 * reads its own `.git/git-crypt/keys/default`; here it is the file of that name under `secrets/`.
 */
export const GIT_CRYPT_KEY_FILE = 'secrets/git-crypt-key';
const METRICS_PORT = 9090;

const key = (secretKey: string, path: string, property = secretKey): ExternalSecretKey => ({
  secretKey,
  vault: { path, property },
});

export default defineStack({
  name: 'hermes-agent',
  description: 'Hermes: Discord assistant on the Claude Code harness with read-mostly homelab access',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'hermes_agent', {
      name: 'hermes-agent',
      tier: Tier.AUX,
      istioInjectionDisabled: false,
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    // Key by key: the Claude token is shared with claude-agent-service, the Forgejo token with CI.
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'hermes-agent-secrets',
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      data: [
        key('DISCORD_BOT_TOKEN', 'hermes-agent'),
        key('DISCORD_GUILD_ID', 'hermes-agent'),
        key('HERMES_OWNER_USER_ID', 'hermes-agent'),
        key('CLAUDE_MEMORY_API_KEY', 'hermes-agent'),
        key('CLAUDE_CODE_OAUTH_TOKEN', 'claude-agent-service', 'claude_oauth_token'),
        key('FORGEJO_TOKEN', 'ci/global', 'forgejo_push_token'),
      ],
      dependsOn: [ns.resource],
    });
    // binary: git-crypt needs the raw key bytes, not their base64 text
    const gitCryptKey = new ConfigMap(stack, 'git_crypt_key', {
      namespace: ns,
      name: 'git-crypt-key',
      binaryData: {
        key: Fn.filebase64(`${Token.asString(ref('path.root'))}/../../../${GIT_CRYPT_KEY_FILE}`),
      },
    });
    const soulFile = treePayload(stack, 'SOUL.md');
    const soul = new ConfigMap(stack, 'soul', {
      namespace: ns,
      name: 'hermes-agent-soul',
      data: { 'SOUL.md': soulFile.content },
      payloads: [soulFile],
    });
    // Read everything plus logs and the debug verbs; deliberately no secrets and no pods/exec.
    const rbac = new ClusterRbac(stack, 'rbac', {
      addressName: 'hermes_agent',
      namespace: ns.name,
      serviceAccountName: 'hermes-agent',
      rules: [
        {
          apiGroups: ['', 'apps', 'batch', 'networking.k8s.io'],
          resources: [
            'pods',
            'pods/log',
            'nodes',
            'events',
            'deployments',
            'services',
            'namespaces',
            'jobs',
            'cronjobs',
            'configmaps',
            'replicasets',
            'statefulsets',
            'daemonsets',
            'ingresses',
            'persistentvolumeclaims',
            'endpoints',
            'resourcequotas',
          ],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['patch', 'update'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
      ],
    });
    const sessionsPvc = new EncryptedPvc(stack, 'sessions_encrypted', {
      name: 'hermes-agent-sessions-encrypted',
      namespace: ns,
      storage: '1Gi',
      storageLimit: '5Gi',
      resizeIncrease: '100%',
    });

    const sessions = Volume.fromPvc('sessions', sessionsPvc.claimName);
    const workspace = Volume.emptyDir('workspace');
    const soulVolume = Volume.fromConfigMap('soul', soul.name);
    const keyVolume = Volume.fromConfigMap('git-crypt-key', gitCryptKey.name);
    const vaultToken = Volume.emptyDir('vault-token');
    const envFrom = [{ secretName: secrets.secretName }];
    const gitInit = treeHeredoc(stack, 'command', { index: 0 });
    const tokenRefresher = treeHeredoc(stack, 'command', { index: 1 });

    const app = new Deployment(stack, 'hermes_agent', {
      namespace: ns,
      name: 'hermes-agent',
      // the git-init image is deliberately not ignored: it must follow the main image
      keel: Keel.policy(KeelPolicy.FORCE),
      strategy: 'Recreate', // RWO sessions volume
      podAnnotations: reloader('search'),
      serviceAccountName: rbac.serviceAccountName,
      fsGroup: 1000,
      imagePullSecrets: ['ghcr-credentials'],
      initContainers: [
        {
          name: 'git-init',
          image: HERMES_IMAGE,
          command: ['sh', '-c', gitInit.content],
          envFrom,
          volumeMounts: [
            { volume: workspace, mountPath: '/workspace' },
            { volume: keyVolume, mountPath: '/secrets/git-crypt' },
          ],
        },
      ],
      containers: [
        {
          name: 'hermes-agent',
          image: HERMES_IMAGE,
          command: ['sh', '-c', 'ln -sfn /vault/token "$HOME/.vault-token" 2>/dev/null; exec python main.py'],
          envFrom,
          env: {
            HERMES_SESSIONS_DIR: '/sessions',
            CLAUDE_CONFIG_DIR: '/sessions', // SDK transcripts survive restarts
            HERMES_WORKDIR: '/workspace/infra',
            HERMES_SOUL_PATH: '/soul/SOUL.md',
            HERMES_METRICS_PORT: String(METRICS_PORT),
            VAULT_ADDR: 'https://vault.viktorbarzin.me',
          },
          volumeMounts: [
            { volume: sessions, mountPath: '/sessions' },
            { volume: workspace, mountPath: '/workspace' },
            { volume: soulVolume, mountPath: '/soul' },
            { volume: keyVolume, mountPath: '/secrets/git-crypt' },
            { volume: vaultToken, mountPath: '/vault' },
          ],
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.gibibytes(1),
          },
          ports: [{ name: 'metrics', containerPort: METRICS_PORT }],
          livenessProbe: Probe.exec(['pgrep', '-f', 'main.py'], {
            initialDelay: Duration.seconds(30),
            period: Duration.seconds(30),
            failureThreshold: 3,
          }),
        },
        {
          // logs in to Vault with the pod's ServiceAccount every 30 minutes, into the shared emptyDir
          name: 'vault-token-refresher',
          image: 'docker.io/curlimages/curl:8.11.0',
          command: ['/bin/sh', '-c', tokenRefresher.content],
          env: {
            VAULT_ADDR: 'http://vault-active.vault.svc.cluster.local:8200',
            VAULT_K8S_ROLE: 'hermes-agent',
          },
          volumeMounts: [{ volume: vaultToken, mountPath: '/vault' }],
          resources: { cpuRequest: '5m', memoryRequest: Size.mebibytes(16), memoryLimit: Size.mebibytes(32) },
        },
      ],
      volumes: [sessions, workspace, soulVolume, keyVolume, vaultToken],
    });
    gitInit.guard(app);
    tokenRefresher.guard(app);
    suppressRule(app, 'images-pinned', `tree parity: the tree runs ${HERMES_IMAGE}; Keel tracks the tag`);

    // a Prometheus scrape target only: Discord is outbound, no ingress
    app.exposeViaService({
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(METRICS_PORT) },
      ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: METRICS_PORT }],
    });
  },
});
