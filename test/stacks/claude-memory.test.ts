// Parity of stacks/claude-memory with the tree's stacks/claude-memory (HEAD 0cd4afb6): every address the
// tree has is synthesized or moved, and the literal values and ignore_changes sets are the tree's. The DB
// bootstrap script is the tree's heredoc, read at plan time (never a copy).
import { describe, expect, it } from 'vitest';
import claudeMemory from '../../stacks/claude-memory';
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

const json = synthDefinition(claudeMemory);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'kubernetes_namespace.claude-memory',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.db_external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_job.db_init',
  'kubernetes_deployment.claude-memory',
  'kubernetes_pod_disruption_budget_v1.claude-memory',
  'kubernetes_service.claude-memory',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress', // proxied, not the apex: no record
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const HEREDOC = '"${path.root}/../../../tree-payloads/claude-memory/_heredoc/main.tf/command/0"';

describe('stack claude-memory', () => {
  it('is in the registry, after platform and vault, with pg state under schema "claude-memory"', () => {
    expect(STACKS).toContain(claudeMemory);
    expect(claudeMemory.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'claude-memory' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('templates the URL and password from the rotating static role', () => {
    const db = at('kubernetes_manifest.db_external_secret').manifest;
    expect(db.spec.secretStoreRef).toEqual({ name: 'vault-database', kind: 'ClusterSecretStore' });
    expect(db.spec.target.template.data).toEqual({
      DATABASE_URL:
        'postgresql://claude_memory:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/claude_memory',
      DB_PASSWORD: '{{ .password }}',
    });
    expect(at('kubernetes_manifest.external_secret').manifest.spec.dataFrom).toEqual([
      { extract: { key: 'claude-memory' } },
    ]);
  });

  it('bootstraps the role and database with the tree heredoc, waiting up to 2m', () => {
    const job = comparable(at('kubernetes_job.db_init'));
    expect(job.metadata.name).toBe('claude-memory-db-init');
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts).toEqual({ create: '2m' });
    expect(job.spec.backoff_limit).toBe(3);
    expect(job.spec.template.spec.restart_policy).toBe('Never');
    const [c] = job.spec.template.spec.container;
    expect(c.image).toBe('postgres:16-alpine');
    expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c.command[2]).toBe(
      `\${fileexists(${HEREDOC}) ? templatefile(${HEREDOC}, { data = { vault_kv_secret_v2 = { secrets = { data = data.vault_kv_secret_v2.secrets.data } } }, var = { postgresql_host = "pg-cluster-rw.dbaas.svc.cluster.local", claude_memory_db_password = "" } }) : null}`,
    );
    expect(job.lifecycle).toEqual({ ignore_changes: ['spec[0].template[0].spec[0].dns_config'] });
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'claude-memory', file: '_heredoc/main.tf/command/0' },
    ]);
  });

  it('runs the server after the bootstrap, one per node, with the tree probes and sizing', () => {
    const raw = at('kubernetes_deployment.claude-memory');
    expect(raw.depends_on).toEqual(['kubernetes_job.db_init']);
    const d = comparable(raw);
    expect(d.spec.replicas).toBe('1');
    expect(d.spec.template.metadata.annotations).toEqual({
      'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432',
      'descheduler.alpha.kubernetes.io/evict': 'false',
    });
    expect(d.spec.template.spec.affinity).toEqual({
      pod_anti_affinity: {
        required_during_scheduling_ignored_during_execution: [
          {
            label_selector: [{ match_labels: { app: 'claude-memory' } }],
            topology_key: 'kubernetes.io/hostname',
          },
        ],
      },
    });
    const [c] = d.spec.template.spec.container;
    expect(c.image).toBe('ghcr.io/viktorbarzin/claude-memory-mcp:latest');
    expect(c.env).toEqual([
      {
        name: 'DATABASE_URL',
        value_from: { secret_key_ref: { name: 'claude-memory-db-creds', key: 'DATABASE_URL' } },
      },
      {
        name: 'API_KEYS',
        value_from: { secret_key_ref: { name: 'claude-memory-secrets', key: 'api_keys' } },
      },
      { name: 'MEMORY_EMBEDDINGS_ENABLED', value: '1' },
      { name: 'OMP_NUM_THREADS', value: '4' },
      { name: 'MKL_NUM_THREADS', value: '4' },
    ]);
    expect(c.startup_probe).toEqual({
      http_get: { path: '/health', port: '8000' },
      failure_threshold: 150,
      period_seconds: 2,
    });
    expect(c.liveness_probe).toEqual({
      http_get: { path: '/health', port: '8000' },
      initial_delay_seconds: 5,
      period_seconds: 30,
    });
    expect(c.readiness_probe).toEqual({
      http_get: { path: '/health', port: '8000' },
      initial_delay_seconds: 3,
      period_seconds: 10,
    });
    expect(c.resources).toEqual({
      requests: { memory: '512Mi', cpu: '1000m' },
      limits: { memory: '2560Mi' },
    });
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].container[0].image',
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

  it('lets drains evict the single replica, and scrapes the service metrics', () => {
    expect(comparable(at('kubernetes_pod_disruption_budget_v1.claude-memory'))).toEqual({
      metadata: { name: 'claude-memory', namespace: 'claude-memory' },
      spec: { max_unavailable: '1', selector: { match_labels: { app: 'claude-memory' } } },
    });
    expect(comparable(at('kubernetes_service.claude-memory')).metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/metrics',
      'prometheus.io/port': '8000',
    });
    const i = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(i.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
  });
});
