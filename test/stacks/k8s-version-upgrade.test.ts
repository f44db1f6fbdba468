// Parity of stacks/k8s-version-upgrade with the tree's stacks/k8s-version-upgrade (HEAD 0cd4afb6): every tree
// address is synthesized, the literal values and ignore_changes are the tree's, and the scripts (one from the
// tree root, scripts/update_k8s.sh) are the tree's payloads (rehearsal: clean).
import { describe, expect, it } from 'vitest';
import upgrade, { CHECK_SCHEDULE, REPORT_SCHEDULE, UPGRADE_IMAGE } from '../../stacks/k8s-version-upgrade';
import { STACKS } from '../../stacks';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(upgrade);
const TREE_ADDRESSES = [
  'kubernetes_namespace.k8s_upgrade',
  'kubernetes_manifest.external_secret',
  'kubernetes_service_account.k8s_upgrade_job',
  'kubernetes_cluster_role.k8s_upgrade_job',
  'kubernetes_cluster_role_binding.k8s_upgrade_job',
  'kubernetes_role.k8s_upgrade_job_ns',
  'kubernetes_role_binding.k8s_upgrade_job_ns',
  'kubernetes_config_map.k8s_upgrade_scripts',
  'kubernetes_config_map.k8s_upgrade_job_template',
  'kubernetes_cron_job_v1.k8s_version_check',
  'kubernetes_cron_job_v1.k8s_upgrade_nightly_report',
];
const at = (a: string): Json => atTreeAddress(json, a);
const LABELS = { app: 'k8s-version-upgrade' };

describe('stack k8s-version-upgrade', () => {
  it('is in the registry, after external-secrets and monitoring, with pg state', () => {
    expect(STACKS).toContain(upgrade);
    expect(upgrade.after).toEqual(['external-secrets', 'monitoring']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'k8s-version-upgrade' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('reads the SSH key and the Slack webhook key by key', () => {
    const es = at('kubernetes_manifest.external_secret');
    expect(es.manifest.spec.data).toEqual([
      { secretKey: 'ssh_key', remoteRef: { key: 'k8s-upgrade', property: 'ssh_key' } },
      { secretKey: 'slack_webhook', remoteRef: { key: 'k8s-upgrade', property: 'slack_webhook' } },
    ]);
    expect(es.field_manager).toEqual({ force_conflicts: true });
  });

  it('grants the chain its cluster rules, name-scoped where the tree scopes them', () => {
    const rules = at('kubernetes_cluster_role.k8s_upgrade_job').rule as Json[];
    expect(rules).toHaveLength(11);
    expect(rules[9]).toEqual({
      api_groups: [''],
      resources: ['namespaces'],
      resource_names: ['k8s-upgrade'],
      verbs: ['get', 'patch', 'update'],
    });
    expect(at('kubernetes_role.k8s_upgrade_job_ns').rule[0].resource_names).toEqual(['k8s-upgrade-creds']);
    for (const b of [
      'kubernetes_cluster_role_binding.k8s_upgrade_job',
      'kubernetes_role_binding.k8s_upgrade_job_ns',
    ]) {
      expect(at(b).subject).toEqual([
        { kind: 'ServiceAccount', name: 'k8s-upgrade-job', namespace: 'k8s-upgrade' },
      ]);
    }
  });

  it('ships the tree scripts, update_k8s.sh from the tree root', () => {
    const data = at('kubernetes_config_map.k8s_upgrade_scripts').data;
    expect(Object.keys(data).sort()).toEqual([
      'addon-compat.json',
      'compat-gate.py',
      'nightly-report.py',
      'update_k8s.sh',
      'upgrade-step.sh',
    ]);
    expect(data['update_k8s.sh']).toContain('tree-payloads/_repo/scripts/update_k8s.sh');
    expect(data['upgrade-step.sh']).toContain('tree-payloads/k8s-version-upgrade/scripts/upgrade-step.sh');
    expect(at('kubernetes_config_map.k8s_upgrade_scripts').lifecycle.precondition).toHaveLength(5);
    expect(at('kubernetes_config_map.k8s_upgrade_job_template').metadata.labels).toEqual(LABELS);
  });

  it('detects weekly and reports weekly, labelled down to the pods, with the tree job settings', () => {
    for (const [address, schedule, backoff] of [
      ['kubernetes_cron_job_v1.k8s_version_check', CHECK_SCHEDULE, 0],
      ['kubernetes_cron_job_v1.k8s_upgrade_nightly_report', REPORT_SCHEDULE, 1],
    ] as const) {
      const cj = at(address);
      expect(cj.metadata.labels).toEqual(LABELS);
      expect(cj.spec).toMatchObject({
        schedule,
        concurrency_policy: 'Forbid',
        successful_jobs_history_limit: 3,
        failed_jobs_history_limit: 3,
        starting_deadline_seconds: 600,
        suspend: false,
      });
      expect(cj.spec.job_template.metadata).toEqual({ labels: LABELS });
      const job = cj.spec.job_template.spec;
      expect(job.backoff_limit).toBe(backoff);
      expect(job.ttl_seconds_after_finished).toBe('86400');
      expect(job.template.metadata).toEqual({ labels: LABELS });
      const pod = job.template.spec;
      expect(pod.restart_policy).toBe('Never');
      expect(pod.image_pull_secrets).toEqual([{ name: 'registry-credentials' }]);
      expect(pod.volume[0]).toEqual({
        name: 'creds',
        secret: { secret_name: 'k8s-upgrade-creds', default_mode: '0444' },
      });
      expect(pod.container[0].image).toBe(UPGRADE_IMAGE);
      expect(cj.lifecycle.ignore_changes).toEqual([
        'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
      ]);
    }
    const check = at('kubernetes_cron_job_v1.k8s_version_check').spec.job_template.spec.template.spec
      .container[0];
    expect(check.command[2]).toContain('tree-payloads/k8s-version-upgrade/_heredoc/main.tf/command/0');
    expect(check.env).toEqual([
      { name: 'DRY_RUN', value: 'false' },
      { name: 'IMAGE', value: UPGRADE_IMAGE },
      { name: 'HOME', value: '/tmp' },
    ]);
    const reportPod = at('kubernetes_cron_job_v1.k8s_upgrade_nightly_report').spec.job_template.spec.template
      .spec;
    expect(reportPod.volume[1].config_map.default_mode).toBe('0755');
  });
});
