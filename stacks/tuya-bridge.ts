// Tuya bridge: the owner's HTTP API over the Tuya cloud for Home Assistant and other automations (they
// send SERVICE_API_KEY; no Authentik, they cannot follow its redirects). A CronJob reuses the bridge image
// to run the tree owner's saksii_poller.py (stacks/tuya-bridge/files, read at plan time), which copies a
// watering controller's schedule into ha-sofia. Tree: stacks/tuya-bridge.
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Probe, Volume } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's image_tag default: CI sets the live tag (`kubectl set image`), Terraform ignores it. */
export const IMAGE_TAG = 'latest';
const IMAGE = 'ghcr.io/viktorbarzin/tuya_bridge';
/** The tree's poller script (path in the tree's stack directory). */
export const POLLER_SCRIPT = 'files/saksii_poller.py';

const SECRETS = 'tuya-bridge-secrets';
const secretKey = (key: string) => ({ secretName: SECRETS, key });
const PULL_SECRETS = ['registry-credentials', 'ghcr-credentials'];

export default defineStack({
  name: 'tuya-bridge',
  description: 'Tuya cloud bridge API for home automations, plus a plant-watering schedule poller',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'tuya-bridge', { tier: Tier.CLUSTER });
    new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns.byLiteralName,
      extractPaths: ['tuya-bridge'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const health = (initialDelay: number, period: number, failureThreshold: number) =>
      Probe.httpGet('/health', 8080, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
        timeout: Duration.seconds(5),
        failureThreshold,
      });
    const bridge = new Deployment(stack, 'tuya-bridge', {
      namespace: ns,
      name: 'tuya-bridge',
      annotations: reloader('auto'),
      imagePullSecrets: PULL_SECRETS,
      containers: [
        {
          name: 'tuya-bridge',
          image: `${IMAGE}:${IMAGE_TAG}`,
          imagePullPolicy: 'IfNotPresent',
          ports: [8080],
          env: {
            TINYTUYA_API_KEY: secretKey('api_key'),
            TINYTUYA_API_SECRET: secretKey('api_secret'),
            SERVICE_API_KEY: secretKey('service_secret'), // what callers of the API present
            SLACK_URL: secretKey('slack_url'),
          },
          livenessProbe: health(60, 30, 6),
          readinessProbe: health(10, 15, 2),
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'tuya-bridge',
      namespace: ns,
      service: bridge.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
      auth: IngressAuth.NONE, // API clients authenticate with SERVICE_API_KEY
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Tuya Bridge',
        'gethomepage.dev/description': 'Smart device bridge',
        'gethomepage.dev/icon': 'mdi-home-automation',
        'gethomepage.dev/group': 'Smart Home',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });

    const pollerFile = treePayload(stack, POLLER_SCRIPT);
    const pollerScript = new ConfigMap(stack, 'saksii_poller_script', {
      namespace: ns,
      name: 'saksii-poller-script',
      data: { 'poll.py': pollerFile.content },
      payloads: [pollerFile],
    });
    const script = Volume.fromConfigMap('script', pollerScript.name);
    const poller = new CronJob(stack, 'saksii_poller', {
      namespace: ns,
      name: 'saksii-poller',
      labels: { app: 'saksii-poller', tier: ns.tier },
      podLabels: { app: 'saksii-poller' },
      schedule: '*/30 * * * *',
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 1,
      startingDeadline: Duration.minutes(5),
      backoffLimit: 1,
      ttlAfterFinished: Duration.hours(1),
      restartPolicy: 'Never',
      imagePullSecrets: PULL_SECRETS,
      dnsOptions: { ndots: '2' },
      containers: [
        {
          name: 'saksii-poller',
          image: `${IMAGE}:latest`, // the bridge image already has tinytuya and requests
          imagePullPolicy: 'Always',
          command: ['python3', '/scripts/poll.py'],
          env: {
            TUYA_API_KEY: secretKey('api_key'),
            TUYA_API_SECRET: secretKey('api_secret'),
            HA_TOKEN: secretKey('home_assistant_sofia_token'),
            HA_URL: 'https://ha-sofia.viktorbarzin.me',
            TUYA_DEVICE_ID: 'bfa58e4705a6e534c0nqut',
          },
          volumeMounts: [{ volume: script, mountPath: '/scripts', readOnly: true }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(128),
          },
        },
      ],
      volumes: [script],
    });
    for (const workload of [bridge, poller])
      suppressRule(
        workload,
        'images-pinned',
        `tree parity: the tree runs ${IMAGE}:latest; Keel tracks the tag`,
      );
  },
});
