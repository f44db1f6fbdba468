// kms: a vlmcsd Windows/Office KMS activation server on its own MetalLB IP, with a Slack notifier sidecar
// that tails its log, plus the kms website (behind Anubis) that serves the PowerShell activators and an
// anonymous diagnostics collector for them. The two Python programs are the tree owner's
// (stacks/kms/files/), read at plan time as tree payloads. Tree: stacks/kms.
import { ConfigMap } from '../constructs/blocks/config-map';
import { DnsRecord } from '../constructs/blocks/dns-record';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { AnubisSite } from '../constructs/patterns/anubis-site';
import { Ignore } from '../lib/conventions/lifecycle';
import { homepage } from '../lib/conventions/metadata';
import { fixedMemory } from '../lib/conventions/resources';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { treePayload } from '../lib/terraform/tree-payload';

/** The tree owner's programs (paths in the tree's stack directory). */
export const DIAG_COLLECTOR = 'files/diag-collector.py';
export const SLACK_NOTIFIER = 'files/slack-notifier.py';
/** The vlmcsd Service's own MetalLB IP: not shared, so `Local` traffic policy keeps client IPs in the log. */
export const KMS_IP = '10.0.20.202';
const HOST = 'kms.viktorbarzin.me';
const CLUSTER_SERVICE = { 'kubernetes.io/cluster-service': 'true' };

