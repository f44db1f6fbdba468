// Parity of stacks/ci-pipeline-health with the tree's stacks/ci-pipeline-health (HEAD 0cd4afb6): every tree
// address is synthesized, the literal values are the tree's, and the sweep script is the tree's file read
// at plan time (a tree payload), never a copy.
import { describe, expect, it } from 'vitest';
import ciPipelineHealth, { SWEEP_SCRIPT } from '../../stacks/ci-pipeline-health';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(ciPipelineHealth);
const TREE_ADDRESSES = [
  'kubernetes_namespace.ci_pipeline_health',
  'kubernetes_manifest.external_secret',
  'kubernetes_config_map.sweep_script',
  'kubernetes_cron_job_v1.sweep',
];
const at = (a: string): Json => atTreeAddress(json, a);
const PAYLOAD = '"${path.root}/../../../tree-payloads/ci-pipeline-health/files/sweep.sh"';

describe('stack ci-pipeline-health', () => {
  it('is in the registry, after external-secrets, with pg state under schema "ci-pipeline-health"', () => {
    expect(STACKS).toContain(ciPipelineHealth);
    expect(ciPipelineHealth.after).toEqual(['external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'ci-pipeline-health' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('reads the tree sweep script at plan time and fails the plan naming it when it is missing', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'ci-pipeline-health', file: SWEEP_SCRIPT },
    ]);
    const cm = at('kubernetes_config_map.sweep_script');
    expect(cm.data['sweep.sh']).toBe(`\${fileexists(${PAYLOAD}) ? file(${PAYLOAD}) : null}`);
    expect(cm.lifecycle.precondition).toEqual([
      {
        condition: `\${fileexists(${PAYLOAD})}`,
        error_message: expect.stringContaining(
          'tree payload tree-payloads/ci-pipeline-health/files/sweep.sh is missing',
        ),
      },
    ]);
  });

  it('runs the sweep daily at 07:30 with the credentials as env_from, a 10 minute deadline and 1 day TTL', () => {
    const cj = at('kubernetes_cron_job_v1.sweep');
    expect(cj.metadata.labels).toEqual({ app: 'ci-pipeline-health' });
    expect(cj.spec).toMatchObject({
      schedule: '30 7 * * *',
      concurrency_policy: 'Forbid',
      successful_jobs_history_limit: 3,
      failed_jobs_history_limit: 3,
    });
    const job = cj.spec.job_template;
    expect(job.metadata).toEqual({ labels: { app: 'ci-pipeline-health' } });
    expect(job.spec).toMatchObject({
      backoff_limit: 1,
      active_deadline_seconds: 600,
      ttl_seconds_after_finished: '86400',
    });
    const c = job.spec.template.spec.container[0];
    expect(c.command).toEqual(['/bin/sh', '/scripts/sweep.sh']);
    expect(c.env_from).toEqual([{ secret_ref: { name: 'ci-pipeline-health-creds' } }]);
    expect(job.spec.template.spec.restart_policy).toBe('Never');
    expect(cj.depends_on).toEqual(['kubernetes_manifest.external_secret']);
    expect(cj.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });

  it('keeps the secrets in Vault: the ExternalSecret names paths and properties only', () => {
    expect(at('kubernetes_manifest.external_secret').manifest.spec.data).toEqual([
      { secretKey: 'GITHUB_PAT', remoteRef: { key: 'viktor', property: 'github_pat' } },
      {
        secretKey: 'WOODPECKER_API_TOKEN',
        remoteRef: { key: 'ci/global', property: 'woodpecker_api_token' },
      },
      { secretKey: 'SLACK_WEBHOOK', remoteRef: { key: 'ci/global', property: 'slack_webhook' } },
    ]);
  });
});
