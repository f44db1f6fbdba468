// pages-publish: the publishing API behind pages.viktorbarzin.me. A client POSTs markdown with a bearer
// token; the service renders it into the monorepo's pages/ tree and pushes (the learn pod then serves it).
// Token-authenticated, so no Authentik. Its own single-tag `:latest` image is rolled by Keel on a digest
// change (force + match-tag, which Terraform owns). Tree: stacks/pages-publish.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel, KeelPolicy, Probe, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const SECRETS = 'pages-publish-secrets';
/** Non-root; fsGroup makes the clone writable and the 0400 deploy key group-readable. */
const UID = 10001;

export default defineStack({
  name: 'pages-publish',
  description: 'Pages publishing API (bearer tokens): renders markdown into the monorepo and pushes',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'pages_publish', {
      name: 'pages-publish',
      tier: Tier.AUX,
      istioInjectionDisabled: false,
    });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns,
      refreshInterval: '1h',
      data: [
        { secretKey: 'PAGES_API_KEYS', vault: { path: 'pages-publish', property: 'api_keys' } },
        // a file mount only: the private key never reaches the process environment
        { secretKey: 'deploy_key', vault: { path: 'pages-publish', property: 'deploy_key' } },
      ],
    });
    const repo = Volume.emptyDir('repo');
    const deployKey = Volume.fromSecret('deploy-key', SECRETS, {
      items: [{ key: 'deploy_key', path: 'id_ed25519' }],
      defaultMode: '0400',
    });
    const health = (initialDelay: number, period: number) =>
      Probe.httpGet('/health', 8080, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const app = new Deployment(stack, 'pages_publish', {
      namespace: ns,
      name: 'pages-publish',
      // match-tag is what makes Keel watch the digest of the one tag; owned, so an apply restores it
      keel: Keel.policy(KeelPolicy.FORCE, { ignoreMatchTag: false }),
      tierLabel: false, // Kyverno stamps it (ignored)
      ignoreChanges: [Ignore.tierLabel],
      strategy: 'Recreate', // one writer of the clone
      podRunAsUser: UID,
      podRunAsGroup: UID,
      fsGroup: UID,
      imagePullSecrets: ['ghcr-credentials'], // also lets Keel read the private digest
      containers: [
        {
          name: 'pages-publish',
          image: 'ghcr.io/viktorbarzin/pages-publish:latest',
          ports: [8080],
          env: {
            PAGES_API_KEYS: { secretName: SECRETS, key: 'PAGES_API_KEYS' },
            REPO_DIR: '/repo',
            DEPLOY_KEY_PATH: '/etc/pages-deploy/id_ed25519',
          },
          livenessProbe: health(10, 30),
          readinessProbe: health(5, 10),
          volumeMounts: [
            { volume: repo, mountPath: '/repo' },
            { volume: deployKey, mountPath: '/etc/pages-deploy', readOnly: true },
          ],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(128),
          },
        },
      ],
      volumes: [repo, deployKey],
      dependsOn: [secrets.resource],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/pages-publish:latest; Keel rolls its digest',
    );
    new IngressFactory(stack, 'ingress', {
      name: 'pages-publish',
      namespace: ns,
      service: app.exposeViaService({ type: 'ClusterIP', ports: [{ port: 8080, targetPort: 8080 }] }),
      auth: IngressAuth.NONE, // bearer tokens: programmatic clients
      dnsType: DnsType.PROXIED,
      extraAnnotations: { 'gethomepage.dev/description': 'Publishing API behind pages.viktorbarzin.me' },
      legacyAddress: 'module.ingress',
    });
  },
});
