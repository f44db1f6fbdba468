// Parity of stacks/claude-agent-service with the tree's stack (HEAD 0cd4afb6): every address the tree has
// is synthesized or moved, and the literal values and ignore_changes sets are the tree's. The pod's four
// scripts and the expiry push script are the tree's inline heredocs, read at plan time (never copied); the
// git-crypt key and the Vault-held files are read at plan time too, so no secret is synthesized.
import { describe, expect, it } from 'vitest';
import claudeAgent, { GIT_CRYPT_KEY, IMAGE } from '../../stacks/claude-agent-service';
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

const json = synthDefinition(claudeAgent);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'data.vault_kv_secret_v2.viktor_secrets',
  'kubernetes_namespace.claude_agent',
  'kubernetes_manifest.external_secret',
  'kubernetes_secret.sops_age_key',
  'kubernetes_secret.claude_credentials',
  'kubernetes_config_map.git_crypt_key',
  'kubernetes_service_account.claude_agent',
  'kubernetes_cluster_role.claude_agent',
  'kubernetes_cluster_role_binding.claude_agent',
  'kubernetes_cluster_role.claude_agent_exec',
  'kubernetes_cluster_role_binding.claude_agent_exec',
  'module.persistent.kubernetes_persistent_volume.this',
  'module.persistent.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.claude_agent',
  'kubernetes_service.claude_agent',
  'kubernetes_config_map.claude_oauth_expiry',
  'kubernetes_cron_job_v1.claude_oauth_expiry_monitor',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const payload = (i: number) =>
  `"\${path.root}/../../../tree-payloads/claude-agent-service/_heredoc/main.tf/command/${i}"`;
const heredoc = (i: number) => `\${fileexists(${payload(i)}) ? templatefile(${payload(i)}, {}) : null}`;
const SA = { kind: 'ServiceAccount', name: 'claude-agent', namespace: 'claude-agent' };

