// claude-agent-service: the owner's headless Claude Code agent API. One pod clones the infra repo (unlocked
// with its git-crypt key), keeps a Vault token fresh in a sidecar and works the cluster through a
// ServiceAccount with read and exec cluster roles; a CronJob pushes the OAuth tokens' expiry dates to the
// Prometheus pushgateway. The pod's scripts are the tree owner's inline heredocs, read at plan time.
// Tree: stacks/claude-agent-service.
import { Fn, ref, Token } from 'cdktf';
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { PlanTimeSecret } from '../constructs/blocks/plan-time-secret';
import { AccessRole } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { CronJob, Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { vaultKvSecret } from '../lib/terraform/providers';
import { treeHeredoc } from '../lib/terraform/tree-payload';

export const IMAGE = 'ghcr.io/viktorbarzin/claude-agent-service:latest';
const CURL = 'docker.io/curlimages/curl:8.11.0';
const LABELS = { app: 'claude-agent-service' };
const SECRETS = 'claude-agent-secrets';
/** The infra repository's git-crypt key, read at plan time from the git-ignored secrets directory. */
export const GIT_CRYPT_KEY = 'secrets/git-crypt-key';
/** Mint dates of the three OAuth token slots (tree facts); each token lives a year. */
export const OAUTH_TOKEN_MINTS = { primary: 1776528429, 'spare-1': 1776528280, 'spare-2': 1776528429 };
const OAUTH_TOKEN_TTL = Duration.days(365);
const VAULT_ENV = {
  VAULT_ADDR: 'http://vault-active.vault.svc.cluster.local:8200',
  VAULT_K8S_ROLE: 'terraform-state',
};

const mem = (request: number, limit: number, cpu?: string) => ({
  cpuRequest: cpu,
  memoryRequest: Size.mebibytes(request),
  memoryLimit: Size.mebibytes(limit),
});
const CRUD = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

export default defineStack({
  name: 'claude-agent-service',
  description: 'Headless Claude Code agent API with the infra repo, Vault token sidecar, cluster roles',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'claude_agent', {
      name: 'claude-agent',
      tier: Tier.AUX,
      keelEnrolled: false,
      istioInjectionDisabled: false,
      customQuota: true,
      labels: { 'resource-governance/custom-limitrange': 'true' },
    });

    new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns,
      refreshInterval: '15m',
      data: [
        { secretKey: 'GITHUB_TOKEN', vault: { path: 'viktor', property: 'github_pat' } },
        { secretKey: 'FORGEJO_TOKEN', vault: { path: 'ci/global', property: 'forgejo_repo_token' } },
        {
          secretKey: 'API_BEARER_TOKEN',
          vault: { path: 'claude-agent-service', property: 'api_bearer_token' },
        },
        {
          secretKey: 'CLAUDE_CODE_OAUTH_TOKEN',
          vault: { path: 'claude-agent-service', property: 'claude_oauth_token' },
        },
        { secretKey: 'WOODPECKER_API_TOKEN', vault: { path: 'ci/global', property: 'woodpecker_api_token' } },
        { secretKey: 'SLACK_WEBHOOK_URL', vault: { path: 'viktor', property: 'alertmanager_slack_api_url' } },
        { secretKey: 'HA_MCP_URL', vault: { path: 'openclaw', property: 'ha_sofia_mcp_url' } },
      ],
    });
    // Files the agent needs as files, read from Vault at plan time: the SOPS age key and Claude's login.
    const own = vaultKvSecret(stack, 'secrets', 'claude-agent-service');
    const viktor = vaultKvSecret(stack, 'viktor_secrets', 'viktor');
    const sopsKey = new PlanTimeSecret(stack, 'sops_age_key', {
      namespace: ns,
      name: 'sops-age-key',
      data: { 'keys.txt': viktor.data.lookup('sops_age_key_devvm') },
      type: 'Opaque',
    });
    const claudeLogin = new PlanTimeSecret(stack, 'claude_credentials', {
      namespace: ns,
      name: 'claude-credentials',
      data: { '.credentials.json': own.data.lookup('claude_credentials_json') },
      type: 'Opaque',
    });
    const gitCrypt = new ConfigMap(stack, 'git_crypt_key', {
      namespace: ns,
      name: 'git-crypt-key',
      binaryData: { key: Fn.filebase64(`${Token.asString(ref('path.root'))}/../../../${GIT_CRYPT_KEY}`) },
    });

    // Read (and roll) everything; full control of workloads, RBAC and networking for its jobs.
    const sa = new ServiceAccount(stack, 'claude_agent_sa', {
      name: 'claude-agent',
      namespace: ns,
      addressName: 'claude_agent',
    });
    const reader = new AccessRole(stack, 'claude_agent_role', {
      name: 'claude-agent',
      addressName: 'claude_agent',
      rules: [
        {
          verbs: ['get', 'list', 'watch'],
          apiGroups: ['', 'apps', 'batch'],
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
          ],
        },
        { verbs: ['patch', 'update'], apiGroups: ['apps'], resources: ['deployments'] },
        { verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] },
      ],
    });
    reader.grant('claude_agent', { name: 'claude-agent', subjects: [sa.subject] });
    const exec = new AccessRole(stack, 'claude_agent_exec', {
      name: 'claude-agent-exec',
      rules: [
        {
          verbs: CRUD,
          apiGroups: [''],
          resources: [
            'pods',
            'pods/log',
            'pods/exec',
            'services',
            'configmaps',
            'secrets',
            'persistentvolumeclaims',
            'serviceaccounts',
            'namespaces',
            'events',
            'endpoints',
          ],
        },
        {
          verbs: CRUD,
          apiGroups: ['apps'],
          resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
        },
        { verbs: CRUD, apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
        { verbs: CRUD, apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'] },
        { verbs: CRUD, apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'] },
      ],
    });
    exec.grant('claude_agent_exec', { name: 'claude-agent-exec', subjects: [sa.subject] });

    const persistentNfs = new NfsVolume(stack, 'persistent', {
      name: 'claude-agent-persistent',
      namespace: ns,
      nfsPath: '/srv/nfs/claude-agent-persistent',
      storage: '5Gi',
      legacyAddress: 'module.persistent',
    });
    const workspace = Volume.emptyDir('workspace');
    const persistent = Volume.fromPvc('persistent', persistentNfs.claimName);
    const sops = Volume.fromSecret('sops-age-key', sopsKey.name, { defaultMode: '0600' });
    const gitCryptKey = Volume.fromConfigMap('git-crypt-key', gitCrypt.name);
    const claudeSecret = Volume.fromSecret('claude-credentials-secret', claudeLogin.name, {
      defaultMode: '0600',
    });
    const claudeHome = Volume.emptyDir('claude-home');
    const vaultToken = Volume.emptyDir('vault-token');
    const scripts = [0, 1, 2, 3].map((index) => treeHeredoc(stack, 'command', { index }));
    const [gitInit, seed, serve, refresh] = scripts.map((s, i) => [
      i < 2 ? 'sh' : '/bin/sh',
      '-c',
      s.content,
    ]);
    const root = { runAsUser: 0 };

    const agent = new Deployment(stack, 'claude_agent', {
      namespace: ns,
      name: 'claude-agent-service',
      selector: LABELS,
      tierLabel: false,
      strategy: 'Recreate',
      keel: Keel.notEnrolled(),
      ignoreChanges: [
        Ignore.keelImage(1),
        Ignore.keelAnnotations,
        Ignore.keelUpdateTime,
        Ignore.tierLabel,
        Ignore.keelImage(0),
      ],
      serviceAccountName: sa.name,
      imagePullSecrets: ['registry-credentials'],
      podRunAsUser: 1000,
      podRunAsGroup: 1000,
      fsGroup: 1000,
      initContainers: [
        {
          // root: hands the workspace and the NFS volume to the agent user
          name: 'fix-perms',
          image: 'busybox:1.37',
          command: [
            'sh',
            '-c',
            'mkdir -p /workspace/infra /persistent && chown -R 1000:1000 /workspace /persistent && chmod 0775 /workspace/infra /persistent',
          ],
          securityContext: root,
          volumeMounts: [
            { volume: workspace, mountPath: '/workspace' },
            { volume: persistent, mountPath: '/persistent' },
          ],
          resources: mem(32, 64),
        },
        {
          name: 'copy-claude-creds',
          image: 'busybox:1.37',
          command: [
            'sh',
            '-c',
            'cp /secrets/claude/.credentials.json /home/agent/.claude/.credentials.json && chown 1000:1000 /home/agent/.claude/.credentials.json',
          ],
          securityContext: root,
          volumeMounts: [
            { volume: claudeSecret, mountPath: '/secrets/claude' },
            { volume: claudeHome, mountPath: '/home/agent/.claude' },
          ],
          resources: mem(32, 64),
        },
        {
          name: 'git-init',
          image: IMAGE,
          command: gitInit,
          envFrom: [{ secretName: SECRETS }],
          volumeMounts: [
            { volume: workspace, mountPath: '/workspace' },
            { volume: gitCryptKey, mountPath: '/secrets/git-crypt' },
          ],
          resources: mem(256, 512, '100m'),
        },
        {
          name: 'seed-beads-agent',
          image: IMAGE,
          command: seed,
          volumeMounts: [
            { volume: workspace, mountPath: '/workspace' },
            { volume: claudeHome, mountPath: '/home/agent/.claude' },
          ],
          resources: mem(32, 64),
        },
      ],
      containers: [
        {
          name: 'claude-agent-service',
          image: IMAGE,
          command: serve,
          ports: [8080],
          envFrom: [{ secretName: SECRETS }],
          env: { WORKSPACE_DIR: '/workspace/infra', MAX_CONCURRENCY: '10', ...VAULT_ENV },
          livenessProbe: Probe.httpGet('/health', 8080, {
            initialDelay: Duration.seconds(10),
            period: Duration.seconds(30),
          }),
          readinessProbe: Probe.httpGet('/health', 8080, {
            initialDelay: Duration.seconds(5),
            period: Duration.seconds(10),
          }),
          volumeMounts: [
            { volume: workspace, mountPath: '/workspace' },
            { volume: persistent, mountPath: '/persistent' },
            { volume: sops, mountPath: '/home/agent/.config/sops/age' },
            { volume: claudeHome, mountPath: '/home/agent/.claude' },
            { volume: gitCryptKey, mountPath: '/secrets/git-crypt' },
            { volume: vaultToken, mountPath: '/vault' },
          ],
          resources: { cpuRequest: '1', memoryRequest: Size.mebibytes(640), memoryLimit: Size.gibibytes(3) },
        },
        {
          // logs in to Vault with the ServiceAccount token and keeps /vault/token fresh
          name: 'vault-token-refresher',
          image: CURL,
          command: refresh,
          env: VAULT_ENV,
          volumeMounts: [{ volume: vaultToken, mountPath: '/vault' }],
          resources: mem(16, 32, '5m'),
        },
      ],
      volumes: [workspace, persistent, sops, gitCryptKey, claudeSecret, claudeHome, vaultToken],
    });
    for (const s of scripts) s.guard(agent);
    suppressRule(
      agent,
      'images-pinned',
      'tree parity: the tree runs claude-agent-service:latest; CI sets the tag',
    );
    agent.exposeViaService({ type: 'ClusterIP', ports: [{ port: 8080, targetPort: 8080 }] });

    // Token expiry dates for the pushgateway (the alert fires before a token lapses).
    const expiry = new ConfigMap(stack, 'claude_oauth_expiry', {
      namespace: ns,
      name: 'claude-oauth-expiry',
      data: Object.fromEntries(
        Object.entries(OAUTH_TOKEN_MINTS).map(([slot, mint]) => [
          slot,
          String(mint + OAUTH_TOKEN_TTL.toSeconds()),
        ]),
      ),
    });
    const expiryVolume = Volume.fromConfigMap('expiry', expiry.name);
    const push = treeHeredoc(stack, 'command', { index: 4 });
    const monitor = new CronJob(stack, 'claude_oauth_expiry_monitor', {
      namespace: ns,
      name: 'claude-oauth-expiry-monitor',
      schedule: '17 */6 * * *',
      concurrencyPolicy: 'Replace',
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 1,
      backoffLimit: 1,
      ttlAfterFinished: Duration.minutes(5),
      containers: [
        {
          name: 'push-expiry',
          image: CURL,
          command: ['/bin/sh', '-c', push.content],
          volumeMounts: [{ volume: expiryVolume, mountPath: '/mnt/expiry' }],
          resources: mem(32, 64, '10m'),
        },
      ],
      volumes: [expiryVolume],
    });
    push.guard(monitor);
  },
});
