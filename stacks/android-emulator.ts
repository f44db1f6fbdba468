// Android emulator: one shared in-cluster Android test device. Agents drive it over adb on a LAN MetalLB
// address, people watch it through noVNC. It sleeps at zero replicas; a small wake gate (the tree's
// gate.py) owns `/` on both hostnames and scales it up on a visit, and a CronJob (the tree's heredoc)
// scales it back down after hours without user activity. Tree: stacks/android-emulator.
import { ConfigMap } from '../constructs/blocks/config-map';
import { EncryptedPvc, PLAIN_STORAGE_CLASS } from '../constructs/blocks/encrypted-pvc';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { AccessRole, Subject } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Keel, Probe, type Toleration, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc, treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's `image_tag` default: the newest build of the emulator image. */
export const EMULATOR_TAG = 'latest';
/** The noVNC asset and socket paths that bypass the gate and go straight to the emulator. */
export const NOVNC_PATHS = [
  '/vnc.html',
  '/app',
  '/core',
  '/vendor',
  '/websockify',
  '/package.json',
  '/defaults.json',
  '/mandatory.json',
];
/** The tree's wake gate program (path in the tree's stack directory). */
export const GATE_PROGRAM = 'gate.py';
const EMULATOR = 'android-emulator';
const GPU_NODE = {
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [
    { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
  ] as Toleration[],
};
/** The namespace is not Keel-enrolled, yet Kyverno stamps the tier label and the Keel annotations. */
const KYVERNO_STAMPED = [Ignore.keelAnnotations, Ignore.tierLabel, Ignore.keelImage(0)];

export default defineStack({
  name: 'android-emulator',
  description: 'Shared Android test emulator (adb on LAN, noVNC), asleep at zero until its wake gate is hit',
  build(stack) {
    const ns = new TieredNamespace(stack, 'android-emulator', { tier: Tier.CLUSTER, keelEnrolled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    // SDK, system image and AVD: all regenerable downloads, hence the plain (unencrypted) class.
    const sdkPvc = new EncryptedPvc(stack, 'sdk', {
      name: 'android-emulator-sdk',
      namespace: ns,
      storageClassName: PLAIN_STORAGE_CLASS,
      storage: '30Gi',
      storageLimit: '60Gi',
    });
    const sdk = Volume.fromPvc('sdk', sdkPvc.claimName);
    const kvm = Volume.hostPath('kvm', '/dev/kvm', { type: 'CharDevice' });
    const booted = (timing: Parameters<typeof Probe.exec>[1]) =>
      Probe.exec(
        ['/bin/bash', '-c', '/sdk/platform-tools/adb shell getprop sys.boot_completed | grep -q 1'],
        timing,
      );
    const emulator = new Deployment(stack, 'android-emulator', {
      namespace: ns,
      name: EMULATOR,
      tierLabel: false,
      keel: Keel.notEnrolled(),
      replicas: 0, // the gate and the sleeper own the count
      strategy: 'Recreate',
      ...GPU_NODE,
      imagePullSecrets: ['registry-credentials'],
      containers: [
        {
          name: 'emulator',
          image: `ghcr.io/viktorbarzin/android-emulator:${EMULATOR_TAG}`,
          securityContext: { privileged: true }, // /dev/kvm
          env: { NVIDIA_DRIVER_CAPABILITIES: 'all' }, // graphics libraries, not only compute
          ports: [
            { name: 'adb', containerPort: 5555 },
            { name: 'novnc', containerPort: 6080 },
          ],
          volumeMounts: [
            { volume: sdk, mountPath: '/sdk' },
            { volume: kvm, mountPath: '/dev/kvm' },
          ],
          resources: {
            cpuRequest: '2',
            memoryRequest: Size.gibibytes(3),
            memoryLimit: Size.gibibytes(8),
            gpu: 1,
          },
          // a first boot downloads the system image: up to 30 minutes
          startupProbe: booted({ period: Duration.seconds(20), failureThreshold: 90 }),
          readinessProbe: booted({ period: Duration.seconds(30), failureThreshold: 3 }),
          livenessProbe: booted({ period: Duration.minutes(1), failureThreshold: 10 }),
        },
      ],
      volumes: [sdk, kvm],
      ignoreChanges: [Ignore.replicas, ...KYVERNO_STAMPED],
    });
    suppressRule(
      emulator,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/android-emulator:latest (its image_tag default)',
    );
    // adb is unauthenticated: a LAN-only MetalLB address, never an ingress
    emulator.exposeViaService({
      name: 'android-emulator-adb',
      addressName: 'adb',
      labels: {},
      loadBalancer: { ip: '10.0.20.200', sharedIpKey: 'shared', legacyIpAnnotation: true },
      ports: [{ name: 'adb', port: 5555, targetPort: 5555 }],
    });
    const novnc = emulator.exposeViaService({
      name: EMULATOR,
      addressName: 'novnc',
      ports: [{ name: 'http', port: 80, targetPort: 6080 }],
    });

    // The wake gate: scales the emulator up, reads its state, and hands the browser to noVNC.
    const account = new ServiceAccount(stack, 'gate_account', {
      namespace: ns,
      name: 'android-emulator-gate',
      addressName: 'gate',
    });
    new AccessRole(stack, 'gate_role', {
      addressName: 'gate',
      name: 'android-emulator-gate',
      namespace: ns,
      rules: [
        {
          apiGroups: ['apps'],
          resources: ['deployments'],
          resourceNames: [EMULATOR],
          verbs: ['get', 'patch'],
        },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      ],
    }).grant('gate', {
      name: 'android-emulator-gate',
      subjects: [Subject.serviceAccount(account.name, ns.name)],
    });
    const program = treePayload(stack, GATE_PROGRAM);
    const programMap = new ConfigMap(stack, 'gate_program', {
      addressName: 'gate',
      namespace: ns,
      name: 'android-emulator-gate',
      data: { [GATE_PROGRAM]: program.content },
      payloads: [program],
    });
    const app = Volume.fromConfigMap('app', programMap.name);
    const gate = new Deployment(stack, 'gate', {
      namespace: ns,
      name: 'android-emulator-gate',
      tierLabel: false,
      keel: Keel.notEnrolled(),
      // a new program rolls the pod
      podAnnotations: {
        'checksum/gate': program.sha1,
      },
      serviceAccountName: account.name,
      containers: [
        {
          name: 'gate',
          image: 'python:3.12-alpine',
          command: ['python', `/app/${GATE_PROGRAM}`],
          env: { NAMESPACE: ns.name, DEPLOYMENT: EMULATOR },
          ports: [8080],
          volumeMounts: [{ volume: app, mountPath: '/app' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(64),
          },
          readinessProbe: Probe.httpGet('/healthz', 8080, { period: Duration.seconds(10) }),
        },
      ],
      volumes: [app],
      ignoreChanges: KYVERNO_STAMPED,
    });
    const gateService = gate.exposeViaService({
      labels: {},
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });

    // Same layout on both hostnames: the gate owns `/`, the noVNC paths go to the emulator. LAN: no auth,
    // local-only (agents); public: Authentik (people). noVNC's parallel module loads need their own limiter.
    const novncLimiter = {
      skipDefaultRateLimit: true,
      extraMiddlewares: ['traefik-android-emulator-rate-limit@kubernetescrd'],
    };
    const lan = {
      namespace: ns,
      auth: IngressAuth.NONE,
      rootDomain: 'viktorbarzin.lan',
      allowLocalAccessOnly: true,
      extraAnnotations: { 'gethomepage.dev/enabled': 'false' },
    };
    new IngressFactory(stack, 'ingress-internal-gate', {
      ...lan,
      name: EMULATOR,
      service: gateService,
      legacyAddress: 'module.ingress-internal-gate',
    });
    new IngressFactory(stack, 'ingress-internal-novnc', {
      ...lan,
      ...novncLimiter,
      name: 'android-emulator-novnc',
      host: EMULATOR,
      service: novnc,
      ingressPath: NOVNC_PATHS,
      legacyAddress: 'module.ingress-internal-novnc',
    });
    new IngressFactory(stack, 'ingress-public-gate', {
      name: 'android-emulator-public',
      host: EMULATOR,
      namespace: ns,
      service: gateService,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/description': 'Shared Android testing instance (adb + noVNC)',
        'gethomepage.dev/icon': 'android.png',
        'gethomepage.dev/name': 'Android Emulator',
      },
      legacyAddress: 'module.ingress-public-gate',
    });
    new IngressFactory(stack, 'ingress-public-novnc', {
      ...novncLimiter,
      name: 'android-emulator-public-novnc',
      host: EMULATOR,
      namespace: ns,
      service: novnc,
      ingressPath: NOVNC_PATHS,
      homepageEnabled: false,
      legacyAddress: 'module.ingress-public-novnc',
    });

    // The sleeper: the tree's script (a heredoc of its gate.tf) with the gate's account.
    const sleeper = treeHeredoc(stack, 'args', { file: 'gate.tf' });
    const idle = new CronJob(stack, 'idle_sleeper', {
      namespace: ns,
      name: 'android-emulator-idle-sleeper',
      schedule: '*/15 * * * *',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 2,
      backoffLimit: 0,
      ttlAfterFinished: Duration.hours(1),
      restartPolicy: 'Never',
      serviceAccountName: account.name,
      containers: [
        {
          name: 'sleeper',
          image: 'bitnami/kubectl:latest',
          command: ['/bin/bash', '-c'],
          args: [sleeper.content],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(128),
          },
        },
      ],
    });
    sleeper.guard(idle);
    suppressRule(idle, 'images-pinned', 'tree parity: the tree runs bitnami/kubectl:latest');
  },
});
