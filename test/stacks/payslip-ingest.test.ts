// Parity of stacks/payslip-ingest with the tree's stacks/payslip-ingest (HEAD 0cd4afb6): every address the
// tree has is synthesized, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import payslipIngest from '../../stacks/payslip-ingest';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(payslipIngest);
const TREE_ADDRESSES = [
  'kubernetes_namespace.payslip_ingest',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_deployment.payslip_ingest',
  'kubernetes_service.payslip_ingest',
  'kubernetes_cron_job_v1.actualbudget_payroll_sync',
  'kubernetes_manifest.grafana_payslips_db_external_secret',
  'kubernetes_config_map.grafana_payslips_datasource',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack payslip-ingest', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(payslipIngest);
    expect(payslipIngest.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'payslip-ingest' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else (no ingress: the webhook is cluster-internal)', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('syncs the five app keys, without the ActualBudget encryption password', () => {
    const keys = at('kubernetes_manifest.external_secret').manifest.spec.data.map((d: Json) => d.secretKey);
    expect(keys).toEqual([
      'PAPERLESS_API_TOKEN',
      'CLAUDE_AGENT_BEARER_TOKEN',
      'WEBHOOK_BEARER_TOKEN',
      'ACTUALBUDGET_API_KEY',
      'ACTUALBUDGET_BUDGET_SYNC_ID',
    ]);
    expect(at('kubernetes_manifest.db_external_secret').manifest.spec.target.template.data).toEqual({
      DB_CONNECTION_STRING:
        'postgresql+asyncpg://payslip_ingest:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/payslip_ingest',
      DB_PASSWORD: '{{ .password }}',
    });
  });

  it('migrates in an init container; both images are left to the deploy pipeline', () => {
    const raw = at('kubernetes_deployment.payslip_ingest');
    const pod = comparable(raw).spec.template.spec;
    expect(pod.image_pull_secrets).toEqual([{ name: 'registry-credentials' }, { name: 'ghcr-credentials' }]);
    expect(pod.init_container[0].command).toEqual(['python', '-m', 'payslip_ingest', 'migrate']);
    expect(pod.container[0].env).toEqual([
      { name: 'PAPERLESS_URL', value: 'http://paperless-ngx.paperless-ngx.svc.cluster.local' },
      { name: 'CLAUDE_AGENT_URL', value: 'http://claude-agent-service.claude-agent.svc.cluster.local:8080' },
    ]);
    expect(raw.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining([
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].init_container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ]),
    );
    expect(raw.lifecycle.ignore_changes).toHaveLength(10);
  });

  it('runs the nightly deposit sync with its labels on the Jobs and pods only', () => {
    const raw = at('kubernetes_cron_job_v1.actualbudget_payroll_sync');
    const cj = comparable(raw);
    expect(cj.metadata.labels).toBeUndefined();
    expect(cj.spec).toMatchObject({
      schedule: '0 2 * * *',
      suspend: false,
      concurrency_policy: 'Forbid',
      successful_jobs_history_limit: 3,
      failed_jobs_history_limit: 5,
      starting_deadline_seconds: 300,
    });
    expect(cj.spec.job_template.metadata.labels).toEqual({ app: 'payslip-ingest' });
    const job = cj.spec.job_template.spec;
    expect(job.backoff_limit).toBe(1);
    expect(job.ttl_seconds_after_finished).toBe('86400');
    expect(job.template.spec.container[0].image_pull_policy).toBe('Always');
    expect(raw.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });

  it('publishes the Grafana datasource and its password secret in monitoring', () => {
    const es = at('kubernetes_manifest.grafana_payslips_db_external_secret');
    expect(es.manifest.metadata.namespace).toBe('monitoring');
    expect(es.manifest.spec.target.template.data).toEqual({ PAYSLIPS_PG_PASSWORD: '{{ .password }}' });
    const cm = at('kubernetes_config_map.grafana_payslips_datasource');
    expect(cm.depends_on).toEqual(['kubernetes_manifest.grafana_payslips_db_external_secret']);
    expect(cm.metadata.labels).toEqual({ grafana_datasource: '1' });
    expect(cm.data['payslips-datasource.yaml']).toContain(
      '"url": "pg-cluster-rw.dbaas.svc.cluster.local:5432"',
    );
  });
});
