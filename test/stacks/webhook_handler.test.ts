// Parity of stacks/webhook_handler with the tree's stacks/webhook_handler (HEAD 0cd4afb6): every address
// the tree has is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import webhookHandler from '../../stacks/webhook_handler';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(webhookHandler);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
  'kubernetes_namespace.webhook-handler',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_cluster_role.deployment_updater',
  'kubernetes_cluster_role_binding.update_deployment_binding',
  'kubernetes_secret.ssh-key',
  'kubernetes_deployment.webhook_handler',
  'kubernetes_service.webhook_handler',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'kubernetes_manifest.external_secret',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack webhook_handler', () => {
  it('is in the registry, after platform and vault, with pg state', () => {
    expect(STACKS).toContain(webhookHandler);
    expect(webhookHandler.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'webhook_handler' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('lets the default account of its namespace update deployments cluster-wide', () => {
    expect(comparable(at('kubernetes_cluster_role.deployment_updater')).rule).toEqual([
      {
        verbs: ['create', 'update', 'get', 'patch', 'list'],
        api_groups: ['extensions', 'apps', ''],
        resources: ['deployments', 'namespaces', 'pods', 'services'],
      },
    ]);
    const binding = comparable(at('kubernetes_cluster_role_binding.update_deployment_binding'));
    expect(binding.subject).toEqual([
      { kind: 'ServiceAccount', name: 'default', namespace: 'webhook-handler' },
    ]);
    expect(binding.role_ref.name).toBe('deployment-updater');
  });

  it('reads the deploy key from Vault at plan time into a generic Secret', () => {
    const secret = at('kubernetes_secret.ssh-key');
    expect(secret.type).toBe('generic');
    expect(secret.data).toEqual({ id_rsa: '${data.vault_kv_secret_v2.secrets.data["ssh_key"]}' });
    expect(json.data?.vault_kv_secret_v2.secrets).toMatchObject({ mount: 'secret', name: 'webhook-handler' });
  });

  it('runs the relay with its secret env, the mounted key and the tree lifecycle', () => {
    const raw = at('kubernetes_deployment.webhook_handler');
    const d = comparable(raw);
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    const [c] = d.spec.template.spec.container;
    expect(c.env).toHaveLength(12);
    expect(c.env[0]).toEqual({
      name: 'WEBHOOKSECRET',
      value_from: { secret_key_ref: { name: 'webhook-handler-secrets', key: 'secret' } },
    });
    expect(c.volume_mount).toEqual([{ name: 'id-rsa', mount_path: '/opt/id_rsa', sub_path: 'id_rsa' }]);
    expect(d.spec.template.spec.volume).toEqual([{ name: 'id-rsa', secret: { secret_name: 'ssh-key' } }]);
    expect(raw.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('routes webhook (non-proxied A + AAAA) to port 3000 without forward-auth', () => {
    expect(comparable(at('kubernetes_service.webhook_handler')).spec.port).toEqual([
      { port: 80, target_port: '3000' },
    ]);
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].host).toBe('webhook.viktorbarzin.me');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
    expect(ingress.metadata.annotations['gethomepage.dev/pod-selector']).toBe('');
  });

  it('extracts every key of secret/webhook-handler', () => {
    const es = at('kubernetes_manifest.external_secret');
    expect(es.manifest.spec.dataFrom).toEqual([{ extract: { key: 'webhook-handler' } }]);
    expect(es.manifest.spec.target).toEqual({ name: 'webhook-handler-secrets' });
  });
});
