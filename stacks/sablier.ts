// sablier: the scale-to-zero controller (ADR-0022). Ingresses of parked workloads wake them through its
// Traefik middleware; it scales Deployments/StatefulSets (and reads CNPG clusters). Tree: stacks/sablier.
import { ClusterRbac } from '../constructs/blocks/cluster-rbac';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel, Probe } from '../constructs/blocks/workload';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';

/** The API port the Sablier middleware calls (http://sablier.sablier.svc.cluster.local:10000). */
export const SABLIER_PORT = 10000;

export default defineStack({
  name: 'sablier',
  description: 'Sablier scale-to-zero controller behind the Traefik Sablier middleware',
  after: ['platform', 'kyverno'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'sablier', {
      tier: Tier.CLUSTER,
      keelEnrolled: false,
      istioInjectionDisabled: false,
    });
    const rbac = new ClusterRbac(stack, 'rbac', {
      addressName: 'sablier',
      namespace: ns.name,
      serviceAccountName: 'sablier',
      rules: [
        {
          apiGroups: ['apps', ''],
          resources: ['deployments', 'statefulsets'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['apps', ''],
          resources: ['deployments/scale', 'statefulsets/scale'],
          verbs: ['get', 'list', 'watch', 'patch', 'update'],
        },
        { apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    const health = (initialDelay: number, period: number) =>
      Probe.httpGet('/health', SABLIER_PORT, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
        timeout: Duration.seconds(5),
      });
    const sablier = new Deployment(stack, 'sablier', {
      namespace: ns,
      name: 'sablier',
      keel: Keel.enrolled(),
      podAnnotations: { 'diun.enable': 'true' },
      serviceAccountName: rbac.serviceAccountName,
      containers: [
        {
          name: 'sablier',
          image: 'sablierapp/sablier:1.15.0',
          args: [
            'start',
            '--provider.name=kubernetes',
            '--logging.level=info',
            '--sessions.default-duration=3h',
            '--server.metrics.enabled=true',
          ],
          ports: [SABLIER_PORT],
          resources: {
            cpuRequest: '25m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(128),
          },
          livenessProbe: health(10, 30),
          readinessProbe: health(5, 10),
        },
      ],
    });
    sablier.exposeViaService({
      ports: [{ name: 'api', port: SABLIER_PORT, protocol: 'TCP' }],
      // Scraped on the API port (metrics enabled above); the default /metrics path.
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(SABLIER_PORT) },
    });
  },
});
