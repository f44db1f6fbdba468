import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHATTERBOX_TTS, ttsClientEnv } from '../../constructs/patterns/gpu-gated-tts';
import { readScript } from '../../lib/core/paths';
import { terraformLiteral, terraformUnescape } from '../../lib/terraform/tf-literal';
import { tool } from '../support/tools';
import { STACKS } from '../../stacks/index';
import tts from '../../stacks/tts';
import { run } from '../support/fakes';
import { forEachInstances, instanceAddresses } from '../support/for-each';
import { moves, resolveNames, resource, synthDefinition, type Json, type TfJson } from '../support/synth';

const json: TfJson = synthDefinition(tts);
const text = JSON.stringify(json);
const r = (type: string, name: string) => resolveNames(json, resource(json, type, name));
const cronJobs = forEachInstances(json, 'kubernetes_cron_job_v1', 'offpeak');

// stacks/tts/main.tf at the tree's HEAD: every address in its state.
const TREE_ADDRESSES = [
  'kubernetes_namespace.tts',
  'module.nfs_models.kubernetes_persistent_volume.this',
  'module.nfs_models.kubernetes_persistent_volume_claim.this',
  'kubernetes_job.models_dir_init',
  'data.vault_kv_secret_v2.viktor',
  'kubernetes_secret.ghcr_credentials',
  'kubernetes_config_map.chatterbox_config',
  'kubernetes_deployment.chatterbox',
  'kubernetes_service.chatterbox',
  'kubernetes_service_account.offpeak',
  'kubernetes_role.offpeak',
  'kubernetes_role_binding.offpeak',
  'kubernetes_cron_job_v1.offpeak["chatterbox-window-up"]',
  'kubernetes_cron_job_v1.offpeak["chatterbox-window-down"]',
  'kubernetes_cron_job_v1.offpeak["chatterbox-vram-guard"]',
  'kubernetes_cron_job_v1.offpeak["chatterbox-demand-gate"]',
];

const SCRIPTS = ['vram-gate.sh', 'seed-stem-voices.sh'];

/** The JSON with embedded scripts replaced by their file names: their text is checked separately. */
function withScriptPlaceholders(value: TfJson): TfJson {
  let out = JSON.stringify(value);
  for (const name of SCRIPTS) {
    out = out
      .split(JSON.stringify(terraformLiteral(readScript(name))))
      .join(JSON.stringify(`<scripts/${name}>`));
  }
  return JSON.parse(out) as TfJson;
}

describe('stack tts', () => {
  it('matches the snapshot (scripts by name)', () => {
    expect(withScriptPlaceholders(json)).toMatchSnapshot();
  });

  it('is registered, after platform and vault (the tree terragrunt dependencies)', () => {
    expect(STACKS).toContain(tts);
    expect(tts.after).toEqual(['platform', 'vault']);
  });
});

