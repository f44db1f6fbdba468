// Parity of stacks/executor with the tree's stacks/executor (HEAD 0cd4afb6): every tree address is
// synthesized or moved and the literal values and ignore_changes are the tree's (rehearsal: clean).
import { describe, expect, it } from 'vitest';
import executor, { EXECUTOR_IMAGE } from '../../stacks/executor';
import { STACKS } from '../../stacks';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(executor);
const TREE_ADDRESSES = [
  'kubernetes_namespace.executor',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_manifest.external_secret',
  'kubernetes_persistent_volume_claim.data_encrypted',
  'kubernetes_deployment.executor',
  'kubernetes_service.executor',
  'kubernetes_network_policy.executor_ingress',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.internal_a[0]',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
  'kubernetes_cron_job_v1.executor_backup',
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack executor', () => {
  it('is in the registry, after platform and vault, with pg state under schema "executor"', () => {
    expect(STACKS).toContain(executor);
    expect(executor.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'executor' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('pins the image with a daily patch-only Keel poll it writes itself', () => {
    const d = at('kubernetes_deployment.executor');
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'patch',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@daily',
    });
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
    const pod = d.spec.template.spec;
    expect(d.spec.template.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    expect(pod.security_context).toEqual({ fs_group: '1000' });
    const c = pod.container[0];
    expect(c.image).toBe(EXECUTOR_IMAGE);
    expect(c.readiness_probe).toEqual({
      tcp_socket: [{ port: '4788' }],
      initial_delay_seconds: 5,
      period_seconds: 10,
    });
    expect(c.liveness_probe).toEqual({
      tcp_socket: [{ port: '4788' }],
      initial_delay_seconds: 20,
      period_seconds: 30,
      failure_threshold: 3,
    });
    expect(c.env.map((e: Json) => e.name)).toEqual([
      'PORT',
      'EXECUTOR_HOST',
      'EXECUTOR_DATA_DIR',
      'EXECUTOR_WEB_BASE_URL',
      'EXECUTOR_BOOTSTRAP_ADMIN_EMAIL',
      'EXECUTOR_BOOTSTRAP_ADMIN_PASSWORD',
    ]);
  });

  it('lets only traefik and hermes-agent reach port 4788', () => {
    expect(at('kubernetes_network_policy.executor_ingress')).toMatchObject({
      metadata: { name: 'executor-allow-traefik-and-hermes' },
      spec: {
        pod_selector: { match_labels: { app: 'executor' } },
        policy_types: ['Ingress'],
        ingress: [
          {
            from: [
              { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'traefik' } } },
              { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'hermes-agent' } } },
            ],
            ports: [{ port: '4788', protocol: 'TCP' }],
          },
        ],
      },
    });
  });

  it('serves the UI on an internal name, own login, LAN allowlist and its own rate limit', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const chain = ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).not.toContain('authentik');
    expect(chain).toContain('traefik-home-lans-only@kubernetescrd');
    expect(chain).toContain('traefik-executor-rate-limit@kubernetescrd');
    expect(chain).not.toContain('traefik-rate-limit@kubernetescrd');
    expect(ingress.spec.rule[0].http.path[0].backend.service.port.number).toBe(4788);
  });

  it('backs up nightly on the app node (required affinity) with the tree program', () => {
    const cj = at('kubernetes_cron_job_v1.executor_backup');
    expect(cj.spec.successful_jobs_history_limit).toBe(1);
    expect(cj.spec.failed_jobs_history_limit).toBe(2);
    const pod = cj.spec.job_template.spec.template.spec;
    expect(pod.restart_policy).toBe('Never');
    expect(pod.affinity).toEqual({
      pod_affinity: {
        required_during_scheduling_ignored_during_execution: [
          { label_selector: [{ match_labels: { app: 'executor' } }], topology_key: 'kubernetes.io/hostname' },
        ],
      },
    });
    expect(pod.container[0].command[2]).toContain('tree-payloads/executor/_heredoc/main.tf/command/0');
    expect(pod.volume[1]).toEqual({
      name: 'backup',
      nfs: { server: '192.168.1.127', path: '/srv/nfs/executor-backup' },
    });
  });
});
