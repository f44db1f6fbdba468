// ForgejoRegistry: defaults and addresses, settings and sign-up wiring, the retention and integrity-probe
// CronJobs (their synthesized script + env run against fakes), and one test per guard.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FORGEJO_QUOTA,
  ForgejoRegistry,
  type ForgejoRegistryProps,
  forgejoSetting,
} from '../../../constructs/patterns/forgejo-registry';
import { DnsType } from '../../../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { EncryptedPvc } from '../../../constructs/blocks/encrypted-pvc';
import { readScript } from '../../../lib/core/paths';
import { terraformUnescape } from '../../../lib/terraform/tf-literal';
import { Tier } from '../../../lib/conventions/tiers';
import { type FakeServer, run, startFakeServer, tempDir } from '../../support/fakes';
import {
  addresses,
  expectConfigError,
  type Json,
  moves,
  resolveNames,
  resource,
  synth,
  type TfJson,
  testStack,
  unescapedTemplates,
} from '../../support/synth';

const IMAGE = 'codeberg.org/forgejo/forgejo:11.0.14';
const RETENTION = { owner: 'viktor', token: { path: 'viktor', property: 'forgejo_cleanup_token' } };
const BUSYBOX = fs.realpathSync('/usr/bin/busybox');

const base = (extra: Partial<ForgejoRegistryProps> = {}): ForgejoRegistryProps => ({
  image: IMAGE,
  retention: RETENTION,
  ...extra,
});
function synthWith(extra: Partial<ForgejoRegistryProps> = {}, id = 'git'): TfJson {
  const s = testStack();
  new ForgejoRegistry(s, id, base(extra));
  return synth(s);
}
const build = (extra: Partial<ForgejoRegistryProps>) => () =>
  new ForgejoRegistry(testStack(), 'git', base(extra));
const envOf = (container: Json): Array<[string, unknown]> =>
  (container.env as Json[]).map((e) => [e.name, e.value ?? e.value_from]);

/** The literal env of a CronJob container; `secrets` supplies the values of secretKeyRef variables. */
function jobEnv(job: Json, secrets: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of job.spec.job_template.spec.template.spec.container[0].env as Json[]) {
    if (e.value !== undefined) out[e.name] = e.value;
    else out[e.name] = secrets[e.name] ?? '';
  }
  return out;
}

/** Writes the script a ConfigMap carries (as the pod sees it: Terraform-unescaped) to a temp file. */
function scriptFromConfigMap(cm: Json, key: string, dir: string): string {
  const file = path.join(dir, key);
  fs.writeFileSync(file, terraformUnescape(cm.data[key]));
  return file;
}

