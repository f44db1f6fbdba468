// Prop key lists of this folder's constructs, for the unknown-key check (lib/validation/props.ts).
// propKeys<P>() makes each list exactly the interface's keys: a prop added or removed there fails typecheck here.
import { propKeys } from '../../lib/validation/props';
import type { AppContainerProps, AppDeploymentProps, PvcMount, SecretKeyEnv } from './app-deployment';
import type { BasicAuthProps } from './basic-auth';
import type { ConfigMapProps } from './config-map';
import type { CloudflarePagesSitesProps } from './cloudflare-pages';
import type { DisruptionBudgetProps } from './disruption-budget';
import type { CopiedObjectProps, CopySource } from './namespace-copy';
import type { DnsRecordProps } from './dns-record';
import type { EncryptedPvcProps } from './encrypted-pvc';
import type { ExternalSecretKey, ExternalSecretProps, SyncedSecretOptions } from './external-secret';
import type { SablierProps, IngressFactoryProps } from './ingress-factory';
import type { IngressAllowRule, NamespaceIngressPolicyProps } from './network-policy';
import type { NfsVolumeProps } from './nfs-volume';
import type { NodeLabelsProps } from './node-labels';
import type { PathIngressProps } from './path-ingress';
import type { PlanTimeSecretProps } from './plan-time-secret';
import type { PostgresCredentialsProps } from './postgres-credentials';
import type { Autoresize, ProxmoxPvcProps } from './proxmox-pvc';
import type { RegistryPullSecretProps } from './registry-pull-secret';
import type { SealedSecretsProps } from './sealed-secrets';
import type { StorageClassProps } from './storage-class';
import type { RoleGrantProps } from './rbac';
import type { ServiceAccountProps, ServiceAccountTokenSecret } from './service-account';
import type { TieredNamespaceProps } from './tiered-namespace';
import type { TlsSecretProps } from './tls-secret';
import type {
  IngressRouteProps,
  IngressRouteRule,
  IngressRouteTcpProps,
  MiddlewareRef,
  RouteService,
  TcpRoute,
  TraefikMiddlewareProps,
} from './traefik';
import type { VaultAppRoleProps } from './vault-app-role';

export const SECRET_KEY_ENV_KEYS = propKeys<SecretKeyEnv>({
  name: true,
  secretName: true,
  key: true,
  optional: true,
});

export const PVC_MOUNT_KEYS = propKeys<PvcMount>({
  name: true,
  claimName: true,
  mountPath: true,
  readOnly: true,
  singleNode: true,
});

// AppDeploymentProps extends AppContainerProps: one key list for the container part serves both.
const APP_CONTAINER_KEY_SPEC: { readonly [K in keyof Required<AppContainerProps>]: true } = {
  image: true,
  command: true,
  args: true,
  env: true,
  dependsOnSecrets: true,
  cpuRequest: true,
  cpuLimit: true,
  memoryRequest: true,
  memoryLimit: true,
  replicas: true,
  keel: true,
  keelPolicy: true,
  volumes: true,
  fsGroup: true,
  imagePullSecrets: true,
  reloader: true,
  waitFor: true,
  podAnnotations: true,
  labels: true,
  startupTimeoutSeconds: true,
};

export const APP_DEPLOYMENT_KEYS = propKeys<AppDeploymentProps>({
  name: true,
  namespace: true,
  tier: true,
  port: true,
  healthCheckPath: true,
  secretEnv: true,
  dependsOn: true,
  ...APP_CONTAINER_KEY_SPEC,
});

export const BASIC_AUTH_KEYS = propKeys<BasicAuthProps>({
  namespace: true,
  credentials: true,
  secretName: true,
  middlewareName: true,
  bcryptCost: true,
  secretAddressName: true,
  middlewareAddressName: true,
});

export const CONFIG_MAP_KEYS = propKeys<ConfigMapProps>({
  namespace: true,
  name: true,
  data: true,
  binaryData: true,
  labels: true,
  annotations: true,
  immutable: true,
  ignoreData: true,
  payloads: true,
  v1: true,
  addressName: true,
  legacyAddress: true,
  dependsOn: true,
});

export const DISRUPTION_BUDGET_KEYS = propKeys<DisruptionBudgetProps>({
  maxUnavailable: true,
  minAvailable: true,
  name: true,
  addressName: true,
});

export const COPIED_OBJECT_KEYS = propKeys<CopiedObjectProps>({
  namespace: true,
  name: true,
  from: true,
  keys: true,
  type: true,
});

