// forgejo against the tree at HEAD (stacks/forgejo: main.tf, cleanup.tf, turnstile.tf, email-secret.tf,
// terragrunt.hcl). Expected values below are the tree's, written out by hand.
//
// Documented difference (the only one): the ConfigMap `forgejo-cleanup-script` keeps its key `cleanup.sh`
// (and the CronJob its command `/bin/sh /scripts/cleanup.sh`), but the content is our
// payloads/forgejo-retention.sh instead of the tree's files/cleanup.sh. Ours never deletes digest-named
// versions (the index children the old script orphaned), fails the run on any refused DELETE, and warns when
// the token's user is not the owner. DRY_RUN stays "true" as at HEAD.
// Everything else matches literally; the ingress_factory and setup_tls_secret modules become children of
// the construct with moved blocks.
import { SENSITIVE_TLS_SECRET_NAME } from '../support/synth';
import { describe, expect, it } from 'vitest';
import forgejo from '../../stacks/forgejo';
import { STACKS } from '../../stacks';
import { readScript } from '../../lib/core/paths';
import { terraformUnescape } from '../../lib/terraform/tf-literal';
import {
  addedAddresses,
  addresses,
  type Json,
  missingTreeAddresses,
  moves,
  resolveNames,
  resource,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(forgejo);
const r = (type: string, name: string): Json => resolveNames(json, resource(json, type, name));
const NS_REF = '${kubernetes_namespace.forgejo.metadata[0].name}';

/** Every address of stacks/forgejo at HEAD (modules expanded; cf_platform from the generated provider file). */
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.cf_platform',
  'kubernetes_namespace.forgejo',
  'kubernetes_resource_quota.forgejo',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_persistent_volume_claim.data_encrypted',
  'kubernetes_deployment.forgejo',
  'kubernetes_service.forgejo',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.kubernetes_manifest.buffering[0]',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'data.vault_kv_secret_v2.forgejo_viktor',
  'kubernetes_config_map.forgejo_cleanup_script',
  'kubernetes_secret.forgejo_cleanup_token',
  'kubernetes_cron_job_v1.forgejo_cleanup',
  'data.cloudflare_accounts.main',
  'cloudflare_turnstile_widget.forgejo_signup',
  'kubernetes_secret.forgejo_turnstile',
  'kubernetes_manifest.forgejo_email_secret',
];

/** The tree's container env, names and values in order (`<ref>` = a reference, checked separately). */
const TREE_ENV: Array<[string, string | { secret: string; key: string }]> = [
  ['USER_UID', '1000'],
  ['USER_GID', '1000'],
  ['FORGEJO__server__ROOT_URL', 'https://forgejo.viktorbarzin.me'],
  ['FORGEJO__service__DISABLE_REGISTRATION', 'false'],
  ['FORGEJO__service__ALLOW_ONLY_EXTERNAL_REGISTRATION', 'false'],
  ['FORGEJO__openid__ENABLE_OPENID_SIGNIN', 'false'],
  ['FORGEJO__webhook__ALLOWED_HOST_LIST', '*.svc.cluster.local,ci.viktorbarzin.me,*.viktorbarzin.me'],
  ['FORGEJO__webhook__DELIVER_TIMEOUT', '30'],
  ['FORGEJO__packages__ENABLED', 'true'],
  ['FORGEJO__repository__DISABLE_DOWNLOAD_SOURCE_ARCHIVES', 'true'],
  ['FORGEJO__git_0X2E_timeout__DEFAULT', '3600'],
  ['FORGEJO__git_0X2E_timeout__MIRROR', '3600'],
  ['FORGEJO__git_0X2E_timeout__GC', '1800'],
  ['FORGEJO__git_0X2E_config__gc_0X2E_auto', '1000'],
  ['FORGEJO__service__ENABLE_CAPTCHA', 'true'],
  ['FORGEJO__service__CAPTCHA_TYPE', 'cfturnstile'],
  ['FORGEJO__service__CF_TURNSTILE_SITEKEY', '${cloudflare_turnstile_widget.forgejo_signup.id}'],
  ['FORGEJO__service__CF_TURNSTILE_SECRET', { secret: 'forgejo-turnstile', key: 'cf-turnstile-secret' }],
  ['FORGEJO__service__REGISTER_EMAIL_CONFIRM', 'true'],
  ['FORGEJO__mailer__ENABLED', 'true'],
  ['FORGEJO__mailer__PROTOCOL', 'smtp+starttls'],
  ['FORGEJO__mailer__SMTP_ADDR', 'mail.viktorbarzin.me'],
  ['FORGEJO__mailer__SMTP_PORT', '587'],
  ['FORGEJO__mailer__FROM', 'Forgejo <noreply@viktorbarzin.me>'],
  ['FORGEJO__mailer__USER', 'noreply@viktorbarzin.me'],
  ['FORGEJO__mailer__PASSWD', { secret: 'forgejo-email', key: 'PASSWD' }],
  ['FORGEJO__oauth2_client__ENABLE_AUTO_REGISTRATION', 'true'],
];

