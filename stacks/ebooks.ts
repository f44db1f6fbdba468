// ebooks: the book and audiobook corner: Calibre-Web-Automated (library, behind Authentik), Anna's Archive
// "stacks" download manager, Audiobookshelf (own login, mobile apps), Book Search (search + download
// pipeline into Calibre, with an open API for the iOS Shortcut) and the Goodreads to-read poller. The
// homepage widgets log in with credentials read back from the ESO secrets. Tree: stacks/ebooks.
import { Fn } from 'cdktf';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { ProxmoxPvc, ProxmoxStorage } from '../constructs/blocks/proxmox-pvc';
import { type INamespace, TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Keel, Probe, type SecretKeyRef, Volume } from '../constructs/blocks/workload';
import { homepage, reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treePayload } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

/** The tree's script that re-seeds Calibre-Web's SMTP password from the secret on every start. */
export const SEED_SMTP_SCRIPT = 'files/seed-smtp-password.py';
/** The NAS the media libraries live on (the tree spells it out rather than using the site's). */
const NAS = '192.168.1.127';

/** The tree's variable defaults. */
export const GOODREADS = {
  /** calibre-web shelf Goodreads-sourced books land on. */
  shelfId: '6',
  /** Send-to-Kindle address fetched books are forwarded to. */
  kindleEmail: 'ancaelena98_4RMJsy@kindle.com',
  downloadsEnabled: 'true',
} as const;
/** Book Search's outbound proxy (the VPN egress pilot): empty = off, as measured and reverted. */
export const BOOK_SEARCH_PROXY_URL = '';

const ms = (n: number) => Size.mebibytes(n);
const s = (n: number) => Duration.seconds(n);