describe('stack claude-agent-service', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(claudeAgent);
    expect(claudeAgent.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'claude-agent-service' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('declares the namespace with its own quota and limit range, not Keel-enrolled', () => {
    expect(comparable(at('kubernetes_namespace.claude_agent')).metadata).toEqual({
      name: 'claude-agent',
      labels: {
        tier: '4-aux',
        'resource-governance/custom-limitrange': 'true',
        'resource-governance/custom-quota': 'true',
      },
    });
  });

  it('reads the SOPS key, the Claude login and the git-crypt key at plan time, by reference only', () => {
    expect(comparable(at('kubernetes_secret.sops_age_key'))).toEqual({
      metadata: { name: 'sops-age-key', namespace: 'claude-agent' },
      type: 'Opaque',
      data: { 'keys.txt': '${data.vault_kv_secret_v2.viktor_secrets.data["sops_age_key_devvm"]}' },
    });
    expect(at('kubernetes_secret.claude_credentials').data).toEqual({
      '.credentials.json': '${data.vault_kv_secret_v2.secrets.data["claude_credentials_json"]}',
    });
    expect(at('kubernetes_config_map.git_crypt_key').binary_data).toEqual({
      key: `\${filebase64("\${path.root}/../../../${GIT_CRYPT_KEY}")}`,
    });
    expect(
      at('kubernetes_manifest.external_secret').manifest.spec.data.map((d: Json) => d.secretKey),
    ).toEqual([
      'GITHUB_TOKEN',
      'FORGEJO_TOKEN',
      'API_BEARER_TOKEN',
      'CLAUDE_CODE_OAUTH_TOKEN',
      'WOODPECKER_API_TOKEN',
      'SLACK_WEBHOOK_URL',
      'HA_MCP_URL',
    ]);
  });

  it('binds the read and exec cluster roles to the agent ServiceAccount', () => {
    expect(comparable(at('kubernetes_service_account.claude_agent')).metadata).toEqual({
      name: 'claude-agent',
      namespace: 'claude-agent',
    });
    expect(at('kubernetes_cluster_role.claude_agent').rule).toHaveLength(3);
    expect(at('kubernetes_cluster_role.claude_agent').rule[2]).toEqual({
      verbs: ['create'],
      api_groups: [''],
      resources: ['pods/exec'],
    });
    expect(at('kubernetes_cluster_role.claude_agent_exec').rule.map((r: Json) => r.api_groups)).toEqual([
      [''],
      ['apps'],
      ['batch'],
      ['networking.k8s.io'],
      ['rbac.authorization.k8s.io'],
    ]);
    for (const b of ['claude_agent', 'claude_agent_exec']) {
      const binding = at(`kubernetes_cluster_role_binding.${b}`);
      expect(binding.subject).toEqual([SA]);
      expect(binding.role_ref).toEqual({
        api_group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: b === 'claude_agent' ? 'claude-agent' : 'claude-agent-exec',
      });
    }
  });

  it('runs the agent as 1000:1000 after the root permission fixes, with the tree scripts and ignores', () => {
    expect(declaredPayloads(JSON.stringify(json)).map((p) => p.file)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `_heredoc/main.tf/command/${i}`),
    );
    const d = comparable(at('kubernetes_deployment.claude_agent'));
    expect(d.metadata).toEqual({
      name: 'claude-agent-service',
      namespace: 'claude-agent',
      labels: { app: 'claude-agent-service' },
    });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = d.spec.template.spec;
    expect(pod.service_account_name).toBe('claude-agent');
    expect(pod.security_context).toEqual({ run_as_user: '1000', run_as_group: '1000', fs_group: '1000' });
    expect(pod.init_container.map((c: Json) => [c.name, c.image, c.security_context])).toEqual([
      ['fix-perms', 'busybox:1.37', { run_as_user: '0' }],
      ['copy-claude-creds', 'busybox:1.37', { run_as_user: '0' }],
      ['git-init', IMAGE, undefined],
      ['seed-beads-agent', IMAGE, undefined],
    ]);
    expect(pod.init_container[2].command).toEqual(['sh', '-c', heredoc(0)]);
    expect(pod.init_container[3].command).toEqual(['sh', '-c', heredoc(1)]);
    expect(pod.init_container[0].resources).toEqual({
      requests: { memory: '32Mi' },
      limits: { memory: '64Mi' },
    });
    expect(pod.container.map((c: Json) => [c.name, c.command])).toEqual([
      ['claude-agent-service', ['/bin/sh', '-c', heredoc(2)]],
      ['vault-token-refresher', ['/bin/sh', '-c', heredoc(3)]],
    ]);
    expect(pod.container[0].resources).toEqual({
      requests: { cpu: '1', memory: '640Mi' },
      limits: { memory: '3Gi' },
    });
    expect(pod.container[0].env.map((e: Json) => e.name)).toEqual([
      'WORKSPACE_DIR',
      'MAX_CONCURRENCY',
      'VAULT_ADDR',
      'VAULT_K8S_ROLE',
    ]);
    expect(pod.volume.map((v: Json) => v.name)).toEqual([
      'workspace',
      'persistent',
      'sops-age-key',
      'git-crypt-key',
      'claude-credentials-secret',
      'claude-home',
      'vault-token',
    ]);
    expect(pod.volume[2].secret).toEqual({ secret_name: 'sops-age-key', default_mode: '0600' });
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[1].image',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'metadata[0].labels["tier"]',
        'spec[0].template[0].spec[0].container[0].image',
      ].sort(),
    );
    expect(at('kubernetes_deployment.claude_agent').lifecycle.precondition).toHaveLength(4);
    expect(comparable(at('kubernetes_service.claude_agent')).spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'claude-agent-service' },
      port: [{ port: 8080, target_port: '8080' }],
    });
  });

  it('pushes each OAuth token slot its expiry (mint + one year) every six hours', () => {
    expect(at('kubernetes_config_map.claude_oauth_expiry').data).toEqual({
      primary: '1808064429',
      'spare-1': '1808064280',
      'spare-2': '1808064429',
    });
    const cj = comparable(at('kubernetes_cron_job_v1.claude_oauth_expiry_monitor'));
    expect(cj.metadata).toEqual({ name: 'claude-oauth-expiry-monitor', namespace: 'claude-agent' });
    const { job_template: jt, ...spec } = cj.spec;
    expect(spec).toEqual({
      schedule: '17 */6 * * *',
      concurrency_policy: 'Replace',
      failed_jobs_history_limit: 3,
      successful_jobs_history_limit: 1,
    });
    expect(jt.metadata).toEqual({});
    expect(jt.spec).toMatchObject({ backoff_limit: 1, ttl_seconds_after_finished: '300' });
    expect(jt.spec.template.metadata).toEqual({});
    expect(jt.spec.template.spec.container[0]).toEqual({
      name: 'push-expiry',
      image: 'docker.io/curlimages/curl:8.11.0',
      command: ['/bin/sh', '-c', heredoc(4)],
      volume_mount: [{ name: 'expiry', mount_path: '/mnt/expiry' }],
      resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
    });
  });
});
