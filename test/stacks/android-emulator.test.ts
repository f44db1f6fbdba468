// Parity of stacks/android-emulator with the tree's stacks/android-emulator (HEAD 0cd4afb6): every
// address the tree has is synthesized or moved, and the literal values (GPU placement included) and
// ignore_changes sets are the tree's. gate.py and the sleeper script are the tree's, read at plan time.
import { describe, expect, it } from 'vitest';
import androidEmulator, { EMULATOR_TAG, GATE_PROGRAM, NOVNC_PATHS } from '../../stacks/android-emulator';
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

const json = synthDefinition(androidEmulator);
const TREE_ADDRESSES = [
  'kubernetes_namespace.android-emulator',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.sdk',
  'kubernetes_deployment.android-emulator',
  'kubernetes_service.adb',
  'kubernetes_service.novnc',
  'module.ingress-internal-gate.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress-internal-novnc.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress-public-gate.kubernetes_ingress_v1.proxied-ingress', // proxied, not the apex: no record
  'module.ingress-public-novnc.kubernetes_ingress_v1.proxied-ingress',
  // gate.tf
  'kubernetes_service_account.gate',
  'kubernetes_role.gate',
  'kubernetes_role_binding.gate',
  'kubernetes_config_map.gate',
  'kubernetes_deployment.gate',
  'kubernetes_service.gate',
  'kubernetes_cron_job_v1.idle_sleeper',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const payload = (file: string) => `"\${path.root}/../../../tree-payloads/android-emulator/${file}"`;
const ingress = (call: string): Json => at(`module.${call}.kubernetes_ingress_v1.proxied-ingress`);
const chain = (call: string): string =>
  ingress(call).metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'];
const STAMPED = [
  'spec[0].template[0].spec[0].dns_config',
  'metadata[0].annotations["keel.sh/policy"]',
  'metadata[0].annotations["keel.sh/trigger"]',
  'metadata[0].annotations["keel.sh/pollSchedule"]',
  'metadata[0].labels["tier"]',
  'spec[0].template[0].spec[0].container[0].image',
];

describe('stack android-emulator', () => {
  it('is in the registry, with no dependencies, with pg state under schema "android-emulator"', () => {
    expect(STACKS).toContain(androidEmulator);
    expect(androidEmulator.after ?? []).toEqual([]);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'android-emulator' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('is a cluster-tier namespace outside Keel, and keeps the SDK on a plain resizable volume', () => {
    expect(comparable(at('kubernetes_namespace.android-emulator')).metadata.labels).toEqual({
      'istio-injection': 'disabled',
      tier: '1-cluster',
    });
    const pvc = comparable(at('kubernetes_persistent_volume_claim.sdk'));
    expect(pvc.metadata.annotations).toEqual({
      'resize.topolvm.io/threshold': '10%',
      'resize.topolvm.io/increase': '50%',
      'resize.topolvm.io/storage_limit': '60Gi',
    });
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm');
    expect(pvc.spec.resources).toEqual({ requests: { storage: '30Gi' } });
  });

  it('parks the emulator at zero on the GPU node with KVM, its time-slice and the boot probes', () => {
    const d = comparable(at('kubernetes_deployment.android-emulator'));
    expect(d.metadata.labels).toEqual({ app: 'android-emulator' });
    expect(d.spec.replicas).toBe('0');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = d.spec.template.spec;
    expect(pod.node_selector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.toleration).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ]);
    expect(pod.image_pull_secrets).toEqual([{ name: 'registry-credentials' }]);
    const [c] = pod.container;
    expect(EMULATOR_TAG).toBe('latest');
    expect(c.image).toBe('ghcr.io/viktorbarzin/android-emulator:latest');
    expect(c.security_context).toEqual({ privileged: true });
    expect(c.env).toEqual([{ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'all' }]);
    expect(c.resources).toEqual({
      requests: { cpu: '2', memory: '3Gi' },
      limits: { memory: '8Gi', 'nvidia.com/gpu': '1' },
    });
    const booted = {
      exec: {
        command: ['/bin/bash', '-c', '/sdk/platform-tools/adb shell getprop sys.boot_completed | grep -q 1'],
      },
    };
    expect(c.startup_probe).toEqual({ ...booted, period_seconds: 20, failure_threshold: 90 });
    expect(c.readiness_probe).toEqual({ ...booted, period_seconds: 30, failure_threshold: 3 });
    expect(c.liveness_probe).toEqual({ ...booted, period_seconds: 60, failure_threshold: 10 });
    expect(pod.volume).toEqual([
      { name: 'sdk', persistent_volume_claim: { claim_name: 'android-emulator-sdk' } },
      { name: 'kvm', host_path: { path: '/dev/kvm', type: 'CharDevice' } },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual([...STAMPED, 'spec[0].replicas'].sort());
  });

  it('publishes adb on the shared LAN MetalLB address under the legacy annotation, without labels', () => {
    expect(comparable(at('kubernetes_service.adb'))).toEqual({
      metadata: {
        name: 'android-emulator-adb',
        namespace: 'android-emulator',
        annotations: {
          'metallb.universe.tf/loadBalancerIPs': '10.0.20.200',
          'metallb.io/allow-shared-ip': 'shared',
        },
      },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'android-emulator' },
        port: [{ name: 'adb', port: 5555, target_port: '5555' }],
      },
      lifecycle: { ignore_changes: ['metadata[0].annotations["metallb.io/ip-allocated-from-pool"]'] },
    });
    expect(comparable(at('kubernetes_service.novnc')).metadata).toEqual({
      name: 'android-emulator',
      namespace: 'android-emulator',
      labels: { app: 'android-emulator' },
    });
  });

  it('lets the gate account patch only the emulator Deployment, read pods and exec into them', () => {
    expect(comparable(at('kubernetes_role.gate')).rule).toEqual([
      {
        api_groups: ['apps'],
        resources: ['deployments'],
        resource_names: ['android-emulator'],
        verbs: ['get', 'patch'],
      },
      { api_groups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { api_groups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
    expect(comparable(at('kubernetes_role_binding.gate')).subject).toEqual([
      { kind: 'ServiceAccount', name: 'android-emulator-gate', namespace: 'android-emulator' },
    ]);
  });

  it('runs the tree gate.py from its ConfigMap, rolled by its checksum', () => {
    const p = payload(GATE_PROGRAM);
    const cm = at('kubernetes_config_map.gate');
    expect(cm.data['gate.py']).toBe(`\${fileexists(${p}) ? file(${p}) : null}`);
    expect(cm.lifecycle.precondition[0].condition).toBe(`\${fileexists(${p})}`);
    const d = comparable(at('kubernetes_deployment.gate'));
    expect(d.metadata.labels).toEqual({ app: 'android-emulator-gate' });
    expect(d.spec.template.metadata.annotations).toEqual({
      'checksum/gate': `\${fileexists(${p}) ? sha1(file(${p})) : null}`,
    });
    const pod = d.spec.template.spec;
    expect(pod.service_account_name).toBe('android-emulator-gate');
    expect(pod.container[0]).toMatchObject({
      image: 'python:3.12-alpine',
      command: ['python', '/app/gate.py'],
      env: [
        { name: 'NAMESPACE', value: 'android-emulator' },
        { name: 'DEPLOYMENT', value: 'android-emulator' },
      ],
      readiness_probe: { http_get: { path: '/healthz', port: '8080' }, period_seconds: 10 },
    });
    expect(pod.volume).toEqual([{ name: 'app', config_map: { name: 'android-emulator-gate' } }]);
    expect(d.lifecycle.ignore_changes).toEqual([...STAMPED].sort());
    expect(comparable(at('kubernetes_service.gate')).metadata.labels).toBeUndefined();
  });

  it('gives the gate `/` and the emulator the noVNC paths, LAN without auth and public behind Authentik', () => {
    for (const call of ['ingress-internal-gate', 'ingress-internal-novnc']) {
      expect(ingress(call).spec.rule[0].host).toBe('android-emulator.viktorbarzin.lan');
      expect(chain(call)).toContain('traefik-local-only@kubernetescrd');
      expect(chain(call)).not.toContain('authentik');
    }
    for (const call of ['ingress-public-gate', 'ingress-public-novnc']) {
      expect(ingress(call).spec.rule[0].host).toBe('android-emulator.viktorbarzin.me');
      expect(chain(call)).toContain('traefik-authentik-forward-auth@kubernetescrd');
    }
    for (const call of ['ingress-internal-novnc', 'ingress-public-novnc']) {
      const paths = ingress(call).spec.rule[0].http.path;
      expect(paths.map((p: Json) => p.path)).toEqual(NOVNC_PATHS);
      expect(paths[0].backend.service).toEqual({ name: 'android-emulator', port: { number: 80 } });
      expect(chain(call)).not.toContain('traefik-rate-limit@kubernetescrd');
      expect(chain(call).endsWith('traefik-android-emulator-rate-limit@kubernetescrd')).toBe(true);
    }
    expect(ingress('ingress-internal-gate').spec.rule[0].http.path[0].backend.service.name).toBe(
      'android-emulator-gate',
    );
    expect(ingress('ingress-public-novnc').metadata.annotations['gethomepage.dev/enabled']).toBeUndefined();
  });

  it('sleeps the emulator with the tree heredoc every 15 minutes as the gate account', () => {
    const cj = comparable(at('kubernetes_cron_job_v1.idle_sleeper'));
    expect(cj.spec).toMatchObject({
      schedule: '*/15 * * * *',
      concurrency_policy: 'Forbid',
      successful_jobs_history_limit: 1,
      failed_jobs_history_limit: 2,
    });
    const job = cj.spec.job_template.spec;
    expect(job.backoff_limit).toBe(0);
    expect(job.ttl_seconds_after_finished).toBe('3600');
    const pod = job.template.spec;
    expect(pod.restart_policy).toBe('Never');
    expect(pod.service_account_name).toBe('android-emulator-gate');
    const h = payload('_heredoc/gate.tf/args/0');
    expect(pod.container[0]).toMatchObject({
      image: 'bitnami/kubectl:latest',
      command: ['/bin/bash', '-c'],
      args: [`\${fileexists(${h}) ? templatefile(${h}, {}) : null}`],
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    });
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'android-emulator', file: '_heredoc/gate.tf/args/0' },
      { stack: 'android-emulator', file: 'gate.py' },
    ]);
  });
});