describe('ForgejoRegistry: defaults', () => {
  const json = synthWith();
  const r = (type: string, name: string): Json => resolveNames(json, resource(json, type, name));

  it('addresses follow the construct id; no sign-up resources, no probe, no moved blocks', () => {
    expect([...addresses(json)].sort()).toEqual(
      [
        'data.vault_kv_secret_v2.git_viktor',
        'kubernetes_namespace.git',
        'kubernetes_resource_quota.git',
        'kubernetes_secret.git_tls_secret',
        'kubernetes_persistent_volume_claim.git_data',
        'kubernetes_deployment.git',
        'kubernetes_service.git',
        'kubernetes_ingress_v1.git_ingress',
        'kubernetes_manifest.git_ingress_buffering',
        'data.vault_kv_secret_v2.cf_platform',
        'cloudflare_record.git_ingress_non_proxied_a',
        'cloudflare_record.git_ingress_non_proxied_aaaa',
        'kubernetes_config_map.git_cleanup_script',
        'kubernetes_secret.git_cleanup_token',
        'kubernetes_cron_job_v1.git_cleanup',
      ].sort(),
    );
    expect(moves(json).size).toBe(0);
  });

  it('namespace "forgejo" on the edge tier with the forgejo quota', () => {
    expect(r('kubernetes_namespace', 'git').metadata.labels).toEqual({
      'istio-injection': 'disabled',
      tier: '3-edge',
      'keel.sh/enrolled': 'true',
      'resource-governance/custom-quota': 'true',
    });
    expect(r('kubernetes_resource_quota', 'git').spec.hard).toEqual(FORGEJO_QUOTA);
  });

  it('Deployment: pinned image, Keel never, Reloader, Recreate, fs_group, minimal env, image NOT ignored', () => {
    const d = r('kubernetes_deployment', 'git');
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'never',
      'reloader.stakater.com/auto': 'true',
    });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.template.spec.security_context).toEqual({ fs_group: '1000' });
    const c = d.spec.template.spec.container[0];
    expect(c.image).toBe(IMAGE);
    expect(envOf(c)).toEqual([
      ['USER_UID', '1000'],
      ['USER_GID', '1000'],
      ['FORGEJO__server__ROOT_URL', 'https://forgejo.viktorbarzin.me'],
      ['FORGEJO__packages__ENABLED', 'true'],
    ]);
    expect(c.resources).toEqual({ requests: { cpu: '15m', memory: '1.5Gi' }, limits: { memory: '2Gi' } });
    expect(d.depends_on).toBeUndefined();
    expect(d.lifecycle.ignore_changes).not.toContain('spec[0].template[0].spec[0].container[0].image');
    expect(d.lifecycle.ignore_changes).not.toContain('metadata[0].annotations["keel.sh/policy"]');
    expect(d.lifecycle.ignore_changes).toContain('metadata[0].annotations["keel.sh/trigger"]');
  });

  it('ingress without forward-auth, non-proxied, 5g body; PVC 30Gi -> 50Gi', () => {
    const ing = r('kubernetes_ingress_v1', 'git_ingress');
    expect(ing.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toMatch(
      /authentik/,
    );
    expect(ing.metadata.annotations['cloudflare.viktorbarzin.me/dns-type']).toBe('non-proxied');
    expect(r('kubernetes_manifest', 'git_ingress_buffering').manifest.spec.buffering).toEqual({
      maxRequestBodyBytes: 5368709120,
    });
    const pvc = r('kubernetes_persistent_volume_claim', 'git_data');
    expect(pvc.metadata.name).toBe('forgejo-data-encrypted');
    expect(pvc.spec.resources.requests.storage).toBe('30Gi');
    expect(pvc.metadata.annotations['resize.topolvm.io/storage_limit']).toBe('50Gi');
  });

  it('retention: dry run by default, daily 04:00, keep 10, the owner token from Vault through try()', () => {
    const job = r('kubernetes_cron_job_v1', 'git_cleanup');
    expect(job.spec.schedule).toBe('0 4 * * *');
    expect(jobEnv(job)).toEqual({
      FORGEJO_TOKEN: '',
      FORGEJO_HOST: 'http://forgejo.forgejo.svc.cluster.local',
      FORGEJO_OWNER: 'viktor',
      KEEP_LAST_N: '10',
      DRY_RUN: 'true',
    });
    expect(resource(json, 'kubernetes_secret', 'git_cleanup_token').data).toEqual({
      FORGEJO_TOKEN: '${try(data.vault_kv_secret_v2.git_viktor.data["forgejo_cleanup_token"], "")}',
    });
    const cm = r('kubernetes_config_map', 'git_cleanup_script');
    expect(terraformUnescape(cm.data['cleanup.sh'])).toBe(readScript('forgejo-retention.sh'));
    expect(unescapedTemplates(json.resource)).toEqual([]);
  });
});

