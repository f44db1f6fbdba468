// Parity of stacks/real-estate-crawler with the tree's stacks/real-estate-crawler (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import realEstateCrawler, { SCRAPE_SCHEDULES } from '../../stacks/real-estate-crawler';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(realEstateCrawler);
const TREE_ADDRESSES = [
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_manifest.slack_external_secret',
  'kubernetes_manifest.dockerhub_pull_secret',
  'kubernetes_namespace.realestate-crawler',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_data_host.kubernetes_persistent_volume.this',
  'module.nfs_data_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.realestate-crawler-ui',
  'kubernetes_service.realestate-crawler-ui',
  'kubernetes_deployment.realestate-crawler-api',
  'kubernetes_service.realestate-crawler-api',
  'module.anubis.kubernetes_config_map.policy',
  'module.anubis.kubernetes_manifest.ed25519_secret',
  'module.anubis.kubernetes_deployment.anubis',
  'module.anubis.kubernetes_service.anubis',
  'module.anubis.kubernetes_pod_disruption_budget_v1.anubis',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress-api.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_deployment.realestate-crawler-celery',
  'kubernetes_service.realestate-crawler-celery-metrics',
  'kubernetes_deployment.realestate-crawler-celery-beat',
  // wrongmove is not the apex: no cloudflare_record
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const sorted = (xs: readonly string[]) => [...xs].sort();
const NEVER_CI = [
  'spec[0].template[0].spec[0].dns_config',
  'spec[0].template[0].spec[0].container[0].image',
  'metadata[0].annotations["keel.sh/policy"]',
  'metadata[0].annotations["keel.sh/trigger"]',
  'metadata[0].annotations["keel.sh/pollSchedule"]',
];
const NEVER_CI_WORKER = [
  ...NEVER_CI,
  'metadata[0].annotations["keel.sh/match-tag"]',
  'metadata[0].annotations["kubernetes.io/change-cause"]',
  'metadata[0].annotations["deployment.kubernetes.io/revision"]',
  'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
];
const WAIT_FOR = { 'dependency.kyverno.io/wait-for': 'mysql.dbaas:3306,redis-master.redis:6379' };

describe('stack real-estate-crawler', () => {
  it('is in the registry, after platform and vault, with pg state', () => {
    expect(STACKS).toContain(realEstateCrawler);
    expect(realEstateCrawler.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'real-estate-crawler' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('a namespace without the Keel label (CI owns the images)', () => {
    expect(comparable(at('kubernetes_namespace.realestate-crawler')).metadata).toEqual({
      name: 'realestate-crawler',
      labels: { 'istio-injection': 'disabled', tier: '4-aux' },
    });
  });

  it('four ExternalSecrets: app, rotating DB DSN, Slack webhook, Docker Hub pull secret', () => {
    const spec = (a: string) => at(`kubernetes_manifest.${a}`).manifest.spec;
    expect(spec('external_secret').dataFrom).toEqual([{ extract: { key: 'real-estate-crawler' } }]);
    expect(spec('db_external_secret').secretStoreRef).toEqual({
      name: 'vault-database',
      kind: 'ClusterSecretStore',
    });
    expect(spec('db_external_secret').target.template.data).toEqual({
      DB_CONNECTION_STRING: 'mysql://wrongmove:{{ .password }}@mysql.dbaas.svc.cluster.local:3306/wrongmove',
    });
    expect(spec('slack_external_secret').refreshInterval).toBe('1h');
    expect(spec('slack_external_secret').data).toEqual([
      {
        secretKey: 'SLACK_WEBHOOK_URL',
        remoteRef: { key: 'viktor', property: 'alertmanager_slack_api_url' },
      },
    ]);
    const pull = spec('dockerhub_pull_secret');
    expect(pull.target.template).toEqual({
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson':
          '{"auths":{"https://index.docker.io/v1/":{"username":"viktorbarzin","password":"{{ .pat }}","auth":"{{ printf "viktorbarzin:%s" .pat | b64enc }}"}}}',
      },
    });
  });

  it('the UI: two replicas, surge-only rollout, CI-set image', () => {
    const d = comparable(at('kubernetes_deployment.realestate-crawler-ui'));
    expect(d.metadata.annotations).toEqual({ 'keel.sh/policy': 'never' });
    expect(d.spec.replicas).toBe('2');
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_unavailable: '0', max_surge: '1' },
    });
    expect(d.spec.template.spec.image_pull_secrets).toEqual([{ name: 'dockerhub-pull-secret' }]);
    expect(sorted(d.lifecycle.ignore_changes)).toEqual(sorted(NEVER_CI));
  });

  it('the API: own login settings, migrations under the startup probe, the tree env', () => {
    const raw = at('kubernetes_deployment.realestate-crawler-api');
    expect(raw.depends_on).toEqual(['kubernetes_manifest.slack_external_secret']);
    const d = comparable(raw);
    expect(d.metadata.annotations).toEqual({
      'reloader.stakater.com/auto': 'true',
      'keel.sh/policy': 'never',
    });
    expect(d.spec.strategy.rolling_update).toEqual({ max_unavailable: '1', max_surge: '0' });
    expect(d.spec.template.metadata).toEqual({
      labels: { app: 'realestate-crawler-api', 'kubernetes.io/cluster-service': 'true' },
      annotations: WAIT_FOR,
    });
    const [c] = d.spec.template.spec.container;
    expect(c.env.map((e: Json) => e.name)).toEqual([
      'ENV',
      'DB_CONNECTION_STRING',
      'CELERY_BROKER_URL',
      'CELERY_RESULT_BACKEND',
      'UVICORN_LOG_LEVEL',
      'OSRM_FOOT_URL',
      'OSRM_BICYCLE_URL',
      'OTP_URL',
      'SLACK_WEBHOOK_URL',
      'SLACK_CHANNEL',
      'WEBAUTHN_RP_ID',
      'WEBAUTHN_ORIGIN',
      'APP_ENV',
      'OIDC_CLIENT_ID',
      'JWT_SECRET',
    ]);
    expect(c.env[2]).toEqual({
      name: 'CELERY_BROKER_URL',
      value: 'redis://redis-master.redis.svc.cluster.local:6379/0',
    });
    expect(c.startup_probe).toMatchObject({ period_seconds: 5, failure_threshold: 30 });
    expect(c.volume_mount).toEqual([{ name: 'data', mount_path: '/app/data' }]);
    expect(sorted(d.lifecycle.ignore_changes)).toEqual(sorted(NEVER_CI));
  });

  it('the workers: Recreate, the beat schedules jsonencoded, the tree ignore lists', () => {
    for (const name of ['realestate-crawler-celery', 'realestate-crawler-celery-beat']) {
      const d = comparable(at(`kubernetes_deployment.${name}`));
      expect(d.spec.strategy).toEqual({ type: 'Recreate' });
      expect(d.spec.template.metadata.annotations).toEqual(WAIT_FOR);
      expect(sorted(d.lifecycle.ignore_changes)).toEqual(sorted(NEVER_CI_WORKER));
    }
    const beat = comparable(at('kubernetes_deployment.realestate-crawler-celery-beat')).spec.template.spec
      .container[0];
    expect(beat.command).toEqual(['python', '-m', 'celery', '-A', 'celery_app', 'beat', '--loglevel=info']);
    expect(beat.env.at(-1).value).toMatch(/^\$\{jsonencode\(/);
    expect(SCRAPE_SCHEDULES.map((s) => s.name)).toEqual(['london-rent-daily', 'london-buy-weekly']);
    const metrics = comparable(at('kubernetes_service.realestate-crawler-celery-metrics'));
    expect(metrics.metadata.labels).toEqual({ app: 'realestate-crawler-celery' });
    expect(metrics.spec.port).toEqual([{ port: 9090, target_port: '9090' }]);
  });

  it('the UI is behind Anubis on wrongmove; /api goes straight to the API', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.name).toBe('wrongmove');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'traefik-x402@kubernetescrd',
    );
    const target = comparable(
      at('module.anubis.kubernetes_deployment.anubis'),
    ).spec.template.spec.container[0].env.find((e: Json) => e.name === 'TARGET');
    expect(target.value).toBe('http://realestate-crawler-ui.realestate-crawler.svc.cluster.local');
    const api = at('module.ingress-api.kubernetes_ingress_v1.proxied-ingress');
    expect(api.spec.rule[0].host).toBe('wrongmove.viktorbarzin.me');
    expect(api.spec.rule[0].http.path.map((p: Json) => p.path)).toEqual(['/api']);
    expect(api.metadata.annotations['gethomepage.dev/enabled']).toBe('false');
  });
});
