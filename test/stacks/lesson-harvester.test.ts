// Parity of stacks/lesson-harvester with the tree's stacks/lesson-harvester (HEAD 0cd4afb6).
import { describe, expect, it } from 'vitest';
import lessonHarvester, { APP_ENV, IMAGE } from '../../stacks/lesson-harvester';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(lessonHarvester);
const TREE_ADDRESSES = [
  'kubernetes_namespace.lesson_harvester',
  'kubernetes_manifest.app_external_secret',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_deployment.lesson_harvester',
  'kubernetes_service.lesson_harvester',
  'kubernetes_cron_job_v1.poll',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  // no module.tls_secret; proxied, not the apex: no cloudflare_record
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const BOTH_SECRETS = [
  { secret_ref: { name: 'lesson-harvester-secrets' } },
  { secret_ref: { name: 'lesson-harvester-db-creds' } },
];
const TREE_ENV = [
  { name: 'LH_LLM_ENDPOINT', value: 'http://llama-swap.llama-cpp.svc.cluster.local:8080' },
  { name: 'LH_LLM_MODEL', value: 'qwen3-8b' },
  { name: 'LH_WHISPER_ENABLED', value: 'false' },
];

describe('stack lesson-harvester', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(lessonHarvester);
    expect(lessonHarvester.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'lesson-harvester' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('runs the :latest image CI rolls, with the tree env', () => {
    expect(IMAGE).toBe('ghcr.io/viktorbarzin/lesson-harvester:latest');
    expect(Object.entries(APP_ENV).map(([name, value]) => ({ name, value }))).toEqual(TREE_ENV);
  });

  it('syncs the app secrets and the rotating DB DSN through ESO', () => {
    const app = at('kubernetes_manifest.app_external_secret');
    expect(app.field_manager).toEqual({ force_conflicts: true });
    expect(app.manifest.spec.secretStoreRef).toEqual({ name: 'vault-kv', kind: 'ClusterSecretStore' });
    expect(app.manifest.spec.refreshInterval).toBe('15m');
    expect(app.manifest.spec.data).toEqual([
      {
        secretKey: 'LH_WEBHOOK_BEARER_TOKEN',
        remoteRef: { key: 'lesson-harvester', property: 'webhook_bearer_token' },
      },
      {
        secretKey: 'LH_YOUTUBE_API_KEY',
        remoteRef: { key: 'lesson-harvester', property: 'youtube_api_key' },
      },
      {
        secretKey: 'LH_LEARN_LATER_PLAYLIST_ID',
        remoteRef: { key: 'lesson-harvester', property: 'learn_later_playlist_id' },
      },
    ]);
    const db = at('kubernetes_manifest.db_external_secret').manifest.spec;
    expect(db.secretStoreRef).toEqual({ name: 'vault-database', kind: 'ClusterSecretStore' });
    expect(db.target.template.data).toEqual({
      LH_DB_CONNECTION_STRING:
        'postgresql+asyncpg://lesson_harvester:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/lesson_harvester',
    });
    expect(db.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'static-creds/pg-lesson-harvester', property: 'password' } },
    ]);
  });

  it('migrates before serving; probes, resources and the ignored images are the tree ones', () => {
    const raw = at('kubernetes_deployment.lesson_harvester');
    expect(raw.depends_on).toEqual([
      'kubernetes_manifest.app_external_secret',
      'kubernetes_manifest.db_external_secret',
    ]);
    const d = comparable(raw);
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/search': 'true' });
    const pod = d.spec.template.spec;
    expect(pod.image_pull_secrets).toEqual([{ name: 'registry-credentials' }, { name: 'ghcr-credentials' }]);
    expect(pod.init_container[0].command).toEqual(['alembic', 'upgrade', 'head']);
    expect(pod.init_container[0].env_from).toEqual(BOTH_SECRETS);
    expect(pod.init_container[0].resources).toEqual({
      requests: { cpu: '50m', memory: '256Mi' },
      limits: { memory: '512Mi' },
    });
    const [c] = pod.container;
    expect(c.env).toEqual(TREE_ENV);
    expect(c.env_from).toEqual(BOTH_SECRETS);
    expect(c.readiness_probe.initial_delay_seconds).toBe(5);
    expect(c.liveness_probe.period_seconds).toBe(30);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '768Mi' } });
    // the tree's list, plus the two Keel rollout keys the enrolled block always ignores
    expect(d.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining([
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].init_container[0].image',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ]),
    );
  });

  it('polls the playlist hourly with the tree job settings', () => {
    const cj = comparable(at('kubernetes_cron_job_v1.poll'));
    expect(cj.spec.schedule).toBe('0 * * * *');
    expect(cj.spec.starting_deadline_seconds).toBe(600);
    expect(cj.spec.job_template.metadata.labels).toEqual({ app: 'lesson-harvester' });
    const job = cj.spec.job_template.spec;
    expect([job.backoff_limit, job.active_deadline_seconds, job.ttl_seconds_after_finished]).toEqual([
      1,
      1800,
      '86400',
    ]);
    const pod = job.template.spec;
    expect(pod.init_container[0].image_pull_policy).toBe('Always');
    expect(pod.container[0].command).toEqual(['python', '-m', 'lesson_harvester', 'poll']);
    expect(pod.container[0].resources).toEqual({
      requests: { cpu: '100m', memory: '512Mi' },
      limits: { memory: '1Gi' },
    });
    expect(cj.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });

  it('serves 8080 behind Authentik with the prometheus scrape annotations', () => {
    const svc = comparable(at('kubernetes_service.lesson_harvester'));
    expect(svc.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/metrics',
      'prometheus.io/port': '8080',
    });
    expect(svc.spec.type).toBe('ClusterIP');
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].http.path[0].backend.service.port.number).toBe(8080);
    const chain = ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).toContain('authentik');
  });
});
