// Parity of stacks/n8n with the tree's stacks/n8n (HEAD 0cd4afb6): every tree address is synthesized or
// moved, the literal values and ignore_changes are the tree's.
import { describe, expect, it } from 'vitest';
import n8n from '../../stacks/n8n';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(n8n);
const TREE_ADDRESSES = [
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_namespace.n8n',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.external_secret_claude_agent',
  'kubernetes_manifest.external_secret_instagram_pipeline',
  'kubernetes_persistent_volume_claim.data_encrypted',
  'kubernetes_service_account.n8n',
  'kubernetes_role.n8n_openclaw_exec',
  'kubernetes_role_binding.n8n_openclaw_exec',
  'kubernetes_deployment.n8n',
  'kubernetes_service.n8n',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack n8n', () => {
  it('is in the registry, after platform and vault, with pg state under schema "n8n"', () => {
    expect(STACKS).toContain(n8n);
    expect(n8n.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'n8n' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('syncs its three secrets from Vault every 15m', () => {
    expect(at('kubernetes_manifest.external_secret').manifest.spec.dataFrom).toEqual([
      { extract: { key: 'n8n' } },
    ]);
    expect(at('kubernetes_manifest.external_secret_claude_agent').manifest.spec.data).toEqual([
      {
        secretKey: 'api_bearer_token',
        remoteRef: { key: 'claude-agent-service', property: 'api_bearer_token' },
      },
    ]);
    const ig = at('kubernetes_manifest.external_secret_instagram_pipeline').manifest.spec;
    expect(ig.refreshInterval).toBe('15m');
    expect(ig.data.map((d: Json) => [d.secretKey, d.remoteRef.key])).toEqual([
      ['telegram_bot_token', 'instagram-poster'],
      ['telegram_chat_id', 'instagram-poster'],
      ['immich_api_key', 'instagram-poster'],
    ]);
  });

  it('may list and exec into the OpenClaw pods, in that namespace only', () => {
    const role = at('kubernetes_role.n8n_openclaw_exec');
    expect(role.metadata).toEqual({ name: 'n8n-openclaw-exec', namespace: 'openclaw' });
    expect(role.rule).toEqual([
      { api_groups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { api_groups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
    const rb = comparable(at('kubernetes_role_binding.n8n_openclaw_exec'));
    expect(rb.metadata).toEqual({ name: 'n8n-openclaw-exec', namespace: 'openclaw' });
    expect(rb.subject).toEqual([{ kind: 'ServiceAccount', name: 'n8n', namespace: 'n8n' }]);
    expect(rb.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'n8n-openclaw-exec',
    });
  });

  it('runs n8n on the shared PostgreSQL with the tree env (one DOMAIN_NAME) and ignore list', () => {
    const d = comparable(at('kubernetes_deployment.n8n'));
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    expect(d.spec.template.metadata.annotations['dependency.kyverno.io/wait-for']).toBe(
      'postgresql.dbaas:5432',
    );
    const pod = d.spec.template.spec;
    expect(pod.service_account_name).toBe('n8n');
    const c = pod.container[0];
    expect(c.image).toBe('docker.n8n.io/n8nio/n8n:1.80.5');
    expect(c.env).toHaveLength(20);
    const env = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? e.value_from]));
    expect(env.DB_POSTGRESDB_HOST).toBe('pg-cluster-rw.dbaas.svc.cluster.local');
    expect(env.DOMAIN_NAME).toBe('n8n');
    expect(env.DB_POSTGRESDB_PASSWORD).toEqual({
      secret_key_ref: { name: 'n8n-secrets', key: 'db_password' },
    });
    expect(c.port).toEqual([{ name: 'http', container_port: 5678, protocol: 'TCP' }]);
    expect(c.resources).toEqual({ requests: { cpu: '25m', memory: '512Mi' }, limits: { memory: '512Mi' } });
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('serves the editor and webhooks without Authentik', () => {
    expect(at('kubernetes_service.n8n').spec.port).toEqual([{ port: 80, target_port: '5678' }]);
    expect(
      at('module.ingress.kubernetes_ingress_v1.proxied-ingress').metadata.annotations[
        'traefik.ingress.kubernetes.io/router.middlewares'
      ],
    ).not.toContain('authentik');
  });
});