describe('ForgejoRegistry: settings, sign-up, naming', () => {
  it('forgejoSetting escapes section and key characters the env-to-ini way', () => {
    expect(forgejoSetting('git.timeout', 'DEFAULT')).toBe('FORGEJO__git_0X2E_timeout__DEFAULT');
    expect(forgejoSetting('git.config', 'gc.auto')).toBe('FORGEJO__git_0X2E_config__gc_0X2E_auto');
    expect(forgejoSetting('cron.git-gc', 'ENABLED')).toBe('FORGEJO__cron_0X2E_git_0X2D_gc__ENABLED');
    expect(forgejoSetting('service', 'DISABLE_REGISTRATION')).toBe('FORGEJO__service__DISABLE_REGISTRATION');
  });

  it('settings keep their order; packages ENABLED stays where listed, else is appended', () => {
    const listed = synthWith({
      settings: { FORGEJO__a__X: '1', FORGEJO__packages__ENABLED: 'true', FORGEJO__b__Y: '2' },
    });
    const names = (j: TfJson) =>
      envOf(resource(j, 'kubernetes_deployment', 'git').spec.template.spec.container[0]).map(([n]) => n);
    expect(names(listed).slice(3)).toEqual(['FORGEJO__a__X', 'FORGEJO__packages__ENABLED', 'FORGEJO__b__Y']);
    const appended = synthWith({ settings: { FORGEJO__a__X: '1' } });
    expect(names(appended).slice(3)).toEqual(['FORGEJO__a__X', 'FORGEJO__packages__ENABLED']);
  });

  it('Turnstile only: widget + secret + captcha env, no mail confirmation, no ExternalSecret', () => {
    const json = synthWith({ signup: { turnstile: { mode: 'invisible' } }, host: 'git' });
    expect(resource(json, 'cloudflare_turnstile_widget', 'git_signup')).toEqual({
      account_id: '${data.cloudflare_accounts.main.accounts[0].id}',
      name: 'forgejo-signup',
      domains: ['git.viktorbarzin.me'],
      mode: 'invisible',
    });
    const env = envOf(resource(json, 'kubernetes_deployment', 'git').spec.template.spec.container[0]);
    expect(env.slice(4).map(([n]) => n)).toEqual([
      'FORGEJO__service__ENABLE_CAPTCHA',
      'FORGEJO__service__CAPTCHA_TYPE',
      'FORGEJO__service__CF_TURNSTILE_SITEKEY',
      'FORGEJO__service__CF_TURNSTILE_SECRET',
    ]);
    expect(json.resource?.kubernetes_manifest?.git_email_secret).toBeUndefined();
  });

  it('mailer: ExternalSecret with the Reloader match template, deployment depends on it, confirm on', () => {
    const json = synthWith({
      signup: {
        mailer: {
          from: 'Git <noreply@example.org>',
          user: 'noreply@example.org',
          password: { path: 'mail', property: 'smtp' },
          smtpPort: 465,
          protocol: 'smtps',
        },
        oauth2AutoRegistration: false,
      },
    });
    const es = resource(json, 'kubernetes_manifest', 'git_email_secret').manifest;
    expect(es.metadata).toEqual({ name: 'forgejo-email', namespace: 'forgejo' });
    expect(es.spec.target.template).toEqual({
      metadata: { annotations: { 'reloader.stakater.com/match': 'true' } },
    });
    expect(es.spec.data).toEqual([{ secretKey: 'PASSWD', remoteRef: { key: 'mail', property: 'smtp' } }]);
    const d = resource(json, 'kubernetes_deployment', 'git');
    expect(d.depends_on).toEqual(['kubernetes_manifest.git_email_secret']);
    expect(envOf(d.spec.template.spec.container[0]).slice(4)).toEqual([
      ['FORGEJO__service__REGISTER_EMAIL_CONFIRM', 'true'],
      ['FORGEJO__mailer__ENABLED', 'true'],
      ['FORGEJO__mailer__PROTOCOL', 'smtps'],
      ['FORGEJO__mailer__SMTP_ADDR', 'mail.viktorbarzin.me'],
      ['FORGEJO__mailer__SMTP_PORT', '465'],
      ['FORGEJO__mailer__FROM', 'Git <noreply@example.org>'],
      ['FORGEJO__mailer__USER', 'noreply@example.org'],
      ['FORGEJO__mailer__PASSWD', { secret_key_ref: { name: 'forgejo-email', key: 'PASSWD' } }],
      ['FORGEJO__oauth2_client__ENABLE_AUTO_REGISTRATION', 'false'],
    ]);
    expect(json.data?.cloudflare_accounts).toBeUndefined();
  });

  it('names, ignoreImageChanges, custom retention, explicit PVC address', () => {
    const json = synthWith({
      name: 'code',
      namespace: 'git-ns',
      storage: { addressName: 'data_encrypted', name: 'code-data' },
      ignoreImageChanges: true,
      retention: {
        ...RETENTION,
        token: { path: 'ci/global', property: 't' },
        keepLastN: 3,
        dryRun: false,
        name: 'prune',
      },
    });
    expect(resource(json, 'kubernetes_persistent_volume_claim', 'data_encrypted').metadata.name).toBe(
      'code-data',
    );
    const d = resource(json, 'kubernetes_deployment', 'git');
    expect(d.metadata.name).toBe('code');
    expect(d.lifecycle.ignore_changes).toContain('spec[0].template[0].spec[0].container[0].image');
    expect(resource(json, 'kubernetes_namespace', 'git').metadata.name).toBe('git-ns');
    expect(json.data?.vault_kv_secret_v2?.git_ci_global).toEqual({ mount: 'secret', name: 'ci/global' });
    const job = resolveNames(json, resource(json, 'kubernetes_cron_job_v1', 'git_cleanup'));
    expect(job.metadata.name).toBe('prune');
    expect(jobEnv(job)).toMatchObject({
      FORGEJO_HOST: 'http://code.git-ns.svc.cluster.local',
      KEEP_LAST_N: '3',
      DRY_RUN: 'false',
    });
    expect(job.spec.job_template.spec.template.spec.volume[0].config_map.name).toBe('prune-script');
    expect(resource(json, 'kubernetes_secret', 'git_cleanup_token').metadata.name).toBe('prune-token');
  });

  it('TieredNamespace and EncryptedPvc take an explicit Terraform name', () => {
    const s = testStack();
    const ns = new TieredNamespace(s, 'inner', {
      name: 'x',
      tier: Tier.AUX,
      quotaHard: { pods: '3' },
      addressName: 'outer',
    });
    new EncryptedPvc(s, 'pvc', { name: 'x-data', namespace: ns, addressName: 'legacy_data' });
    expect([...addresses(synth(s))].sort()).toEqual([
      'kubernetes_namespace.outer',
      'kubernetes_persistent_volume_claim.legacy_data',
      'kubernetes_resource_quota.outer',
    ]);
  });
});

