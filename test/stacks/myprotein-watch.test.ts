// Parity of stacks/myprotein-watch with the tree's stacks/myprotein-watch (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import myproteinWatch, { CHECK_SCRIPT } from '../../stacks/myprotein-watch';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(myproteinWatch);
const TREE_ADDRESSES = [
  'kubernetes_namespace_v1.myprotein_watch',
  'kubernetes_manifest.external_secret',
  'kubernetes_config_map_v1.script',
  'kubernetes_config_map_v1.state',
  'kubernetes_service_account_v1.watcher',
  'kubernetes_role_v1.state_writer',
  'kubernetes_role_binding_v1.state_writer',
  'kubernetes_cron_job_v1.check',
  'kubernetes_cron_job_v1.digest',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const SLACK = {
  name: 'SLACK_WEBHOOK_URL',
  value_from: { secret_key_ref: { name: 'myprotein-watch', key: 'SLACK_WEBHOOK_URL' } },
};

describe('stack myprotein-watch', () => {
  it('is in the registry, after external-secrets, with pg state', () => {
    expect(STACKS).toContain(myproteinWatch);
    expect(myproteinWatch.after).toEqual(['external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'myprotein-watch' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('a v1 namespace with only the name and tier labels', () => {
    expect(comparable(at('kubernetes_namespace_v1.myprotein_watch')).metadata).toEqual({
      name: 'myprotein-watch',
      labels: { name: 'myprotein-watch', tier: '4-aux' },
    });
  });

  it('reuses the Alertmanager Slack webhook from Vault', () => {
    const es = at('kubernetes_manifest.external_secret').manifest.spec;
    expect(es.refreshInterval).toBe('1h');
    expect(es.data).toEqual([
      {
        secretKey: 'SLACK_WEBHOOK_URL',
        remoteRef: { key: 'platform', property: 'alertmanager_slack_api_url' },
      },
    ]);
  });

  it("mounts the tree owner's check.py; the state map starts empty and is the job's", () => {
    const script = at('kubernetes_config_map_v1.script');
    expect(script.data[CHECK_SCRIPT]).toContain('tree-payloads/myprotein-watch/check.py');
    expect(script.lifecycle.precondition).toHaveLength(1);
    const state = at('kubernetes_config_map_v1.state');
    expect(state.data).toEqual({ 'state.json': '{}' });
    expect(state.lifecycle.ignore_changes).toEqual(['data']);
  });

  it('only the check job may get and patch the state map', () => {
    expect(comparable(at('kubernetes_role_v1.state_writer')).rule).toEqual([
      {
        api_groups: [''],
        resources: ['configmaps'],
        resource_names: ['myprotein-watch-state'],
        verbs: ['get', 'patch'],
      },
    ]);
    expect(comparable(at('kubernetes_role_binding_v1.state_writer')).subject).toEqual([
      { kind: 'ServiceAccount', name: 'myprotein-watch', namespace: 'myprotein-watch' },
    ]);
    expect(
      comparable(at('kubernetes_cron_job_v1.check')).spec.job_template.spec.template.spec
        .service_account_name,
    ).toBe('myprotein-watch');
    expect(
      comparable(at('kubernetes_cron_job_v1.digest')).spec.job_template.spec.template.spec
        .service_account_name,
    ).toBeUndefined();
  });

  it('runs check every six hours and the digest at 08:00 London, bounded, with the tree env', () => {
    for (const [address, schedule] of [
      ['kubernetes_cron_job_v1.check', '23 */6 * * *'],
      ['kubernetes_cron_job_v1.digest', '0 8 * * *'],
    ]) {
      const cj = comparable(at(address));
      expect(cj.spec).toMatchObject({
        schedule,
        timezone: 'Europe/London',
        concurrency_policy: 'Forbid',
        successful_jobs_history_limit: 3,
        failed_jobs_history_limit: 3,
        starting_deadline_seconds: 600,
      });
      expect(cj.spec.job_template.metadata.labels).toEqual({ app: 'myprotein-watch' });
      const job = cj.spec.job_template.spec;
      expect([job.backoff_limit, job.active_deadline_seconds, job.ttl_seconds_after_finished]).toEqual([
        2,
        300,
        '86400',
      ]);
      expect(job.template.spec.dns_config).toEqual({ option: [{ name: 'ndots', value: '2' }] });
      expect(job.template.spec.container[0].command).toEqual(['python3', '/scripts/check.py']);
      expect(cj.lifecycle.ignore_changes).toEqual([
        'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
      ]);
    }
    const check = comparable(at('kubernetes_cron_job_v1.check')).spec.job_template.spec.template.spec
      .container[0];
    expect(check.env).toEqual([
      SLACK,
      { name: 'STATE_BACKEND', value: 'configmap' },
      { name: 'STATE_TARGET', value: 'myprotein-watch-state' },
      { name: 'THRESHOLD_PER_KG_PROTEIN', value: '28' },
      { name: 'DEEP_DISCOUNT_PCT', value: '40' },
      { name: 'NEW_LOW_MARGIN', value: '0.01' },
      { name: 'WATCH_FLAVOURS', value: '' },
    ]);
    const digest = comparable(at('kubernetes_cron_job_v1.digest')).spec.job_template.spec.template.spec
      .container[0];
    expect(digest.name).toBe('digest');
    expect(digest.env).toEqual([
      SLACK,
      { name: 'DIGEST', value: 'true' },
      { name: 'THRESHOLD_PER_KG_PROTEIN', value: '28' },
      { name: 'WATCH_FLAVOURS', value: '' },
    ]);
  });
});
