// Trading bot: the owner's paper-trading system at trading.viktorbarzin.me (own passkey + JWT login:
// Authentik would break the WebAuthn calls and the WebSocket). A dashboard + API gateway pod and a pod of
// six background services share one environment, Redis and a TimescaleDB database on the shared
// PostgreSQL; Jobs create the database and run the migrations before the pods roll. CI owns the image
// tags. The database bootstrap is the tree owner's heredoc, read at plan time. Tree: stacks/trading-bot.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Job, Keel, type ContainerProps } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const SERVICE_IMAGE = 'ghcr.io/viktorbarzin/trading-bot-service:latest';
const SECRETS = 'trading-bot-secrets';
const DB_CREDS = 'trading-bot-db-creds';
const ENV_FROM = [{ secretName: SECRETS }, { secretName: DB_CREDS }];
const WAIT_FOR = { 'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432,redis-master.redis:6379' };
// CI owns the images; Kyverno's Keel keys and Keel's update time are ignored too (no rollout keys).
const CI_LIFECYCLE = (containers: number) => ({
  keel: Keel.notEnrolled(),
  ignoreChanges: [
    ...Array.from({ length: containers }, (_, i) => Ignore.keelImage(i)),
    Ignore.keelAnnotations,
    Ignore.keelUpdateTime,
  ],
});

/** The secret keys the app reads, by the Vault property of secret/trading-bot they come from. */
export const APP_SECRETS: Record<string, string> = {
  TRADING_ALPACA_API_KEY: 'alpaca_api_key',
  TRADING_ALPACA_SECRET_KEY: 'alpaca_secret_key',
  TRADING_JWT_SECRET_KEY: 'jwt_secret',
  TRADING_REDDIT_CLIENT_ID: 'reddit_client_id',
  TRADING_REDDIT_CLIENT_SECRET: 'reddit_client_secret',
  TRADING_ALPHA_VANTAGE_API_KEY: 'alpha_vantage_api_key',
  TRADING_FMP_API_KEY: 'fmp_api_key',
  DBAAS_ROOT_PASSWORD: 'dbaas_root_password',
  TRADING_ANTHROPIC_OAUTH_TOKEN: 'anthropic_oauth_token',
  TRADING_MEET_KEVIN_CHANNEL_ID: 'meet_kevin_channel_id',
  TRADING_SLACK_WEBHOOK_URL: 'slack_webhook_url',
  TRADING_SLACK_BOT_TOKEN: 'slack_bot_token', // the shared bot identity, from secret/viktor
  TRADING_KEVIN_IMAP_USER: 'imap_user',
  TRADING_KEVIN_IMAP_PASSWORD: 'imap_password',
};