describe('ForgejoRegistry: integrity probe', () => {
  const probeProps: Partial<ForgejoRegistryProps> = {
    integrityProbe: {
      namespace: 'monitoring',
      credentials: { user: 'cluster-puller', token: { path: 'viktor', property: 'forgejo_pull_token' } },
      repositories: ['viktor/app', 'viktor/infra/ci'],
      maxTags: 5,
    },
  };
  const json = synthWith(probeProps);

  it('ConfigMap with the tested script, credentials Secret from Vault, CronJob every 15 min in monitoring', () => {
    const cm = resource(json, 'kubernetes_config_map', 'git_integrity_script');
    expect(cm.metadata).toEqual({ name: 'forgejo-integrity-probe-script', namespace: 'monitoring' });
    expect(terraformUnescape(cm.data['registry-integrity.sh'])).toBe(readScript('registry-integrity.sh'));
    const secret = resource(json, 'kubernetes_secret', 'git_integrity_credentials');
    expect(secret).toEqual({
      metadata: { name: 'forgejo-integrity-probe-credentials', namespace: 'monitoring' },
      type: 'Opaque',
      data: { REGISTRY_TOKEN: '${try(data.vault_kv_secret_v2.git_viktor.data["forgejo_pull_token"], "")}' },
    });
    // Same Vault path as the retention token: one data source.
    expect(Object.keys(json.data?.vault_kv_secret_v2 ?? {}).sort()).toEqual(['cf_platform', 'git_viktor']);
    const job = resolveNames(json, resource(json, 'kubernetes_cron_job_v1', 'git_integrity_probe'));
    expect(job.metadata).toEqual({ name: 'forgejo-integrity-probe', namespace: 'monitoring' });
    expect(job.spec.schedule).toBe('*/15 * * * *');
    expect(job.spec.concurrency_policy).toBe('Forbid');
    const pod = job.spec.job_template.spec.template.spec;
    expect(pod.container[0].command).toEqual(['/bin/sh', '/scripts/registry-integrity.sh']);
    expect(pod.volume).toEqual([
      { name: 'scripts', config_map: { name: 'forgejo-integrity-probe-script', default_mode: '0755' } },
    ]);
    expect(pod.container[0].env).toEqual([
      { name: 'REGISTRY_URL', value: 'http://forgejo.forgejo.svc.cluster.local' },
      { name: 'REGISTRY_USER', value: 'cluster-puller' },
      {
        name: 'REGISTRY_TOKEN',
        value_from: {
          secret_key_ref: { name: 'forgejo-integrity-probe-credentials', key: 'REGISTRY_TOKEN' },
        },
      },
      { name: 'REPOSITORIES', value: 'viktor/app viktor/infra/ci' },
      { name: 'MAX_TAGS', value: '5' },
    ]);
    expect(pod.container[0].resources).toEqual({
      requests: { cpu: '10m', memory: '32Mi' },
      limits: { memory: '128Mi' },
    });
    expect(job.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
    expect(unescapedTemplates(json.resource)).toEqual([]);
  });

  it('anonymous, in the registry namespace by reference, when nothing is set', () => {
    const j = synthWith({ integrityProbe: {} });
    expect(j.resource?.kubernetes_secret?.git_integrity_credentials).toBeUndefined();
    const job = resource(j, 'kubernetes_cron_job_v1', 'git_integrity_probe');
    expect(job.metadata.namespace).toBe('${kubernetes_namespace.git.metadata[0].name}');
    expect(job.spec.job_template.spec.template.spec.container[0].env).toEqual([
      { name: 'REGISTRY_URL', value: 'http://forgejo.forgejo.svc.cluster.local' },
    ]);
  });
});

describe('ForgejoRegistry: the synthesized jobs run', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  async function serve(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
    const srv = await startFakeServer(handler);
    cleanups.push(() => srv.close());
    return srv;
  }
  function workdir(): string {
    const t = tempDir('forgejo-job-');
    cleanups.push(t.cleanup);
    return t.dir;
  }

  /** A Forgejo package API with three versions of one package; DELETE answers `deleteStatus`. */
  const packages = (deleteStatus: number) => (req: { method: string; url: string }) => {
    const url = new URL(req.url, 'http://fake');
    if (url.pathname === '/api/v1/user') return { body: { login: 'viktor' } };
    if (req.method === 'GET' && url.pathname === '/api/v1/packages/viktor') {
      if (url.searchParams.get('page') !== '1') return { body: [] };
      return {
        body: ['2026-01-01', '2026-01-02', '2026-01-03'].map((d, i) => ({
          id: i,
          type: 'container',
          name: 'app',
          version: `v${i + 1}`,
          created_at: `${d}T00:00:00Z`,
          owner: { login: 'viktor' },
        })),
      };
    }
    if (req.method === 'DELETE')
      return { status: deleteStatus, body: deleteStatus >= 300 ? { message: 'no' } : '' };
    return { status: 404, body: {} };
  };

  async function runRetention(deleteStatus: number) {
    const json = synthWith({ retention: { ...RETENTION, keepLastN: 1, dryRun: false } });
    const srv = await serve(packages(deleteStatus));
    const file = scriptFromConfigMap(
      resource(json, 'kubernetes_config_map', 'git_cleanup_script'),
      'cleanup.sh',
      workdir(),
    );
    const env = jobEnv(resource(json, 'kubernetes_cron_job_v1', 'git_cleanup'), { FORGEJO_TOKEN: 'tok' });
    const result = await run([BUSYBOX, 'sh', file], { env: { ...env, FORGEJO_HOST: srv.url } });
    const deletes = srv.requests
      .filter((q) => q.method === 'DELETE')
      .map((q) => q.url)
      .sort();
    return { result, deletes };
  }

  it('retention with the CronJob env deletes all but the newest version', async () => {
    const { result, deletes } = await runRetention(204);
    expect(result.code).toBe(0);
    expect(deletes).toEqual([
      '/api/v1/packages/viktor/container/app/v1',
      '/api/v1/packages/viktor/container/app/v2',
    ]);
  });

  it('retention fails the job when DELETEs are refused (a token of the wrong user): never silent', async () => {
    const { result, deletes } = await runRetention(403);
    expect(deletes).toHaveLength(2);
    expect(result.code).toBe(1);
  });

  it('the probe with the CronJob env exits non-zero naming a missing manifest', async () => {
    const srv = await serve((req) => {
      const url = new URL(req.url, 'http://fake');
      if (req.headers.authorization !== `Basic ${Buffer.from('cluster-puller:pull').toString('base64')}`)
        return { status: 401, body: {} };
      if (url.pathname === '/v2/viktor/app/tags/list')
        return { body: { name: 'viktor/app', tags: ['latest'] } };
      return { status: 404, body: { errors: [{ code: 'MANIFEST_UNKNOWN' }] } };
    });
    const s = testStack();
    new ForgejoRegistry(
      s,
      'git',
      base({
        integrityProbe: {
          registryUrl: srv.url,
          repositories: ['viktor/app'],
          credentials: { user: 'cluster-puller', token: { path: 'viktor', property: 'forgejo_pull_token' } },
        },
      }),
    );
    const json = synth(s);
    const file = scriptFromConfigMap(
      resource(json, 'kubernetes_config_map', 'git_integrity_script'),
      'registry-integrity.sh',
      workdir(),
    );
    const env = jobEnv(resource(json, 'kubernetes_cron_job_v1', 'git_integrity_probe'), {
      REGISTRY_TOKEN: 'pull',
    });
    expect(env.REGISTRY_URL).toBe(srv.url);
    const result = await run([BUSYBOX, 'sh', file], { env });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/MISSING.*viktor\/app.*latest/);
  });
});

