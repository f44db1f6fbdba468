// f1-stream: the owner's Formula 1 stream aggregator (SvelteKit SPA + FastAPI) behind Anubis, with a replay
// cache on the servarr downloads export and a six-hourly source guard that dispatches an agent fix when an
// upstream link dies. Tree: stacks/f1-stream.
//
// DISCORD_CHANNELS comes from `var.discord_f1_channel_ids`, which only the tree's git-crypt encrypted
// config.tfvars holds: the stack declares the same root variable (operatorVariable), so the operator
// supplies it at plan time as before (`-var-file` of the decrypted config.tfvars, or
// `TF_VAR_discord_f1_channel_ids`). The tree's `discord_f1_guild_id` is read nowhere and not declared here.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Volume } from '../constructs/blocks/workload';
import { AnubisSite } from '../constructs/patterns/anubis-site';
import { homepage, reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';
import { operatorVariable } from '../lib/terraform/operator-variable';
import { treeHeredoc } from '../lib/terraform/tree-payload';

/** The tree's `image_tag` default: CI sets the live tag (`kubectl set image`), Terraform ignores it. */
export const IMAGE = 'ghcr.io/viktorbarzin/f1-stream:latest';
const LATEST = 'tree parity: the tree runs ghcr.io/viktorbarzin/f1-stream:latest; Keel tracks the tag';
const APP_SECRETS = 'f1-stream-secrets';
const GUARD_SECRETS = 'f1-stream-guard-secrets';
/** Private ghcr image (Kyverno clones ghcr-credentials in), plus the Forgejo registry's pull secret. */
const PULL_SECRETS = ['registry-credentials', 'ghcr-credentials'];

export default defineStack({
  name: 'f1-stream',
  description: 'F1 stream aggregator behind Anubis, replay cache on the servarr export, source-guard CronJob',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'f1-stream', {
      tier: Tier.AUX,
      // admitted through chrome-service's CDP NetworkPolicy (the stream verifier drives its browsers)
      labels: { 'chrome-service.viktorbarzin.me/client': 'true' },
    });
    const appSecrets = new ExternalSecret(stack, 'external_secret', {
      name: APP_SECRETS,
      namespace: ns,
      refreshInterval: '15m',
      extractPaths: ['f1-stream'],
    });
    // The chrome-service token, kept for the snapshot endpoint that shares its Vault key.
    new ExternalSecret(stack, 'chrome_service_client_secret', {
      name: 'chrome-service-client-secrets',
      namespace: ns,
      refreshInterval: '15m',
      extractPaths: ['chrome-service'],
    });

    const hostData = new NfsVolume(stack, 'nfs_data_host', {
      name: 'f1-stream-data-host',
      namespace: ns,
      nfsPath: '/srv/nfs/f1-stream',
      storage: '1Gi',
      accessModes: ['ReadWriteOnce'],
      legacyAddress: 'module.nfs_data_host',
    });
    // A second claim on qBittorrent's downloads export (a PVC cannot cross namespaces): replays are served
    // while qBittorrent is still writing them.
    const replayCache = new NfsVolume(stack, 'nfs_replay_cache', {
      name: 'f1-stream-replay-cache',
      namespace: ns,
      nfsPath: '/srv/nfs/servarr/downloads/f1-replays',
      storage: '200Gi',
      accessModes: ['ReadWriteMany'],
      legacyAddress: 'module.nfs_replay_cache',
    });
    const data = Volume.fromPvc('data', hostData.claimName);
    const replays = Volume.fromPvc('replay-cache', replayCache.claimName);

    const app = new Deployment(stack, 'f1-stream', {
      namespace: ns,
      name: 'f1-stream',
      annotations: reloader('auto'),
      strategy: 'Recreate',
      imagePullSecrets: PULL_SECRETS,
      containers: [
        {
          name: 'f1-stream',
          image: IMAGE,
          // two processes (uvicorn + Playwright's driver): the limit sits above their observed peak
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(320),
            memoryLimit: Size.mebibytes(512),
          },
          ports: [8000],
          env: {
            DISCORD_TOKEN: { secretName: APP_SECRETS, key: 'discord_user_token' },
            DISCORD_CHANNELS: operatorVariable(stack, 'discord_f1_channel_ids').stringValue,
            // optional: without Reddit credentials the app runs with replays off
            REDDIT_CLIENT_ID: { secretName: APP_SECRETS, key: 'reddit_client_id', optional: true },
            REDDIT_CLIENT_SECRET: { secretName: APP_SECRETS, key: 'reddit_client_secret', optional: true },
            CHROME_CDP_URL: 'http://chrome-service.chrome-service.svc.cluster.local:9222',
            // the remote browser reaches the embed proxy through this pod's own Service
            PLAYBACK_VERIFY_PROXY_BASE: 'http://f1.f1-stream.svc.cluster.local',
            QBITTORRENT_URL: 'http://qbittorrent.servarr.svc',
            REPLAY_CACHE_DIR: '/replay-cache',
            REPLAY_CACHE_REMOTE_DIR: '/downloads/f1-replays', // the same directory as qBittorrent sees it
            REPLAY_CACHE_CAP_GB: '150',
          },
          volumeMounts: [
            { volume: data, mountPath: '/data' },
            { volume: replays, mountPath: '/replay-cache', readOnly: true }, // qBittorrent owns the files
          ],
        },
      ],
      volumes: [data, replays],
    });
    suppressRule(app, 'images-pinned', LATEST);
    const service = app.exposeViaService({
      name: 'f1',
      addressName: 'f1-stream',
      ports: [{ port: 80, targetPort: 8000 }],
    });

    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    // The tree's own rules: the SPA's JSON/XHR routes and `_app/` assets pass, the HTML pages are challenged.
    new AnubisSite(stack, 'anubis', {
      name: 'f1',
      namespace: ns,
      backend: service,
      sharedStoreUrl: 'redis://redis-master.redis.svc.cluster.local:6379/6',
      policyRules: treeHeredoc(stack, 'policy_rules_yaml'),
      ingress: {
        dnsType: DnsType.NON_PROXIED,
        extraMiddlewares: ['traefik-x402@kubernetescrd'],
        extraAnnotations: homepage('F1 Stream', 'Formula 1 live streams', 'si-f1', 'Media & Entertainment'),
        legacyAddress: 'module.ingress',
      },
      legacyAddress: 'module.anubis',
    });

    // --- Source guard: probes each extractor's upstream; a dead link dispatches the fixer agent.
    const guardSecrets = new ExternalSecret(stack, 'f1_stream_guard_secrets', {
      name: GUARD_SECRETS,
      namespace: ns,
      refreshInterval: '15m',
      data: [
        {
          secretKey: 'agent_bearer_token',
          vault: { path: 'claude-agent-service', property: 'api_bearer_token' },
        },
        // repository-scoped token: the guard counts recent auto-fix commits for its cooldown
        { secretKey: 'forgejo_token', vault: { path: 'ci/global', property: 'forgejo_repo_token' } },
      ],
    });
    const labels = { app: 'f1-stream-source-guard' };
    const guard = new CronJob(stack, 'f1_stream_source_guard', {
      namespace: ns,
      name: 'f1-stream-source-guard',
      labels: { ...labels, tier: ns.tier },
      jobMetadata: { labels },
      podLabels: labels,
      schedule: '0 */6 * * *',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      startingDeadline: Duration.minutes(10),
      backoffLimit: 1,
      activeDeadline: Duration.minutes(55), // long enough to wait out a fix job
      ttlAfterFinished: Duration.days(1),
      restartPolicy: 'OnFailure',
      imagePullSecrets: PULL_SECRETS,
      containers: [
        {
          name: 'guard',
          // the Deployment's image, so the probes match the extractors in production
          image: IMAGE,
          imagePullPolicy: 'Always',
          command: ['python', '-m', 'backend.guard'],
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(256),
            memoryLimit: Size.mebibytes(384),
          },
          env: {
            GUARD_DRY_RUN: 'false', // fixes ship without approval
            GUARD_ATTEMPT_CAP: '2',
            GUARD_COOLDOWN_HOURS: '12',
            GUARD_AGENT_TOKEN: { secretName: GUARD_SECRETS, key: 'agent_bearer_token' },
            GUARD_FORGEJO_TOKEN: { secretName: GUARD_SECRETS, key: 'forgejo_token' },
            // optional: notifications start once the key exists in Vault
            GUARD_SLACK_WEBHOOK: { secretName: APP_SECRETS, key: 'guard_slack_webhook', optional: true },
          },
        },
      ],
      dependsOn: [guardSecrets.resource, appSecrets.resource],
    });
    suppressRule(guard, 'images-pinned', LATEST);
  },
});
