// Parity of stacks/trading-bot with the tree's stacks/trading-bot (HEAD 0cd4afb6): every address the tree
// has is synthesized or moved, and the literal values and ignore_changes sets are the tree's. The database
// bootstrap is the tree's heredoc, templated with the PostgreSQL host at plan time.
import { describe, expect, it } from 'vitest';
import tradingBot from '../../stacks/trading-bot';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(tradingBot);
const TREE_ADDRESSES = [
  'kubernetes_namespace.trading-bot',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_job.db_init',
  'kubernetes_job.migrations',
  'kubernetes_deployment.trading-bot-frontend',
  'kubernetes_deployment.trading-bot-workers',
  'kubernetes_service.trading-bot-frontend',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const names = (env: Json[]) => env.map((e) => e.name as string);

describe('stack trading-bot', () => {
  it('is in the registry, after platform and external-secrets, with pg state', () => {
    expect(STACKS).toContain(tradingBot);
    expect(tradingBot.after).toEqual(['platform', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'trading-bot' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('the namespace has no lifecycle block, as the tree', () => {
    expect(at('kubernetes_namespace.trading-bot').lifecycle).toBeUndefined();
  });

  it('templates the app secrets; the Slack bot token comes from secret/viktor', () => {
    const spec = at('kubernetes_manifest.external_secret').manifest.spec;
    expect(spec.data).toHaveLength(14);
    expect(spec.data[11]).toEqual({
      secretKey: 'slack_bot_token',
      remoteRef: { key: 'viktor', property: 'slack_bot_token' },
    });
    expect(spec.target.template.data.TRADING_JWT_SECRET_KEY).toBe('{{ .jwt_secret }}');
    expect(at('kubernetes_manifest.db_external_secret').manifest.spec.target.template.data).toEqual({
      TRADING_DATABASE_URL:
        'postgresql+asyncpg://trading:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/trading',
      DB_PASSWORD: '{{ .password }}',
    });
  });

  it('bootstraps the database, then migrates, before the pods roll', () => {
    const init = at('kubernetes_job.db_init');
    expect(init).toMatchObject({ wait_for_completion: true, timeouts: { create: '2m' } });
    const c = comparable(init).spec.template.spec.container[0];
    expect(c.command[2]).toContain('tree-payloads/trading-bot/_heredoc/main.tf/command/0');
    expect(c.command[2]).toContain('postgresql_host = "pg-cluster-rw.dbaas.svc.cluster.local"');
    expect(init.lifecycle.ignore_changes).toEqual(['spec[0].template[0].spec[0].dns_config']);
    const mig = at('kubernetes_job.migrations');
    expect(mig.depends_on).toEqual(['kubernetes_job.db_init']);
    expect(mig.timeouts).toEqual({ create: '5m' });
    expect(at('kubernetes_deployment.trading-bot-workers').depends_on).toEqual(['kubernetes_job.migrations']);
  });

  it('renders the shared environment in key order, then each service its own', () => {
    const frontend = comparable(at('kubernetes_deployment.trading-bot-frontend'));
    expect(frontend.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_unavailable: '0', max_surge: '1' },
    });
    const api = frontend.spec.template.spec.container[1];
    const shared = names(api.env);
    expect(shared).toEqual([...shared].sort());
    expect(shared).toHaveLength(19);
    const workers = comparable(at('kubernetes_deployment.trading-bot-workers')).spec.template.spec.container;
    expect(workers.map((w: Json) => w.name)).toEqual([
      'signal-generator',
      'learning-engine',
      'market-data',
      'meet-kevin-watcher',
      'kevin-signal-bridge',
      'trade-executor',
    ]);
    const executor = names(workers[5].env);
    expect(executor).toHaveLength(25); // the live count: no second TRADING_PAPER_TRADING
    expect(executor.slice(19)).toEqual([
      'TRADING_OTEL_METRICS_PORT',
      'TRADING_KEVIN_DAILY_TRADE_CAP',
      'TRADING_KEVIN_DAILY_ALLOC_CAP_USD',
      'TRADING_KEVIN_EQUITY_DRAWDOWN_HALT_PCT',
      'TRADING_KEVIN_DAILY_LOSS_CIRCUIT_PCT',
      'TRADING_SLACK_CHANNEL',
    ]);
  });

  it('leaves every image to CI (the tree lifecycle lists)', () => {
    const images = (n: number) =>
      Array.from({ length: n }, (_, i) => `spec[0].template[0].spec[0].container[${i}].image`);
    const rest = [
      'spec[0].template[0].spec[0].dns_config',
      'metadata[0].annotations["keel.sh/policy"]',
      'metadata[0].annotations["keel.sh/trigger"]',
      'metadata[0].annotations["keel.sh/pollSchedule"]',
      'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
    ];
    for (const [name, n] of [
      ['trading-bot-frontend', 2],
      ['trading-bot-workers', 6],
    ] as const) {
      expect([...at(`kubernetes_deployment.${name}`).lifecycle.ignore_changes].sort()).toEqual(
        [...images(n), ...rest].sort(),
      );
    }
  });

  it('serves trading with the app login', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].host).toBe('trading.viktorbarzin.me');
    expect(ingress.spec.rule[0].http.path[0].backend.service.name).toBe('trading-bot-frontend');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
  });
});
