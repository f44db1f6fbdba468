// Parity of stacks/repowise with the tree's stacks/repowise (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import repowise, { IMAGE, SCRIPTS } from '../../stacks/repowise';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(repowise);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'kubernetes_namespace.repowise',
  'kubernetes_manifest.external_secret',
  'kubernetes_persistent_volume_claim.workspace',
  'kubernetes_config_map.scripts',
  'kubernetes_manifest.bearer_middleware',
  'kubernetes_deployment.repowise',
  'kubernetes_pod_disruption_budget_v1.repowise',
  'kubernetes_service.api',
  'kubernetes_service.web',
  'kubernetes_service.mcp',
  'module.ingress_web.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_api.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_mcp.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_mcp.cloudflare_record.internal_a[0]',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const apiKey = {
  name: 'REPOWISE_API_KEY',
  value_from: { secret_key_ref: { name: 'repowise-secrets', key: 'api_key' } },
};
const ROUTER = 'traefik.ingress.kubernetes.io/router.middlewares';

describe('stack repowise', () => {
  it('is in the registry, after its five dependencies, with pg state', () => {
    expect(STACKS).toContain(repowise);
    expect(repowise.after).toEqual(['platform', 'vault', 'traefik', 'forgejo', 'kyverno']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'repowise' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('a Keel-enrolled namespace without the istio label; the Vault secret extracted whole', () => {
    expect(comparable(at('kubernetes_namespace.repowise')).metadata.labels).toEqual({
      tier: '4-aux',
      'keel.sh/enrolled': 'true',
    });
    expect(at('kubernetes_manifest.external_secret').manifest.spec.dataFrom).toEqual([
      { extract: { key: 'repowise' } },
    ]);
  });

  it('the workspace is an encrypted, auto-grown block volume', () => {
    const pvc = comparable(at('kubernetes_persistent_volume_claim.workspace'));
    expect(pvc.metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '15%',
      'resize.topolvm.io/increase': '50%',
      'resize.topolvm.io/storage_limit': '60Gi',
    });
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm-encrypted');
    expect(pvc.spec.resources).toEqual({ requests: { storage: '20Gi' } });
  });

  it("ships the tree owner's three scripts, read at plan time", () => {
    const cm = at('kubernetes_config_map.scripts');
    for (const [key, path] of Object.entries(SCRIPTS))
      expect(cm.data[key]).toContain(`tree-payloads/repowise/${path}`);
    expect(cm.lifecycle.precondition).toHaveLength(3);
  });

  it('gates /mcp with the bearer plugin, tokens from Vault at plan time', () => {
    const mw = at('kubernetes_manifest.bearer_middleware').manifest;
    expect(mw.metadata.name).toBe('bearer-auth');
    expect(mw.spec.plugin['api-token-middleware']).toEqual({
      authenticationHeader: false,
      bearerHeader: true,
      bearerHeaderName: 'Authorization',
      tokens: '${jsondecode(data.vault_kv_secret_v2.secrets.data["bearer_tokens"])}',
      removeHeadersOnSuccess: true,
      authenticationErrorMsg: 'Access Denied',
    });
  });

  it('one pod: cross-repo init, api, web, mcp and sync, as the tree', () => {
    const raw = at('kubernetes_deployment.repowise');
    expect(raw.depends_on).toEqual(['kubernetes_manifest.external_secret']);
    const d = comparable(raw);
    expect(d.metadata.annotations).toEqual({
      'reloader.stakater.com/auto': 'true',
      'keel.sh/policy': 'patch',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 6h',
    });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = d.spec.template.spec;
    expect(pod.security_context).toEqual({
      run_as_user: '10001',
      run_as_group: '10001',
      fs_group: '10001',
      fs_group_change_policy: 'OnRootMismatch',
    });
    expect(pod.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
    expect(pod.volume).toEqual([
      { name: 'workspace', persistent_volume_claim: { claim_name: 'repowise-workspace' } },
      { name: 'scripts', config_map: { name: 'repowise-scripts', default_mode: '0555' } },
    ]);
    expect(pod.init_container[0].env).toEqual([
      { name: 'REPOWISE_WORKSPACE', value: '/workspace' },
      { name: 'REPOWISE_EMBEDDER', value: 'mock' },
      { name: 'CROSS_REPO_MAX_AGE_HOURS', value: '168' },
    ]);
    const [api, web, mcp, sync] = pod.container;
    expect(pod.container.map((c: Json) => c.image)).toEqual([IMAGE, IMAGE, IMAGE, IMAGE]);
    expect(api.command).toEqual([
      'uvicorn',
      'repowise.server.app:create_app',
      '--factory',
      '--host',
      '0.0.0.0',
      '--port',
      '7337',
    ]);
    expect(api.volume_mount).toEqual([
      { name: 'workspace', mount_path: '/workspace' },
      { name: 'workspace', mount_path: '/data', sub_path: '.repowise-data' },
    ]);
    expect(api.startup_probe).toMatchObject({ failure_threshold: 60, period_seconds: 5 });
    expect(api.liveness_probe).toMatchObject({
      period_seconds: 30,
      timeout_seconds: 15,
      failure_threshold: 10,
    });
    expect(api.resources).toEqual({ requests: { memory: '2Gi', cpu: '50m' }, limits: { memory: '4Gi' } });
    expect(web.env).toEqual([
      { name: 'PORT', value: '3000' },
      { name: 'HOSTNAME', value: '0.0.0.0' },
      { name: 'REPOWISE_API_URL', value: 'http://localhost:7337' },
      apiKey,
    ]);
    expect(mcp.env).toContainEqual({ name: 'MCP_INGRESS_HOST', value: 'repowise-mcp.viktorbarzin.me' });
    expect(sync.env.map((e: Json) => e.name)).toEqual([
      'REPOWISE_WORKSPACE',
      'REPOWISE_DEFAULT_REPO',
      'REPOWISE_API',
      'FORGEJO_BASE',
      'FORGEJO_OWNER',
      'FORGEJO_USER',
      'SYNC_INTERVAL_SECONDS',
      'REPOWISE_EMBEDDER',
      'REPOWISE_PARSE_WORKERS',
      'REPOWISE_API_KEY',
      'FORGEJO_TOKEN',
      'KUMA_PUSH_URL',
    ]);
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].container[1].image',
        'spec[0].template[0].spec[0].container[2].image',
        'spec[0].template[0].spec[0].container[3].image',
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
  });

  it('a drain may take the single pod (max_unavailable 1)', () => {
    expect(comparable(at('kubernetes_pod_disruption_budget_v1.repowise'))).toEqual({
      metadata: { name: 'repowise', namespace: 'repowise' },
      spec: { max_unavailable: '1', selector: { match_labels: { app: 'repowise' } } },
    });
  });

  it('three Services, one per port', () => {
    for (const [address, name, port] of [
      ['kubernetes_service.api', 'api', 7337],
      ['kubernetes_service.web', 'web', 3000],
      ['kubernetes_service.mcp', 'mcp', 7338],
    ] as const) {
      const svc = comparable(at(address));
      expect(svc.metadata).toEqual({
        name: `repowise-${name}`,
        namespace: 'repowise',
        labels: { app: 'repowise' },
      });
      expect(svc.spec.port).toEqual([{ name, port, target_port: String(port) }]);
    }
  });

  it('dashboard and API share the Authentik-gated host; MCP is LAN-only behind the bearer', () => {
    const web = at('module.ingress_web.kubernetes_ingress_v1.proxied-ingress');
    expect(web.metadata.annotations[ROUTER]).toContain('authentik');
    const api = at('module.ingress_api.kubernetes_ingress_v1.proxied-ingress');
    expect(api.spec.rule[0].host).toBe('repowise.viktorbarzin.me');
    expect(api.spec.rule[0].http.path.map((p: Json) => p.path)).toEqual(['/api', '/health', '/metrics']);
    expect(api.metadata.annotations['uptime.viktorbarzin.me/external-monitor']).toBe('false');
    const mcp = at('module.ingress_mcp.kubernetes_ingress_v1.proxied-ingress');
    expect(mcp.depends_on).toEqual(['kubernetes_manifest.bearer_middleware']);
    expect(mcp.metadata.annotations[ROUTER]).toMatch(
      /traefik-error-pages-403@kubernetescrd,traefik-home-lans-only@kubernetescrd,repowise-bearer-auth@kubernetescrd$/,
    );
    expect(mcp.metadata.annotations[ROUTER]).not.toContain('authentik');
    expect(mcp.spec.rule[0].http.path.map((p: Json) => p.path)).toEqual(['/mcp']);
  });
});
