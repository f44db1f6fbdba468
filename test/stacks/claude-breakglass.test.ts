// Parity of stacks/claude-breakglass with the tree's stacks/claude-breakglass (HEAD 0cd4afb6): every tree
// address is synthesized or moved and the literal values and ignore_changes are the tree's (rehearsal: clean).
import { describe, expect, it } from 'vitest';
import breakglass, { BREAKGLASS_IMAGE } from '../../stacks/claude-breakglass';
import { STACKS } from '../../stacks';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(breakglass);
const TREE_ADDRESSES = [
  'kubernetes_namespace.breakglass',
  'kubernetes_service_account.breakglass',
  'kubernetes_manifest.external_secret_ssh',
  'kubernetes_manifest.external_secret_env',
  'kubernetes_deployment.breakglass',
  'kubernetes_service.breakglass',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack claude-breakglass', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(breakglass);
    expect(breakglass.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'claude-breakglass' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('has a namespace with only the tier label and its own ServiceAccount', () => {
    expect(at('kubernetes_namespace.breakglass').metadata).toEqual({
      name: 'claude-breakglass',
      labels: { tier: '4-aux' },
    });
    expect(at('kubernetes_service_account.breakglass').metadata.name).toBe('claude-breakglass');
  });

  it('reads the SSH key and the env tokens key by key from Vault', () => {
    const ssh = at('kubernetes_manifest.external_secret_ssh').manifest.spec;
    expect(ssh.refreshInterval).toBe('1h');
    expect(ssh.data).toEqual([
      { secretKey: 'private_key', remoteRef: { key: 'claude-breakglass/ssh_key', property: 'private_key' } },
    ]);
    const env = at('kubernetes_manifest.external_secret_env');
    expect(env.manifest.spec.data.map((d: Json) => d.remoteRef)).toEqual([
      { key: 'claude-agent-service', property: 'claude_oauth_token' },
      { key: 'claude-breakglass', property: 'api_bearer_token' },
    ]);
    expect(env.depends_on).toEqual(['kubernetes_namespace.breakglass']);
  });

  it('survives node pressure: priority, tolerations, GPU-node avoidance, the tree lifecycle', () => {
    const d = at('kubernetes_deployment.breakglass');
    expect(d.metadata.labels).toEqual({ app: 'claude-breakglass' });
    const pod = d.spec.template.spec;
    expect(pod.priority_class_name).toBe('tier-0-core');
    expect(pod.toleration).toHaveLength(4);
    expect(pod.toleration[3]).toEqual({
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      toleration_seconds: '300',
    });
    expect(pod.affinity.node_affinity.preferred_during_scheduling_ignored_during_execution).toEqual([
      {
        weight: 100,
        preference: {
          match_expressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['k8s-node1'] }],
        },
      },
    ]);
    expect(pod.security_context).toEqual({ run_as_user: '1000', run_as_group: '1000', fs_group: '1000' });
    expect(pod.init_container[0].command[2]).toContain(
      'tree-payloads/claude-breakglass/_heredoc/main.tf/command/0',
    );
    expect(pod.init_container[0].security_context).toEqual({ run_as_user: '0' });
    expect(pod.container[0].image).toBe(BREAKGLASS_IMAGE);
    expect(pod.container[0].liveness_probe).toEqual({
      http_get: { path: '/health', port: '8080' },
      initial_delay_seconds: 10,
      period_seconds: 30,
    });
    expect(pod.volume[2]).toEqual({
      name: 'breakglass-ssh',
      secret: { secret_name: 'breakglass-ssh', default_mode: '0440' },
    });
    expect(d.lifecycle.ignore_changes).toEqual([
      'spec[0].template[0].spec[0].dns_config',
      'metadata[0].annotations["keel.sh/policy"]',
      'metadata[0].annotations["keel.sh/trigger"]',
      'metadata[0].annotations["keel.sh/pollSchedule"]',
      'metadata[0].labels["tier"]',
      'spec[0].template[0].spec[0].container[0].image',
    ]);
    expect(d.depends_on).toEqual([
      'kubernetes_manifest.external_secret_ssh',
      'kubernetes_manifest.external_secret_env',
    ]);
  });

  it('routes breakglass to port 8080 behind Authentik', () => {
    const svc = at('kubernetes_service.breakglass');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.port).toEqual([{ port: 8080, target_port: '8080' }]);
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].http.path[0].backend.service.port.number).toBe(8080);
    expect(ingress.metadata.annotations['gethomepage.dev/name']).toBe('devvm breakglass');
  });
});
