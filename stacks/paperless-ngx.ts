// Paperless-ngx: the owner's document library at pdf.viktorbarzin.me (own login: the mobile app calls
// /api with a token and cannot follow Authentik), on the shared MySQL and Redis, data on an encrypted
// volume. Tika and Gotenberg in the same namespace convert Office and e-mail documents. The homepage
// widget logs in with credentials read from Vault at plan time. Tree: stacks/paperless-ngx.
import { Fn } from 'cdktf';
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { vaultKvSecret } from '../lib/terraform/providers';
import { defineStack } from '../lib/synth/stack';

const SECRETS = 'paperless-ngx-secrets';
// The converters' images are pinned; Kyverno's Keel keys, Keel's update time and the image are ignored.
const CONVERTER_LIFECYCLE = {
  keel: Keel.notEnrolled(),
  ignoreChanges: [Ignore.keelAnnotations, Ignore.keelUpdateTime, Ignore.keelImage(0)],
};

export default defineStack({
  name: 'paperless-ngx',
  description: 'Paperless-ngx document library at pdf (own login), Tika and Gotenberg converters',
  after: ['platform', 'vault'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'paperless-ngx', {
      tier: Tier.EDGE,
      istioInjectionDisabled: false,
    });
    new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      extractPaths: ['paperless-ngx'],
      dependsOn: [ns.resource],
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const pvc = new EncryptedPvc(stack, 'data_encrypted', {
      name: 'paperless-ngx-data-encrypted',
      namespace: ns,
      storage: '1Gi',
      storageLimit: '80Gi',
      resizeIncrease: '100%',
    });
    const data = Volume.fromPvc('data', pvc.claimName);
    const app = new Deployment(stack, 'paperless-ngx', {
      namespace: ns,
      name: 'paperless-ngx',
      annotations: reloader('search'),
      strategy: 'Recreate',
      podAnnotations: {
        'diun.enable': 'true',
        'diun.include_tags': '^\\d+(?:\\.\\d+)?(?:\\.\\d+)?$',
        'dependency.kyverno.io/wait-for': 'mysql.dbaas:3306,redis-master.redis:6379',
      },
      containers: [
        {
          name: 'paperless-ngx',
          image: 'ghcr.io/paperless-ngx/paperless-ngx:2.20.14',
          env: {
            PAPERLESS_REDIS: `redis://${site.redisHost}`,
            PAPERLESS_REDIS_PREFIX: 'paperless-ngx',
            PAPERLESS_DBENGINE: 'mariadb',
            PAPERLESS_DBHOST: site.mysqlHost,
            PAPERLESS_DBNAME: 'paperless-ngx',
            PAPERLESS_DBUSER: 'paperless-ngx',
            PAPERLESS_DBPASS: { secretName: SECRETS, key: 'db_password' },
            PAPERLESS_CSRF_TRUSTED_ORIGINS: `https://paperless-ngx.${site.rootDomain},https://pdf.${site.rootDomain}`,
            PAPERLESS_DEBUG: 'false',
            PAPERLESS_MEDIA_ROOT: '../data',
            PAPERLESS_OCR_USER_ARGS: '{"invalidate_digital_signatures": true}',
            // Bulgarian and English documents: bul is installed at start, eng ships with the image
            PAPERLESS_OCR_LANGUAGE: 'bul+eng',
            PAPERLESS_OCR_LANGUAGES: 'bul eng',
            // Office and e-mail documents go through Tika (text) and Gotenberg (PDF) below
            PAPERLESS_TIKA_ENABLED: '1',
            PAPERLESS_TIKA_ENDPOINT: 'http://tika.paperless-ngx.svc.cluster.local:9998',
            PAPERLESS_TIKA_GOTENBERG_ENDPOINT: 'http://gotenberg.paperless-ngx.svc.cluster.local:3000',
            PAPERLESS_OCR_SKIP_ARCHIVE_FILE: 'with_text',
          },
          volumeMounts: [{ volume: data, mountPath: '/usr/src/paperless/data' }],
          // 8Gi is the edge tier's per-container ceiling
          resources: { cpuRequest: '50m', memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(8) },
          ports: [8000],
        },
      ],
      volumes: [data],
    });
    const service = app.exposeViaService({
      ports: [{ name: 'http', port: 80, targetPort: 8000, protocol: 'TCP' }],
    });

    const gotenberg = new Deployment(stack, 'gotenberg', {
      namespace: ns,
      name: 'gotenberg',
      ...CONVERTER_LIFECYCLE,
      containers: [
        {
          name: 'gotenberg',
          image: 'docker.io/gotenberg/gotenberg:8.25',
          // Paperless's recommended hardening (args keep the image's init entrypoint)
          args: ['gotenberg', '--chromium-disable-javascript=true', '--chromium-allow-list=file:///tmp/.*'],
          ports: [3000],
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(1536),
          },
          readinessProbe: Probe.httpGet('/health', 3000, {
            initialDelay: Duration.seconds(5),
            period: Duration.seconds(15),
          }),
        },
      ],
    });
    gotenberg.exposeViaService({ ports: [{ name: 'http', port: 3000, targetPort: 3000, protocol: 'TCP' }] });
    const tika = new Deployment(stack, 'tika', {
      namespace: ns,
      name: 'tika',
      ...CONVERTER_LIFECYCLE,
      containers: [
        {
          name: 'tika',
          image: 'docker.io/apache/tika:3.3.1.0',
          ports: [9998],
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.gibibytes(1),
          },
          readinessProbe: Probe.httpGet('/tika', 9998, {
            initialDelay: Duration.seconds(10),
            period: Duration.seconds(15),
          }),
        },
      ],
    });
    tika.exposeViaService({ ports: [{ name: 'http', port: 9998, targetPort: 9998, protocol: 'TCP' }] });

    const credentials = Fn.jsondecode(
      vaultKvSecret(stack, 'secrets', 'paperless-ngx').data.lookup('homepage_credentials'),
    );
    new IngressFactory(stack, 'ingress', {
      name: 'paperless-ngx',
      host: 'pdf',
      namespace: ns,
      service,
      auth: IngressAuth.APP, // the mobile app's token calls cannot follow Authentik
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/description': 'Document library',
        'gethomepage.dev/group': 'Productivity',
        'gethomepage.dev/icon': 'paperless-ngx.png',
        'gethomepage.dev/name': 'Paperless-ngx',
        'gethomepage.dev/widget.type': 'paperlessngx',
        'gethomepage.dev/widget.url': 'http://paperless-ngx.paperless-ngx.svc.cluster.local',
        'gethomepage.dev/widget.username': Fn.lookupNested(credentials, ['paperless-ngx', 'username']),
        'gethomepage.dev/widget.password': Fn.lookupNested(credentials, ['paperless-ngx', 'password']),
        'gethomepage.dev/widget.fields': '["total"]',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
