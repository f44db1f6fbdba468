// Stirling PDF: PDF toolkit on stirling-pdf.viktorbarzin.me with its own local login (its SSO is a paid
// tier), parked by Sablier when idle. Keel follows upstream by the semver-monotonic `major` policy, which
// Terraform owns so it wins over Kyverno's add-if-absent `patch`. Tree: stacks/stirling-pdf.
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { ProxmoxPvc, ProxmoxStorage } from '../constructs/blocks/proxmox-pvc';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, KeelPolicy, Probe, Volume } from '../constructs/blocks/workload';
import { Duration, Size } from '../lib/core/units';
import { homepage } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';

export default defineStack({
  name: 'stirling-pdf',
  description: 'Stirling PDF toolkit with its own login, parked by Sablier, Keel-tracked by major semver',
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'stirling-pdf', { tier: Tier.AUX });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const configsPvc = new ProxmoxPvc(stack, 'configs_proxmox', {
      name: 'stirling-pdf-configs-proxmox',
      namespace: ns.name,
      storageClass: ProxmoxStorage.LVM,
      storage: '1Gi',
      autoresize: { storageLimit: '5Gi', increase: '100%' },
    });
    const configs = Volume.fromPvc('configs', configsPvc.claimName);
    const status = (timing: Parameters<typeof Probe.httpGet>[2]) =>
      Probe.httpGet('/api/v1/info/status', 8080, timing); // the login-free health endpoint
    const app = new Deployment(stack, 'stirling-pdf', {
      namespace: ns,
      name: 'stirling-pdf',
      keel: Keel.owned(KeelPolicy.MAJOR, { pollEvery: Duration.hours(1) }),
      sablier: {},
      strategy: 'Recreate',
      containers: [
        {
          name: 'stirling-pdf',
          image: 'stirlingtools/stirling-pdf:2.13.2', // semver seed for the major policy
          env: { SECURITY_ENABLELOGIN: 'true', SECURITY_LOGINMETHOD: 'normal' },
          // The entrypoint sizes the JVM from the memory limit: 2Gi is v2's metaspace floor.
          resources: {
            cpuRequest: '250m',
            memoryRequest: Size.mebibytes(768),
            memoryLimit: Size.gibibytes(2),
          },
          ports: [8080],
          // JVM cold start on a Sablier wake: hold the request until it serves.
          startupProbe: status({
            initialDelay: Duration.seconds(5),
            period: Duration.seconds(3),
            failureThreshold: 40,
            timeout: Duration.seconds(3),
          }),
          readinessProbe: status({
            period: Duration.seconds(10),
            timeout: Duration.seconds(3),
            failureThreshold: 3,
          }),
          volumeMounts: [{ volume: configs, mountPath: '/configs' }],
        },
      ],
      volumes: [configs],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'stirling-pdf',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
      // auth = "app": Stirling's own local login is the gate (its OAuth2 is paywalled); anti-AI on.
      auth: IngressAuth.APP,
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage('Stirling PDF', 'PDF toolkit', 'stirling-pdf.png', 'Productivity'),
      legacyAddress: 'module.ingress',
    });
  },
});