describe('ForgejoRegistry: guards', () => {
  const at = 'test-stack/git';

  it('retention.keepLastN must be >= 1', () => {
    const e = expectConfigError(build({ retention: { ...RETENTION, keepLastN: 0 } }));
    expect(e.constructPath).toBe(at);
    expect(e.prop).toBe('retention.keepLastN');
    expect(e.message).toBe(`${at}: invalid retention.keepLastN = 0; allowed: an integer from 1 to 999999`);
  });

  it('schedules must be cron expressions (retention and probe)', () => {
    const e = expectConfigError(build({ retention: { ...RETENTION, schedule: 'daily at 4' } }));
    expect(e.message).toBe(
      `${at}: invalid retention.schedule = "daily at 4"; allowed: a 5-field cron expression such as "0 4 * * *" or "*/5 * * * *"`,
    );
    const p = expectConfigError(build({ integrityProbe: { schedule: '*/15 * * *' } }));
    expect(p.prop).toBe('integrityProbe.schedule');
    expect(p.message).toContain('invalid integrityProbe.schedule = "*/15 * * *"; allowed: a 5-field cron');
  });

  it('retention.owner must be a Forgejo user name', () => {
    for (const owner of ['-viktor', 'vik tor', 'a..b', 'x'.repeat(41), '']) {
      const e = expectConfigError(build({ retention: { ...RETENTION, owner } }));
      expect(e.prop).toBe('retention.owner');
      expect(e.message).toContain(
        `invalid retention.owner = ${JSON.stringify(owner)}; allowed: a Forgejo user name`,
      );
    }
    expect(() => build({ retention: { ...RETENTION, owner: 'ci-pusher.bot_1' } })()).not.toThrow();
  });

  it('memory request <= limit (Forgejo and the jobs)', () => {
    const e = expectConfigError(build({ resources: { memoryRequest: '3Gi', memoryLimit: '2Gi' } }));
    expect(e.prop).toBe('resources.memory');
    expect(e.message).toBe(
      `${at}: invalid resources.memory = {"request":"3Gi","limit":"2Gi"}; allowed: a request no larger than the limit (3Gi > 2Gi)`,
    );
    const j = expectConfigError(
      build({ retention: { ...RETENTION, resources: { memoryRequest: '200Mi', memoryLimit: '96Mi' } } }),
    );
    expect(j.prop).toBe('retention.resources.memory');
  });

  it('the pod must fit the namespace quota', () => {
    const e = expectConfigError(build({ resources: { memoryRequest: '9Gi', memoryLimit: '9Gi' } }));
    expect(e.message).toBe(
      `${at}: invalid resources.memoryRequest = "9Gi"; allowed: at most the namespace quota requests.memory = 8Gi (or raise quotaHard)`,
    );
  });

  it('maxBodySize format', () => {
    const e = expectConfigError(build({ maxBodySize: '5gb' }));
    expect(e.message).toBe(
      `${at}/ingress: invalid maxBodySize = "5gb"; allowed: digits with an optional k, m or g suffix, e.g. "5g", "100m", "512k"`,
    );
  });

  it('image must be pinned', () => {
    const e = expectConfigError(build({ image: 'codeberg.org/forgejo/forgejo:latest' }));
    expect(e.prop).toBe('image');
    expect(e.message).toContain('allowed: an image pinned by tag or digest');
  });

  it('mail confirmation needs a mailer', () => {
    const e = expectConfigError(build({ signup: { emailConfirm: true } }));
    expect(e.message).toBe(
      `${at}: invalid signup.emailConfirm = true; allowed: false unless signup.mailer is set (no mail, no activation link: new accounts stay inactive)`,
    );
  });

  it('settings: names, credentials, construct-owned keys, packages off', () => {
    expect(expectConfigError(build({ settings: { 'service.X': '1' } })).message).toBe(
      `${at}: invalid settings = "service.X"; allowed: FORGEJO__<section>__<KEY> names (see forgejoSetting(section, key))`,
    );
    expect(expectConfigError(build({ settings: { FORGEJO__security__SECRET_KEY: 'x' } })).message).toBe(
      `${at}: invalid settings = "FORGEJO__security__SECRET_KEY"; allowed: no credentials: pass secrets through a Secret, never as plain env`,
    );
    expect(expectConfigError(build({ settings: { FORGEJO__server__ROOT_URL: 'https://x' } })).message).toBe(
      `${at}: invalid settings = "FORGEJO__server__ROOT_URL"; allowed: settings other than ROOT_URL (from host) and those signup sets`,
    );
    expect(expectConfigError(build({ settings: { FORGEJO__mailer__HOST: 'x' } })).prop).toBe('settings');
    const p = expectConfigError(build({ settings: { FORGEJO__packages__ENABLED: 'false' } }));
    expect(p.message).toBe(
      `${at}: invalid settings.FORGEJO__packages__ENABLED = "false"; allowed: "true": the OCI registry is the point of this construct`,
    );
  });

  it('Vault keys of the tokens', () => {
    const e = expectConfigError(
      build({ retention: { ...RETENTION, token: { path: '/secret/viktor', property: 'k' } } }),
    );
    expect(e.message).toBe(
      `${at}: invalid retention.token.path = "/secret/viktor"; allowed: a Vault path below the secret/ mount, e.g. "viktor"`,
    );
    const k = expectConfigError(
      build({ retention: { ...RETENTION, token: { path: 'viktor', property: 'a b' } } }),
    );
    expect(k.prop).toBe('retention.token.property');
  });

  it('probe: repositories, credentials user, maxTags, URL', () => {
    expect(expectConfigError(build({ integrityProbe: { repositories: ['App'] } })).message).toBe(
      `${at}: invalid integrityProbe.repositories[0] = "App"; allowed: a repository such as "viktor/app" (owner/name, lowercase)`,
    );
    expect(expectConfigError(build({ integrityProbe: { repositories: [] } })).prop).toBe(
      'integrityProbe.repositories',
    );
    expect(
      expectConfigError(
        build({ integrityProbe: { credentials: { user: 'bad user', token: { path: 'v', property: 'k' } } } }),
      ).prop,
    ).toBe('integrityProbe.credentials.user');
    expect(expectConfigError(build({ integrityProbe: { maxTags: 0 } })).message).toBe(
      `${at}: invalid integrityProbe.maxTags = 0; allowed: an integer from 1 to 100000`,
    );
    expect(expectConfigError(build({ integrityProbe: { registryUrl: 'forgejo:3000' } })).prop).toBe(
      'integrityProbe.registryUrl',
    );
  });

  it('dnsType and names', () => {
    expect(expectConfigError(build({ dnsType: 'cdn' as DnsType })).prop).toBe('dnsType');
    expect(expectConfigError(build({ name: 'Forgejo' })).prop).toBe('name');
  });
});
