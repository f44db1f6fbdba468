// Resume: Reactive Resume, the owner's public online CV (HR and recruiters have no Authentik account, so
// the ingress binds guests), with a headless Chromium "printer" for the PDF export. Both are parked by
// Sablier as one group and woken by the first request. The SMTP password comes from the mail server
// accounts in Vault at plan time. Tree: stacks/resume.
import { Fn } from 'cdktf';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Probe, Volume } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { vaultKvSecret } from '../lib/terraform/providers';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's `resume_database_url` (default empty: terragrunt sets no value). */
export const DATABASE_URL = '';
const SMTP_ACCOUNT = 'info@viktorbarzin.me';

export default defineStack({
  name: 'resume',
  description: 'Reactive Resume public CV with a Chromium PDF printer, parked by Sablier when idle',
  after: ['platform', 'vault'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'resume', { tier: Tier.AUX, istioInjectionDisabled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    new ExternalSecret(stack, 'external_secret', {
      name: 'resume-secrets',
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      extractPaths: ['resume'],
      dependsOn: [ns.resource],
    });
    const mailAccounts = Fn.jsondecode(
      vaultKvSecret(stack, 'secrets', 'resume').data.lookup('mailserver_accounts'),
    );
    // The printer wakes and parks with the app: resume's PDF export needs it.
    const group = { group: 'resume' };
    const probe = (path: string, initialDelay: number, period: number, timeout: number) =>
      Probe.httpGet(path, 3000, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
        timeout: Duration.seconds(timeout),
      });
    const printer = new Deployment(stack, 'printer', {
      namespace: ns,
      name: 'printer',
      sablier: group,
      replicas: 0, // parked on (re)create; Sablier owns the live count
      containers: [
        {
          name: 'printer',
          image: 'ghcr.io/browserless/chromium:latest',
          ports: [3000],
          env: { HEALTH: 'true', CONCURRENT: '20', QUEUED: '10' },
          // Chromium does not boot under 128Mi; capped so it can never eat the node
          resources: {
            cpuRequest: '25m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.gibibytes(1),
          },
          livenessProbe: probe('/pressure', 30, 10, 5),
          readinessProbe: probe('/pressure', 10, 10, 5),
        },
      ],
    });
    suppressRule(
      printer,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/browserless/chromium:latest; Keel tracks the tag',
    );
    printer.exposeViaService({ ports: [{ port: 3000, targetPort: 3000 }], labels: {} });
    const nfs = new NfsVolume(stack, 'nfs_data_host', {
      name: 'resume-data-host',
      namespace: ns,
      nfsPath: '/srv/nfs/resume',
      storage: '1Gi',
      accessModes: ['ReadWriteOnce'],
      legacyAddress: 'module.nfs_data_host',
    });
    const data = Volume.fromPvc('data', nfs.claimName);
    const app = new Deployment(stack, 'resume', {
      namespace: ns,
      name: 'resume',
      sablier: group,
      replicas: 0,
      strategy: 'Recreate',
      podAnnotations: reloader('search'),
      containers: [
        {
          name: 'resume',
          image: 'amruthpillai/reactive-resume:v5.0.3',
          ports: [3000],
          env: {
            APP_URL: `https://resume.${site.rootDomain}`,
            DATABASE_URL,
            PRINTER_ENDPOINT: 'ws://printer.resume.svc.cluster.local:3000',
            PRINTER_APP_URL: 'http://resume.resume.svc.cluster.local',
            AUTH_SECRET: { secretName: 'resume-secrets', key: 'auth_secret' },
            TZ: 'Etc/UTC',
            SMTP_HOST: site.mailHost,
            SMTP_PORT: '587',
            SMTP_USER: SMTP_ACCOUNT,
            SMTP_PASS: Fn.lookup(mailAccounts, SMTP_ACCOUNT),
            SMTP_FROM: `Reactive Resume <${SMTP_ACCOUNT}>`,
            SMTP_SECURE: 'false',
            FLAG_DISABLE_SIGNUPS: 'false',
          },
          volumeMounts: [{ volume: data, mountPath: '/app/data' }],
          resources: {
            cpuRequest: '15m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(256),
          },
          livenessProbe: probe('/api/health', 60, 30, 10),
          readinessProbe: probe('/api/health', 30, 10, 5),
        },
      ],
      volumes: [data],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'resume',
      namespace: ns,
      service: app.exposeViaService({ ports: [{ port: 80, targetPort: 3000 }], labels: {} }),
      auth: IngressAuth.PUBLIC, // recruiters have no account: guests are bound and audited
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Resume',
        'gethomepage.dev/description': 'Online resume',
        'gethomepage.dev/icon': 'mdi-file-account',
        'gethomepage.dev/group': 'Other',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
