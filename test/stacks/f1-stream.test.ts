// Parity of stacks/f1-stream with the tree's stacks/f1-stream (HEAD 0cd4afb6): every address the tree has
// is synthesized or moved, and the literal values and ignore_changes sets are the tree's. The Anubis rules
// are the tree's `policy_rules_yaml` heredoc (a tree payload, read at plan time); DISCORD_CHANNELS is the
// operator-supplied root variable the tree reads from its encrypted config.tfvars.
import { describe, expect, it } from 'vitest';
import f1Stream, { IMAGE } from '../../stacks/f1-stream';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import { OPERATOR_VARIABLES, operatorStandIns } from '../../lib/conventions/operator-variables';
import { comparable, treeAnubisInstance } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(f1Stream);
const TREE_ADDRESSES = [
  'kubernetes_namespace.f1-stream',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.chrome_service_client_secret',
  'module.nfs_data_host.kubernetes_persistent_volume.this',
  'module.nfs_data_host.kubernetes_persistent_volume_claim.this',
  'module.nfs_replay_cache.kubernetes_persistent_volume.this',
  'module.nfs_replay_cache.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.f1-stream',
  'kubernetes_service.f1-stream',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.anubis.kubernetes_config_map.policy',
  'module.anubis.kubernetes_manifest.ed25519_secret',
  'module.anubis.kubernetes_deployment.anubis',
  'module.anubis.kubernetes_service.anubis',
  'module.anubis.kubernetes_pod_disruption_budget_v1.anubis',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.non_proxied_a[0]', // dns_type non-proxied
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'kubernetes_manifest.f1_stream_guard_secrets', // f1-source-guard.tf
  'kubernetes_cron_job_v1.f1_stream_source_guard',
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const HEREDOC = 'tree-payloads/f1-stream/_heredoc/main.tf/policy_rules_yaml/0';
const secretRef = (name: string, key: string, optional?: true) => ({
  value_from: { secret_key_ref: { name, key, ...(optional ? { optional } : {}) } },
});

describe('stack f1-stream', () => {
  it('is in the registry, after platform and vault, with pg state under schema "f1-stream"', () => {
    expect(STACKS).toContain(f1Stream);
    expect(f1Stream.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'f1-stream' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('declares the namespace as the tree: chrome-service client, Keel-enrolled', () => {
    expect(comparable(at('kubernetes_namespace.f1-stream'))).toEqual({
      metadata: {
        name: 'f1-stream',
        labels: {
          'istio-injection': 'disabled',
          tier: '4-aux',
          'chrome-service.viktorbarzin.me/client': 'true',
          'keel.sh/enrolled': 'true',
        },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
  });

  it('syncs the app, chrome-service and guard secrets from Vault as the tree', () => {
    const es = (name: string, spec: Json) => ({
      field_manager: { force_conflicts: true },
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name, namespace: 'f1-stream' },
        spec: {
          refreshInterval: '15m',
          secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
          target: { name },
          ...spec,
        },
      },
    });
    expect(comparable(at('kubernetes_manifest.external_secret'))).toEqual(
      es('f1-stream-secrets', { dataFrom: [{ extract: { key: 'f1-stream' } }] }),
    );
    expect(comparable(at('kubernetes_manifest.chrome_service_client_secret'))).toEqual(
      es('chrome-service-client-secrets', { dataFrom: [{ extract: { key: 'chrome-service' } }] }),
    );
    expect(comparable(at('kubernetes_manifest.f1_stream_guard_secrets'))).toEqual(
      es('f1-stream-guard-secrets', {
        data: [
          {
            secretKey: 'agent_bearer_token',
            remoteRef: { key: 'claude-agent-service', property: 'api_bearer_token' },
          },
          { secretKey: 'forgejo_token', remoteRef: { key: 'ci/global', property: 'forgejo_repo_token' } },
        ],
      }),
    );
  });

  it('claims its data export and the servarr replay directory on NFS', () => {
    for (const [call, name, share, storage, mode] of [
      ['nfs_data_host', 'f1-stream-data-host', '/srv/nfs/f1-stream', '1Gi', 'ReadWriteOnce'],
      [
        'nfs_replay_cache',
        'f1-stream-replay-cache',
        '/srv/nfs/servarr/downloads/f1-replays',
        '200Gi',
        'ReadWriteMany',
      ],
    ]) {
      const pvc = at(`module.${call}.kubernetes_persistent_volume_claim.this`);
      expect(pvc.metadata).toEqual({ name, namespace: 'f1-stream' });
      expect(pvc.spec.access_modes).toEqual([mode]);
      expect(pvc.spec.resources).toEqual({ requests: { storage } });
      const pv = at(`module.${call}.kubernetes_persistent_volume.this`);
      expect(pv.spec[0].capacity).toEqual({ storage });
      expect(pv.spec[0].persistent_volume_source.csi.volume_attributes).toEqual({
        server: '192.168.1.127',
        share,
      });
    }
  });

  it('runs f1-stream as the tree: Recreate, Keel-enrolled, env in order, replay cache read-only', () => {
    expect(comparable(at('kubernetes_deployment.f1-stream'))).toEqual({
      metadata: {
        name: 'f1-stream',
        namespace: 'f1-stream',
        labels: { app: 'f1-stream', tier: '4-aux' },
        annotations: { 'reloader.stakater.com/auto': 'true' },
      },
      spec: {
        replicas: '1',
        strategy: { type: 'Recreate' },
        selector: { match_labels: { app: 'f1-stream' } },
        template: {
          metadata: { labels: { app: 'f1-stream' } },
          spec: {
            container: [
              {
                image: 'ghcr.io/viktorbarzin/f1-stream:latest',
                name: 'f1-stream',
                resources: { limits: { memory: '512Mi' }, requests: { cpu: '50m', memory: '320Mi' } },
                port: [{ container_port: 8000 }],
                env: [
                  { name: 'DISCORD_TOKEN', ...secretRef('f1-stream-secrets', 'discord_user_token') },
                  { name: 'DISCORD_CHANNELS', value: '${var.discord_f1_channel_ids}' },
                  { name: 'REDDIT_CLIENT_ID', ...secretRef('f1-stream-secrets', 'reddit_client_id', true) },
                  {
                    name: 'REDDIT_CLIENT_SECRET',
                    ...secretRef('f1-stream-secrets', 'reddit_client_secret', true),
                  },
                  {
                    name: 'CHROME_CDP_URL',
                    value: 'http://chrome-service.chrome-service.svc.cluster.local:9222',
                  },
                  { name: 'PLAYBACK_VERIFY_PROXY_BASE', value: 'http://f1.f1-stream.svc.cluster.local' },
                  { name: 'QBITTORRENT_URL', value: 'http://qbittorrent.servarr.svc' },
                  { name: 'REPLAY_CACHE_DIR', value: '/replay-cache' },
                  { name: 'REPLAY_CACHE_REMOTE_DIR', value: '/downloads/f1-replays' },
                  { name: 'REPLAY_CACHE_CAP_GB', value: '150' },
                ],
                volume_mount: [
                  { name: 'data', mount_path: '/data' },
                  { name: 'replay-cache', mount_path: '/replay-cache', read_only: true },
                ],
              },
            ],
            volume: [
              { name: 'data', persistent_volume_claim: { claim_name: 'f1-stream-data-host' } },
              { name: 'replay-cache', persistent_volume_claim: { claim_name: 'f1-stream-replay-cache' } },
            ],
            image_pull_secrets: [{ name: 'registry-credentials' }, { name: 'ghcr-credentials' }],
          },
        },
      },
      lifecycle: {
        ignore_changes: [
          'spec[0].template[0].spec[0].dns_config',
          'metadata[0].annotations["keel.sh/policy"]',
          'metadata[0].annotations["keel.sh/trigger"]',
          'metadata[0].annotations["keel.sh/pollSchedule"]',
          'metadata[0].annotations["keel.sh/match-tag"]',
          'spec[0].template[0].spec[0].container[0].image',
          'metadata[0].annotations["kubernetes.io/change-cause"]',
          'metadata[0].annotations["deployment.kubernetes.io/revision"]',
          'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        ].sort(),
      },
    });
    expect(comparable(at('kubernetes_service.f1-stream'))).toEqual({
      metadata: { name: 'f1', namespace: 'f1-stream', labels: { app: 'f1-stream' } },
      spec: { selector: { app: 'f1-stream' }, port: [{ port: 80, target_port: '8000' }] },
    });
  });

  it('takes DISCORD_CHANNELS from the operator-supplied root variable, declared as the tree (string, no default)', () => {
    expect(json.variable?.discord_f1_channel_ids).toEqual({
      type: 'string',
      description: OPERATOR_VARIABLES['discord_f1_channel_ids'].description,
    });
    // rehearse and validate feed it a stand-in; the tree's unused guild id is not declared here
    expect(operatorStandIns(json)).toEqual({
      discord_f1_channel_ids: OPERATOR_VARIABLES['discord_f1_channel_ids'].standIn,
    });
    expect(json.variable?.discord_f1_guild_id).toBeUndefined();
  });

  it("renders the anubis module resources as the tree, the rules from the stack's heredoc (store DB 6)", () => {
    const tree = treeAnubisInstance({
      name: 'f1',
      namespace: 'f1-stream',
      targetUrl: 'http://f1.f1-stream.svc.cluster.local',
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/6',
      rulesPayload: HEREDOC,
    });
    for (const [address, expected] of Object.entries(tree)) {
      expect(comparable(at(`module.anubis.${address}`)), address).toEqual(comparable(expected));
    }
    const policy: string = at('module.anubis.kubernetes_config_map.policy').data['botPolicies.yaml'];
    expect(policy).toContain(`trimspace(templatefile("\${path.root}/../../../${HEREDOC}", {}))`);
    expect(policy).not.toContain('default-policy-rules.yaml');
  });

  it('declares the heredoc as a payload, guarded on the policy ConfigMap and the Anubis Deployment', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: '_modules', file: 'anubis_instance/trusted-local-rule-comments.yaml' },
      { stack: 'f1-stream', file: '_heredoc/main.tf/policy_rules_yaml/0' },
    ]);
    for (const address of [
      'module.anubis.kubernetes_config_map.policy',
      'module.anubis.kubernetes_deployment.anubis',
    ]) {
      const guards = at(address).lifecycle.precondition.map((p: Json) => p.error_message);
      expect(guards, address).toEqual([
        expect.stringContaining('tree-payloads/_modules/anubis_instance/trusted-local-rule-comments.yaml'),
        expect.stringContaining(HEREDOC),
      ]);
    }
  });

  it('routes f1 through Anubis, non-proxied (A + AAAA), with x402 and the homepage tile', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toBe(
      [
        'traefik-real-ip@kubernetescrd',
        'traefik-retry@kubernetescrd',
        'traefik-error-pages@kubernetescrd',
        'traefik-rate-limit@kubernetescrd',
        'traefik-csp-headers@kubernetescrd',
        'traefik-x402@kubernetescrd',
      ].join(','),
    );
    expect(ingress.metadata.annotations).toMatchObject({
      'gethomepage.dev/enabled': 'true',
      'gethomepage.dev/name': 'F1 Stream',
      'gethomepage.dev/description': 'Formula 1 live streams',
      'gethomepage.dev/icon': 'si-f1',
      'gethomepage.dev/group': 'Media & Entertainment',
      'gethomepage.dev/pod-selector': '',
      'cloudflare.viktorbarzin.me/dns-type': 'non-proxied',
    });
    expect(ingress.spec.rule[0].host).toBe('f1.viktorbarzin.me');
    expect(ingress.spec.rule[0].http.path[0].backend.service).toEqual({
      name: 'anubis-f1',
      port: { number: 8080 },
    });
    expect(at('module.ingress.cloudflare_record.non_proxied_a[0]')).toMatchObject({
      name: 'f1',
      type: 'A',
      content: '176.12.22.76',
      proxied: false,
    });
    expect(at('module.ingress.cloudflare_record.non_proxied_aaaa[0]')).toMatchObject({
      name: 'f1',
      type: 'AAAA',
      proxied: false,
    });
  });

  it('runs the source guard every six hours on the same image, after its secrets, as the tree', () => {
    const cron = at('kubernetes_cron_job_v1.f1_stream_source_guard');
    expect(cron.depends_on).toEqual([
      'kubernetes_manifest.f1_stream_guard_secrets',
      'kubernetes_manifest.external_secret',
    ]);
    const labels = { app: 'f1-stream-source-guard' };
    expect(comparable(cron)).toEqual({
      metadata: {
        name: 'f1-stream-source-guard',
        namespace: 'f1-stream',
        labels: { ...labels, tier: '4-aux' },
      },
      spec: {
        schedule: '0 */6 * * *',
        concurrency_policy: 'Forbid',
        successful_jobs_history_limit: 3,
        failed_jobs_history_limit: 3,
        starting_deadline_seconds: 600,
        job_template: {
          metadata: { labels },
          spec: {
            backoff_limit: 1,
            active_deadline_seconds: 3300,
            ttl_seconds_after_finished: '86400',
            template: {
              metadata: { labels },
              spec: {
                restart_policy: 'OnFailure',
                image_pull_secrets: [{ name: 'registry-credentials' }, { name: 'ghcr-credentials' }],
                container: [
                  {
                    name: 'guard',
                    image: IMAGE,
                    image_pull_policy: 'Always',
                    command: ['python', '-m', 'backend.guard'],
                    resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '384Mi' } },
                    env: [
                      { name: 'GUARD_DRY_RUN', value: 'false' },
                      { name: 'GUARD_ATTEMPT_CAP', value: '2' },
                      { name: 'GUARD_COOLDOWN_HOURS', value: '12' },
                      {
                        name: 'GUARD_AGENT_TOKEN',
                        ...secretRef('f1-stream-guard-secrets', 'agent_bearer_token'),
                      },
                      {
                        name: 'GUARD_FORGEJO_TOKEN',
                        ...secretRef('f1-stream-guard-secrets', 'forgejo_token'),
                      },
                      {
                        name: 'GUARD_SLACK_WEBHOOK',
                        ...secretRef('f1-stream-secrets', 'guard_slack_webhook', true),
                      },
                    ],
                  },
                ],
              },
            },
          },
        },
      },
      lifecycle: { ignore_changes: ['spec[0].job_template[0].spec[0].template[0].spec[0].dns_config'] },
    });
  });
});
