import { Construct } from 'constructs';
import type { TerraformResource } from 'cdktf';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import type { CronJobV1 } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import type { Service } from '@cdktf/provider-kubernetes/lib/service';
import { addressName, checkModuleAddress, movedFrom, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { staticServerBlock } from '../../lib/domain/nginx';
import { scriptForTerraform } from '../../lib/core/paths';
import {
  cron,
  dnsLabel,
  integerInRange,
  k8sName,
  matches,
  nonEmptyString,
  pinnedImage,
} from '../../lib/validation/validate';
import { ExternalSecret } from '../blocks/external-secret';
import { IngressFactory, type IngressFactoryProps } from '../blocks/ingress-factory';
import { NfsVolume } from '../blocks/nfs-volume';
import { type ContainerResources, containerResources } from '../../lib/conventions/resources';
import type { TieredNamespace } from '../blocks/tiered-namespace';
import { checkVaultRef, type VaultSecretRef } from '../../lib/conventions/vault';
import { CronJob, Deployment, Keel, Probe, Volume } from '../blocks/workload';
import { Duration } from '../../lib/core/units';
import { Ignore } from '../../lib/conventions/lifecycle';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import {
  NFS_STATIC_SITE_KEYS,
  DRIVE_SYNC_KEYS,
  NFS_STATIC_SITE_LEGACY_ADDRESSES_KEYS,
  STATIC_SITE_CONTENT_KEYS,
} from './prop-keys';

/** The NFS export the site serves (an `NfsVolume` the construct creates). */
export interface StaticSiteContentProps {
  /** Export path on the NFS server, e.g. "/srv/nfs/stem-site" (it must already exist on the server). */
  readonly nfsPath: string;
  /** PV and PVC name (the PV is cluster-scoped). @default "<name>-content" */
  readonly name?: string;
  /** Capacity / request. @default "1Gi" */
  readonly storage?: string;
  /** NFS server. @default the site's NFS server */
  readonly nfsServer?: string;
  /** Access modes. @default ["ReadWriteMany"] (nginx and the sync job mount it at the same time) */
  readonly accessModes?: string[];
}

/**
 * A CronJob mirroring a read-only rclone remote (e.g. a Google Drive folder) onto the content volume
 * with payloads/drive-sync.sh, plus the ExternalSecret that provides its rclone.conf.
 */
export interface DriveSyncProps {
  /** rclone source, remote and folder, e.g. "gdrive:stem claude/files" (the remote is named in rclone.conf). */
  readonly source: string;
  /**
   * A file that must be listed at the top of `source` (typically the site's entry page) or the run is
   * skipped and the site left as it is.
   */
  readonly requiredFile: string;
  /** Cron schedule. @default "*\/10 * * * *" */
  readonly schedule?: string;
  /** Most files one run may delete (rclone --max-delete), 1 to 999999999. @default 25 */
  readonly maxDelete?: number;
  /** Label `component` and name suffix: the CronJob is "<name>-<component>". @default "drive-sync" */
  readonly component?: string;
  /** Vault property holding the whole rclone.conf. @default `{ path: <site name>, property: 'rclone_conf' }` */
  readonly vault?: VaultSecretRef;
  /** Name of the ExternalSecret and of the Secret it maintains. @default "<name>-rclone" */
  readonly secretName?: string;
  /** rclone image, pinned. @default "docker.io/rclone/rclone:1.74.3" */
  readonly image?: string;
  /** @default requests cpu 10m / memory 64Mi, limits memory 192Mi */
  readonly resources?: ContainerResources;
  /** @default 2 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 3 */
  readonly failedJobsHistoryLimit?: number;
  /** @default 1 */
  readonly backoffLimit?: number;
  /** Seconds a finished Job is kept. @default 86400 */
  readonly ttlSecondsAfterFinished?: number;
}

/** Tree addresses the site's resources had: each set one becomes a `moved` block. */
export interface NfsStaticSiteLegacyAddresses {
  /** `nfs_volume` module of the content volume, e.g. "module.nfs_content". */
  readonly contentModule?: string;
  /** `ingress_factory` module, e.g. "module.ingress". */
  readonly ingressModule?: string;
  /** nginx config map, e.g. "kubernetes_config_map.nginx_conf". */
  readonly nginxConfig?: string;
  /** e.g. "kubernetes_deployment.stem95su". */
  readonly deployment?: string;
  /** e.g. "kubernetes_service.stem95su". */
  readonly service?: string;
  /** Drive sync ExternalSecret, e.g. "kubernetes_manifest.rclone_external_secret". */
  readonly driveSyncSecret?: string;
  /** Drive sync CronJob, e.g. "kubernetes_cron_job_v1.gdrive_sync". */
  readonly driveSyncCronJob?: string;
}

/** Ingress settings; name, namespace, service, port and module address come from the site. */
export type StaticSiteIngressProps = Omit<
  IngressFactoryProps,
  'name' | 'namespace' | 'serviceName' | 'port' | 'legacyAddress'
>;

export interface NfsStaticSiteProps {
  /** Namespace of everything; its tier labels the Deployment, the ExternalSecret depends on it. */
  readonly namespace: TieredNamespace;
  /** Name of the Deployment, Service and Ingress (label `run`) and prefix of the others. @default the namespace name */
  readonly name?: string;
  /** The NFS export served. */
  readonly content: StaticSiteContentProps;
  /** Directory index files, tried in order ("/" serves the first that exists). @default ["index.html"] */
  readonly indexFiles?: string[];
  /** nginx image, pinned. @default "nginx:1.28-alpine" */
  readonly image?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default requests cpu 10m / memory 64Mi, limits memory 64Mi */
  readonly resources?: ContainerResources;
  /** Ingress settings. @default IngressFactory defaults (auth REQUIRED, no DNS record) */
  readonly ingress?: StaticSiteIngressProps;
  /** Mirror a read-only rclone remote onto the content volume. @default no sync */
  readonly driveSync?: DriveSyncProps;
  /** Tree addresses to emit `moved` blocks from. @default none */
  readonly legacyAddress?: NfsStaticSiteLegacyAddresses;
}

/** Where the content volume is mounted in the nginx container (the image's default root). */
export const SITE_ROOT = '/usr/share/nginx/html';
/** Where the sync container sees the content volume (the script's DEST). */
export const SYNC_DEST = '/data';
/** Where the rclone config Secret is mounted in the sync container. */
export const RCLONE_CONFIG_DIR = '/config';
/** Where the sync script ConfigMap is mounted in the sync container. */
export const SYNC_SCRIPT_DIR = '/scripts';
/** The script the sync container runs (payloads/drive-sync.sh). */
export const SYNC_SCRIPT = 'drive-sync.sh';

const NGINX_PORT = 80;
const FILE_NAME = /^[A-Za-z0-9._~+-]+$/;

function moved(resource: TerraformResource, from: string | undefined): void {
  if (from !== undefined) movedFrom(resource, from);
}

/**
 * A static web site: a stock nginx serving an NFS export read-only, so content is published by writing
 * files to the export (no image build). Optionally a CronJob mirrors a read-only rclone remote onto the
 * export with the guarded payloads/drive-sync.sh (never wipes the site on an empty or partial listing;
 * an expired token fails the Job).
 *
 * Addresses (construct id `<id>`): `kubernetes_persistent_volume[_claim].<id>_content`,
 * `kubernetes_config_map.<id>_nginx_conf`, `kubernetes_deployment.<id>`, `kubernetes_service.<id>`,
 * `kubernetes_ingress_v1.<id>_ingress` (+ IngressFactory extras), and with driveSync
 * `kubernetes_manifest.<id>_drive_sync_config`, `kubernetes_config_map.<id>_drive_sync_script`,
 * `kubernetes_cron_job_v1.<id>_drive_sync`.
 */
export class NfsStaticSite extends Construct {
  /** Name of the Deployment, Service and Ingress. */
  readonly name: string;
  readonly content: NfsVolume;
  readonly nginxConfig: ConfigMap;
  readonly deployment: Deployment;
  readonly service: Service;
  readonly ingress: IngressFactory;
  readonly driveSync?: {
    readonly secret: ExternalSecret;
    readonly script: ConfigMap;
    readonly cronJob: CronJobV1;
  };

  constructor(scope: Construct, id: string, props: NfsStaticSiteProps) {
    super(scope, id);
    checkProps(this, 'props', props, NFS_STATIC_SITE_KEYS);
    checkNestedProps(this, '', props, {
      content: STATIC_SITE_CONTENT_KEYS,
      driveSync: DRIVE_SYNC_KEYS,
      legacyAddress: NFS_STATIC_SITE_LEGACY_ADDRESSES_KEYS,
    });
    const ns = props.namespace;
    if (!ns || typeof ns.name !== 'string' || typeof ns.literalName !== 'string') {
      invalid(this, 'namespace', ns, 'a TieredNamespace');
    }
    const name = dnsLabel(this, 'name', props.name ?? ns.literalName);
    this.name = name;
    const indexFiles = props.indexFiles ?? ['index.html'];
    if (!Array.isArray(indexFiles) || indexFiles.length === 0) {
      invalid(this, 'indexFiles', indexFiles, 'at least one file name, e.g. ["index.html"]');
    }
    indexFiles.forEach((f, i) =>
      matches(this, `indexFiles[${i}]`, f, FILE_NAME, 'a file name such as "index.html" (no spaces or "/")'),
    );
    const image = pinnedImage(this, 'image', props.image ?? 'nginx:1.28-alpine');
    const replicas = integerInRange(this, 'replicas', props.replicas ?? 1, 0, 100);
    const nginxResources = props.resources ?? {
      cpuRequest: '10m',
      memoryRequest: '64Mi',
      memoryLimit: '64Mi',
    };
    containerResources(this, 'resources', nginxResources); // checked here: errors name the site's prop
    const legacy = props.legacyAddress ?? {};
    const contentModule = checkModuleAddress(this, 'legacyAddress.contentModule', legacy.contentModule);
    const ingressModule = checkModuleAddress(this, 'legacyAddress.ingressModule', legacy.ingressModule);
    const sync = props.driveSync ? this.checkDriveSync(name, props.driveSync) : undefined;

    const runLabels = { run: name };
    this.content = new NfsVolume(this, 'content', {
      name: props.content?.name ?? `${name}-content`,
      namespace: ns,
      nfsPath: props.content?.nfsPath,
      nfsServer: props.content?.nfsServer,
      storage: props.content?.storage ?? '1Gi',
      accessModes: props.content?.accessModes,
      legacyAddress: contentModule,
    });

    this.nginxConfig = named(
      this,
      ConfigMap,
      addressName(this, 'nginx_conf'),
      {
        metadata: { name: `${name}-nginx-conf`, namespace: ns.name },
        data: { 'default.conf': staticServerBlock({ port: NGINX_PORT, root: SITE_ROOT, indexFiles }) },
      },
      'nginx_conf',
    );
    moved(this.nginxConfig, legacy.nginxConfig);

    const content = Volume.fromPvc('content', this.content.claimName);
    const nginxConf = Volume.fromConfigMap('nginx-conf', this.nginxConfig.metadata.name);
    this.deployment = new Deployment(this, 'deployment', {
      addressName: addressName(this),
      namespace: ns,
      name,
      selector: runLabels,
      replicas,
      keel: Keel.notEnrolled(),
      containers: [
        {
          image,
          name: 'nginx',
          resources: nginxResources,
          ports: [NGINX_PORT],
          volumeMounts: [
            { volume: content, mountPath: SITE_ROOT, readOnly: true },
            { volume: nginxConf, mountPath: '/etc/nginx/conf.d', readOnly: true },
          ],
          readinessProbe: Probe.httpGet('/', NGINX_PORT, {
            initialDelay: Duration.seconds(3),
            period: Duration.seconds(10),
          }),
        },
      ],
      volumes: [content, nginxConf],
      // In a Keel-enrolled namespace Kyverno adds the Keel annotations: ignore them (no perpetual diff).
      ignoreChanges: ns.keelEnrolled === true ? [Ignore.keelAnnotations] : [],
    });
    moved(this.deployment, legacy.deployment);

    this.service = this.deployment.exposeViaService({
      id: 'service',
      ports: [{ name: 'http', port: NGINX_PORT }],
    }).resource;
    moved(this.service, legacy.service);

    this.ingress = new IngressFactory(this, 'ingress', {
      ...props.ingress,
      name,
      namespace: ns,
      serviceName: this.service.metadata.name,
      port: NGINX_PORT,
      legacyAddress: ingressModule,
    });

    if (sync) {
      const secret = new ExternalSecret(this, 'drive_sync_config', {
        namespace: ns,
        name: sync.secretName,
        data: [{ secretKey: 'rclone.conf', vault: sync.vault }],
        dependsOn: [ns.resource],
      });
      moved(secret.resource, legacy.driveSyncSecret);

      const jobName = `${name}-${sync.component}`;
      const labels = { ...runLabels, component: sync.component };
      const script = named(
        this,
        ConfigMap,
        addressName(this, 'drive_sync_script'),
        {
          metadata: { name: `${jobName}-script`, namespace: ns.name, labels: { ...labels } },
          data: { [SYNC_SCRIPT]: scriptForTerraform(SYNC_SCRIPT) },
        },
        'drive_sync_script',
      );

      const rcloneConfig = Volume.fromSecret('rclone-config', secret.secretName);
      const syncScript = Volume.fromConfigMap('sync-script', script.metadata.name);
      const cronJob = new CronJob(this, 'drive_sync', {
        addressName: addressName(this, 'drive_sync'),
        namespace: ns,
        name: jobName,
        labels,
        schedule: sync.schedule,
        successfulJobsHistoryLimit: sync.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: sync.failedJobsHistoryLimit,
        backoffLimit: sync.backoffLimit,
        ttlAfterFinished: Duration.seconds(sync.ttlSecondsAfterFinished),
        containers: [
          {
            name: 'rclone',
            image: sync.image,
            command: ['/bin/sh', `${SYNC_SCRIPT_DIR}/${SYNC_SCRIPT}`],
            env: {
              SRC: sync.source,
              DEST: SYNC_DEST,
              REQUIRED_FILE: sync.requiredFile,
              MAX_DELETE: String(sync.maxDelete),
              RCLONE_CONFIG_SRC: `${RCLONE_CONFIG_DIR}/rclone.conf`,
            },
            resources: sync.resources,
            volumeMounts: [
              { volume: rcloneConfig, mountPath: RCLONE_CONFIG_DIR, readOnly: true },
              { volume: content, mountPath: SYNC_DEST },
              { volume: syncScript, mountPath: SYNC_SCRIPT_DIR, readOnly: true },
            ],
          },
        ],
        volumes: [rcloneConfig, content, syncScript],
        dependsOn: [secret.resource],
      });
      moved(cronJob, legacy.driveSyncCronJob);
      this.driveSync = { secret, script, cronJob };
    }
  }

  /** Validates the driveSync props and fills in the defaults. */
  private checkDriveSync(name: string, d: DriveSyncProps) {
    const p = (prop: string) => `driveSync.${prop}`;
    const component = dnsLabel(this, p('component'), d.component ?? 'drive-sync');
    // CronJob names are limited to 52 characters (the controller appends an 11-character suffix to Jobs).
    if (name.length + 1 + component.length > 52) {
      invalid(
        this,
        p('component'),
        component,
        `a suffix that keeps the CronJob name "${name}-<component>" within 52 characters`,
      );
    }
    const requiredFile = nonEmptyString(this, p('requiredFile'), d.requiredFile);
    if (requiredFile.includes('/') || /[\n\r]/.test(requiredFile)) {
      invalid(
        this,
        p('requiredFile'),
        requiredFile,
        'a plain file name at the top of the source, e.g. "index.html"',
      );
    }
    return {
      component,
      requiredFile,
      source: matches(
        this,
        p('source'),
        d.source,
        /^[A-Za-z0-9_.-]+:[^\n\r]*$/,
        'an rclone remote and path such as "gdrive:site/files"',
      ),
      schedule: cron(this, p('schedule'), d.schedule ?? '*/10 * * * *'),
      maxDelete: integerInRange(this, p('maxDelete'), d.maxDelete ?? 25, 1, 999_999_999),
      vault: checkVaultRef(this, p('vault'), d.vault ?? { path: name, property: 'rclone_conf' }),
      secretName: k8sName(this, p('secretName'), d.secretName ?? `${name}-rclone`),
      image: pinnedImage(this, p('image'), d.image ?? 'docker.io/rclone/rclone:1.74.3'),
      resources: checkedResources(
        this,
        p('resources'),
        d.resources ?? { cpuRequest: '10m', memoryRequest: '64Mi', memoryLimit: '192Mi' },
      ),
      successfulJobsHistoryLimit: integerInRange(
        this,
        p('successfulJobsHistoryLimit'),
        d.successfulJobsHistoryLimit ?? 2,
        0,
        100,
      ),
      failedJobsHistoryLimit: integerInRange(
        this,
        p('failedJobsHistoryLimit'),
        d.failedJobsHistoryLimit ?? 3,
        0,
        100,
      ),
      backoffLimit: integerInRange(this, p('backoffLimit'), d.backoffLimit ?? 1, 0, 100),
      ttlSecondsAfterFinished: integerInRange(
        this,
        p('ttlSecondsAfterFinished'),
        d.ttlSecondsAfterFinished ?? 86400,
        0,
        31_536_000,
      ),
    };
  }
}

/** Validates resources (errors name `prop` on `scope`) and returns them as given. */
function checkedResources(scope: Construct, prop: string, r: ContainerResources): ContainerResources {
  containerResources(scope, prop, r);
  return r;
}
