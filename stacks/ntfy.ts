// ntfy: push notifications (binwiederhier/ntfy) on ntfy.viktorbarzin.me. Apps and publisher scripts
// authenticate against ntfy's own user DB (default access deny-all), so the ingress leaves auth to the app.
// Upstream fan-out through ntfy.sh for iOS delivery. Tree: stacks/ntfy.
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { ProxmoxPvc, ProxmoxStorage } from '../constructs/blocks/proxmox-pvc';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Probe, Volume } from '../constructs/blocks/workload';
import { Duration, Size } from '../lib/core/units';
import { homepage, prometheusScrape, reloader } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'ntfy',
  description: 'ntfy push notifications with its own user DB (deny-all by default)',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'ntfy', { tier: Tier.AUX, istioInjectionDisabled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const state = new ProxmoxPvc(stack, 'data_proxmox', {
      name: 'ntfy-data-proxmox',
      namespace: ns.name,
      storageClass: ProxmoxStorage.LVM,
      storage: '1Gi',
      autoresize: { storageLimit: '5Gi', increase: '100%' },
    });
    const data = Volume.fromPvc('data', state.claimName);
    const health = (initialDelay: number, failureThreshold: number) =>
      Probe.httpGet('/v1/health', 80, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(30),
        timeout: Duration.seconds(5),
        failureThreshold,
      });
    const app = new Deployment(stack, 'ntfy', {
      namespace: ns,
      name: 'ntfy',
      strategy: 'Recreate',
      annotations: reloader('search'),
      containers: [
        {
          name: 'ntfy',
          image: 'binwiederhier/ntfy',
          args: ['serve'],
          ports: [80],
          livenessProbe: health(15, 5),
          readinessProbe: health(5, 3),
          env: {
            NTFY_BASE_URL: 'https://ntfy.viktorbarzin.me',
            NTFY_UPSTREAM_BASE_URL: 'https://ntfy.sh',
            NTFY_BEHIND_PROXY: 'true',
            NTFY_ENABLE_LOGIN: 'true',
            NTFY_AUTH_FILE: '/var/lib/ntfy/user.db',
            NTFY_AUTH_DEFAULT_ACCESS: 'deny-all',
            NTFY_ENABLE_METRICS: 'true',
          },
          volumeMounts: [{ volume: data, mountPath: '/var/lib/ntfy/' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(128),
          },
        },
      ],
      volumes: [data],
    });
    suppressRule(app, 'images-pinned', 'tree parity: the tree runs binwiederhier/ntfy; Keel tracks the tag');
    new IngressFactory(stack, 'ingress', {
      name: 'ntfy',
      namespace: ns,
      service: app.exposeViaService({
        ports: [{ name: 'http', port: 80 }],
        annotations: prometheusScrape(80),
      }),
      // auth = "app": clients use HTTP Basic / bearer tokens against ntfy's user DB; forward-auth would lock them out.
      auth: IngressAuth.APP,
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage('ntfy', 'Push notifications', 'ntfy.png', 'Productivity'),
      legacyAddress: 'module.ingress',
    });
  },
});