describe('stack tts: parity with the tree', () => {
  it('has every tree address, the CronJobs at their exact for_each keys, nothing else', () => {
    const have = instanceAddresses(json);
    const moved = moves(json);
    const missing = TREE_ADDRESSES.filter((a) => !have.has(a) && !(moved.has(a) && have.has(moved.get(a)!)));
    expect(missing).toEqual([]);
    const expected = TREE_ADDRESSES.map((a) => moved.get(a) ?? a);
    expect([...have].sort()).toEqual([...expected].sort());
  });

  it('moves only the nfs_volume module resources', () => {
    expect(Object.fromEntries(moves(json))).toEqual({
      'module.nfs_models.kubernetes_persistent_volume.this': 'kubernetes_persistent_volume.nfs_models',
      'module.nfs_models.kubernetes_persistent_volume_claim.this':
        'kubernetes_persistent_volume_claim.nfs_models',
    });
  });

  it('namespace tts: tier 2-gpu, istio off, Keel-enrolled, Goldilocks label ignored', () => {
    const ns = r('kubernetes_namespace', 'tts');
    expect(ns.metadata).toEqual({
      name: 'tts',
      labels: { tier: '2-gpu', 'istio-injection': 'disabled', 'keel.sh/enrolled': 'true' },
    });
    expect(ns.lifecycle.ignore_changes).toEqual([
      'metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]',
    ]);
  });

  it('models volume: chatterbox-models, 20Gi, /srv/nfs-ssd/chatterbox on 192.168.1.127', () => {
    const pv = r('kubernetes_persistent_volume', 'nfs_models');
    expect(pv.metadata.name).toBe('chatterbox-models');
    expect(pv.spec[0].capacity).toEqual({ storage: '20Gi' });
    expect(pv.spec[0].persistent_volume_source.csi.volume_attributes).toEqual({
      server: '192.168.1.127',
      share: '/srv/nfs-ssd/chatterbox',
    });
    const pvc = r('kubernetes_persistent_volume_claim', 'nfs_models');
    expect(pvc.metadata).toEqual({ name: 'chatterbox-models', namespace: 'tts' });
    expect(pvc.spec.resources.requests).toEqual({ storage: '20Gi' });
  });

  it('models-dir init Job', () => {
    const job = r('kubernetes_job', 'models_dir_init');
    expect(job.metadata).toEqual({
      name: 'chatterbox-models-dir-init',
      namespace: 'tts',
      labels: { app: 'chatterbox-tts' },
    });
    expect(job.spec.backoff_limit).toBe(3);
    expect(job.spec.ttl_seconds_after_finished).toBe('86400');
    expect(job.spec.template.metadata.labels).toEqual({ app: 'chatterbox-tts' });
    expect(job.spec.template.spec.restart_policy).toBe('Never');
    expect(job.spec.template.spec.container).toEqual([
      {
        name: 'mkdir',
        image: 'busybox:1.37',
        command: [
          'sh',
          '-c',
          'mkdir -p /mnt/chatterbox/hf_cache /mnt/chatterbox/reference_audio && ls -la /mnt/chatterbox',
        ],
        volume_mount: [{ name: 'nfs-ssd-root', mount_path: '/mnt' }],
      },
    ]);
    expect(job.spec.template.spec.volume).toEqual([
      { name: 'nfs-ssd-root', nfs: { server: '192.168.1.127', path: '/srv/nfs-ssd' } },
    ]);
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts).toEqual({ create: '3m' });
    expect(job.lifecycle.ignore_changes).toEqual(['spec[0].template[0].spec[0].dns_config']);
  });

  it('Vault data source secret/viktor', () => {
    expect(json.data?.vault_kv_secret_v2?.viktor).toEqual({ mount: 'secret', name: 'viktor' });
  });

  it('GHCR pull secret: dockerconfigjson built at plan time from the Vault PAT', () => {
    const s = r('kubernetes_secret', 'ghcr_credentials');
    expect(s.metadata).toEqual({ name: 'ghcr-credentials', namespace: 'tts' });
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    const pat = 'data.vault_kv_secret_v2.viktor.data["github_pat"]';
    expect(s.data).toEqual({
      '.dockerconfigjson':
        `\${jsonencode({"auths" = {"ghcr.io" = {"username" = "ViktorBarzin", "password" = ${pat}, ` +
        `"auth" = base64encode(join(":", ["ViktorBarzin", ${pat}]))}}})}`,
    });
  });

  it('config map chatterbox-config: the tree config.yaml, byte for byte', () => {
    const cm = r('kubernetes_config_map', 'chatterbox_config');
    expect(cm.metadata).toEqual({
      name: 'chatterbox-config',
      namespace: 'tts',
      labels: { app: 'chatterbox-tts' },
    });
    expect(terraformUnescape(cm.data['config.yaml'])).toBe(
      [
        '"model":',
        '  "repo_id": "chatterbox-multilingual"',
        '"server":',
        '  "host": "0.0.0.0"',
        '  "port": 8004',
        '"tts_engine":',
        '  "device": "cuda"',
        '  "predefined_voices_path": "/app/voices"',
        '  "reference_audio_path": "/data/reference_audio"',
        '',
      ].join('\n'),
    );
  });

  describe('deployment chatterbox-tts', () => {
    const d = r('kubernetes_deployment', 'chatterbox');
    const pod = d.spec.template.spec;
    const c = pod.container[0];

    it('metadata, replicas, strategy, selector, rollout', () => {
      expect(d.metadata).toEqual({
        name: 'chatterbox-tts',
        namespace: 'tts',
        labels: { app: 'chatterbox-tts', tier: '2-gpu' },
      });
      expect(d.wait_for_rollout).toBe(false);
      expect(d.spec.replicas).toBe('0');
      expect(d.spec.strategy).toEqual({ type: 'Recreate' });
      expect(d.spec.selector).toEqual({ match_labels: { app: 'chatterbox-tts' } });
      expect(d.spec.template.metadata).toEqual({
        labels: { app: 'chatterbox-tts' },
        // sha256(local.chatterbox_config) as Terraform computes it for the tree.
        annotations: {
          'checksum/config': '67d11222a49053d0bb0a43f3137f2246779795a09f368d84946707347d734931',
        },
      });
    });

    it('scheduling: GPU node, toleration, tier-2-gpu priority, pull secrets', () => {
      expect(pod.node_selector).toEqual({ 'nvidia.com/gpu.present': 'true' });
      expect(pod.toleration).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      ]);
      expect(pod.priority_class_name).toBe('tier-2-gpu');
      expect(pod.image_pull_secrets).toEqual([
        { name: 'registry-credentials' },
        { name: 'ghcr-credentials' },
      ]);
    });

    it('init container seed-stem-voices runs payloads/seed-stem-voices.sh with the same image', () => {
      expect(pod.init_container).toHaveLength(1);
      const init = pod.init_container[0];
      expect(init.name).toBe('seed-stem-voices');
      expect(init.image).toBe('ghcr.io/viktorbarzin/chatterbox-tts:915ae289');
      expect(init.command.slice(0, 2)).toEqual(['sh', '-c']);
      expect(terraformUnescape(init.command[2])).toBe(readScript('seed-stem-voices.sh'));
      expect(init.volume_mount).toEqual([{ name: 'models', mount_path: '/data' }]);
    });

    it('container: image, port, env (names and order), mounts, probes, resources', () => {
      expect(c.name).toBe('chatterbox-tts');
      expect(c.image).toBe('ghcr.io/viktorbarzin/chatterbox-tts:915ae289');
      expect(c.port).toEqual([{ container_port: 8004, name: 'http' }]);
      expect(c.env).toEqual([
        { name: 'TTS_BF16', value: 'off' },
        { name: 'HF_HOME', value: '/data/hf_cache' },
        { name: 'HF_HUB_CACHE', value: '/data/hf_cache' },
      ]);
      expect(c.volume_mount).toEqual([
        { name: 'config', mount_path: '/app/config.yaml', sub_path: 'config.yaml' },
        { name: 'models', mount_path: '/data' },
      ]);
      expect(c.readiness_probe).toEqual({
        tcp_socket: [{ port: '8004' }],
        initial_delay_seconds: 20,
        period_seconds: 15,
        failure_threshold: 12,
      });
      expect(c.liveness_probe).toEqual({
        tcp_socket: [{ port: '8004' }],
        initial_delay_seconds: 120,
        period_seconds: 30,
        failure_threshold: 5,
      });
      expect(c.resources).toEqual({
        requests: { cpu: '200m', memory: '2Gi' },
        limits: { memory: '8Gi', 'nvidia.com/gpu': '1' },
      });
      expect(pod.volume).toEqual([
        { name: 'config', config_map: { name: 'chatterbox-config' } },
        { name: 'models', persistent_volume_claim: { claim_name: 'chatterbox-models' } },
      ]);
    });

    it('ignore_changes: the tree set', () => {
      expect(new Set(d.lifecycle.ignore_changes)).toEqual(
        new Set([
          'spec[0].replicas',
          'spec[0].template[0].spec[0].dns_config',
          'metadata[0].annotations["keel.sh/match-tag"]',
          'metadata[0].annotations["keel.sh/policy"]',
          'metadata[0].annotations["keel.sh/trigger"]',
          'metadata[0].annotations["keel.sh/pollSchedule"]',
          'metadata[0].annotations["kubernetes.io/change-cause"]',
          'metadata[0].annotations["deployment.kubernetes.io/revision"]',
          'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
          'spec[0].template[0].spec[0].container[0].image',
        ]),
      );
      expect(d.lifecycle.ignore_changes).toHaveLength(10);
    });
  });

  it('service chatterbox-tts: ClusterIP 8000 -> 8004 with the Prometheus annotations', () => {
    const s = r('kubernetes_service', 'chatterbox');
    expect(s.metadata).toEqual({
      name: 'chatterbox-tts',
      namespace: 'tts',
      labels: { app: 'chatterbox-tts' },
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/path': '/v1/audio/voices',
        'prometheus.io/port': '8000',
      },
    });
    expect(s.spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'chatterbox-tts' },
      port: [{ name: 'http', port: 8000, target_port: '8004' }],
    });
  });

  it('gate RBAC: chatterbox-offpeak ServiceAccount, Role and RoleBinding', () => {
    expect(r('kubernetes_service_account', 'offpeak').metadata).toEqual({
      name: 'chatterbox-offpeak',
      namespace: 'tts',
    });
    const role = r('kubernetes_role', 'offpeak');
    expect(role.metadata).toEqual({ name: 'chatterbox-offpeak', namespace: 'tts' });
    expect(role.rule).toEqual([
      { api_groups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['get', 'patch'] },
    ]);
    const rb = r('kubernetes_role_binding', 'offpeak');
    expect(rb.metadata).toEqual({ name: 'chatterbox-offpeak', namespace: 'tts' });
    expect(rb.role_ref).toEqual({
      api_group: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'chatterbox-offpeak',
    });
    expect(rb.subject).toEqual([{ kind: 'ServiceAccount', name: 'chatterbox-offpeak', namespace: 'tts' }]);
  });

  describe('gate CronJobs', () => {
    const TREE: Record<string, [schedule: string, action: string]> = {
      'chatterbox-window-up': ['0 2 * * *', 'up'],
      'chatterbox-window-down': ['0 6 * * *', 'down'],
      'chatterbox-vram-guard': ['*/5 * * * *', 'guard'],
      'chatterbox-demand-gate': ['*/3 * * * *', 'demand'],
    };

    it.each(Object.entries(TREE))('%s', (key, [schedule, action]) => {
      const j = resolveNames(json, cronJobs.get(key) as Json);
      expect(j.metadata).toEqual({ name: key, namespace: 'tts', labels: { app: 'chatterbox-tts' } });
      expect(j.spec).toMatchObject({
        schedule,
        suspend: true, // chatterbox_scheduling_enabled = false
        timezone: 'Europe/London',
        concurrency_policy: 'Forbid',
        starting_deadline_seconds: 120,
        successful_jobs_history_limit: 1,
        failed_jobs_history_limit: 3,
      });
      const job = j.spec.job_template;
      expect(job.metadata).toEqual({ labels: { app: 'chatterbox-tts' } });
      expect(job.spec).toMatchObject({
        backoff_limit: 1,
        active_deadline_seconds: 120,
        ttl_seconds_after_finished: '300',
      });
      expect(job.spec.template.metadata).toEqual({ labels: { app: 'chatterbox-tts' } });
      expect(job.spec.template.spec.service_account_name).toBe('chatterbox-offpeak');
      expect(job.spec.template.spec.restart_policy).toBe('Never');
      const c = job.spec.template.spec.container;
      expect(c).toHaveLength(1);
      expect(c[0].name).toBe('vram-gate');
      expect(c[0].image).toBe('bitnami/kubectl:latest');
      expect(c[0].command.slice(0, 2)).toEqual(['/bin/bash', '-c']);
      expect(terraformUnescape(c[0].command[2])).toBe(readScript('vram-gate.sh'));
      // The tree's four variables first, in its order; then the explicit scale target.
      expect(c[0].env).toEqual([
        { name: 'ACTION', value: action },
        { name: 'FLOOR', value: '6442450944' },
        { name: 'GPU_TOTAL', value: '17179869184' },
        { name: 'QUEUE_URL', value: 'http://tripit.tripit.svc.cluster.local:8080/api/tour/tts-queue' },
        { name: 'NAMESPACE', value: 'tts' },
        { name: 'DEPLOYMENT', value: 'chatterbox-tts' },
      ]);
      expect(c[0].resources).toEqual({
        requests: { cpu: '20m', memory: '64Mi' },
        limits: { memory: '128Mi' },
      });
      expect(j.lifecycle.ignore_changes).toEqual([
        'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
      ]);
    });

    it('are exactly those four', () => {
      expect([...cronJobs.keys()].sort()).toEqual(Object.keys(TREE).sort());
    });
  });
});

