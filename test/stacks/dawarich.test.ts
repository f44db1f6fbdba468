// Parity of stacks/dawarich with the tree's stacks/dawarich (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's. The freshness
// check script is the tree's heredoc, read at plan time (never a copy).
import { describe, expect, it } from 'vitest';
import dawarich, { DAWARICH_VERSION } from '../../stacks/dawarich';
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

const json = synthDefinition(dawarich);
const TREE_ADDRESSES = [
  'kubernetes_namespace.dawarich',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.dawarich',
  'kubernetes_service.dawarich',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress', // proxied, not the apex: no record
  'kubernetes_cron_job_v1.ingestion_freshness_monitor',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const HEREDOC = '"${path.root}/../../../tree-payloads/dawarich/_heredoc/main.tf/command/0"';
const names = (c: Json): string[] => c.env.map((e: Json) => e.name);
const SHARED_HEAD = [
  'REDIS_URL',
  'DATABASE_HOST',
  'DATABASE_USERNAME',
  'DATABASE_PASSWORD',
  'DATABASE_NAME',
  'MIN_MINUTES_SPENT_IN_CITY',
  'TIME_ZONE',
  'DISTANCE_UNIT',
];

describe('stack dawarich', () => {
  it('is in the registry, after platform and vault, with pg state under schema "dawarich"', () => {
    expect(STACKS).toContain(dawarich);
    expect(dawarich.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'dawarich' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('keeps the edge-tier namespace without the Goldilocks ignore, as the tree', () => {
    expect(comparable(at('kubernetes_namespace.dawarich'))).toEqual({
      metadata: {
        name: 'dawarich',
        labels: { 'istio-injection': 'disabled', tier: '3-edge', 'keel.sh/enrolled': 'true' },
      },
    });
  });

  it('runs web and Sidekiq from one release with their env lists in the tree order', () => {
    const d = comparable(at('kubernetes_deployment.dawarich'));
    const [web, worker] = d.spec.template.spec.container;
    expect(DAWARICH_VERSION).toBe('1.7.11');
    expect([web.image, worker.image]).toEqual(['freikin/dawarich:1.7.11', 'freikin/dawarich:1.7.11']);
    expect(d.spec.template.spec.termination_grace_period_seconds).toBe(60);
    expect(web.command).toEqual(['web-entrypoint.sh']);
    expect(web.args).toEqual(['bin/rails', 'server', '-p', '3000', '-b', '::']);
    expect(web.port).toEqual([
      { name: 'http', container_port: 3000 },
      { name: 'prometheus', container_port: 9394 },
    ]);
    expect(names(web)).toEqual([
      ...SHARED_HEAD,
      'ENABLE_TELEMETRY',
      'APPLICATION_HOSTS',
      'RAILS_ENV',
      'SECRET_KEY_BASE',
      'RAILS_LOG_TO_STDOUT',
      'SELF_HOSTED',
    ]);
    expect(names(worker)).toEqual([
      ...SHARED_HEAD,
      'BACKGROUND_PROCESSING_CONCURRENCY',
      'ENABLE_TELEMETRY',
      'APPLICATION_HOSTS',
      'PROMETHEUS_EXPORTER_ENABLED',
      'RAILS_ENV',
      'SECRET_KEY_BASE',
      'RAILS_LOG_TO_STDOUT',
      'SELF_HOSTED',
      'GEOAPIFY_API_KEY',
      'MALLOC_ARENA_MAX',
    ]);
    expect(web.env[0]).toEqual({
      name: 'REDIS_URL',
      value: 'redis://redis-master.redis.svc.cluster.local:6379',
    });
    expect(worker.env.at(-2).value_from).toEqual({
      secret_key_ref: { name: 'dawarich-secrets', key: 'geoapify_api_key' },
    });
    expect(web.resources).toEqual({ requests: { cpu: '15m', memory: '896Mi' }, limits: { memory: '896Mi' } });
    expect(worker.resources).toEqual({
      requests: { cpu: '50m', memory: '768Mi' },
      limits: { memory: '2Gi' },
    });
    const alive = ['/bin/sh', '-c', "pgrep -f 'bundle exec sidekiq' >/dev/null"];
    expect(worker.liveness_probe).toEqual({
      exec: { command: alive },
      initial_delay_seconds: 90,
      period_seconds: 30,
      timeout_seconds: 5,
      failure_threshold: 3,
    });
    expect(worker.readiness_probe).toEqual({
      exec: { command: alive },
      initial_delay_seconds: 30,
      period_seconds: 15,
      timeout_seconds: 5,
    });
    expect(d.lifecycle.ignore_changes).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[1].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
  });

  it('opens the API-key host without Authentik, on its own rate limiter', () => {
    const i = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const chain = (
      i.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string
    ).split(',');
    expect(chain).not.toContain('traefik-authentik-forward-auth@kubernetescrd');
    expect(chain).not.toContain('traefik-rate-limit@kubernetescrd');
    expect(chain.at(-1)).toBe('traefik-dawarich-rate-limit@kubernetescrd');
    expect(comparable(at('kubernetes_service.dawarich')).spec.port).toEqual([
      { name: 'http', port: 80, target_port: '3000', protocol: 'TCP' },
    ]);
  });

  it('runs the tree heredoc daily with the DB host, guarded against a missing payload', () => {
    const cj = comparable(at('kubernetes_cron_job_v1.ingestion_freshness_monitor'));
    expect(cj.spec).toMatchObject({
      concurrency_policy: 'Forbid',
      schedule: '30 6 * * *',
      failed_jobs_history_limit: 3,
      successful_jobs_history_limit: 1,
      starting_deadline_seconds: 300,
    });
    const job = cj.spec.job_template.spec;
    expect(job.backoff_limit).toBe(2);
    expect(job.ttl_seconds_after_finished).toBe('3600');
    const [c] = job.template.spec.container;
    expect(job.template.spec.restart_policy).toBe('OnFailure');
    expect(c.command).toEqual([
      '/bin/sh',
      '-c',
      `\${fileexists(${HEREDOC}) ? templatefile(${HEREDOC}, { var = { postgresql_host = "pg-cluster-rw.dbaas.svc.cluster.local" } }) : null}`,
    ]);
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'dawarich', file: '_heredoc/main.tf/command/0' },
    ]);
    expect(at('kubernetes_cron_job_v1.ingestion_freshness_monitor').lifecycle.precondition[0].condition).toBe(
      `\${fileexists(${HEREDOC})}`,
    );
  });
});
