// Parity of stacks/learn with the tree's stacks/learn (HEAD 0cd4afb6): every tree address is synthesized or
// moved, the literal values and ignore_changes are the tree's; the Caddyfile is the tree's inline heredoc,
// read at plan time (never a copy), and its hash rolls the pod.
import { describe, expect, it } from 'vitest';
import learn from '../../stacks/learn';
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

const json = synthDefinition(learn);
const TREE_ADDRESSES = [
  'kubernetes_namespace.learn',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_manifest.git_creds_external_secret',
  'kubernetes_config_map.caddyfile',
  'kubernetes_deployment.learn',
  'kubernetes_service.learn',
  'module.ingress_pages.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_plans.kubernetes_ingress_v1.proxied-ingress',
];
const at = (a: string): Json => atTreeAddress(json, a);
const HEREDOC = '"${path.root}/../../../tree-payloads/learn/_heredoc/main.tf/Caddyfile/0"';

describe('stack learn', () => {
  it('is in the registry, after nothing, with pg state under schema "learn"', () => {
    expect(STACKS).toContain(learn);
    expect(learn.after ?? []).toEqual([]);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'learn' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('the namespace is not Keel-enrolled', () => {
    expect(comparable(at('kubernetes_namespace.learn')).metadata.labels).toEqual({
      'istio-injection': 'disabled',
      tier: '4-aux',
    });
  });

  it('reads the deploy key and known_hosts from Vault secret/learn hourly', () => {
    const es = at('kubernetes_manifest.git_creds_external_secret');
    expect(es.manifest.spec.refreshInterval).toBe('1h');
    expect(es.manifest.spec.target).toEqual({ name: 'learn-git-creds' });
    expect(es.manifest.spec.data).toEqual([
      { secretKey: 'ssh', remoteRef: { key: 'learn', property: 'ssh' } },
      { secretKey: 'known_hosts', remoteRef: { key: 'learn', property: 'known_hosts' } },
    ]);
  });

  it('the Caddyfile is the tree heredoc, guarded; its sha1 is on the pod template', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'learn', file: '_heredoc/main.tf/Caddyfile/0' },
    ]);
    const cm = at('kubernetes_config_map.caddyfile');
    expect(cm.metadata.name).toBe('learn-caddyfile');
    expect(cm.data.Caddyfile).toBe(`\${fileexists(${HEREDOC}) ? templatefile(${HEREDOC}, {}) : null}`);
    expect(cm.lifecycle.precondition[0].condition).toBe(`\${fileexists(${HEREDOC})}`);
    const d = at('kubernetes_deployment.learn');
    expect(d.spec.template.metadata.annotations['viktorbarzin.me/caddyfile-sha']).toBe(
      '${sha1(kubernetes_config_map.caddyfile.data.Caddyfile)}',
    );
  });

  it('runs git-sync and Caddy with the tree security, volumes, probe and ignore list', () => {
    const d = comparable(at('kubernetes_deployment.learn'));
    expect(d.metadata.labels).toEqual({ app: 'learn' });
    expect(at('kubernetes_deployment.learn').depends_on).toEqual([
      'kubernetes_manifest.git_creds_external_secret',
    ]);
    const pod = d.spec.template.spec;
    expect(pod.security_context).toEqual({ fs_group: '65533' });
    const [sync, caddy] = pod.container;
    expect(sync.image).toBe('registry.k8s.io/git-sync/git-sync:v4.7.0');
    expect(sync.args).toEqual([
      '--repo=git@github.com:ViktorBarzin/monorepo.git',
      '--ref=master',
      '--period=30s',
      '--depth=1',
      '--root=/repo/src',
      '--link=current',
    ]);
    expect(sync.security_context).toEqual({ run_as_user: '65533' });
    expect(caddy.image).toBe('docker.io/library/caddy:2.10.2-alpine');
    expect(caddy.port).toEqual([{ container_port: 8080, name: 'http' }]);
    expect(caddy.readiness_probe).toEqual({
      http_get: { path: '/healthz', port: '8080' },
      initial_delay_seconds: 5,
      period_seconds: 10,
      failure_threshold: 6,
    });
    expect(pod.volume).toEqual([
      { name: 'repo', empty_dir: {} },
      { name: 'git-secret', secret: { secret_name: 'learn-git-creds', default_mode: '0400' } },
      { name: 'caddyfile', config_map: { name: 'learn-caddyfile' } },
    ]);
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'metadata[0].labels["tier"]',
        'spec[0].template[0].spec[0].container[1].image',
      ].sort(),
    );
  });

  it('pages (with the tile) and the plans redirect host both sit behind Authentik', () => {
    for (const a of [
      'module.ingress_pages.kubernetes_ingress_v1.proxied-ingress',
      'module.ingress_plans.kubernetes_ingress_v1.proxied-ingress',
    ]) {
      const i = at(a);
      expect(i.spec.rule[0].http.path[0].backend.service).toEqual({
        name: 'learn',
        port: { number: 80 },
      });
      expect(i.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
        'authentik',
      );
    }
    expect(
      at('module.ingress_pages.kubernetes_ingress_v1.proxied-ingress').metadata.annotations[
        'gethomepage.dev/pod-selector'
      ],
    ).toBe('app=learn');
    expect(
      at('module.ingress_plans.kubernetes_ingress_v1.proxied-ingress').metadata.annotations[
        'gethomepage.dev/enabled'
      ],
    ).toBe('false');
  });
});