export default defineStack({
  name: 'trading-bot',
  description: 'Paper-trading bot (dashboard, API, six services) on PostgreSQL/Redis, own passkey login',
  after: ['platform', 'external-secrets'],
  build(stack) {
    const site = siteOf(stack);
    const redisUrl = `redis://${site.redisHost}:6379/4`;
    // The environment every service shares; the tree renders it in key order (a dynamic block over a map).
    const sharedEnv: Record<string, string> = {
      TRADING_REDIS_URL: redisUrl,
      TRADING_LOG_LEVEL: 'INFO',
      TRADING_ALPACA_BASE_URL: 'https://paper-api.alpaca.markets',
      TRADING_PAPER_TRADING: 'true',
      TRADING_REDDIT_USER_AGENT: 'trading-bot/0.1',
      TRADING_WATCHLIST: '["AAPL","TSLA","NVDA","MSFT","GOOGL"]',
      TRADING_BAR_TIMEFRAME: '5Min',
      TRADING_POLL_INTERVAL_SECONDS: '60',
      TRADING_HISTORICAL_BARS: '100',
      TRADING_SNAPSHOT_INTERVAL_SECONDS: '60',
      TRADING_FUNDAMENTALS_CACHE_TTL_HOURS: '24',
      TRADING_RP_ID: `trading.${site.rootDomain}`,
      TRADING_RP_NAME: 'Trading Bot',
      TRADING_RP_ORIGIN: `https://trading.${site.rootDomain}`,
      TRADING_CORS_ORIGINS: `["https://trading.${site.rootDomain}"]`,
      TRADING_MEET_KEVIN_POLL_INTERVAL_SECONDS: '10800',
      TRADING_MEET_KEVIN_DAILY_COST_CAP_USD: '5',
      // Haiku: the OAuth quota trips a long 429 on Sonnet after a short burst
      TRADING_MEET_KEVIN_LLM_MODEL: 'claude-haiku-4-5-20251001',
      TRADING_MEET_KEVIN_PROMPT_VERSION: 'v2',
    };
    const commonEnv = Object.fromEntries(
      Object.keys(sharedEnv)
        .sort()
        .map((k) => [k, sharedEnv[k]]),
    );

    const ns = new TieredNamespace(stack, 'trading-bot', {
      tier: Tier.EDGE,
      istioInjectionDisabled: false,
      ignoreGoldilocksLabel: false, // the tree's namespace has no lifecycle block
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    const secrets = Object.entries(APP_SECRETS);
    new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: ns.byLiteralName,
      refreshInterval: '15m',
      data: secrets.map(([, property]) => ({
        secretKey: property,
        vault: { path: property === 'slack_bot_token' ? 'viktor' : 'trading-bot', property },
      })),
      template: { data: Object.fromEntries(secrets.map(([key, property]) => [key, `{{ .${property} }}`])) },
      dependsOn: [ns.resource],
    });
    new ExternalSecret(stack, 'db_external_secret', {
      name: DB_CREDS,
      namespace: ns.byLiteralName,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [{ secretKey: 'password', vault: { path: 'static-creds/pg-trading', property: 'password' } }],
      template: {
        data: {
          TRADING_DATABASE_URL: `postgresql+asyncpg://trading:{{ .password }}@${site.postgresqlHost}:5432/trading`,
          DB_PASSWORD: '{{ .password }}',
        },
      },
      dependsOn: [ns.resource],
    });

    // Creates the role and database (idempotent) with the DBaaS root password; TimescaleDB if available.
    const bootstrap = treeHeredoc(stack, 'command');
    const dbInit = new Job(stack, 'db_init', {
      namespace: ns,
      name: 'trading-bot-db-init',
      backoffLimit: 3,
      waitForCompletion: true,
      createTimeout: Duration.minutes(2),
      containers: [
        {
          name: 'db-init',
          image: 'postgres:16-alpine',
          command: [
            'sh',
            '-c',
            bootstrap.template(`{ var = { postgresql_host = "${site.postgresqlHost}" } }`),
          ],
          envFrom: ENV_FROM,
        },
      ],
    });
    bootstrap.guard(dbInit);
    const migrations = new Job(stack, 'migrations', {
      namespace: ns,
      name: 'trading-bot-migrations',
      backoffLimit: 3,
      waitForCompletion: true,
      createTimeout: Duration.minutes(5),
      imagePullSecrets: ['ghcr-credentials'],
      containers: [
        {
          name: 'migrations',
          image: SERVICE_IMAGE,
          imagePullPolicy: 'Always',
          command: ['python', '-m', 'alembic', 'upgrade', 'head'],
          env: { TRADING_REDIS_URL: redisUrl },
          envFrom: ENV_FROM,
        },
      ],
      dependsOn: [dbInit],
    });
    suppressRule(migrations, 'images-pinned', `tree parity: the tree runs ${SERVICE_IMAGE}; CI sets the tag`);

    const service = (
      name: string,
      module: string,
      extraEnv: Record<string, string>,
      resources: ContainerProps['resources'],
      port?: number,
    ): ContainerProps => ({
      name,
      image: SERVICE_IMAGE,
      command: ['python', '-m', `services.${module}.main`],
      ...(port ? { ports: [{ containerPort: port, protocol: 'TCP' as const }] } : {}),
      env: { ...commonEnv, ...extraEnv },
      envFrom: ENV_FROM,
      resources,
    });
    const small = { cpuRequest: '10m', memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(256) };
    const frontend = new Deployment(stack, 'trading-bot-frontend', {
      namespace: ns,
      name: 'trading-bot-frontend',
      ...CI_LIFECYCLE(2),
      annotations: reloader('auto'),
      strategy: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '0', maxSurge: '1' },
      podAnnotations: WAIT_FOR,
      imagePullSecrets: ['ghcr-credentials'],
      containers: [
        {
          name: 'dashboard',
          image: 'ghcr.io/viktorbarzin/trading-bot-dashboard:latest',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(64),
          },
        },
        service(
          'api-gateway',
          'api_gateway',
          {},
          { cpuRequest: '50m', memoryRequest: Size.mebibytes(256), memoryLimit: Size.mebibytes(384) },
          8000,
        ),
      ],
      dependsOn: [migrations],
    });
    suppressRule(
      frontend,
      'images-pinned',
      'tree parity: the tree runs the :latest images; CI sets the tags',
    );
    const workers = new Deployment(stack, 'trading-bot-workers', {
      namespace: ns,
      name: 'trading-bot-workers',
      ...CI_LIFECYCLE(6),
      annotations: reloader('auto'),
      strategy: 'Recreate',
      podAnnotations: WAIT_FOR,
      imagePullSecrets: ['ghcr-credentials'],
      containers: [
        service('signal-generator', 'signal_generator', { TRADING_OTEL_METRICS_PORT: '9093' }, small),
        service('learning-engine', 'learning_engine', { TRADING_OTEL_METRICS_PORT: '9095' }, small),
        service('market-data', 'market_data', { TRADING_OTEL_METRICS_PORT: '9096' }, small),
        service(
          'meet-kevin-watcher',
          'meet_kevin_watcher',
          {
            TRADING_OTEL_METRICS_PORT: '9097',
            // the newsletter loop; its IMAP credentials come with the app secrets
            TRADING_KEVIN_NEWSLETTER_ENABLED: 'true',
            TRADING_KEVIN_NEWSLETTER_ADDRESS: 'dailywealth-meetkevin@viktorbarzin.me',
            TRADING_KEVIN_IMAP_HOST: 'mailserver.mailserver.svc.cluster.local',
            TRADING_KEVIN_NEWSLETTER_POLL_INTERVAL_SECONDS: '7200',
          },
          small,
        ),
        service(
          'kevin-signal-bridge',
          'kevin_signal_bridge',
          { TRADING_OTEL_METRICS_PORT: '9098', TRADING_KEVIN_ENABLE_TRADING: 'true' },
          small,
        ),
        // TRADING_PAPER_TRADING comes from the shared env only: a second copy would shift the list
        service(
          'trade-executor',
          'trade_executor',
          {
            TRADING_OTEL_METRICS_PORT: '9099',
            TRADING_KEVIN_DAILY_TRADE_CAP: '10',
            TRADING_KEVIN_DAILY_ALLOC_CAP_USD: '20000',
            TRADING_KEVIN_EQUITY_DRAWDOWN_HALT_PCT: '0.20',
            TRADING_KEVIN_DAILY_LOSS_CIRCUIT_PCT: '0.05',
            TRADING_SLACK_CHANNEL: 'trading-bot',
          },
          small,
        ),
      ],
      dependsOn: [migrations],
    });
    suppressRule(workers, 'images-pinned', `tree parity: the tree runs ${SERVICE_IMAGE}; CI sets the tags`);
    new IngressFactory(stack, 'ingress', {
      name: 'trading',
      namespace: ns,
      service: frontend.exposeViaService({ ports: [{ port: 80, targetPort: 80 }] }),
      auth: IngressAuth.APP, // passkey + JWT in the app; Authentik would break WebAuthn and /ws
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Trading Bot',
        'gethomepage.dev/description': 'Automated trading',
        'gethomepage.dev/icon': 'mdi-chart-line',
        'gethomepage.dev/group': 'Finance & Personal',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });
  },
});
