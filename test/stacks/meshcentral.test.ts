// Parity of stacks/meshcentral with the tree's stacks/meshcentral (HEAD 0cd4afb6): every tree address is
// synthesized or moved, the literal values and ignore_changes are the tree's; the init container's config
// patch is the tree's inline heredoc, read at plan time (never a copy).
import { describe, expect, it } from 'vitest';
import meshcentral, { AGENT_PATHS } from '../../stacks/meshcentral';
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

const json = synthDefinition(meshcentral);
const TREE_ADDRESSES = [
  'kubernetes_namespace.meshcentral',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_encrypted',
  'kubernetes_persistent_volume_claim.files_encrypted',
  'module.nfs_backups_host.kubernetes_persistent_volume.this',
  'module.nfs_backups_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.meshcentral',
  'kubernetes_service.meshcentral',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_agent.kubernetes_ingress_v1.proxied-ingress',
];
const at = (a: string): Json => atTreeAddress(json, a);
const HEREDOC = '"${path.root}/../../../tree-payloads/meshcentral/_heredoc/main.tf/args/0"';
const chain = (a: string) =>
  at(a).metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;

describe('stack meshcentral', () => {
  it('is in the registry, after platform, with pg state under schema "meshcentral"', () => {
    expect(STACKS).toContain(meshcentral);
    expect(meshcentral.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'meshcentral' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('patches the config for TLS offload with the tree heredoc, guarded', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'meshcentral', file: '_heredoc/main.tf/args/0' },
    ]);
    const d = at('kubernetes_deployment.meshcentral');
    const init = d.spec.template.spec.init_container[0];
    expect(init.name).toBe('fix-config');
    expect(init.image).toBe('alpine:latest');
    expect(init.image_pull_policy).toBe('IfNotPresent');
    expect(init.command).toEqual(['/bin/sh']);
    expect(init.args).toEqual(['-c', `\${fileexists(${HEREDOC}) ? templatefile(${HEREDOC}, {}) : null}`]);
    expect(d.lifecycle.precondition[0].condition).toBe(`\${fileexists(${HEREDOC})}`);
  });

  it('runs MeshCentral on three volumes, with the tree annotations and ignore list (init image too)', () => {
    const d = comparable(at('kubernetes_deployment.meshcentral'));
    expect(d.metadata.annotations).toEqual({
      'reloader.stakater.com/search': 'true',
      'meshcentral.enable': 'true',
    });
    expect(d.spec.template.metadata.annotations).toEqual({
      'diun.enable': 'true',
      'diun.include_tags': '^\\d+(?:\\.\\d+)?(?:\\.\\d+)?$,latest',
    });
    const c = d.spec.template.spec.container[0];
    expect(c.port).toEqual([{ name: 'http', container_port: 443 }]);
    expect(c.env.map((e: Json) => [e.name, e.value])).toEqual([
      ['TZ', 'Europe/Sofia'],
      ['HOSTNAME', 'meshcentral.viktorbarzin.me'],
      ['REVERSE_PROXY', 'false'],
      ['ALLOW_NEW_ACCOUNTS', 'false'],
      ['WEBRTC', 'false'],
    ]);
    expect(c.volume_mount.map((m: Json) => m.mount_path)).toEqual([
      '/opt/meshcentral/meshcentral-data',
      '/opt/meshcentral/meshcentral-files',
      '/opt/meshcentral/meshcentral-backups',
    ]);
    expect(d.spec.template.spec.volume.map((v: Json) => v.persistent_volume_claim.claim_name)).toEqual([
      'meshcentral-data-encrypted',
      'meshcentral-files-encrypted',
      'meshcentral-backups-host',
    ]);
    expect(d.lifecycle.ignore_changes).toHaveLength(10);
    expect(d.lifecycle.ignore_changes).toContain('spec[0].template[0].spec[0].init_container[0].image');
  });

  it('gates the UI behind Authentik and carves the agent endpoints out without it', () => {
    expect(at('kubernetes_service.meshcentral').spec.port).toEqual([
      { name: 'http', port: 80, target_port: '443', protocol: 'TCP' },
    ]);
    expect(chain('module.ingress.kubernetes_ingress_v1.proxied-ingress')).toContain('authentik');
    expect(chain('module.ingress_agent.kubernetes_ingress_v1.proxied-ingress')).not.toContain('authentik');
    const agent = at('module.ingress_agent.kubernetes_ingress_v1.proxied-ingress');
    expect(agent.spec.rule[0].host).toBe('meshcentral.viktorbarzin.me');
    expect(agent.spec.rule[0].http.path.map((p: Json) => p.path)).toEqual(AGENT_PATHS);
    expect(agent.metadata.annotations['uptime.viktorbarzin.me/external-monitor']).toBe('false');
  });
});