export default defineStack({
  name: 'ebooks',
  description: "Calibre-Web, Audiobookshelf, Book Search + Goodreads auto-ingest, Anna's Archive stacks",
  after: ['platform'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'ebooks', { tier: Tier.EDGE, istioInjectionDisabled: false });
    const eso = (id: string, name: string) =>
      new ExternalSecret(stack, id, {
        name,
        namespace: ns.byLiteralName,
        extractPaths: [name.replace(/-secrets$/, '')],
        refreshInterval: '15m',
        dependsOn: [ns.resource],
      });
    const calibreSecrets = eso('calibre_external_secret', 'calibre-secrets');
    const absSecrets = eso('audiobookshelf_external_secret', 'audiobookshelf-secrets');
    const servarrSecrets = eso('servarr_external_secret', 'servarr-secrets');
    const readBack = (secret: ExternalSecret, address: string) => secret.syncedSecret(address);
    const calibreCredentials = Fn.jsondecode(
      readBack(calibreSecrets, 'calibre_secrets').data.lookup('homepage_credentials'),
    );
    const absCredentials = Fn.jsondecode(
      readBack(absSecrets, 'audiobookshelf_secrets').data.lookup('homepage_credentials'),
    );
    readBack(servarrSecrets, 'servarr_secrets');
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });

    const nfs = (id: string, name: string, nfsPath: string, namespace: INamespace = ns) =>
      new NfsVolume(stack, id, { name, namespace, nfsServer: NAS, nfsPath, legacyAddress: `module.${id}` });
    const library = nfs(
      'nfs_calibre_library_host',
      'ebooks-calibre-library-host',
      '/srv/nfs/calibre-web-automated/calibre-library',
    );
    // SQLite with WAL needs block storage, not NFS
    const calibreConfig = new ProxmoxPvc(stack, 'calibre_config_iscsi', {
      name: 'ebooks-calibre-config-proxmox',
      namespace: ns.name,
      storageClass: ProxmoxStorage.LVM,
      storage: '2Gi',
      autoresize: { storageLimit: '10Gi', increase: '50%' },
      waitUntilBound: true, // the tree leaves it at the provider default
    });
    const ingest = nfs(
      'nfs_calibre_ingest_host',
      'ebooks-calibre-ingest-host',
      '/srv/nfs/calibre-web-automated/cwa-book-ingest',
    );
    const mamFarming = nfs(
      'nfs_mam_farming_host',
      'ebooks-mam-farming-host',
      '/srv/nfs/servarr/mam-farming',
      ns.byLiteralName, // the tree writes the literal here
    );
    const stacksConfig = nfs(
      'nfs_calibre_stacks_config_host',
      'ebooks-calibre-stacks-config-host',
      '/srv/nfs/calibre-web-automated/stacks',
    );
    const audiobooks = nfs(
      'nfs_audiobookshelf_audiobooks_host',
      'ebooks-abs-audiobooks-host',
      '/srv/nfs/audiobookshelf/audiobooks',
    );
    const podcasts = nfs(
      'nfs_audiobookshelf_podcasts_host',
      'ebooks-abs-podcasts-host',
      '/srv/nfs/audiobookshelf/podcasts',
    );
    const absConfig = new ProxmoxPvc(stack, 'abs_config_proxmox', {
      name: 'ebooks-abs-config-proxmox',
      namespace: ns.name,
      storageClass: ProxmoxStorage.LVM,
      storage: '1Gi',
      autoresize: { storageLimit: '5Gi', increase: '100%' },
    });
    const absMetadata = nfs(
      'nfs_audiobookshelf_metadata_host',
      'ebooks-abs-metadata-host',
      '/srv/nfs/audiobookshelf/metadata',
    );

    const calibreKey = (key: string): SecretKeyRef => ({ secretName: calibreSecrets.secretName, key });
    const servarrKey = (key: string, optional?: boolean): SecretKeyRef => ({
      secretName: servarrSecrets.secretName,
      key,
      ...(optional ? { optional } : {}),
    });

    // --- Calibre-Web-Automated
    const cwaLibrary = Volume.fromPvc('library', library.claimName);
    const cwaConfig = Volume.fromPvc('config', calibreConfig.claimName);
    const cwaIngest = Volume.fromPvc('ingest', ingest.claimName);
    const seed = treePayload(stack, SEED_SMTP_SCRIPT);
    const cwaImage = 'viktorbarzin/calibre-web-automated:latest';
    const cwaRoot = Probe.httpGet('/', 8083, {
      initialDelay: s(10),
      timeout: s(5),
      period: s(5),
      failureThreshold: 24,
    });
    const calibre = new Deployment(stack, 'calibre-web-automated', {
      namespace: ns,
      name: 'calibre-web-automated',
      keel: Keel.enrolled(),
      waitForRollout: true,
      annotations: reloader('search'),
      strategy: 'Recreate',
      podAnnotations: { 'diun.enable': 'false', 'diun.include_tags': '^\\d+(?:\\.\\d+)?(?:\\.\\d+)?$' },
      // re-seeds the Fernet-encrypted SMTP password from the secret, so a lost /config/.key self-repairs
      initContainers: [
        {
          name: 'seed-smtp-password',
          image: cwaImage,
          command: ['python3', '-c', seed.content],
          env: { SMTP_PASSWORD: calibreKey('smtp_password') },
          securityContext: { runAsUser: 1000, runAsGroup: 1000 }, // the app's PUID/PGID
          resources: { cpuRequest: '10m', memoryRequest: ms(64), memoryLimit: ms(128) },
          volumeMounts: [{ volume: cwaConfig, mountPath: '/config' }],
        },
      ],
      containers: [
        {
          name: 'calibre-web-automated',
          image: cwaImage,
          env: {
            PUID: '1000',
            PGID: '1000',
            NO_CHOWN: 'true',
            CALIBRE_PORT: '8083',
            NETWORK_SHARE_MODE: 'true', // inotify cannot see writes of another NFS client
          },
          ports: [8083],
          startupProbe: cwaRoot,
          livenessProbe: Probe.httpGet('/', 8083, { timeout: s(10), period: s(30), failureThreshold: 6 }),
          resources: { cpuRequest: '50m', memoryRequest: ms(512), memoryLimit: Size.gibibytes(1) },
          volumeMounts: [
            { volume: cwaConfig, mountPath: '/config' },
            { volume: cwaLibrary, mountPath: '/calibre-library' },
            { volume: cwaIngest, mountPath: '/cwa-book-ingest' },
          ],
        },
      ],
      volumes: [cwaLibrary, cwaConfig, cwaIngest],
    });
    seed.guard(calibre);
    suppressRule(calibre, 'images-pinned', `tree parity: the tree runs ${cwaImage}; Keel tracks the tag`);
    new IngressFactory(stack, 'calibre_ingress', {
      name: 'calibre',
      namespace: ns,
      service: calibre.exposeViaService({
        name: 'calibre',
        addressName: 'calibre',
        labels: { app: 'calibre' },
        ports: [{ name: 'http', port: 80, targetPort: 8083, protocol: 'TCP' }],
      }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/description': 'Book library',
        'gethomepage.dev/group': 'Media & Entertainment',
        'gethomepage.dev/icon': 'calibre-web.png',
        'gethomepage.dev/name': 'Calibre',
        'gethomepage.dev/widget.type': 'calibreweb',
        'gethomepage.dev/widget.url': 'http://calibre.ebooks.svc.cluster.local',
        'gethomepage.dev/widget.username': Fn.lookupNested(calibreCredentials, ['calibre-web', 'username']),
        'gethomepage.dev/widget.password': Fn.lookupNested(calibreCredentials, ['calibre-web', 'password']),
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.calibre_ingress',
    });

    // --- Anna's Archive download manager: always on (book-search calls it server-side, which cannot wake Sablier)
    const stacksConfigVolume = Volume.fromPvc('config', stacksConfig.claimName);
    const stacksIngest = Volume.fromPvc('ingest', ingest.claimName);
    const annas = new Deployment(stack, 'annas-archive-stacks', {
      namespace: ns,
      name: 'annas-archive-stacks',
      keel: Keel.enrolled(),
      containers: [
        {
          name: 'annas-archive-stacks',
          image: 'zelest/stacks:latest',
          resources: { cpuRequest: '10m', memoryRequest: ms(384), memoryLimit: ms(384) },
          ports: [7788],
          livenessProbe: Probe.httpGet('/api/version', 7788, {
            initialDelay: s(15),
            period: s(30),
            timeout: s(5),
            failureThreshold: 3,
          }),
          volumeMounts: [
            { volume: stacksConfigVolume, mountPath: '/opt/stacks/config' },
            { volume: stacksIngest, mountPath: '/opt/stacks/download' },
          ],
        },
      ],
      volumes: [stacksConfigVolume, stacksIngest],
    });
    suppressRule(
      annas,
      'images-pinned',
      'tree parity: the tree runs zelest/stacks:latest; Keel tracks the tag',
    );
    new IngressFactory(stack, 'stacks_ingress', {
      name: 'stacks',
      namespace: ns,
      service: annas.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 7788 }] }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: { 'gethomepage.dev/enabled': 'false' },
      legacyAddress: 'module.stacks_ingress',
    });

    // --- Audiobookshelf
    const absVolumes = {
      audiobooks: Volume.fromPvc('audiobooks', audiobooks.claimName),
      podcasts: Volume.fromPvc('podcasts', podcasts.claimName),
      config: Volume.fromPvc('config', absConfig.claimName),
      metadata: Volume.fromPvc('metadata', absMetadata.claimName),
    };
    const absHealth = (initialDelay: number, failureThreshold: number) =>
      Probe.httpGet('/healthcheck', 80, {
        initialDelay: s(initialDelay),
        period: s(30),
        timeout: s(5),
        failureThreshold,
      });
    const abs = new Deployment(stack, 'audiobookshelf', {
      namespace: ns,
      name: 'audiobookshelf',
      keel: Keel.enrolled(),
      annotations: reloader('search'),
      strategy: 'Recreate',
      containers: [
        {
          name: 'audiobookshelf',
          image: 'ghcr.io/advplyr/audiobookshelf:2.33.1',
          ports: [80],
          livenessProbe: absHealth(15, 5),
          readinessProbe: absHealth(5, 3),
          volumeMounts: Object.values(absVolumes).map((v) => ({ volume: v, mountPath: `/${v.name}` })),
          // the ceiling covers a library scan that imports new books (256Mi OOMKilled); requests stay idle-sized
          resources: { cpuRequest: '15m', memoryRequest: ms(64), memoryLimit: ms(512) },
        },
      ],
      volumes: Object.values(absVolumes),
    });
    new IngressFactory(stack, 'audiobookshelf_ingress', {
      name: 'audiobookshelf',
      namespace: ns,
      service: abs.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }] }),
      auth: IngressAuth.APP, // the mobile apps use its own login and API tokens
      dnsType: DnsType.NON_PROXIED,
      extraAnnotations: {
        ...homepage('Audiobookshelf', 'Audiobook library', 'audiobookshelf.png', 'Media & Entertainment'),
        'gethomepage.dev/widget.type': 'audiobookshelf',
        'gethomepage.dev/widget.url': 'http://audiobookshelf.ebooks.svc.cluster.local',
        'gethomepage.dev/widget.key': Fn.lookupNested(absCredentials, ['audiobookshelf', 'token']),
      },
      legacyAddress: 'module.audiobookshelf_ingress',
    });

    // --- Book Search
    const bs = {
      ingest: Volume.fromPvc('cwa-ingest', ingest.claimName),
      audiobooks: Volume.fromPvc('audiobooks', audiobooks.claimName),
      library: Volume.fromPvc('calibre-library', library.claimName),
      stacksConfig: Volume.fromPvc('stacks-config', stacksConfig.claimName),
      mamFarming: Volume.fromPvc('mam-farming', mamFarming.claimName),
    };
    const bookSearchImage = 'viktorbarzin/book-search:latest';
    const bookSearch = new Deployment(stack, 'book_search', {
      namespace: ns,
      name: 'book-search',
      keel: Keel.enrolled(),
      containers: [
        {
          name: 'book-search',
          image: bookSearchImage,
          ports: [8000],
          env: {
            QBITTORRENT_URL: 'http://qbittorrent.servarr.svc.cluster.local',
            GOODREADS_SHELF_ID: GOODREADS.shelfId,
            GOODREADS_KINDLE_EMAIL: GOODREADS.kindleEmail,
            QBITTORRENT_PASS: servarrKey('qbittorrent_password'),
            AUDIOBOOKSHELF_URL: 'http://audiobookshelf.ebooks.svc.cluster.local',
            AUDIOBOOKSHELF_TOKEN: servarrKey('audiobookshelf_api_token'),
            MAM_EMAIL: servarrKey('mam_email'),
            MAM_PASSWORD: servarrKey('mam_password'),
            CWA_INGEST_PATH: '/cwa-book-ingest',
            MAM_ID: servarrKey('mam_id', true),
            MAM_ID_FILE: '/mam-farming/mam_id',
            API_KEY: calibreKey('book_search_api_key'),
            SHORTCUT_ICLOUD_URL: '',
            STACKS_DB_PATH: '/stacks-config/queue.db',
            CALIBRE_WEB_USER: 'admin',
            CALIBRE_WEB_PASS: calibreKey('calibre_web_password'),
            // the ClusterIP path to the mail server, not the public PROXY-protocol hairpin
            SMTP_HOST: 'mailserver.mailserver.svc.cluster.local',
            SMTP_PORT: '587',
            SMTP_USER: 'calibre-web@viktorbarzin.me',
            SMTP_FROM: 'Calibre-Web <calibre-web@viktorbarzin.me>',
            SMTP_PASS: calibreKey('smtp_password'),
            SLACK_WEBHOOK_URL: calibreKey('slack_webhook_url'),
            // empty values are dropped by the HTTP clients: the proxy is off
            ALL_PROXY: BOOK_SEARCH_PROXY_URL,
            HTTP_PROXY: BOOK_SEARCH_PROXY_URL,
            HTTPS_PROXY: BOOK_SEARCH_PROXY_URL,
            NO_PROXY:
              '.svc.cluster.local,.cluster.local,localhost,127.0.0.1,myanonamouse.net,.viktorbarzin.me',
          },
          resources: { cpuRequest: '10m', memoryRequest: ms(128), memoryLimit: ms(512) },
          livenessProbe: Probe.httpGet('/health', 8000, { initialDelay: s(10), period: s(30) }),
          volumeMounts: [
            { volume: bs.ingest, mountPath: '/cwa-book-ingest' },
            { volume: bs.audiobooks, mountPath: '/audiobooks' },
            { volume: bs.stacksConfig, mountPath: '/stacks-config' },
            { volume: bs.library, mountPath: '/calibre-library' },
            { volume: bs.mamFarming, mountPath: '/mam-farming', readOnly: true },
          ],
        },
      ],
      volumes: [bs.ingest, bs.audiobooks, bs.library, bs.stacksConfig, bs.mamFarming],
    });
    suppressRule(
      bookSearch,
      'images-pinned',
      `tree parity: the tree runs ${bookSearchImage}; Keel tracks the tag`,
    );
    const bookSearchService = bookSearch.exposeViaService({
      ports: [{ name: 'http', port: 80, targetPort: 8000 }],
    });
    new IngressFactory(stack, 'book_search_ingress', {
      name: 'book-search',
      namespace: ns,
      service: bookSearchService,
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage(
        'Book Search',
        'Search & download books',
        'audiobookshelf.png',
        'Media & Entertainment',
      ),
      legacyAddress: 'module.book_search_ingress',
    });
    // the API paths the iOS Shortcut calls: the backend checks its API key; forward-auth would block downloads
    new IngressFactory(stack, 'book_search_api_ingress', {
      name: 'book-search-api',
      namespace: ns,
      host: 'book-search',
      service: bookSearchService,
      auth: IngressAuth.NONE,
      homepageEnabled: false,
      ingressPath: ['/api/download-url', '/api/download-status', '/api/send-to-kindle', '/shortcut'],
      legacyAddress: 'module.book_search_api_ingress',
    });

    // --- Goodreads to-read -> Calibre poller; its DB credentials rotate in Vault's database engine
    const goodreadsDb = new ExternalSecret(stack, 'goodreads_db_external_secret', {
      name: 'goodreads-sync-db-creds',
      namespace: ns,
      storeName: 'vault-database',
      refreshInterval: '15m',
      template: {
        metadata: { annotations: { 'reloader.stakater.com/match': 'true' } },
        data: {
          GOODREADS_DATABASE_URL:
            'postgresql://goodreads_sync:{{ .password }}@postgresql.dbaas.svc.cluster.local:5432/goodreads_sync',
        },
      },
      data: [
        {
          secretKey: 'password',
          vault: { path: 'database/static-creds/pg-goodreads-sync', property: 'password' },
        },
      ],
    });
    const proxyEnv: Record<string, string> = BOOK_SEARCH_PROXY_URL
      ? {
          HTTPS_PROXY: BOOK_SEARCH_PROXY_URL,
          NO_PROXY: '.svc.cluster.local,.cluster.local,localhost,127.0.0.1,.viktorbarzin.me',
        }
      : {};
    const goodreads = new Deployment(stack, 'goodreads_sync', {
      namespace: ns,
      name: 'goodreads-sync',
      keel: Keel.notEnrolled(),
      strategy: 'Recreate', // one writer: two pollers would claim the same book
      containers: [
        {
          name: 'goodreads-sync',
          image: bookSearchImage,
          command: ['python3', '-m', 'backend.goodreads.runner'],
          env: {
            GOODREADS_USER_ID: '33074940',
            GOODREADS_SHELF: 'to-read',
            GOODREADS_POLL_SECONDS: '120',
            GOODREADS_DOWNLOADS_ENABLED: GOODREADS.downloadsEnabled,
            GOODREADS_SHELF_ID: GOODREADS.shelfId,
            BOOK_SEARCH_URL: 'http://book-search.ebooks.svc.cluster.local',
            API_KEY: calibreKey('book_search_api_key'),
            SLACK_WEBHOOK_URL: calibreKey('slack_webhook_url'),
            ...proxyEnv,
          },
          envFrom: [{ secretName: goodreadsDb.secretName }],
          resources: { cpuRequest: '10m', memoryRequest: ms(64), memoryLimit: ms(256) },
        },
      ],
    });
    suppressRule(goodreads, 'images-pinned', `tree parity: the tree runs ${bookSearchImage}`);
    suppressRule(
      goodreads,
      'lifecycle-ignores',
      'tree parity: the tree ignores nothing on goodreads-sync (no Keel ignores in an enrolled namespace)',
    );
  },
});
