// Parity of stacks/paperless-mcp with the tree's stacks/paperless-mcp (HEAD 0cd4afb6): every tree address
// is synthesized or moved, and the literal values and ignore_changes are the tree's.
import { describe, expect, it } from 'vitest';
import paperlessMcp from '../../stacks/paperless-mcp';
import { STACKS } from '../../stacks';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(paperlessMcp);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'kubernetes_namespace.paperless-mcp',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_manifest.bearer_middleware',
  'kubernetes_deployment.paperless-mcp',
  'kubernetes_service.paperless-mcp',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  // no cloudflare_record: paperless-mcp.viktorbarzin.me rides the `*` wildcard CNAME
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack paperless-mcp', () => {
  it('is in the registry, after its four dependencies, with pg state under schema "paperless-mcp"', () => {
    expect(STACKS).toContain(paperlessMcp);
    expect(paperlessMcp.after).toEqual(['platform', 'vault', 'traefik', 'paperless-ngx']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'paperless-mcp' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('gates the MCP endpoint with the bearer middleware whose tokens come from Vault at plan time', () => {
    const mw = at('kubernetes_manifest.bearer_middleware').manifest;
    expect(mw.metadata.name).toBe('bearer-auth');
    expect(mw.spec.plugin['api-token-middleware']).toMatchObject({
      bearerHeader: true,
      bearerHeaderName: 'Authorization',
      removeHeadersOnSuccess: true,
      tokens: '${jsondecode(data.vault_kv_secret_v2.secrets.data["bearer_tokens"])}',
    });
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const chain = ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain.split(',').at(-1)).toBe('paperless-mcp-bearer-auth@kubernetescrd');
    expect(chain).not.toContain('authentik');
    expect(ingress.metadata.annotations['gethomepage.dev/enabled']).toBeUndefined();
  });

  it('writes its own minor Keel policy polled hourly, without match-tag', () => {
    const d = at('kubernetes_deployment.paperless-mcp');
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'minor',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 1h',
      'reloader.stakater.com/auto': 'true',
    });
    const c = d.spec.template.spec.container[0];
    expect(c.startup_probe).toEqual({
      tcp_socket: [{ port: '5000' }],
      failure_threshold: 30,
      period_seconds: 2,
    });
    expect(c.env[1]).toEqual({
      name: 'PAPERLESS_API_TOKEN',
      value_from: { secret_key_ref: { name: 'paperless-mcp-secrets', key: 'paperless_api_token' } },
    });
  });
});
