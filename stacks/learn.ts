// learn: the pages viewer, pages.viktorbarzin.me behind Authentik. One pod: git-sync keeps the monorepo
// checked out (read-only deploy key from Vault), Caddy serves its pages/ tree by host and by the
// Authentik user header; plans.viktorbarzin.me only redirects to pages.*. The Caddyfile is the tree
// owner's inline heredoc, read at plan time; its hash on the pod template rolls the pod when it changes.
// Always on (not Sablier-parked). Tree: stacks/learn.
import { Fn } from 'cdktf';
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

/** git-sync's uid: its SSH key must be readable by it (fsGroup) and nobody else (0400). */
const GIT_SYNC_UID = 65533;
const SMALL = { cpuRequest: '10m', memoryRequest: Size.mebibytes(32), memoryLimit: Size.mebibytes(128) };

export default defineStack({
  name: 'learn',
  description: 'Pages viewer (git-synced monorepo pages served by Caddy per Authentik user), plans redirect',
  build(stack) {
    const ns = new TieredNamespace(stack, 'learn', { tier: Tier.AUX, keelEnrolled: false });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const gitCreds = new ExternalSecret(stack, 'git_creds_external_secret', {
      name: 'learn-git-creds',
      namespace: ns,
      refreshInterval: '1h',
      data: ['ssh', 'known_hosts'].map((key) => ({
        secretKey: key,
        vault: { path: 'learn', property: key },
      })),
    });
    const caddyfileText = treeHeredoc(stack, 'Caddyfile');
    const caddyfile = new ConfigMap(stack, 'caddyfile', {
      namespace: ns,
      name: 'learn-caddyfile',
      data: { Caddyfile: caddyfileText.content },
      payloads: [caddyfileText],
    });

    const repo = Volume.emptyDir('repo');
    const gitSecret = Volume.fromSecret('git-secret', 'learn-git-creds', { defaultMode: '0400' });
    const caddyConfig = Volume.fromConfigMap('caddyfile', caddyfile.name);
    const service = new Deployment(stack, 'learn', {
      namespace: ns,
      name: 'learn',
      tierLabel: false, // Kyverno stamps it (ignored below)
      keel: Keel.notEnrolled(),
      ignoreChanges: [
        Ignore.keelImage(0),
        Ignore.keelAnnotations,
        Ignore.keelUpdateTime,
        Ignore.tierLabel,
        Ignore.keelImage(1),
      ],
      podAnnotations: {
        'viktorbarzin.me/caddyfile-sha': Fn.sha1(Fn.lookup(caddyfile.resource.data, 'Caddyfile')),
      },
      fsGroup: GIT_SYNC_UID,
      containers: [
        {
          name: 'git-sync',
          image: 'registry.k8s.io/git-sync/git-sync:v4.7.0',
          args: [
            '--repo=git@github.com:ViktorBarzin/monorepo.git',
            '--ref=master',
            '--period=30s',
            '--depth=1',
            '--root=/repo/src', // a subdirectory of the volume, as git-sync requires
            '--link=current',
          ],
          securityContext: { runAsUser: GIT_SYNC_UID },
          volumeMounts: [
            { volume: repo, mountPath: '/repo' },
            { volume: gitSecret, mountPath: '/etc/git-secret', readOnly: true },
          ],
          resources: SMALL,
        },
        {
          name: 'caddy',
          image: 'docker.io/library/caddy:2.10.2-alpine',
          ports: [{ containerPort: 8080, name: 'http' }],
          volumeMounts: [
            { volume: repo, mountPath: '/repo', readOnly: true },
            { volume: caddyConfig, mountPath: '/etc/caddy', readOnly: true },
          ],
          // /healthz answers whatever the host or user
          readinessProbe: Probe.httpGet('/healthz', 8080, {
            initialDelay: Duration.seconds(5),
            period: Duration.seconds(10),
            failureThreshold: 6,
          }),
          resources: SMALL,
        },
      ],
      volumes: [repo, gitSecret, caddyConfig],
      dependsOn: [gitCreds.resource],
    }).exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] });

    new IngressFactory(stack, 'ingress_pages', {
      name: 'pages',
      namespace: ns,
      service,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Pages',
        'gethomepage.dev/description': 'Published pages — plans/specs/designs (git-backed)',
        'gethomepage.dev/icon': 'mdi-file-document-multiple',
        'gethomepage.dev/group': 'Productivity',
        'gethomepage.dev/pod-selector': 'app=learn',
      },
      legacyAddress: 'module.ingress_pages',
    });
    // The old host: kept routed so Caddy can redirect it to pages.*; no tile.
    new IngressFactory(stack, 'ingress_plans', {
      name: 'plans',
      namespace: ns,
      service,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: { 'gethomepage.dev/enabled': 'false' },
      legacyAddress: 'module.ingress_plans',
    });
  },
});
