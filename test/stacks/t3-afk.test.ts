// Parity of stacks/t3-afk with the tree's stacks/t3-afk (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import t3Afk, { CLAUDE_CLI_VERSION, DISPATCHER, IMAGE, T3_VERSION } from '../../stacks/t3-afk';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(t3Afk);
const TREE_ADDRESSES = [
  'kubernetes_namespace.t3_afk',
  'kubernetes_manifest.external_secret',
  'kubernetes_config_map.dispatcher',
  'module.data.kubernetes_persistent_volume.this',
  'module.data.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.t3_afk',
  'kubernetes_service.t3_afk',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack t3-afk', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(t3Afk);
    expect(t3Afk.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 't3-afk' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('a namespace with only the tier label and no lifecycle, as the tree', () => {
    const ns = comparable(at('kubernetes_namespace.t3_afk'));
    expect(ns.metadata).toEqual({ name: 't3-afk', labels: { tier: '4-aux' } });
    expect(ns.lifecycle).toBeUndefined();
  });

  it('syncs the agent tokens from three Vault paths', () => {
    expect(at('kubernetes_manifest.external_secret').manifest.spec.data).toEqual([
      {
        secretKey: 'CLAUDE_CODE_OAUTH_TOKEN',
        remoteRef: { key: 'claude-agent-service', property: 'claude_oauth_token' },
      },
      { secretKey: 'GITHUB_TOKEN', remoteRef: { key: 'viktor', property: 'github_pat' } },
      { secretKey: 'FORGEJO_TOKEN', remoteRef: { key: 'ci/global', property: 'forgejo_push_token' } },
    ]);
  });

  it("is parked, never touched by Keel, and runs the tree's heredocs and dispatcher at plan time", () => {
    const raw = at('kubernetes_deployment.t3_afk');
    const d = comparable(raw);
    expect(d.wait_for_rollout).toBe(false);
    expect(d.metadata.labels).toEqual({ app: 't3-afk' });
    expect(d.metadata.annotations).toEqual({ 'keel.sh/policy': 'never' });
    expect(d.spec.replicas).toBe('0');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = d.spec.template.spec;
    expect(pod.security_context).toEqual({ run_as_user: '1000', run_as_group: '1000', fs_group: '1000' });
    const [fix, install] = pod.init_container;
    expect(fix.command).toEqual([
      'sh',
      '-c',
      'mkdir -p /data && chown -R 1000:1000 /data && chmod 0775 /data',
    ]);
    expect(fix.security_context).toEqual({ run_as_user: '0' });
    expect(install.image).toBe(IMAGE);
    expect(install.command[2]).toContain('tree-payloads/t3-afk/_heredoc/main.tf/command/0');
    expect(install.command[2]).toContain(
      `{ local = { t3_version = "${T3_VERSION}", claude_cli_version = "${CLAUDE_CLI_VERSION}" } }`,
    );
    const [t3, dispatcher] = pod.container;
    expect(t3.command[2]).toContain('tree-payloads/t3-afk/_heredoc/main.tf/command/1');
    expect(t3.env_from).toEqual([{ secret_ref: { name: 't3-afk-secrets' } }]);
    expect(t3.env).toEqual([
      { name: 'HOME', value: '/home/node' },
      { name: 'T3CODE_HOME', value: '/data/t3' },
    ]);
    expect(t3.liveness_probe.tcp_socket).toEqual([{ port: '3773' }]);
    expect(t3.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } });
    expect(dispatcher.command).toEqual(['node', '/scripts/dispatcher.js']);
    expect(dispatcher.readiness_probe.http_get).toEqual({ path: '/healthz', port: '8080' });
    expect(raw.lifecycle.precondition).toHaveLength(2);
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'metadata[0].labels["tier"]',
      ].sort(),
    );
    const cm = at('kubernetes_config_map.dispatcher');
    expect(cm.data['dispatcher.js']).toContain(`tree-payloads/t3-afk/${DISPATCHER}`);
  });

  it('keeps its state on the SSD NFS export', () => {
    const [pv] = [at('module.data.kubernetes_persistent_volume.this').spec].flat();
    expect(pv.persistent_volume_source.csi.volume_attributes).toEqual({
      server: '192.168.1.127',
      share: '/srv/nfs-ssd/t3-afk-data',
    });
    expect(pv.capacity).toEqual({ storage: '30Gi' });
  });

  it('Authentik gates the cockpit; the Service fronts the dispatcher', () => {
    const svc = comparable(at('kubernetes_service.t3_afk'));
    expect(svc.spec.port).toEqual([{ port: 3773, target_port: '8080' }]);
    expect(svc.spec.type).toBe('ClusterIP');
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.tls[0].secret_name).toBe('tls-secret'); // not sensitive in this tree stack
    const chain = ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).toContain('authentik');
    expect(ingress.metadata.annotations['gethomepage.dev/icon']).toBe('mdi-sleep');
  });
});