export default defineStack({
  name: 'kms',
  description:
    'vlmcsd KMS activation server on a MetalLB IP, Slack notifier; activation website behind Anubis',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'kms', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const smallPython = {
      cpuRequest: '5m',
      memoryRequest: Size.mebibytes(48),
      memoryLimit: Size.mebibytes(64),
    };

    // The website: static pages and the activator scripts (CI rolls the tag with kubectl set image).
    const web = new Deployment(stack, 'kms-web-page', {
      namespace: ns,
      name: 'kms-web-page',
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.keelImage(0), Ignore.keelAnnotations, Ignore.keelUpdateTime],
      labels: CLUSTER_SERVICE,
      podLabels: CLUSTER_SERVICE,
      imagePullSecrets: ['registry-credentials'],
      containers: [
        {
          name: 'kms-web-page',
          image: 'ghcr.io/viktorbarzin/kms-website:latest',
          imagePullPolicy: 'IfNotPresent',
          resources: fixedMemory('10m', Size.mebibytes(64)),
          ports: [{ containerPort: 80, protocol: 'TCP' }],
        },
      ],
    });
    suppressRule(web, 'images-pinned', 'tree parity: the tree runs kms-website:latest; CI sets the live tag');
    const webService = web.exposeViaService({
      name: 'kms',
      ports: [{ port: 80, protocol: 'TCP', writeTargetPort: false }],
    });
    new AnubisSite(stack, 'anubis', {
      name: 'kms',
      namespace: ns,
      backend: webService,
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/8',
      ingress: {
        dnsType: DnsType.NON_PROXIED,
        extraMiddlewares: ['traefik-x402@kubernetescrd'],
        extraAnnotations: homepage('KMS', 'License activation server', 'microsoft.png', 'Other'),
        legacyAddress: 'module.ingress',
      },
      // PowerShell `iwr | iex` and the key list it fetches: non-JS clients cannot solve the challenge
      directPaths: ['/scripts', '/keys.json'],
      directIngress: { name: 'kms-scripts', legacyAddress: 'module.ingress_scripts' },
      legacyAddress: 'module.anubis',
    });

    // Anonymous diagnostics the activators POST; the collector logs them to stdout (Loki).
    const collector = treePayload(stack, DIAG_COLLECTOR);
    const collectorConfig = new ConfigMap(stack, 'kms_diag_collector', {
      namespace: ns,
      name: 'kms-diag-collector',
      data: { 'diag-collector.py': collector.content },
      payloads: [collector],
    });
    const collectorScript = Volume.fromConfigMap('diag-collector-script', collectorConfig.name);
    const diag = new Deployment(stack, 'kms_diag', {
      namespace: ns,
      name: 'kms-diag',
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.keelAnnotations, Ignore.keelUpdateTime, Ignore.keelImage(0)],
      podAnnotations: { 'checksum/collector': collector.sha1 },
      volumes: [collectorScript],
      containers: [
        {
          name: 'diag-collector',
          image: 'python:3.12-alpine',
          command: ['python3', '/app/diag-collector.py'],
          resources: smallPython,
          ports: [9102],
          volumeMounts: [{ volume: collectorScript, mountPath: '/app', readOnly: true }],
        },
      ],
    });
    collector.guard(diag);
    // Same reason as /scripts: a POST from PowerShell cannot pass Anubis, so /diag goes straight in.
    new IngressFactory(stack, 'ingress_diag', {
      name: 'kms-diag',
      namespace: ns,
      service: diag.exposeViaService({ ports: [{ port: 9102, protocol: 'TCP', writeTargetPort: false }] }),
      auth: IngressAuth.NONE,
      fullHost: HOST, // the website's host: a derived kms-diag host would never match
      ingressPath: ['/diag'],
      dnsType: DnsType.NONE,
      homepageEnabled: false,
      antiAiScraping: false,
      legacyAddress: 'module.ingress_diag',
    });

    // The KMS endpoint name for clients: A only (the IPv6 tunnel does not forward 1688), not proxied
    // (raw TCP), to the public IP that pfSense forwards to the vlmcsd IP.
    new DnsRecord(stack, 'vlmcs', { name: 'vlmcs', type: 'A', content: '176.12.22.76' });

    // The KMS server: vlmcsd logs every activation; the sidecar posts them to Slack (deduplicated)
    // and exposes Prometheus metrics.
    const notifier = treePayload(stack, SLACK_NOTIFIER);
    const notifierConfig = new ConfigMap(stack, 'kms_slack_notifier', {
      namespace: ns,
      name: 'kms-slack-notifier',
      data: { 'notifier.py': notifier.content },
      payloads: [notifier],
    });
    const webhook = new ExternalSecret(stack, 'kms_slack_external_secret', {
      name: 'kms-slack-webhook',
      namespace: ns,
      creationPolicy: 'Owner',
      data: [{ secretKey: 'url', vault: { path: 'kms', property: 'slack_webhook_url' } }],
    });
    const log = Volume.emptyDir('vlmcsd-log');
    const notifierScript = Volume.fromConfigMap('slack-notifier-script', notifierConfig.name);
    const kms = new Deployment(stack, 'windows_kms', {
      namespace: ns,
      name: 'kms',
      selector: { app: 'kms-service' },
      podAnnotations: {
        'checksum/notifier': notifier.sha1,
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9101',
        'prometheus.io/path': '/metrics',
      },
      volumes: [log, notifierScript],
      containers: [
        {
          name: 'windows-kms',
          image: 'kebe/vlmcsd:latest',
          command: ['/usr/bin/vlmcsd'],
          args: ['-D', '-v', '-l', '/var/log/vlmcsd/vlmcsd.log'],
          resources: fixedMemory('10m', Size.mebibytes(64)),
          ports: [1688],
          // Ready only once 1688 listens: with Local traffic policy MetalLB announces from Ready pods only
          readinessProbe: Probe.tcpSocket(1688, {
            initialDelay: Duration.seconds(1),
            period: Duration.seconds(5),
            failureThreshold: 3,
          }),
          livenessProbe: Probe.tcpSocket(1688, {
            initialDelay: Duration.seconds(5),
            period: Duration.seconds(30),
            failureThreshold: 3,
          }),
          volumeMounts: [{ volume: log, mountPath: '/var/log/vlmcsd' }],
        },
        {
          name: 'slack-notifier',
          image: 'python:3.12-alpine',
          command: ['python3', '-u', '/scripts/notifier.py'],
          env: {
            VLMCSD_LOG: '/var/log/vlmcsd/vlmcsd.log',
            SLACK_CHANNEL: '#alerts',
            DEDUP_WINDOW_SECONDS: '3600',
            SLACK_WEBHOOK_URL: { secretName: 'kms-slack-webhook', key: 'url' },
          },
          ports: [{ containerPort: 9101, name: 'metrics' }],
          resources: smallPython,
          volumeMounts: [
            { volume: log, mountPath: '/var/log/vlmcsd', readOnly: true },
            { volume: notifierScript, mountPath: '/scripts', readOnly: true },
          ],
        },
      ],
      dependsOn: [webhook.resource],
    });
    notifier.guard(kms);
    suppressRule(kms, 'images-pinned', 'tree parity: the tree runs kebe/vlmcsd:latest; Keel tracks the tag');
    kms.exposeViaService({
      name: 'windows-kms',
      loadBalancer: { ip: KMS_IP, externalTrafficPolicy: 'Local' },
      ports: [{ port: 1688, writeTargetPort: false }],
    });
  },
});
