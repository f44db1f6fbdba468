// Learn: the owner's self-paced learning PWA (lessons, challenges, progress) on learn.viktorbarzin.me,
// behind Authentik (the app trusts the forwarded e-mail for owner-only access). One replica writes its
// SQLite progress DB on an encrypted volume. Tree: stacks/learning.
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { ProxmoxPvc, ProxmoxStorage } from '../constructs/blocks/proxmox-pvc';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Probe, Volume } from '../constructs/blocks/workload';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

/** The image tag the tree's terragrunt input pins (Keel/CI own the running tag). */
export const IMAGE_TAG = 'v0.1.0';

export default defineStack({
  name: 'learning',
  description: 'Learn: self-paced learning PWA behind Authentik, SQLite progress on an encrypted volume',
  after: ['platform', 'kyverno'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'learning', { tier: Tier.AUX });
    const dataPvc = new ProxmoxPvc(stack, 'data', {
      name: 'learning-data',
      namespace: ns.name,
      storageClass: ProxmoxStorage.LVM_ENCRYPTED,
      storage: '1Gi',
    });
    const data = Volume.fromPvc('data', dataPvc.claimName);
    const health = (initialDelay: number, period: number) =>
      Probe.httpGet('/api/healthz', 8080, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const app = new Deployment(stack, 'learning', {
      namespace: ns,
      name: 'learning',
      strategy: 'Recreate', // one SQLite writer on a ReadWriteOnce volume
      podRunAsUser: 0, // the image has no USER and writes the root-owned volume
      // ghcr-credentials is cloned in by Kyverno (this namespace is on its allowlist: after kyverno).
      imagePullSecrets: ['registry-credentials', 'ghcr-credentials'],
      containers: [
        {
          name: 'learning',
          image: `ghcr.io/viktorbarzin/learning:${IMAGE_TAG}`,
          ports: [8080],
          env: { AUTH_MODE: 'prod', DB_CONNECTION_STRING: 'sqlite+aiosqlite:////data/learn.db' },
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          readinessProbe: health(5, 10),
          livenessProbe: health(30, 30),
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
      volumes: [data],
      dependsOn: [dataPvc.pvc],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'learn',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 8080 }], type: 'ClusterIP' }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Learn',
        'gethomepage.dev/description': 'Self-paced learning PWA — lessons, challenges, progress',
        'gethomepage.dev/icon': 'mdi-school',
        'gethomepage.dev/group': 'Productivity',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