export const COPY_SOURCE_KEYS = propKeys<CopySource>({
  namespace: true,
  name: true,
  dataSourceName: true,
});

export const DNS_RECORD_KEYS = propKeys<DnsRecordProps>({
  name: true,
  type: true,
  content: true,
  proxied: true,
  zoneId: true,
  addressName: true,
});

export const ENCRYPTED_PVC_KEYS = propKeys<EncryptedPvcProps>({
  storageClassName: true,
  name: true,
  namespace: true,
  storage: true,
  storageLimit: true,
  resizeThreshold: true,
  resizeIncrease: true,
  addressName: true,
  legacyAddress: true,
});

export const EXTERNAL_SECRET_KEY_KEYS = propKeys<ExternalSecretKey>({
  secretKey: true,
  vault: true,
});

export const EXTERNAL_SECRET_KEYS = propKeys<ExternalSecretProps>({
  namespace: true,
  name: true,
  targetName: true,
  data: true,
  extractPaths: true,
  creationPolicy: true,
  template: true,
  refreshInterval: true,
  storeName: true,
  dependsOn: true,
  legacyAddress: true,
  forceConflicts: true,
});

export const SYNCED_SECRET_KEYS = propKeys<SyncedSecretOptions>({
  namespace: true,
});

export const SABLIER_KEYS = propKeys<SablierProps>({
  group: true,
  sessionDuration: true,
  strategy: true,
  displayName: true,
  theme: true,
  refreshFrequency: true,
  blockingTimeout: true,
});

export const INGRESS_FACTORY_KEYS = propKeys<IngressFactoryProps>({
  name: true,
  dependsOn: true,
  namespace: true,
  service: true,
  serviceName: true,
  host: true,
  fullHost: true,
  port: true,
  tlsSecretName: true,
  auth: true,
  ingressPath: true,
  maxBodySize: true,
  extraAnnotations: true,
  allowLocalAccessOnly: true,
  rootDomain: true,
  customContentSecurityPolicy: true,
  extraMiddlewares: true,
  sablier: true,
  skipDefaultRateLimit: true,
  antiAiScraping: true,
  allowedGroups: true,
  dnsType: true,
  externalMonitor: true,
  externalMonitorName: true,
  cloudflareZoneId: true,
  cloudflareTunnelId: true,
  publicIp: true,
  publicIpv6: true,
  internalLbIp: true,
  homepageGroup: true,
  homepageEnabled: true,
  legacyAddress: true,
});

export const NODE_LABELS_KEYS = propKeys<NodeLabelsProps>({
  nodes: true,
  labels: true,
  addressName: true,
});

export const NFS_VOLUME_KEYS = propKeys<NfsVolumeProps>({
  name: true,
  namespace: true,
  nfsPath: true,
  nfsServer: true,
  storage: true,
  accessModes: true,
  legacyAddress: true,
});

export const PATH_INGRESS_KEYS = propKeys<PathIngressProps>({
  name: true,
  namespace: true,
  host: true,
  path: true,
  pathType: true,
  service: true,
  port: true,
  annotations: true,
  addressName: true,
});

export const PLAN_TIME_SECRET_KEYS = propKeys<PlanTimeSecretProps>({
  namespace: true,
  name: true,
  data: true,
  plainData: true,
  annotations: true,
  type: true,
  addressName: true,
});

export const POSTGRES_CREDENTIALS_KEYS = propKeys<PostgresCredentialsProps>({
  name: true,
  namespace: true,
  staticRole: true,
  database: true,
  username: true,
  host: true,
  port: true,
  urlScheme: true,
});

export const TIERED_NAMESPACE_KEYS = propKeys<TieredNamespaceProps>({
  tierLabel: true,
  name: true,
  tier: true,
  keelEnrolled: true,
  istioInjectionDisabled: true,
  customQuota: true,
  quotaHard: true,
  quotaName: true,
  quotaV1: true,
  quotaAddressName: true,
  labels: true,
  ignoreGoldilocksLabel: true,
  addressName: true,
  namespaceV1: true,
});

export const TLS_SECRET_KEYS = propKeys<TlsSecretProps>({
  copyFrom: true,
  namespace: true,
  secretName: true,
  secretsDir: true,
  legacyAddress: true,
});

export const VAULT_APP_ROLE_KEYS = propKeys<VaultAppRoleProps>({
  roleName: true,
  namespace: true,
  kvMount: true,
  createKvMount: true,
  authBackend: true,
  tokenTtlSeconds: true,
  tokenMaxTtlSeconds: true,
  secretName: true,
});