const envEntry = ([name, v]: (typeof TREE_ENV)[number]) =>
  typeof v === 'string'
    ? { name, value: v }
    : { name, value_from: { secret_key_ref: { name: v.secret, key: v.key } } };

describe('forgejo: registration', () => {
  it('is in the registry, after platform and vault, pg state under schema "forgejo"', () => {
    expect(STACKS).toContain(forgejo);
    expect(forgejo.name).toBe('forgejo');
    expect(forgejo.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'forgejo' } });
  });

  it('providers: kubernetes, vault (data sources), cloudflare (Turnstile, DNS); no kubectl', () => {
    expect(Object.keys(json.provider ?? {}).sort()).toEqual(['cloudflare', 'kubernetes', 'vault']);
  });

  it('snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});

describe('forgejo: parity with HEAD', () => {
  it('synthesizes every tree address or moves it, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addresses(json).size).toBe(TREE_ADDRESSES.length);
  });

  it('moves exactly the ingress_factory and setup_tls_secret module resources', () => {
    expect(Object.fromEntries(moves(json))).toEqual({
      'module.tls_secret.kubernetes_secret.tls_secret': 'kubernetes_secret.forgejo_tls_secret',
      'module.ingress.kubernetes_ingress_v1.proxied-ingress': 'kubernetes_ingress_v1.forgejo_ingress',
      'module.ingress.kubernetes_manifest.buffering[0]': 'kubernetes_manifest.forgejo_ingress_buffering',
      'module.ingress.cloudflare_record.non_proxied_a[0]': 'cloudflare_record.forgejo_ingress_non_proxied_a',
      'module.ingress.cloudflare_record.non_proxied_aaaa[0]':
        'cloudflare_record.forgejo_ingress_non_proxied_aaaa',
    });
  });

  it('namespace forgejo: edge tier, istio off, Keel enrolled, custom quota, Goldilocks label ignored', () => {
    expect(r('kubernetes_namespace', 'forgejo')).toEqual({
      metadata: {
        name: 'forgejo',
        labels: {
          'istio-injection': 'disabled',
          tier: '3-edge',
          'keel.sh/enrolled': 'true',
          'resource-governance/custom-quota': 'true',
        },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
  });

  it('ResourceQuota forgejo-quota', () => {
    expect(r('kubernetes_resource_quota', 'forgejo')).toEqual({
      metadata: { name: 'forgejo-quota', namespace: 'forgejo' },
      spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '32Gi', pods: '30' } },
    });
  });

  it('TLS secret (module.tls_secret): read from secrets/ at plan time, labels ignored', () => {
    expect(r('kubernetes_secret', 'forgejo_tls_secret')).toEqual({
      metadata: { name: SENSITIVE_TLS_SECRET_NAME, namespace: 'forgejo' },
      data: {
        'tls.crt': '${file("${path.root}/../../../secrets/fullchain.pem")}',
        'tls.key': '${file("${path.root}/../../../secrets/privkey.pem")}',
      },
      type: 'kubernetes.io/tls',
      lifecycle: { ignore_changes: ['metadata[0].labels'] },
    });
  });

  it('PVC forgejo-data-encrypted: 30Gi, autoresize to 50Gi, requests ignored', () => {
    expect(r('kubernetes_persistent_volume_claim', 'data_encrypted')).toEqual({
      wait_until_bound: false,
      metadata: {
        name: 'forgejo-data-encrypted',
        namespace: 'forgejo',
        annotations: {
          'resize.topolvm.io/threshold': '10%',
          'resize.topolvm.io/increase': '50%',
          'resize.topolvm.io/storage_limit': '50Gi',
        },
      },
      spec: {
        access_modes: ['ReadWriteOnce'],
        storage_class_name: 'proxmox-lvm-encrypted',
        resources: { requests: { storage: '30Gi' } },
      },
      lifecycle: { ignore_changes: ['spec[0].resources[0].requests'] },
    });
  });

  it('Deployment forgejo: the tree values, env names and order included', () => {
    const d = r('kubernetes_deployment', 'forgejo');
    const { lifecycle, ...rest } = d;
    expect(rest).toEqual({
      metadata: {
        name: 'forgejo',
        namespace: 'forgejo',
        labels: { app: 'forgejo', tier: '3-edge' },
        annotations: { 'keel.sh/policy': 'never', 'reloader.stakater.com/auto': 'true' },
      },
      depends_on: ['kubernetes_manifest.forgejo_email_secret'],
      spec: {
        replicas: '1',
        strategy: { type: 'Recreate' },
        selector: { match_labels: { app: 'forgejo' } },
        template: {
          metadata: { labels: { app: 'forgejo' } },
          spec: {
            security_context: { fs_group: '1000' },
            container: [
              {
                name: 'forgejo',
                image: 'codeberg.org/forgejo/forgejo:11.0.14',
                env: TREE_ENV.map(envEntry),
                volume_mount: [{ name: 'data', mount_path: '/data' }],
                resources: { requests: { cpu: '15m', memory: '1.5Gi' }, limits: { memory: '2Gi' } },
                port: [{ name: 'http', container_port: 3000, protocol: 'TCP' }],
              },
            ],
            volume: [{ name: 'data', persistent_volume_claim: { claim_name: 'forgejo-data-encrypted' } }],
          },
        },
      },
    });
    // The tree's list (a set to Terraform), including the image line still present at HEAD.
    expect([...lifecycle.ignore_changes].sort()).toEqual(
      [
        'spec[0].template[0].spec[0].dns_config',
        'metadata[0].annotations["keel.sh/match-tag"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["kubernetes.io/change-cause"]',
        'metadata[0].annotations["deployment.kubernetes.io/revision"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
      ].sort(),
    );
    expect(lifecycle.ignore_changes).toHaveLength(8);
  });

  it('Deployment references: Turnstile widget id, Turnstile secret, PVC (creation order like the tree)', () => {
    const raw = resource(json, 'kubernetes_deployment', 'forgejo');
    const env = raw.spec.template.spec.container[0].env as Json[];
    const byName = (n: string) => env.find((e) => e.name === n);
    expect(byName('FORGEJO__service__CF_TURNSTILE_SITEKEY').value).toBe(
      '${cloudflare_turnstile_widget.forgejo_signup.id}',
    );
    expect(byName('FORGEJO__service__CF_TURNSTILE_SECRET').value_from.secret_key_ref.name).toBe(
      '${kubernetes_secret.forgejo_turnstile.metadata[0].name}',
    );
    // The tree names the ESO Secret literally (it is not a Terraform resource).
    expect(byName('FORGEJO__mailer__PASSWD').value_from.secret_key_ref.name).toBe('forgejo-email');
    expect(raw.spec.template.spec.volume[0].persistent_volume_claim.claim_name).toBe(
      '${kubernetes_persistent_volume_claim.data_encrypted.metadata[0].name}',
    );
  });

  it('Service forgejo: 80 -> 3000', () => {
    expect(r('kubernetes_service', 'forgejo')).toEqual({
      metadata: { name: 'forgejo', namespace: 'forgejo', labels: { app: 'forgejo' } },
      spec: { selector: { app: 'forgejo' }, port: [{ port: 80, target_port: '3000' }] },
    });
  });

  it('ingress (module.ingress): no auth, non-proxied, 5g buffering, homepage tile, monitor path', () => {
    expect(r('kubernetes_ingress_v1', 'forgejo_ingress')).toEqual({
      metadata: {
        name: 'forgejo',
        namespace: 'forgejo',
        annotations: {
          'traefik.ingress.kubernetes.io/router.middlewares': [
            'traefik-retry@kubernetescrd',
            'traefik-error-pages@kubernetescrd',
            'traefik-rate-limit@kubernetescrd',
            'traefik-csp-headers@kubernetescrd',
            'traefik-ai-bot-block@kubernetescrd',
            'traefik-anti-ai-headers@kubernetescrd',
            'forgejo-buffering-forgejo@kubernetescrd',
          ].join(','),
          'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
          'gethomepage.dev/enabled': 'true',
          'gethomepage.dev/name': 'Forgejo',
          'gethomepage.dev/description': 'Git hosting',
          'gethomepage.dev/icon': 'forgejo.png',
          'gethomepage.dev/group': 'Development & CI',
          'gethomepage.dev/pod-selector': '',
          'gethomepage.dev/href': 'https://forgejo.viktorbarzin.me',
          'uptime.viktorbarzin.me/external-monitor-path': '/api/healthz',
          'cloudflare.viktorbarzin.me/dns-type': 'non-proxied',
          'uptime.viktorbarzin.me/external-monitor': 'true',
        },
      },
      spec: {
        ingress_class_name: 'traefik',
        tls: [{ hosts: ['forgejo.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
        rule: [
          {
            host: 'forgejo.viktorbarzin.me',
            http: { path: [{ path: '/', backend: { service: { name: 'forgejo', port: { number: 80 } } } }] },
          },
        ],
      },
    });
    expect(r('kubernetes_manifest', 'forgejo_ingress_buffering')).toEqual({
      manifest: {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: 'buffering-forgejo', namespace: 'forgejo' },
        spec: { buffering: { maxRequestBodyBytes: 5368709120 } },
      },
    });
  });

  it('DNS: A and AAAA for forgejo to the public IPs', () => {
    const record = (type: string, content: string) => ({
      name: 'forgejo',
      content,
      proxied: false,
      ttl: 1,
      type,
      zone_id: 'fd2c5dd4efe8fe38958944e74d0ced6d',
      allow_overwrite: true,
    });
    expect(r('cloudflare_record', 'forgejo_ingress_non_proxied_a')).toEqual(record('A', '176.12.22.76'));
    expect(r('cloudflare_record', 'forgejo_ingress_non_proxied_aaaa')).toEqual(
      record('AAAA', '2001:470:6e:43d::2'),
    );
  });

  it('Turnstile: data.cloudflare_accounts.main, widget forgejo-signup, Secret forgejo-turnstile', () => {
    expect(json.data?.cloudflare_accounts).toEqual({ main: {} });
    expect(r('cloudflare_turnstile_widget', 'forgejo_signup')).toEqual({
      account_id: '${data.cloudflare_accounts.main.accounts[0].id}',
      name: 'forgejo-signup',
      domains: ['forgejo.viktorbarzin.me'],
      mode: 'managed',
    });
    expect(r('kubernetes_secret', 'forgejo_turnstile')).toEqual({
      metadata: { name: 'forgejo-turnstile', namespace: 'forgejo' },
      data: { 'cf-turnstile-secret': '${cloudflare_turnstile_widget.forgejo_signup.secret}' },
    });
  });

  it('ExternalSecret forgejo-email: Vault authentik/smtp_password, Reloader match template, literal namespace', () => {
    expect(resource(json, 'kubernetes_manifest', 'forgejo_email_secret')).toEqual({
      field_manager: { force_conflicts: true },
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'forgejo-email', namespace: 'forgejo' },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
          target: {
            name: 'forgejo-email',
            template: { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } },
          },
          data: [{ secretKey: 'PASSWD', remoteRef: { key: 'authentik', property: 'smtp_password' } }],
        },
      },
    });
  });

  it('Vault: data.vault_kv_secret_v2.forgejo_viktor reads secret/viktor', () => {
    expect(json.data?.vault_kv_secret_v2?.forgejo_viktor).toEqual({ mount: 'secret', name: 'viktor' });
  });

  it('token Secret forgejo-cleanup-token: try(viktor["forgejo_cleanup_token"], "") as an expression', () => {
    expect(r('kubernetes_secret', 'forgejo_cleanup_token')).toEqual({
      metadata: { name: 'forgejo-cleanup-token', namespace: 'forgejo' },
      type: 'Opaque',
      data: {
        FORGEJO_TOKEN: '${try(data.vault_kv_secret_v2.forgejo_viktor.data["forgejo_cleanup_token"], "")}',
      },
    });
  });

  it('ConfigMap forgejo-cleanup-script: key cleanup.sh (difference: our payloads/forgejo-retention.sh)', () => {
    const cm = r('kubernetes_config_map', 'forgejo_cleanup_script');
    expect(Object.keys(cm).sort()).toEqual(['data', 'metadata']);
    expect(cm.metadata).toEqual({ name: 'forgejo-cleanup-script', namespace: 'forgejo' });
    expect(Object.keys(cm.data)).toEqual(['cleanup.sh']);
    // Escaped for Terraform; what the pod gets is exactly the file the script tests run.
    expect(terraformUnescape(cm.data['cleanup.sh'])).toBe(readScript('forgejo-retention.sh'));
  });

  it('CronJob forgejo-cleanup: the tree values, DRY_RUN still "true"', () => {
    expect(r('kubernetes_cron_job_v1', 'forgejo_cleanup')).toEqual({
      metadata: { name: 'forgejo-cleanup', namespace: 'forgejo' },
      spec: {
        concurrency_policy: 'Forbid',
        schedule: '0 4 * * *',
        failed_jobs_history_limit: 3,
        successful_jobs_history_limit: 3,
        job_template: {
          metadata: {},
          spec: {
            backoff_limit: 1,
            ttl_seconds_after_finished: '3600',
            template: {
              metadata: {},
              spec: {
                container: [
                  {
                    name: 'cleanup',
                    image: 'docker.io/library/alpine:3.20',
                    command: ['/bin/sh', '/scripts/cleanup.sh'],
                    env: [
                      {
                        name: 'FORGEJO_TOKEN',
                        value_from: {
                          secret_key_ref: { name: 'forgejo-cleanup-token', key: 'FORGEJO_TOKEN' },
                        },
                      },
                      { name: 'FORGEJO_HOST', value: 'http://forgejo.forgejo.svc.cluster.local' },
                      { name: 'FORGEJO_OWNER', value: 'viktor' },
                      { name: 'KEEP_LAST_N', value: '10' },
                      { name: 'DRY_RUN', value: 'true' },
                    ],
                    volume_mount: [{ name: 'scripts', mount_path: '/scripts' }],
                    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '96Mi' } },
                  },
                ],
                volume: [
                  { name: 'scripts', config_map: { name: 'forgejo-cleanup-script', default_mode: '0755' } },
                ],
                restart_policy: 'OnFailure',
              },
            },
          },
        },
      },
      lifecycle: { ignore_changes: ['spec[0].job_template[0].spec[0].template[0].spec[0].dns_config'] },
    });
  });

  it('no integrity probe in this stack (it lives in monitoring in the tree)', () => {
    expect(Object.keys(json.resource?.kubernetes_cron_job_v1 ?? {})).toEqual(['forgejo_cleanup']);
    expect(Object.keys(json.resource?.kubernetes_config_map ?? {})).toEqual(['forgejo_cleanup_script']);
  });

  it('namespaced resources reference the namespace resource (the ExternalSecret names it literally, as the tree)', () => {
    for (const [type, name] of [
      ['kubernetes_resource_quota', 'forgejo'],
      ['kubernetes_persistent_volume_claim', 'data_encrypted'],
      ['kubernetes_deployment', 'forgejo'],
      ['kubernetes_service', 'forgejo'],
      ['kubernetes_secret', 'forgejo_turnstile'],
      ['kubernetes_secret', 'forgejo_cleanup_token'],
      ['kubernetes_config_map', 'forgejo_cleanup_script'],
      ['kubernetes_cron_job_v1', 'forgejo_cleanup'],
      ['kubernetes_ingress_v1', 'forgejo_ingress'],
    ]) {
      expect(resource(json, type, name).metadata.namespace, `${type}.${name}`).toBe(NS_REF);
    }
  });
});

describe('forgejo: no secrets in the synthesized JSON', () => {
  it('holds no key material or token value: secrets are references resolved at plan time', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/-----BEGIN/);
    expect(text).not.toMatch(/\b[0-9a-f]{40}\b/); // Forgejo tokens are 40 hex characters
    expect(text).not.toMatch(/0x4AAAAAAA/); // Turnstile site/secret key prefix
  });
});
