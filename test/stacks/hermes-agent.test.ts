// Parity of stacks/hermes-agent with the tree's stacks/hermes-agent (HEAD 0cd4afb6). The tree
// filebase64()s its own .git/git-crypt key; the rehearsal gives both sides the same stand-in key, and is
// clean (1 move, 0 changes; rehearsal/results.json). This test pins the addresses and the tree's values.
import { describe, expect, it } from 'vitest';
import hermes, { GIT_CRYPT_KEY_FILE, HERMES_IMAGE } from '../../stacks/hermes-agent';
import { STACKS } from '../../stacks';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(hermes);
const TREE_ADDRESSES = [
  'kubernetes_namespace.hermes_agent',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_manifest.external_secret',
  'kubernetes_config_map.git_crypt_key',
  'kubernetes_config_map.soul',
  'kubernetes_service_account.hermes_agent',
  'kubernetes_cluster_role.hermes_agent',
  'kubernetes_cluster_role_binding.hermes_agent',
  'kubernetes_persistent_volume_claim.sessions_encrypted',
  'kubernetes_deployment.hermes_agent',
  'kubernetes_service.hermes_agent',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack hermes-agent', () => {
  it('is in the registry, after platform and vault, with pg state under schema "hermes-agent"', () => {
    expect(STACKS).toContain(hermes);
    expect(hermes.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'hermes-agent' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('reads six keys from three Vault paths', () => {
    const es = at('kubernetes_manifest.external_secret');
    expect(es.manifest.metadata).toEqual({ name: 'hermes-agent-secrets', namespace: 'hermes-agent' });
    expect(
      es.manifest.spec.data.map((d: Json) => [d.secretKey, d.remoteRef.key, d.remoteRef.property]),
    ).toEqual([
      ['DISCORD_BOT_TOKEN', 'hermes-agent', 'DISCORD_BOT_TOKEN'],
      ['DISCORD_GUILD_ID', 'hermes-agent', 'DISCORD_GUILD_ID'],
      ['HERMES_OWNER_USER_ID', 'hermes-agent', 'HERMES_OWNER_USER_ID'],
      ['CLAUDE_MEMORY_API_KEY', 'hermes-agent', 'CLAUDE_MEMORY_API_KEY'],
      ['CLAUDE_CODE_OAUTH_TOKEN', 'claude-agent-service', 'claude_oauth_token'],
      ['FORGEJO_TOKEN', 'ci/global', 'forgejo_push_token'],
    ]);
  });

  it('ships the git-crypt key as binary data read at plan time, and SOUL.md from the tree', () => {
    const key = at('kubernetes_config_map.git_crypt_key');
    expect(key.binary_data.key).toBe(`\${filebase64("\${path.root}/../../../${GIT_CRYPT_KEY_FILE}")}`);
    expect(key.data).toBeUndefined();
    const soul = at('kubernetes_config_map.soul');
    expect(soul.data['SOUL.md']).toContain('tree-payloads/hermes-agent/SOUL.md');
    expect(soul.lifecycle.precondition[0].error_message).toContain('SOUL.md');
  });

  it('grants read-mostly cluster access without secrets or pods/exec', () => {
    const rules = at('kubernetes_cluster_role.hermes_agent').rule as Json[];
    expect(rules).toHaveLength(3);
    const all = rules.flatMap((r) => r.resources);
    expect(all).not.toContain('secrets');
    expect(all).not.toContain('pods/exec');
    expect(rules[2]).toEqual({ api_groups: [''], resources: ['pods'], verbs: ['delete'] });
    expect(at('kubernetes_cluster_role_binding.hermes_agent').subject[0].namespace).toBe('hermes-agent');
  });

  it('runs the bot and the Vault token refresher with the tree scripts; both images Keel-ignored, not git-init', () => {
    const d = at('kubernetes_deployment.hermes_agent');
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'force',
      'keel.sh/trigger': 'poll',
      'keel.sh/match-tag': 'true',
      'keel.sh/pollSchedule': '@every 5m',
    });
    const pod = d.spec.template.spec;
    expect(pod.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
    expect(pod.init_container[0].image).toBe(HERMES_IMAGE);
    expect(pod.init_container[0].command[2]).toContain('_heredoc/main.tf/command/0');
    expect(pod.container[1].command[2]).toContain('_heredoc/main.tf/command/1');
    expect(pod.container[0].liveness_probe).toEqual({
      exec: { command: ['pgrep', '-f', 'main.py'] },
      initial_delay_seconds: 30,
      period_seconds: 30,
      failure_threshold: 3,
    });
    const ignores = d.lifecycle.ignore_changes as string[];
    expect(ignores).toHaveLength(10);
    expect(ignores).toContain('spec[0].template[0].spec[0].container[1].image');
    expect(ignores.some((i) => i.includes('init_container'))).toBe(false);
  });

  it('exposes only the metrics port, annotated for Prometheus', () => {
    const svc = at('kubernetes_service.hermes_agent');
    expect(svc.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9090',
    });
    expect(svc.spec.port).toEqual([{ name: 'metrics', port: 9090, target_port: '9090' }]);
  });
});