describe('stack tts: contracts for neighbours', () => {
  it('its Service answers at the address tripit is given', () => {
    const s = r('kubernetes_service', 'chatterbox');
    const env = ttsClientEnv(CHATTERBOX_TTS);
    expect(env.TTS_BASE_URL).toBe(
      `http://${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local:${s.spec.port[0].port}`,
    );
    expect(env).toEqual({
      TTS_MODE: 'openai_compatible',
      TTS_BASE_URL: 'http://chatterbox-tts.tts.svc.cluster.local:8000',
      TTS_MODEL: 'chatterbox',
    });
  });

  it('the GPU-priority exclusion is the namespace its pods run in', () => {
    expect(r('kubernetes_deployment', 'chatterbox').metadata.namespace).toBe(CHATTERBOX_TTS.namespace);
  });
});

describe('stack tts: no secret values', () => {
  it('contains no key material or token literal', () => {
    expect(text).not.toContain('-----BEGIN');
    expect(text).not.toMatch(/gh[pousr]_[A-Za-z0-9]{20,}/);
    expect(text).not.toMatch(/github_pat_[A-Za-z0-9_]{20,}/);
    // base64 of "ViktorBarzin:" would start every precomputed auth value.
    expect(text).not.toContain('VmlrdG9yQmFyemlu');
  });

  it('reads the PAT only through the Vault data source', () => {
    const refs = text.match(/github_pat[^\]]*\]/g) ?? [];
    expect(refs.length).toBe(2);
    for (const ref of refs) expect(ref).toBe('github_pat\\"]');
    expect(text.match(/data\.vault_kv_secret_v2\.viktor\.data\[\\"github_pat\\"\]/g)).toHaveLength(2);
  });

  // terraform is required (test/support/global-setup.ts preflight): never skipped.
  const terraform = tool('terraform');
  it('the dockerconfigjson expression evaluates to the registry JSON (terraform)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ghcr-'));
    try {
      const expr = r('kubernetes_secret', 'ghcr_credentials').data['.dockerconfigjson'].replace(
        /data\.vault_kv_secret_v2\.viktor\.data\["github_pat"\]/g,
        'local.pat',
      );
      const pat = 'p"a\\t:${x}';
      fs.writeFileSync(
        path.join(dir, 'main.tf.json'),
        JSON.stringify({ locals: { pat: terraformLiteral(pat) }, output: { j: { value: expr } } }),
      );
      const env = { CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
      const apply = await run([terraform, 'apply', '-auto-approve', '-no-color', '-input=false'], {
        cwd: dir,
        env,
      });
      expect(apply.code, apply.stderr).toBe(0);
      const out = await run([terraform, 'output', '-raw', 'j'], { cwd: dir, env });
      expect(JSON.parse(out.stdout)).toEqual({
        auths: {
          'ghcr.io': {
            username: 'ViktorBarzin',
            password: pat,
            auth: Buffer.from(`ViktorBarzin:${pat}`).toString('base64'),
          },
        },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
