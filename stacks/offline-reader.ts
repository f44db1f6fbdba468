// Offline reader: the owner's read-it-later app on offline-reader.viktorbarzin.me. The app captures pages
// by starting one capture Job per article (its Role grants exactly that) onto a shared NFS volume; the UI
// is owner-only behind Authentik, /api/ingest is token-checked in the app (an iOS Shortcut cannot do OIDC).
// A NetworkPolicy lets only Traefik and monitoring reach the pod. Tree: stacks/offline-reader.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NamespaceIngressPolicy } from '../constructs/blocks/network-policy';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { AccessRole, Subject } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Probe, Volume } from '../constructs/blocks/workload';
import { Duration, Size } from '../lib/core/units';
import { prometheusScrape, reloader } from '../lib/conventions/metadata';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { Tier } from '../lib/conventions/tiers';

export const IMAGE_TAG = 'latest';
/** The image of the capture Jobs the app starts (Keel/CI keep :latest fresh). */
export const CAPTURE_IMAGE = 'ghcr.io/viktorbarzin/offline-reader-capture:latest';

export default defineStack({
  name: 'offline-reader',
  description: 'Offline reader: saved articles captured by per-article Jobs onto NFS, owner-only UI',
  after: ['platform', 'vault', 'external-secrets'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'offline_reader', { name: 'offline-reader', tier: Tier.AUX });
    const pages = new NfsVolume(stack, 'nfs_pages', {
      name: 'offline-reader-pages',
      namespace: ns,
      nfsPath: '/srv/nfs/offline-reader',
      storage: '50Gi',
      legacyAddress: 'module.nfs_pages',
    });
    // The app's identity may start the capture Jobs and read their pods and logs.
    const sa = new ServiceAccount(stack, 'service_account', {
      namespace: ns,
      name: 'offline-reader',
      addressName: 'app',
    });
    const binding = new AccessRole(stack, 'jobs_role', {
      name: 'offline-reader-jobs',
      namespace: ns,
      addressName: 'app',
      rules: [
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'get', 'list', 'watch', 'delete'] },
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
      ],
    }).grant('app', { name: 'offline-reader-jobs', subjects: [Subject.serviceAccount(sa.name, ns.name)] });
    // The ingest token: Vault secret/offline-reader -> Secret offline-reader-secrets -> INGEST_TOKEN.
    const secrets = new ExternalSecret(stack, 'offline_reader_secrets', {
      name: 'offline-reader-secrets',
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      data: [{ secretKey: 'INGEST_TOKEN', vault: { path: 'offline-reader', property: 'ingest_token' } }],
      template: { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } },
      dependsOn: [ns.resource],
    });
    const data = Volume.fromPvc('pages', pages.claimName);
    const health = (initialDelay: number, period: number) =>
      Probe.httpGet('/healthz', 8000, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(period),
      });
    const app = new Deployment(stack, 'offline_reader', {
      namespace: ns,
      name: 'offline-reader',
      annotations: reloader('search'),
      strategy: 'Recreate', // SQLite single writer
      podAnnotations: prometheusScrape(8000),
      serviceAccountName: sa.name,
      imagePullSecrets: ['registry-credentials'],
      containers: [
        {
          name: 'offline-reader',
          image: `ghcr.io/viktorbarzin/offline-reader:${IMAGE_TAG}`,
          ports: [8000],
          env: {
            DATA_DIR: '/data',
            CAPTURE_MODE: 'k8s',
            SINGLEFILE_IMAGE: CAPTURE_IMAGE,
            NFS_PVC_CLAIM: pages.claimName,
            POD_NAMESPACE: { fieldPath: 'metadata.namespace' },
          },
          // Optional: the pod starts before the ExternalSecret syncs (ingest answers 503 until then).
          envFrom: [{ secretName: 'offline-reader-secrets', optional: true }],
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          readinessProbe: health(5, 10),
          livenessProbe: health(30, 30),
          resources: {
            cpuRequest: '100m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(512),
          },
        },
      ],
      volumes: [data],
      dependsOn: [binding, secrets.resource],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/offline-reader:latest; Keel tracks the tag',
    );
    const service = app.exposeViaService({
      ports: [{ name: 'http', port: 8000 }],
      annotations: prometheusScrape(8000),
      type: 'ClusterIP',
    });
    new IngressFactory(stack, 'ingress', {
      name: 'offline-reader',
      namespace: ns,
      port: 8000,
      auth: IngressAuth.REQUIRED, // owner-only; the app trusts X-Authentik-Username
      allowedGroups: ['Home Server Admins'],
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/icon': 'mdi-book-arrow-down',
        'gethomepage.dev/description': 'Saved articles for offline reading',
      },
      legacyAddress: 'module.ingress',
    });
    new IngressFactory(stack, 'ingress_ingest', {
      name: 'offline-reader-ingest',
      host: 'offline-reader',
      namespace: ns,
      service,
      ingressPath: ['/api/ingest'],
      // auth = "none": /api/ingest is checked against the secret INGEST_TOKEN in the app; an iOS Shortcut cannot do OIDC.
      auth: IngressAuth.NONE,
      dnsType: DnsType.NONE, // the name comes from module.ingress
      extraAnnotations: { 'gethomepage.dev/enabled': 'false' },
      legacyAddress: 'module.ingress_ingest',
    });
    // Only Traefik (after forward-auth) and monitoring reach the pod; egress stays open for the captures.
    new NamespaceIngressPolicy(stack, 'ingress_policy', {
      namespace: ns,
      name: 'offline-reader-ingress',
      podSelector: app.selector,
      allow: [
        { fromNamespace: 'traefik', ports: [8000] },
        { fromNamespace: 'monitoring', ports: [8000] },
      ],
      addressName: 'ingress',
    });
  },
});
