// Parity of stacks/tasks with the tree's stacks/tasks (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's. (The tree's
// imports.tf adopted live objects once; they are in the state now, so the port carries no import blocks.)
import { describe, expect, it } from 'vitest';
import tasks, { PUBLIC_ICON_PATHS } from '../../stacks/tasks';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(tasks);
const TREE_ADDRESSES = [
  'kubernetes_namespace.tasks',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_deployment.tasks',
  'kubernetes_service.tasks',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress_icons.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_network_policy_v1.tasks_ingress',
  // no module.tls_secret (Kyverno clones the wildcard secret); proxied, not the apex: no cloudflare_record
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack tasks', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(tasks);
    expect(tasks.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'tasks' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('builds the asyncpg DSN from the rotating database password, on the vault-database store', () => {
    const es = at('kubernetes_manifest.db_external_secret');
    expect(es.depends_on).toEqual(['kubernetes_namespace.tasks']);
    expect(es.manifest.metadata).toEqual({ name: 'tasks-db-creds', namespace: 'tasks' });
    expect(es.manifest.spec.secretStoreRef).toEqual({ name: 'vault-database', kind: 'ClusterSecretStore' });
    expect(es.manifest.spec.target.template.data).toEqual({
      TASKS_DB_DSN:
        'postgresql+asyncpg://tasks:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/tasks',
      DB_PASSWORD: '{{ .password }}',
    });
    expect(es.manifest.spec.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'static-creds/pg-tasks', property: 'password' } },
    ]);
    expect(at('kubernetes_manifest.external_secret').manifest.spec.data).toEqual([
      { secretKey: 'TASKS_FERNET_KEY', remoteRef: { key: 'tasks', property: 'fernet_key' } },
    ]);
  });

  it('runs the app with both secrets, the Sofia time zone, its probes and the tree lifecycle', () => {
    const raw = at('kubernetes_deployment.tasks');
    expect(raw.depends_on).toEqual([
      'kubernetes_manifest.external_secret',
      'kubernetes_manifest.db_external_secret',
    ]);
    const d = comparable(raw);
    expect(d.metadata.labels).toEqual({ app: 'tasks', tier: '4-aux' });
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const [c] = d.spec.template.spec.container;
    expect(c.image).toBe('ghcr.io/viktorbarzin/tasks:latest');
    expect(c.env_from).toEqual([
      { secret_ref: { name: 'tasks-secrets' } },
      { secret_ref: { name: 'tasks-db-creds' } },
    ]);
    expect(c.env).toEqual([{ name: 'TASKS_LOCAL_TZ', value: 'Europe/Sofia' }]);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '384Mi' }, limits: { memory: '384Mi' } });
    expect(c.liveness_probe.http_get).toEqual({ path: '/healthz', port: '8000' });
    expect(raw.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining([
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ]),
    );
    expect(raw.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('gates the UI behind Authentik and leaves only the icon files public on the same host', () => {
    const main = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(main.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'authentik',
    );
    const icons = at('module.ingress_icons.kubernetes_ingress_v1.proxied-ingress');
    expect(icons.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
    expect(icons.metadata.annotations['gethomepage.dev/enabled']).toBeUndefined();
    const rule = icons.spec.rule[0];
    expect(rule.host).toBe('tasks.viktorbarzin.me');
    expect(rule.http.path.map((p: Json) => p.path)).toEqual(PUBLIC_ICON_PATHS);
    expect(rule.http.path[0].backend.service).toEqual({
      name: 'tasks',
      port: { number: 8000 },
    });
  });

  it('lets only traefik and monitoring reach the pod on 8000', () => {
    expect(comparable(at('kubernetes_network_policy_v1.tasks_ingress')).spec).toEqual({
      pod_selector: { match_labels: { app: 'tasks' } },
      policy_types: ['Ingress'],
      ingress: ['traefik', 'monitoring'].map((n) => ({
        from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': n } } }],
        ports: [{ port: '8000', protocol: 'TCP' }],
      })),
    });
  });
});
