import { Construct } from 'constructs';
import { Fn, type ITerraformDependable, TerraformStack } from 'cdktf';
import type { CronJobV1 } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import type { Service } from '@cdktf/provider-kubernetes/lib/service';
import { DataCloudflareAccounts } from '@cdktf/provider-cloudflare/lib/data-cloudflare-accounts';
import { TurnstileWidget } from '@cdktf/provider-cloudflare/lib/turnstile-widget';
import { addressName, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { Ignore } from '../../lib/conventions/lifecycle';
import { useCloudflare, vaultKvSecret } from '../../lib/terraform/providers';
import { siteOf } from '../../lib/conventions/site';
import type { ContainerResources } from '../../lib/conventions/resources';
import { quantityString } from '../../lib/core/units';
import { checkTier, Tier } from '../../lib/conventions/tiers';
import {
  cron,
  dnsLabel,
  httpUrl,
  integerInRange,
  isToken,
  k8sName,
  matches,
  nonEmptyString,
  oneOf,
  parseQuantity,
  pinnedImage,
  port as portNumber,
  quantity,
  requestWithinLimit,
} from '../../lib/validation/validate';
import { EncryptedPvc } from '../blocks/encrypted-pvc';
import { ExternalSecret } from '../blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../blocks/ingress-factory';
import { TieredNamespace } from '../blocks/tiered-namespace';
import { TlsSecret } from '../blocks/tls-secret';
import { ScriptCronJob } from '../blocks/script-cron-job';
import { Deployment, Keel, type SecretKeyRef, Volume } from '../blocks/workload';
import {
  checkForgejoSettings,
  FORGEJO_USER,
  forgejoSetting,
  forgejoSignupSettings,
  type ForgejoSignupInputs,
} from '../../lib/domain/forgejo-settings';
import { checkVaultRef, type VaultSecretRef } from '../../lib/conventions/vault';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import {
  FORGEJO_REGISTRY_KEYS,
  FORGEJO_HOMEPAGE_KEYS,
  FORGEJO_LEGACY_MODULES_KEYS,
  FORGEJO_MAILER_KEYS,
  FORGEJO_RESOURCES_KEYS,
  FORGEJO_RETENTION_KEYS,
  FORGEJO_SIGNUP_KEYS,
  FORGEJO_STORAGE_KEYS,
  FORGEJO_TURNSTILE_KEYS,
  REGISTRY_INTEGRITY_PROBE_KEYS,
  REGISTRY_PROBE_CREDENTIALS_KEYS,
  VAULT_KEY_KEYS,
} from './prop-keys';

/** Requests and limits of a Forgejo container: the shared shape, without CPU limit or GPU. */
export type ForgejoResources = Pick<ContainerResources, 'cpuRequest' | 'memoryRequest' | 'memoryLimit'>;

/** Resources with every field set, as strings. */
type ResolvedResources = { cpuRequest: string; memoryRequest: string; memoryLimit: string };

/** The data volume: an encrypted PVC grown by the topolvm resizer. */
export interface ForgejoStorageProps {
  /** PVC name. @default "<name>-data-encrypted" */
  readonly name?: string;
  /** Initial size. @default "30Gi" */
  readonly size?: string;
  /** Autoresize ceiling (`resize.topolvm.io/storage_limit`). @default "50Gi" */
  readonly limit?: string;
  /** Terraform name of the PVC. @default "<address>_data" */
  readonly addressName?: string;
}

/** The homepage tile of the ingress. */
export interface ForgejoHomepageProps {
  /** @default "Forgejo" */
  readonly name?: string;
  /** @default "Git hosting" */
  readonly description?: string;
  /** @default "forgejo.png" */
  readonly icon?: string;
  /** @default "Development & CI" */
  readonly group?: string;
}

/** Cloudflare Turnstile captcha on the registration form (widget + Secret managed here). */
export interface ForgejoTurnstileProps {
  /** Widget name in Cloudflare. @default "<name>-signup" */
  readonly widgetName?: string;
  /** @default "managed" (Cloudflare decides when to show an interactive challenge) */
  readonly mode?: 'managed' | 'non-interactive' | 'invisible';
  /** Domains the widget is valid on. @default [the host] */
  readonly domains?: string[];
}

/** Outgoing mail (activation links, notifications); the password comes from Vault through ESO. */
export interface ForgejoMailerProps {
  /** SMTP host; must match the server's certificate for STARTTLS. @default the site's mail host */
  readonly smtpHost?: string;
  /** @default 587 */
  readonly smtpPort?: number;
  /** @default "smtp+starttls" */
  readonly protocol?: 'smtp' | 'smtps' | 'smtp+starttls';
  /** From header, e.g. "Forgejo <noreply@example.org>". */
  readonly from: string;
  /** SMTP user name. */
  readonly user: string;
  /** Vault key of the SMTP password (synced in-cluster by an ExternalSecret, never read at plan time). */
  readonly password: VaultSecretRef;
  /** Name of the ExternalSecret and its Secret. @default "<name>-email" */
  readonly secretName?: string;
}

/** Open self-service sign-up and its protections. Env is emitted after `settings`, in this order. */
export interface ForgejoSignupProps {
  /** Captcha on registration (ENABLE_CAPTCHA, CAPTCHA_TYPE=cfturnstile, site key, secret). @default none */
  readonly turnstile?: ForgejoTurnstileProps;
  /** New accounts stay inactive until the emailed link is clicked (needs `mailer`). @default true with a mailer */
  readonly emailConfirm?: boolean;
  /** Outgoing mail. @default none */
  readonly mailer?: ForgejoMailerProps;
  /** `[oauth2_client] ENABLE_AUTO_REGISTRATION`: create the local account on first OAuth2 login. @default not set */
  readonly oauth2AutoRegistration?: boolean;
}

/** The container-package retention CronJob (payloads/forgejo-retention.sh). */
export interface ForgejoRetentionProps {
  /** Owner (user or organisation) whose container packages are pruned. */
  readonly owner: string;
  /**
   * Vault key of a write:package token that belongs to `owner` itself (or an owner of that organisation).
   * Any other user's token lists fine and gets 403 on every DELETE.
   */
  readonly token: VaultSecretRef;
  /** Ordinary versions kept per package (besides "latest", cache tags and digests). @default 10 */
  readonly keepLastN?: number;
  /** @default "0 4 * * *" */
  readonly schedule?: string;
  /** Only print the would-be DELETEs. Run dry first and read the list. @default true */
  readonly dryRun?: boolean;
  /** Image with busybox sh (curl and jq are installed with apk when missing). @default "docker.io/library/alpine:3.20" */
  readonly image?: string;
  /** Name of the CronJob; the ConfigMap and Secret are "<name>-script" / "<name>-token". @default "<name>-cleanup" */
  readonly name?: string;
  /** @default requests cpu 10m / memory 32Mi, limit memory 96Mi */
  readonly resources?: ForgejoResources;
}

/** Read-only credentials of the integrity probe (HTTP basic auth on the registry API). */
export interface RegistryProbeCredentials {
  /** Forgejo user the token belongs to. */
  readonly user: string;
  /** Vault key of a read:package token of `user`. */
  readonly token: VaultSecretRef;
}

/** The registry integrity probe CronJob (payloads/registry-integrity.sh). */
export interface RegistryIntegrityProbeProps {
  /** Namespace the probe runs in (must exist), e.g. "monitoring". @default the registry's namespace */
  readonly namespace?: string;
  /** @default "*\/15 * * * *" */
  readonly schedule?: string;
  /** Registry base URL. @default the in-cluster Service, "http://<service>.<namespace>.svc.cluster.local" */
  readonly registryUrl?: string;
  /** Repositories to check instead of the catalog walk, e.g. ["viktor/app"]. @default the whole catalog */
  readonly repositories?: string[];
  /** Tags checked per repository ("latest" first). @default the script's default (20) */
  readonly maxTags?: number;
  /** Credentials for private packages. @default anonymous */
  readonly credentials?: RegistryProbeCredentials;
  /** @default "docker.io/library/alpine:3.20" */
  readonly image?: string;
  /** Name of the CronJob; the ConfigMap and Secret are "<name>-script" / "<name>-credentials". @default "<name>-integrity-probe" */
  readonly name?: string;
  /** @default requests cpu 10m / memory 32Mi, limit memory 128Mi */
  readonly resources?: ForgejoResources;
}

/** Tree module addresses this construct's resources had (each set one becomes `moved` blocks). */
export interface ForgejoLegacyAddresses {
  /** `ingress_factory` module, e.g. "module.ingress". */
  readonly ingress?: string;
  /** `setup_tls_secret` module, e.g. "module.tls_secret". */
  readonly tlsSecret?: string;
}

export interface ForgejoRegistryProps {
  /** Name of the Deployment, Service, Ingress and `app` label; default host label. @default "forgejo" */
  readonly name?: string;
  /** Namespace created for Forgejo. @default `name` */
  readonly namespace?: string;
  /** Tier of the namespace. @default Tier.EDGE */
  readonly tier?: Tier;
  /**
   * Hard limits of the namespace's own ResourceQuota (replaces the tier quota); the pod must fit.
   * @default FORGEJO_QUOTA
   */
  readonly quotaHard?: Record<string, string>;
  /** Forgejo image, pinned by tag or digest (upgrades run DB migrations: Keel must never pick them). */
  readonly image: string;
  /** Host label under the root domain. @default `name` */
  readonly host?: string;
  /** Root domain. @default the site's */
  readonly rootDomain?: string;
  /** UID/GID of the forgejo user (USER_UID, USER_GID and the pod's fs_group). @default 1000 */
  readonly uid?: number;
  /**
   * app.ini settings as Forgejo environment variables, in order, after USER_UID, USER_GID and ROOT_URL
   * (use `forgejoSetting(section, key)` for the names). `FORGEJO__packages__ENABLED` is appended as "true"
   * unless listed (then it must be "true"). Credentials are refused: they come from Secrets.
   * @default none
   */
  readonly settings?: Record<string, string>;
  /** Sign-up: captcha, mail confirmation, mailer, OAuth2 auto-registration. @default none of them */
  readonly signup?: ForgejoSignupProps;
  /** @default cpu request 15m, memory request 1.5Gi, memory limit 2Gi */
  readonly resources?: ForgejoResources;
  /** @default 30Gi growing to 50Gi */
  readonly storage?: ForgejoStorageProps;
  /** Largest request through the ingress (an image layer is one request), e.g. "5g". @default "5g" */
  readonly maxBodySize?: string;
  /** @default DnsType.NON_PROXIED (Cloudflare's proxy caps request bodies far below a layer) */
  readonly dnsType?: DnsType;
  /** Path the external uptime monitor requests. @default "/api/healthz" */
  readonly externalMonitorPath?: string;
  /** @default the Forgejo tile */
  readonly homepage?: ForgejoHomepageProps;
  /** Container-package retention. */
  readonly retention: ForgejoRetentionProps;
  /** Registry integrity probe. @default off */
  readonly integrityProbe?: RegistryIntegrityProbeProps;
  /**
   * Also ignore changes to the Forgejo image. Keel never touches it (`keel.sh/policy=never`), so this
   * only makes Terraform skip image bumps; the tree still has it. @default false
   */
  readonly ignoreImageChanges?: boolean;
  /** Tree module addresses. @default none */
  readonly legacyAddress?: ForgejoLegacyAddresses;
}

/** The tree's forgejo quota: headroom above the 1.5Gi pod for a migration or sidecar pod. */
export const FORGEJO_QUOTA: Readonly<Record<string, string>> = Object.freeze({
  'requests.cpu': '4',
  'requests.memory': '8Gi',
  'limits.memory': '32Gi',
  pods: '30',
});
/** Forgejo's HTTP port in the container. */
export const FORGEJO_HTTP_PORT = 3000;
/** Default image of the retention and probe jobs (busybox sh + apk for curl/jq). */
export const JOB_IMAGE = 'docker.io/library/alpine:3.20';
/** Retention script and where the CronJob sees it (ConfigMap key + mount; the tree's names). */
export const RETENTION_SCRIPT = 'forgejo-retention.sh';
export const RETENTION_KEY = 'cleanup.sh';
/** Integrity probe script and its ConfigMap key. */
export const PROBE_SCRIPT = 'registry-integrity.sh';
export const PROBE_KEY = 'registry-integrity.sh';

const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;

export { forgejoSetting };

/**
 * Forgejo as git host and private OCI registry, with everything that keeps the registry alive:
 *
 * - a tiered namespace with its own ResourceQuota (the pod must fit it: a rejected pod means no registry),
 *   the wildcard TLS secret, an encrypted autoresized data PVC;
 * - the Deployment (Recreate, fs_group, pinned image with `keel.sh/policy=never`, Reloader), Service and
 *   ingress (native git/OCI clients: no forward-auth, non-proxied DNS, large bodies);
 * - optional sign-up protection: a Cloudflare Turnstile widget + Secret, the mailer password ExternalSecret;
 * - the retention CronJob (payloads/forgejo-retention.sh) with the owner's token from Vault, dry-run by
 *   default; an optional integrity probe CronJob (payloads/registry-integrity.sh).
 *
 * Addresses below construct id `<id>` (or its `addressName`): `kubernetes_namespace|resource_quota|
 * deployment|service.<id>`, `kubernetes_persistent_volume_claim.<id>_data`, `kubernetes_secret.<id>_tls_secret`,
 * `kubernetes_ingress_v1.<id>_ingress` (+ `_buffering`, records), `cloudflare_turnstile_widget.<id>_signup`,
 * `kubernetes_secret.<id>_turnstile`, `kubernetes_manifest.<id>_email_secret`, `data.cloudflare_accounts.main`,
 * `data.vault_kv_secret_v2.<id>_<vault path>`, `kubernetes_config_map.<id>_cleanup_script`,
 * `kubernetes_secret.<id>_cleanup_token`, `kubernetes_cron_job_v1.<id>_cleanup`, and for the probe
 * `kubernetes_config_map.<id>_integrity_script`, `kubernetes_secret.<id>_integrity_credentials`,
 * `kubernetes_cron_job_v1.<id>_integrity_probe`.
 */
export class ForgejoRegistry extends Construct {
  readonly namespace: TieredNamespace;
  readonly deployment: Deployment;
  readonly service: Service;
  readonly ingress: IngressFactory;
  readonly data: EncryptedPvc;
  /** Public host name. */
  readonly host: string;
  /** In-cluster base URL of the Service (what the jobs talk to). */
  readonly serviceUrl: string;
  readonly turnstileWidget?: TurnstileWidget;
  readonly emailSecret?: ExternalSecret;
  readonly retentionJob: CronJobV1;
  readonly integrityProbeJob?: CronJobV1;

  constructor(scope: Construct, id: string, props: ForgejoRegistryProps) {
    super(scope, id);
    checkProps(this, 'props', props, FORGEJO_REGISTRY_KEYS);
    checkNestedProps(this, '', props, {
      storage: FORGEJO_STORAGE_KEYS,
      homepage: FORGEJO_HOMEPAGE_KEYS,
      signup: FORGEJO_SIGNUP_KEYS,
      retention: FORGEJO_RETENTION_KEYS,
      integrityProbe: REGISTRY_INTEGRITY_PROBE_KEYS,
      legacyAddress: FORGEJO_LEGACY_MODULES_KEYS,
      resources: FORGEJO_RESOURCES_KEYS,
    });
    checkNestedProps(this, 'signup', props.signup, {
      turnstile: FORGEJO_TURNSTILE_KEYS,
      mailer: FORGEJO_MAILER_KEYS,
    });
    checkNestedProps(this, 'signup.mailer', props.signup?.mailer, { password: VAULT_KEY_KEYS });
    checkNestedProps(this, 'retention', props.retention, {
      token: VAULT_KEY_KEYS,
      resources: FORGEJO_RESOURCES_KEYS,
    });
    checkNestedProps(this, 'integrityProbe', props.integrityProbe, {
      credentials: REGISTRY_PROBE_CREDENTIALS_KEYS,
      resources: FORGEJO_RESOURCES_KEYS,
    });
    checkNestedProps(this, 'integrityProbe.credentials', props.integrityProbe?.credentials, {
      token: VAULT_KEY_KEYS,
    });
    const site = siteOf(this);
    const name = dnsLabel(this, 'name', props.name ?? 'forgejo');
    const nsName = dnsLabel(this, 'namespace', props.namespace ?? name);
    const tier = props.tier ?? Tier.EDGE;
    checkTier(this, 'tier', tier);
    const quotaHard = { ...(props.quotaHard ?? FORGEJO_QUOTA) };
    const image = pinnedImage(this, 'image', props.image);
    const rootDomain = nonEmptyString(this, 'rootDomain', props.rootDomain ?? site.rootDomain);
    const hostLabel = dnsLabel(this, 'host', props.host ?? name);
    this.host = `${hostLabel}.${rootDomain}`;
    const uid = integerInRange(this, 'uid', props.uid ?? 1000, 1, 2147483647);
    const res = this.resources('resources', props.resources, {
      cpuRequest: '15m',
      memoryRequest: '1.5Gi',
      memoryLimit: '2Gi',
    });
    this.fitsQuota(quotaHard, res);
    // Checked once, by the ingress (its error names the ingress construct).
    const maxBodySize = props.maxBodySize ?? '5g';
    const dnsType = oneOf(this, 'dnsType', props.dnsType ?? DnsType.NON_PROXIED, Object.values(DnsType));
    const monitorPath = matches(
      this,
      'externalMonitorPath',
      props.externalMonitorPath ?? '/api/healthz',
      /^\/\S*$/,
      'a path starting with "/"',
    );
    const settings = checkForgejoSettings(this, props.settings ?? {});
    const signup = props.signup ?? {};
    const emailConfirm = signup.emailConfirm ?? signup.mailer !== undefined;
    if (emailConfirm && signup.mailer === undefined) {
      invalid(
        this,
        'signup.emailConfirm',
        true,
        'false unless signup.mailer is set (no mail, no activation link: new accounts stay inactive)',
      );
    }
    const base = addressName(this);

    // ---- namespace, TLS, storage -------------------------------------------------------------------------
    this.namespace = new TieredNamespace(this, 'namespace', {
      name: nsName,
      tier,
      quotaHard,
      addressName: base,
    });
    const ns = this.namespace.name;
    new TlsSecret(this, 'tls_secret', {
      namespace: this.namespace,
      legacyAddress: props.legacyAddress?.tlsSecret,
    });
    const storage = props.storage ?? {};
    this.data = new EncryptedPvc(this, 'data', {
      name: storage.name ?? `${name}-data-encrypted`,
      namespace: this.namespace,
      storage: storage.size ?? '30Gi',
      storageLimit: storage.limit ?? '50Gi',
      addressName: storage.addressName,
    });

    // ---- sign-up: Turnstile, mailer password -----------------------------------------------------------
    let turnstile: ForgejoSignupInputs['turnstile'];
    let mailer: ForgejoSignupInputs['mailer'];
    const dataVolume = Volume.fromPvc('data', this.data.claimName);
    if (signup.turnstile) {
      const t = signup.turnstile;
      const widgetName = nonEmptyString(
        this,
        'signup.turnstile.widgetName',
        t.widgetName ?? `${name}-signup`,
      );
      const mode = oneOf(this, 'signup.turnstile.mode', t.mode ?? 'managed', [
        'managed',
        'non-interactive',
        'invisible',
      ]);
      const domains = t.domains ?? [this.host];
      if (domains.length === 0) invalid(this, 'signup.turnstile.domains', domains, 'at least one domain');
      domains.forEach((d, i) => nonEmptyString(this, `signup.turnstile.domains[${i}]`, d));
      useCloudflare(this);
      this.turnstileWidget = named(this, TurnstileWidget, addressName(this, 'signup'), {
        accountId: cloudflareAccounts(this).accounts.get(0).id,
        name: widgetName,
        domains: [...domains],
        mode,
      });
      const secret = named(this, Secret, addressName(this, 'turnstile'), {
        metadata: { name: `${name}-turnstile`, namespace: ns },
        data: { 'cf-turnstile-secret': this.turnstileWidget.secret },
      });
      turnstile = {
        siteKey: this.turnstileWidget.id,
        secret: { secretName: secret.metadata.name, key: 'cf-turnstile-secret' },
      };
    }
    if (signup.mailer) {
      const m = signup.mailer;
      const smtpHost = nonEmptyString(this, 'signup.mailer.smtpHost', m.smtpHost ?? site.mailHost);
      const smtpPort = portNumber(this, 'signup.mailer.smtpPort', m.smtpPort ?? 587);
      const protocol = oneOf(this, 'signup.mailer.protocol', m.protocol ?? 'smtp+starttls', [
        'smtp',
        'smtps',
        'smtp+starttls',
      ]);
      const from = nonEmptyString(this, 'signup.mailer.from', m.from);
      const user = nonEmptyString(this, 'signup.mailer.user', m.user);
      checkVaultRef(this, 'signup.mailer.password', m.password);
      this.emailSecret = new ExternalSecret(this, 'email_secret', {
        name: k8sName(this, 'signup.mailer.secretName', m.secretName ?? `${name}-email`),
        namespace: this.namespace.byLiteralName,
        data: [{ secretKey: 'PASSWD', vault: m.password }],
        // Reloader rolls the pod when the password rotates (env is read at boot).
        template: { metadata: { annotations: { 'reloader.stakater.com/match': 'true' } } },
      });
      const password = { secretName: this.emailSecret.secretName, key: 'PASSWD' };
      mailer = { protocol, smtpHost, smtpPort, from, user, password };
    }
    const signupEnv = forgejoSignupSettings({
      turnstile,
      emailConfirm,
      mailer,
      oauth2AutoRegistration: signup.oauth2AutoRegistration,
    });

    // ---- Deployment, Service, ingress ------------------------------------------------------------------
    const dependsOn: ITerraformDependable[] = this.emailSecret ? [this.emailSecret.resource] : [];
    this.deployment = new Deployment(this, 'deployment', {
      addressName: base,
      namespace: this.namespace,
      name,
      // Upgrades migrate the database: a tag Keel picks (it once rewrote 11.0.14 to 1.18) crashloops.
      // keel.sh/policy is ours ("never"); Kyverno still adds trigger and poll schedule.
      keel: Keel.never(),
      ignoreChanges: [props.ignoreImageChanges ? Ignore.keelImage(0) : [], Ignore.keelRollout],
      annotations: { 'reloader.stakater.com/auto': 'true' },
      dependsOn: dependsOn.length ? dependsOn : undefined,
      // ReadWriteOnce data volume: the old pod must let go before the new one mounts it.
      strategy: 'Recreate',
      // /data is the volume root: without fs_group it is root-owned and package uploads fail.
      fsGroup: uid,
      containers: [
        {
          name,
          image,
          env: {
            USER_UID: String(uid),
            USER_GID: String(uid),
            [forgejoSetting('server', 'ROOT_URL')]: `https://${this.host}`,
            ...settings,
            ...signupEnv,
          },
          volumeMounts: [{ volume: dataVolume, mountPath: '/data' }],
          resources: res,
          ports: [{ name: 'http', containerPort: FORGEJO_HTTP_PORT, protocol: 'TCP' }],
        },
      ],
      volumes: [dataVolume],
    });
    this.service = this.deployment.exposeViaService({
      id: 'service',
      ports: [{ port: 80, targetPort: FORGEJO_HTTP_PORT }],
    }).resource;
    this.serviceUrl = `http://${name}.${nsName}.svc.cluster.local`;

    const homepage = props.homepage ?? {};
    this.ingress = new IngressFactory(this, 'ingress', {
      name,
      namespace: this.namespace,
      host: hostLabel,
      rootDomain,
      // git and docker/podman authenticate with basic auth or bearer tokens and cannot follow a
      // forward-auth redirect: Forgejo's own login is the gate.
      auth: IngressAuth.NONE,
      dnsType,
      maxBodySize,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': homepage.name ?? 'Forgejo',
        'gethomepage.dev/description': homepage.description ?? 'Git hosting',
        'gethomepage.dev/icon': homepage.icon ?? 'forgejo.png',
        'gethomepage.dev/group': homepage.group ?? 'Development & CI',
        'gethomepage.dev/pod-selector': '',
        'uptime.viktorbarzin.me/external-monitor-path': monitorPath,
      },
      legacyAddress: props.legacyAddress?.ingress,
    });

    // ---- retention -------------------------------------------------------------------------------------
    this.retentionJob = this.retention(props.retention, name, ns);

    // ---- integrity probe (optional) --------------------------------------------------------------------
    if (props.integrityProbe) this.integrityProbeJob = this.probe(props.integrityProbe, name, nsName, ns);
  }

  private retention(r: ForgejoRetentionProps, name: string, ns: string): CronJobV1 {
    const p = 'retention';
    if (r === undefined || r === null || typeof r !== 'object') {
      invalid(
        this,
        p,
        r,
        'the retention settings: owner, token (and optionally keepLastN, schedule, dryRun)',
      );
    }
    const owner = matches(
      this,
      `${p}.owner`,
      r.owner,
      FORGEJO_USER,
      "a Forgejo user name: letters, digits, '-', '_', '.', no punctuation at either end or twice in a row, at most 40 characters",
    );
    checkVaultRef(this, `${p}.token`, r.token);
    const keep = integerInRange(this, `${p}.keepLastN`, r.keepLastN ?? 10, 1, 999999);
    const schedule = cron(this, `${p}.schedule`, r.schedule ?? '0 4 * * *');
    const dryRun = r.dryRun ?? true;
    if (typeof dryRun !== 'boolean') invalid(this, `${p}.dryRun`, dryRun, 'true or false');
    const image = pinnedImage(this, `${p}.image`, r.image ?? JOB_IMAGE);
    const jobName = dnsLabel(this, `${p}.name`, r.name ?? `${name}-cleanup`, 52);
    const res = this.resources(`${p}.resources`, r.resources, {
      cpuRequest: '10m',
      memoryRequest: '32Mi',
      memoryLimit: '96Mi',
    });

    const vault = vaultKvSecret(this, addressName(this, vaultName(r.token.path)), r.token.path);
    const token = named(this, Secret, addressName(this, 'cleanup_token'), {
      metadata: { name: `${jobName}-token`, namespace: ns },
      type: 'Opaque',
      // try(): the apply works before the Vault key exists; an empty token then fails the job visibly.
      data: { FORGEJO_TOKEN: Fn.try([vault.data.lookup(r.token.property), '']) },
    });
    return new ScriptCronJob(this, addressName(this, 'cleanup'), {
      addressName: addressName(this, 'cleanup'),
      name: jobName,
      namespace: this.namespace,
      schedule,
      script: RETENTION_SCRIPT,
      scriptKey: RETENTION_KEY,
      containerName: 'cleanup',
      image,
      env: {
        FORGEJO_TOKEN: { secretName: token.metadata.name, key: 'FORGEJO_TOKEN' },
        FORGEJO_HOST: this.serviceUrl,
        FORGEJO_OWNER: owner,
        KEEP_LAST_N: String(keep),
        DRY_RUN: dryRun ? 'true' : 'false',
      },
      resources: res,
    });
  }

  private probe(pr: RegistryIntegrityProbeProps, name: string, nsName: string, ns: string): CronJobV1 {
    const p = 'integrityProbe';
    // The registry's namespace by reference (creation order); any other one must already exist.
    const namespace = pr.namespace === undefined ? ns : dnsLabel(this, `${p}.namespace`, pr.namespace);
    const schedule = cron(this, `${p}.schedule`, pr.schedule ?? '*/15 * * * *');
    const url = httpUrl(
      this,
      `${p}.registryUrl`,
      pr.registryUrl ?? `http://${name}.${nsName}.svc.cluster.local`,
    );
    const repositories = pr.repositories ?? [];
    repositories.forEach((repo, i) =>
      matches(
        this,
        `${p}.repositories[${i}]`,
        repo,
        REPOSITORY,
        'a repository such as "viktor/app" (owner/name, lowercase)',
      ),
    );
    if (pr.repositories !== undefined && repositories.length === 0) {
      invalid(
        this,
        `${p}.repositories`,
        repositories,
        'at least one repository, or unset to walk the catalog',
      );
    }
    if (pr.maxTags !== undefined) integerInRange(this, `${p}.maxTags`, pr.maxTags, 1, 100000);
    const image = pinnedImage(this, `${p}.image`, pr.image ?? JOB_IMAGE);
    const jobName = dnsLabel(this, `${p}.name`, pr.name ?? `${name}-integrity-probe`, 52);
    const res = this.resources(`${p}.resources`, pr.resources, {
      cpuRequest: '10m',
      memoryRequest: '32Mi',
      memoryLimit: '128Mi',
    });

    const env: Record<string, string | SecretKeyRef> = { REGISTRY_URL: url };
    if (pr.credentials) {
      const c = pr.credentials;
      const user = matches(this, `${p}.credentials.user`, c.user, FORGEJO_USER, 'a Forgejo user name');
      checkVaultRef(this, `${p}.credentials.token`, c.token);
      const vault = vaultKvSecret(this, addressName(this, vaultName(c.token.path)), c.token.path);
      const secret = named(this, Secret, addressName(this, 'integrity_credentials'), {
        metadata: { name: `${jobName}-credentials`, namespace },
        type: 'Opaque',
        // An empty token makes the script refuse to run (exit 2): a missing key fails visibly.
        data: { REGISTRY_TOKEN: Fn.try([vault.data.lookup(c.token.property), '']) },
      });
      env.REGISTRY_USER = user;
      env.REGISTRY_TOKEN = { secretName: secret.metadata.name, key: 'REGISTRY_TOKEN' };
    }
    if (repositories.length) env.REPOSITORIES = repositories.join(' ');
    if (pr.maxTags !== undefined) env.MAX_TAGS = String(pr.maxTags);
    return new ScriptCronJob(this, addressName(this, 'integrity_probe'), {
      addressName: addressName(this, 'integrity_probe'),
      configMapAddressName: addressName(this, 'integrity_script'),
      name: jobName,
      namespace: { name: namespace, tier: this.namespace.tier },
      schedule,
      script: PROBE_SCRIPT,
      scriptKey: PROBE_KEY,
      containerName: 'probe',
      image,
      env,
      resources: res,
    });
  }

  private resources(
    prop: string,
    r: ForgejoResources | undefined,
    defaults: ResolvedResources,
  ): ResolvedResources {
    const merged = { ...defaults, ...r };
    const out = {
      cpuRequest: quantity(this, `${prop}.cpuRequest`, merged.cpuRequest),
      memoryRequest: quantity(this, `${prop}.memoryRequest`, quantityString(merged.memoryRequest)),
      memoryLimit: quantity(this, `${prop}.memoryLimit`, quantityString(merged.memoryLimit)),
    };
    requestWithinLimit(this, `${prop}.memory`, out.memoryRequest, out.memoryLimit);
    return out;
  }

  /** The pod must fit the namespace quota: the tree's 6Gi attempt was refused and left 0 pods. */
  private fitsQuota(quota: Record<string, string>, res: ResolvedResources): void {
    const check = (quotaKey: string, prop: string, value: string) => {
      const cap = quota[quotaKey];
      if (cap === undefined || isToken(cap) || isToken(value)) return;
      const c = parseQuantity(cap);
      const v = parseQuantity(value);
      if (c !== undefined && v !== undefined && v > c) {
        invalid(this, prop, value, `at most the namespace quota ${quotaKey} = ${cap} (or raise quotaHard)`);
      }
    };
    check('requests.cpu', 'resources.cpuRequest', res.cpuRequest);
    check('requests.memory', 'resources.memoryRequest', res.memoryRequest);
    check('limits.memory', 'resources.memoryLimit', res.memoryLimit);
  }
}

/** Terraform-name part of a Vault path ("viktor" -> "viktor", "ci/global" -> "ci_global"). */
function vaultName(path: string): string {
  return path.replace(/[^A-Za-z0-9_]/g, '_');
}

/** `data.cloudflare_accounts.main`, once per stack: the accounts the Cloudflare API key can see. */
function cloudflareAccounts(scope: Construct): DataCloudflareAccounts {
  const stack = TerraformStack.of(scope);
  const id = 'data-cloudflare-accounts:main';
  return (
    (stack.node.tryFindChild(id) as DataCloudflareAccounts | undefined) ??
    named(stack, DataCloudflareAccounts, 'main', {}, id)
  );
}