/** The container keys `WebApp` hands to its `AppDeployment`. */
export const APP_CONTAINER_KEYS = propKeys<AppContainerProps>(APP_CONTAINER_KEY_SPEC);

export const SEALED_SECRETS_KEYS = propKeys<SealedSecretsProps>({
  pattern: true,
  addressName: true,
});

export const REGISTRY_PULL_SECRET_KEYS = propKeys<RegistryPullSecretProps>({
  namespace: true,
  name: true,
  registry: true,
  username: true,
  password: true,
  addressName: true,
});

export const SERVICE_ACCOUNT_KEYS = propKeys<ServiceAccountProps>({
  namespace: true,
  name: true,
  automountToken: true,
  v1: true,
  addressName: true,
  tokenSecret: true,
});

export const SERVICE_ACCOUNT_TOKEN_SECRET_KEYS = propKeys<ServiceAccountTokenSecret>({
  name: true,
  addressName: true,
});

export const ROLE_GRANT_KEYS = propKeys<RoleGrantProps>({
  name: true,
  role: true,
  namespace: true,
  subjects: true,
  subjectApiGroups: true,
  v1: true,
  addressName: true,
});

export const NAMESPACE_INGRESS_POLICY_KEYS = propKeys<NamespaceIngressPolicyProps>({
  namespace: true,
  name: true,
  podSelector: true,
  allow: true,
  addressName: true,
  legacyResourceType: true,
});

export const INGRESS_ALLOW_RULE_KEYS = propKeys<IngressAllowRule>({
  fromNamespace: true,
  fromNamespaces: true,
  from: true,
  ports: true,
  protocol: true,
});

export const CLOUDFLARE_PAGES_SITES_KEYS = propKeys<CloudflarePagesSitesProps>({
  accountId: true,
  sites: true,
  productionBranch: true,
  addressName: true,
});

export const TRAEFIK_MIDDLEWARE_KEYS = propKeys<TraefikMiddlewareProps>({
  namespace: true,
  name: true,
  requestHeaders: true,
  contentSecurityPolicy: true,
  basicAuthSecret: true,
  maxRequestBodyBytes: true,
  rateLimit: true,
  compress: true,
  stripPrefixes: true,
  stripPrefixRegex: true,
  pluginName: true,
  pluginConfig: true,
  dependsOn: true,
  addressName: true,
  kubectl: true,
});

export const RATE_LIMIT_KEYS = propKeys<NonNullable<TraefikMiddlewareProps['rateLimit']>>({
  average: true,
  period: true,
  burst: true,
  perRequestHost: true,
});

export const MIDDLEWARE_REF_KEYS = propKeys<MiddlewareRef>({
  name: true,
  namespace: true,
});

export const ROUTE_SERVICE_KEYS = propKeys<RouteService>({
  name: true,
  port: true,
  namespace: true,
});

export const INGRESS_ROUTE_RULE_KEYS = propKeys<IngressRouteRule>({
  host: true,
  pathPrefix: true,
  match: true,
  priority: true,
  middlewares: true,
  services: true,
});

export const INGRESS_ROUTE_KEYS = propKeys<IngressRouteProps>({
  namespace: true,
  name: true,
  entryPoints: true,
  routes: true,
  tlsSecretName: true,
  addressName: true,
});

export const TCP_ROUTE_KEYS = propKeys<TcpRoute>({
  services: true,
});

export const INGRESS_ROUTE_TCP_KEYS = propKeys<IngressRouteTcpProps>({
  namespace: true,
  name: true,
  entryPoints: true,
  routes: true,
  addressName: true,
});

export const AUTORESIZE_KEYS = propKeys<Autoresize>({
  storageLimit: true,
  threshold: true,
  increase: true,
});

export const PROXMOX_PVC_KEYS = propKeys<ProxmoxPvcProps>({
  name: true,
  namespace: true,
  storageClass: true,
  storage: true,
  autoresize: true,
  addressName: true,
  legacyAddress: true,
  waitUntilBound: true,
});

export const STORAGE_CLASS_KEYS = propKeys<StorageClassProps>({
  name: true,
  provisioner: true,
  isDefault: true,
  reclaimPolicy: true,
  volumeBindingMode: true,
  allowVolumeExpansion: true,
  parameters: true,
  addressName: true,
});

/** Every key any `IngressSource` variant may carry (the variant check is the block's). */
export const INGRESS_SOURCE_KEYS = propKeys<{ namespace?: string; namespaceLabels?: object; cidr?: string }>({
  namespace: true,
  namespaceLabels: true,
  cidr: true,
});
