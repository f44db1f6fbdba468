// poison-fountain: an AI-scraper trap at poison.viktorbarzin.me. A small Python server drips cached
// poisoned pages slowly to crawlers; a CronJob refills the cache on NFS every six hours. The server and
// the fetcher script are the tree owner's (stacks/poison-fountain/app/*), read at plan time as tree
// payloads. The Deployment is scaled to 0 in the tree. Tree: stacks/poison-fountain.
import { ConfigMap } from '../constructs/blocks/config-map';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Probe, Volume } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's payloads (paths in the tree's stack directory). */
export const SERVER_PY = 'app/server.py';
export const FETCH_SCRIPT = 'app/fetch-poison.sh';

export default defineStack({
  name: 'poison-fountain',
  description:
    'AI-scraper trap (slow-drip poisoned pages) on poison, cache refilled by a CronJob; scaled to 0',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'poison_fountain', { name: 'poison-fountain', tier: Tier.CLUSTER });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const nfs = new NfsVolume(stack, 'nfs_data_host', {
      name: 'poison-fountain-data-host',
      namespace: ns,
      nfsPath: '/srv/nfs/poison-fountain',
      legacyAddress: 'module.nfs_data_host',
    });
    const data = Volume.fromPvc('data', nfs.claimName);

    // One-file ConfigMaps of the tree's payloads, mounted where the pods run them.
    const payloadMap = (id: string, name: string, key: string, file: string) => {
      const payload = treePayload(stack, file);
      return new ConfigMap(stack, id, {
        namespace: ns,
        name,
        data: { [key]: payload.content },
        payloads: [payload],
      });
    };
    const code = payloadMap('poison_fountain_code', 'poison-fountain-code', 'server.py', SERVER_PY);
    const fetcher = payloadMap(
      'poison_fountain_fetcher',
      'poison-fountain-fetcher',
      'fetch-poison.sh',
      FETCH_SCRIPT,
    );

    const codeVolume = Volume.fromConfigMap('code', code.name);
    const healthz = (initialDelay: number, period: number) =>
      Probe.httpGet('/healthz', 8080, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const app = new Deployment(stack, 'poison_fountain', {
      namespace: ns,
      name: 'poison-fountain',
      replicas: 0, // parked in the tree (an external-access alert otherwise)
      strategy: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '0', maxSurge: '1' },
      topologySpread: [{ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }],
      containers: [
        {
          name: 'poison-fountain',
          image: 'python:3.12-slim',
          command: ['python', '/app/server.py'],
          ports: [8080],
          env: {
            CACHE_DIR: '/data/cache',
            DRIP_BYTES: '50',
            DRIP_DELAY: '0.5',
            POISON_DOMAIN: 'poison.viktorbarzin.me',
          },
          volumeMounts: [
            { volume: codeVolume, mountPath: '/app', readOnly: true },
            { volume: data, mountPath: '/data' },
          ],
          livenessProbe: healthz(5, 30),
          readinessProbe: healthz(3, 10),
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
      volumes: [codeVolume, data],
    });

    // The trap wants scrapers: no default rate limit, no anti-AI middlewares, no external monitor
    // (the Deployment is parked, the monitor would only flap).
    new IngressFactory(stack, 'ingress', {
      name: 'poison-fountain',
      host: 'poison',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 8080, targetPort: 8080 }] }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.NON_PROXIED,
      skipDefaultRateLimit: true,
      antiAiScraping: false,
      externalMonitor: false,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Poison Fountain',
        'gethomepage.dev/description': 'AI bot trap',
        'gethomepage.dev/icon': 'mdi-shield-alert',
        'gethomepage.dev/group': 'Other',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });

    const scripts = Volume.fromConfigMap('scripts', fetcher.name, { defaultMode: '0755' });
    const refill = new CronJob(stack, 'poison_fetcher', {
      namespace: ns,
      name: 'poison-fountain-fetcher',
      templateName: 'poison-fountain-fetcher',
      schedule: '0 */6 * * *',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
      restartPolicy: 'Never',
      podRunAsUser: 0, // the NFS export is root-owned (as the server writes it)
      containers: [
        {
          name: 'fetcher',
          image: 'curlimages/curl:latest',
          command: ['sh', '/scripts/fetch-poison.sh'],
          env: { CACHE_DIR: '/data/cache', POISON_URL: 'https://rnsaffn.com/poison2/', FETCH_COUNT: '50' },
          volumeMounts: [
            { volume: scripts, mountPath: '/scripts', readOnly: true },
            { volume: data, mountPath: '/data' },
          ],
        },
      ],
      volumes: [scripts, data],
    });
    suppressRule(refill, 'images-pinned', 'tree parity: the tree runs curlimages/curl:latest');
  },
});
