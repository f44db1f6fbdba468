// Parity of stacks/tuya-bridge with the tree's stacks/tuya-bridge (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import tuyaBridge, { POLLER_SCRIPT } from '../../stacks/tuya-bridge';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(tuyaBridge);
const TREE_ADDRESSES = [
  'kubernetes_namespace.tuya-bridge',
  'kubernetes_manifest.external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_deployment.tuya-bridge',
  'kubernetes_service.tuya-bridge',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_config_map.saksii_poller_script',
  'kubernetes_cron_job_v1.saksii_poller',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const ref = (name: string, key: string) => ({
  name,
  value_from: { secret_key_ref: { name: 'tuya-bridge-secrets', key } },
});

describe('stack tuya-bridge', () => {
  it('is in the registry, after platform and vault, with pg state', () => {
    expect(STACKS).toContain(tuyaBridge);
    expect(tuyaBridge.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'tuya-bridge' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('a cluster-tier namespace; every Vault key of tuya-bridge synced', () => {
    expect(comparable(at('kubernetes_namespace.tuya-bridge')).metadata.labels).toEqual({
      'istio-injection': 'disabled',
      tier: '1-cluster',
      'keel.sh/enrolled': 'true',
    });
    expect(at('kubernetes_manifest.external_secret').manifest.spec.dataFrom).toEqual([
      { extract: { key: 'tuya-bridge' } },
    ]);
  });

  it('runs the bridge with its secrets, probes and the tree ignore list', () => {
    const d = comparable(at('kubernetes_deployment.tuya-bridge'));
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    const pod = d.spec.template.spec;
    expect(pod.image_pull_secrets).toEqual([{ name: 'registry-credentials' }, { name: 'ghcr-credentials' }]);
    const [c] = pod.container;
    expect(c.image).toBe('ghcr.io/viktorbarzin/tuya_bridge:latest');
    expect(c.image_pull_policy).toBe('IfNotPresent');
    expect(c.env).toEqual([
      ref('TINYTUYA_API_KEY', 'api_key'),
      ref('TINYTUYA_API_SECRET', 'api_secret'),
      ref('SERVICE_API_KEY', 'service_secret'),
      ref('SLACK_URL', 'slack_url'),
    ]);
    expect(c.liveness_probe).toMatchObject({
      initial_delay_seconds: 60,
      period_seconds: 30,
      timeout_seconds: 5,
      failure_threshold: 6,
    });
    expect(c.readiness_probe).toMatchObject({
      initial_delay_seconds: 10,
      period_seconds: 15,
      timeout_seconds: 5,
      failure_threshold: 2,
    });
    expect([...d.lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
    const svc = comparable(at('kubernetes_service.tuya-bridge'));
    expect(svc.spec.port).toEqual([{ name: 'http', port: 80, target_port: '8080' }]);
  });

  it('the API is public (key-checked in the app) with the homepage entry', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const chain = ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).not.toContain('authentik');
    expect(ingress.metadata.annotations).toMatchObject({
      'gethomepage.dev/name': 'Tuya Bridge',
      'gethomepage.dev/group': 'Smart Home',
      'gethomepage.dev/pod-selector': '',
    });
  });

  it("polls the watering controller every 30 minutes with the tree owner's script", () => {
    const cm = at('kubernetes_config_map.saksii_poller_script');
    expect(cm.data['poll.py']).toContain(`tree-payloads/tuya-bridge/${POLLER_SCRIPT}`);
    const cj = comparable(at('kubernetes_cron_job_v1.saksii_poller'));
    expect(cj.metadata.labels).toEqual({ app: 'saksii-poller', tier: '1-cluster' });
    expect(cj.spec).toMatchObject({
      schedule: '*/30 * * * *',
      concurrency_policy: 'Forbid',
      failed_jobs_history_limit: 3,
      successful_jobs_history_limit: 1,
      starting_deadline_seconds: 300,
    });
    expect(cj.spec.job_template.metadata).toEqual({});
    const job = cj.spec.job_template.spec;
    expect([job.backoff_limit, job.ttl_seconds_after_finished]).toEqual([1, '3600']);
    expect(job.template.metadata.labels).toEqual({ app: 'saksii-poller' });
    const pod = job.template.spec;
    expect(pod.restart_policy).toBe('Never');
    expect(pod.dns_config).toEqual({ option: [{ name: 'ndots', value: '2' }] });
    expect(pod.container[0].env).toEqual([
      ref('TUYA_API_KEY', 'api_key'),
      ref('TUYA_API_SECRET', 'api_secret'),
      ref('HA_TOKEN', 'home_assistant_sofia_token'),
      { name: 'HA_URL', value: 'https://ha-sofia.viktorbarzin.me' },
      { name: 'TUYA_DEVICE_ID', value: 'bfa58e4705a6e534c0nqut' },
    ]);
    expect(pod.volume).toEqual([{ name: 'script', config_map: { name: 'saksii-poller-script' } }]);
  });
});
