// URL shortener: Shlink at url.viktorbarzin.me (public short links and its API, gated by the API key in
// the app) on the shared MySQL, plus the Shlink web client at shlink.viktorbarzin.me behind Authentik,
// preconfigured with the server and its API key. Tree: stacks/url.
import { Fn } from 'cdktf';
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { PlanTimeSecret } from '../constructs/blocks/plan-time-secret';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Probe, Volume } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { vaultKvSecret } from '../lib/terraform/providers';
import { defineStack } from '../lib/synth/stack';

/** The tree's `domain` variable (its default). */
export const DOMAIN = 'url.viktorbarzin.me';

export default defineStack({
  name: 'url',
  description:
    'Shlink URL shortener at url (public links, key-gated API) and its web client behind Authentik',
  after: ['platform', 'vault'],
  build(stack) {
    const site = siteOf(stack);
    // the tree's resource is named after the app; the namespace is "url"
    const ns = new TieredNamespace(stack, 'shlink', { name: 'url', tier: Tier.AUX });
    const vault = vaultKvSecret(stack, 'secrets', 'url');
    new ExternalSecret(stack, 'external_secret', {
      name: 'url-secrets',
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      extractPaths: ['url'],
      dependsOn: [ns.resource],
    });
    // The rotating database password (Vault database engine), the one the app reads.
    new ExternalSecret(stack, 'db_external_secret', {
      name: 'url-db-creds',
      namespace: ns.byLiteralName,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [{ secretKey: 'password', vault: { path: 'static-creds/mysql-shlink', property: 'password' } }],
      template: { data: { DB_USER: 'shlink', DB_PASSWORD: '{{ .password }}' } },
      dependsOn: [ns.resource],
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    // The older plan-time copy of the KV password, kept as the tree does.
    new PlanTimeSecret(stack, 'mysql_config', {
      namespace: ns,
      name: 'mysql-config',
      annotations: { 'reloader.stakater.com/match': 'true' },
      plainData: { DB_USER: 'shlink' },
      data: { DB_PASSWORD: vault.data.lookup('db_password') },
    });
    const health = (path: string, initialDelay: number, failureThreshold: number) =>
      Probe.httpGet(path, 8080, {
        initialDelay: Duration.seconds(initialDelay),
        period: Duration.seconds(30),
        timeout: Duration.seconds(5),
        failureThreshold,
      });
    const shlink = new Deployment(stack, 'shlink', {
      namespace: ns,
      name: 'shlink',
      selector: { run: 'shlink' },
      annotations: reloader('auto'),
      podAnnotations: {
        'diun.enable': 'true',
        'diun.include_tags': '^\\d+\\.\\d+\\.\\d+$',
        'dependency.kyverno.io/wait-for': 'mysql.dbaas:3306',
      },
      containers: [
        {
          name: 'shlink',
          image: 'shlinkio/shlink:5.0.2',
          env: {
            DEFAULT_DOMAIN: DOMAIN,
            SHORT_DOMAIN_SCHEMA: 'https',
            GEOLITE_LICENSE_KEY: { secretName: 'url-secrets', key: 'geolite_license_key' },
            DB_DRIVER: 'mysql',
            DB_HOST: site.mysqlHost,
          },
          envFrom: [{ secretName: 'url-db-creds' }],
          resources: {
            cpuRequest: '25m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.mebibytes(704),
          },
          ports: [8080],
          livenessProbe: health('/rest/v3/health', 15, 5),
          readinessProbe: health('/rest/v3/health', 5, 3),
        },
      ],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'url',
      namespace: ns,
      service: shlink.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
      // auth = "none": public short links, and the API is key-gated; forward-auth breaks both
      auth: IngressAuth.NONE,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Shlink',
        'gethomepage.dev/description': 'URL shortener',
        'gethomepage.dev/icon': 'shlink.png',
        'gethomepage.dev/group': 'Productivity',
        'gethomepage.dev/pod-selector': '',
        'gethomepage.dev/widget.type': 'shlink',
        'gethomepage.dev/widget.url': 'http://shlink.shlink.svc.cluster.local:8080',
        'gethomepage.dev/widget.key': vault.data.lookup('api_key'),
      },
      legacyAddress: 'module.ingress',
    });

    // The web client, preconfigured with the server and its API key (read from Vault at plan time).
    new ConfigMap(stack, 'shlink-web', {
      namespace: ns,
      name: 'shlink-web-servers',
      annotations: { 'reloader.stakater.com/match': 'true' },
      data: {
        'servers.json': Fn.jsonencode([
          { name: 'Main', url: `https://${DOMAIN}`, apiKey: vault.data.lookup('api_key') },
        ]),
      },
    });
    const servers = Volume.fromConfigMap('config', 'shlink-web-servers');
    const web = new Deployment(stack, 'shlink-web', {
      namespace: ns,
      name: 'shlink-web',
      selector: { run: 'shlink-web' },
      annotations: reloader('search'),
      containers: [
        {
          name: 'shlink-web',
          image: 'shlinkio/shlink-web-client:4.7.1',
          volumeMounts: [
            { volume: servers, mountPath: '/usr/share/nginx/html/servers.json', subPath: 'servers.json' },
          ],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(64),
          },
          ports: [8080], // the 4.x image runs nginx unprivileged on 8080
          livenessProbe: health('/', 15, 5),
          readinessProbe: health('/', 5, 3),
        },
      ],
      volumes: [servers],
    });
    new IngressFactory(stack, 'ingress-web', {
      name: 'shlink',
      namespace: ns,
      service: web.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'false',
        'gethomepage.dev/name': 'Shlink Web',
        'gethomepage.dev/description': 'URL shortener web client',
        'gethomepage.dev/icon': 'shlink.png',
        'gethomepage.dev/group': 'Productivity',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress-web',
    });
  },
});
