// Prop key lists of this folder's constructs, for the unknown-key check (lib/validation/props.ts).
// propKeys<P>() makes each list exactly the interface's keys: a prop added or removed there fails typecheck here.
import { propKeys } from '../../lib/validation/props';
import type { VaultSecretRef } from '../../lib/conventions/vault';
import type { AnubisSiteProps } from './anubis-site';
import type { CompanyIngressProps, CompanyVmProps } from './company-vm';
import type {
  ForgejoResources,
  ForgejoStorageProps,
  ForgejoHomepageProps,
  ForgejoTurnstileProps,
  ForgejoMailerProps,
  ForgejoSignupProps,
  ForgejoRetentionProps,
  RegistryProbeCredentials,
  RegistryIntegrityProbeProps,
  ForgejoLegacyAddresses,
  ForgejoRegistryProps,
} from './forgejo-registry';
import type { GpuGateProps, TcpProbe, TtsInitContainer, GpuGatedTtsProps } from './gpu-gated-tts';
import type {
  StaticSiteContentProps,
  DriveSyncProps,
  NfsStaticSiteLegacyAddresses,
  NfsStaticSiteProps,
} from './nfs-static-site';
import type {
  T3HomepageProps,
  T3NativeClientProps,
  T3ProbeProps,
  T3RbacProps,
  T3ProvisionerVaultProps,
  T3LegacyAddresses,
  T3WorkstationProps,
} from './t3-workstation';
import type { WebAppSecretEnv, WebAppProps } from './web-app';

export const ANUBIS_SITE_KEYS = propKeys<AnubisSiteProps>({
  name: true,
  namespace: true,
  backend: true,
  targetUrl: true,
  sharedStoreUrl: true,
  replicas: true,
  difficulty: true,
  cookieDomain: true,
  cookieExpirationHours: true,
  imageTag: true,
  memory: true,
  cpuRequest: true,
  policyRules: true,
  trustedLocalCidrs: true,
  ingress: true,
  directPaths: true,
  directIngress: true,
  legacyAddress: true,
});

export const COMPANY_INGRESS_KEYS = propKeys<CompanyIngressProps>({
  host: true,
  dnsType: true,
  allowedGroups: true,
});

export const COMPANY_VM_KEYS = propKeys<CompanyVmProps>({
  name: true,
  artifactsUrl: true,
  sshUser: true,
  sshAuthorizedKeys: true,
  dnsType: true,
  ingress: true,
  vaultPath: true,
  approleMountPath: true,
  storageClass: true,
  lbIp: true,
  profile: true,
  planes: true,
  blockIndex: true,
  memory: true,
  disk: true,
  cores: true,
  cpuRequest: true,
  imageUrl: true,
  ports: true,
  running: true,
});

export const VAULT_KEY_KEYS = propKeys<VaultSecretRef>({
  path: true,
  property: true,
});

export const FORGEJO_RESOURCES_KEYS = propKeys<ForgejoResources>({
  cpuRequest: true,
  memoryRequest: true,
  memoryLimit: true,
});

export const FORGEJO_STORAGE_KEYS = propKeys<ForgejoStorageProps>({
  name: true,
  size: true,
  limit: true,
  addressName: true,
});

export const FORGEJO_HOMEPAGE_KEYS = propKeys<ForgejoHomepageProps>({
  name: true,
  description: true,
  icon: true,
  group: true,
});

export const FORGEJO_TURNSTILE_KEYS = propKeys<ForgejoTurnstileProps>({
  widgetName: true,
  mode: true,
  domains: true,
});

export const FORGEJO_MAILER_KEYS = propKeys<ForgejoMailerProps>({
  smtpHost: true,
  smtpPort: true,
  protocol: true,
  from: true,
  user: true,
  password: true,
  secretName: true,
});

export const FORGEJO_SIGNUP_KEYS = propKeys<ForgejoSignupProps>({
  turnstile: true,
  emailConfirm: true,
  mailer: true,
  oauth2AutoRegistration: true,
});

export const FORGEJO_RETENTION_KEYS = propKeys<ForgejoRetentionProps>({
  owner: true,
  token: true,
  keepLastN: true,
  schedule: true,
  dryRun: true,
  image: true,
  name: true,
  resources: true,
});

export const REGISTRY_PROBE_CREDENTIALS_KEYS = propKeys<RegistryProbeCredentials>({
  user: true,
  token: true,
});

export const REGISTRY_INTEGRITY_PROBE_KEYS = propKeys<RegistryIntegrityProbeProps>({
  namespace: true,
  schedule: true,
  registryUrl: true,
  repositories: true,
  maxTags: true,
  credentials: true,
  image: true,
  name: true,
  resources: true,
});

export const FORGEJO_LEGACY_MODULES_KEYS = propKeys<ForgejoLegacyAddresses>({
  ingress: true,
  tlsSecret: true,
});

export const FORGEJO_REGISTRY_KEYS = propKeys<ForgejoRegistryProps>({
  name: true,
  namespace: true,
  tier: true,
  quotaHard: true,
  image: true,
  host: true,
  rootDomain: true,
  uid: true,
  settings: true,
  signup: true,
  resources: true,
  storage: true,
  maxBodySize: true,
  dnsType: true,
  externalMonitorPath: true,
  homepage: true,
  retention: true,
  integrityProbe: true,
  ignoreImageChanges: true,
  legacyAddress: true,
});

export const GPU_GATE_KEYS = propKeys<GpuGateProps>({
  enabled: true,
  floorBytes: true,
  totalBytes: true,
  windowUpSchedule: true,
  windowDownSchedule: true,
  vramGuardSchedule: true,
  demandGateSchedule: true,
  timezone: true,
  queueUrl: true,
  metricsUrl: true,
  image: true,
});

export const TCP_PROBE_KEYS = propKeys<TcpProbe>({
  initialDelaySeconds: true,
  periodSeconds: true,
  failureThreshold: true,
});

export const TTS_INIT_CONTAINER_KEYS = propKeys<TtsInitContainer>({
  name: true,
  command: true,
  image: true,
  mountModels: true,
});

export const GPU_GATED_TTS_KEYS = propKeys<GpuGatedTtsProps>({
  namespace: true,
  name: true,
  namePrefix: true,
  image: true,
  imageTag: true,
  config: true,
  configFileName: true,
  configMountPath: true,
  containerPort: true,
  servicePort: true,
  serviceAnnotations: true,
  clientModel: true,
  env: true,
  modelVolume: true,
  initContainers: true,
  imagePullSecrets: true,
  resources: true,
  gpuSlices: true,
  readinessProbe: true,
  livenessProbe: true,
  gate: true,
  gateAddressName: true,
});

export const STATIC_SITE_CONTENT_KEYS = propKeys<StaticSiteContentProps>({
  nfsPath: true,
  name: true,
  storage: true,
  nfsServer: true,
  accessModes: true,
});

export const DRIVE_SYNC_KEYS = propKeys<DriveSyncProps>({
  source: true,
  requiredFile: true,
  schedule: true,
  maxDelete: true,
  component: true,
  vault: true,
  secretName: true,
  image: true,
  resources: true,
  successfulJobsHistoryLimit: true,
  failedJobsHistoryLimit: true,
  backoffLimit: true,
  ttlSecondsAfterFinished: true,
});

export const NFS_STATIC_SITE_LEGACY_ADDRESSES_KEYS = propKeys<NfsStaticSiteLegacyAddresses>({
  contentModule: true,
  ingressModule: true,
  nginxConfig: true,
  deployment: true,
  service: true,
  driveSyncSecret: true,
  driveSyncCronJob: true,
});

export const NFS_STATIC_SITE_KEYS = propKeys<NfsStaticSiteProps>({
  namespace: true,
  name: true,
  content: true,
  indexFiles: true,
  image: true,
  replicas: true,
  resources: true,
  ingress: true,
  driveSync: true,
  legacyAddress: true,
});

export const T3_HOMEPAGE_KEYS = propKeys<T3HomepageProps>({
  name: true,
  description: true,
  icon: true,
  group: true,
});

export const T3_NATIVE_CLIENT_KEYS = propKeys<T3NativeClientProps>({
  port: true,
  name: true,
});

export const T3_PROBE_KEYS = propKeys<T3ProbeProps>({
  name: true,
  image: true,
  resources: true,
  t3ServePort: true,
});

export const T3_RBAC_KEYS = propKeys<T3RbacProps>({
  members: true,
  adminEmails: true,
  powerUserClusterRole: true,
  namespaceOwnerClusterRole: true,
});

export const T3_PROVISIONER_VAULT_KEYS = propKeys<T3ProvisionerVaultProps>({
  name: true,
  backend: true,
  kvMount: true,
  secrets: true,
  boundCidrs: true,
  tokenTtl: true,
  tokenMaxTtl: true,
});

export const T3_LEGACY_MODULES_KEYS = propKeys<T3LegacyAddresses>({
  ingress: true,
  probeIngress: true,
});

export const T3_WORKSTATION_KEYS = propKeys<T3WorkstationProps>({
  namespace: true,
  name: true,
  host: true,
  devvmIp: true,
  dispatcherPort: true,
  allowedGroups: true,
  homepage: true,
  nativeClient: true,
  probe: true,
  rbac: true,
  provisionerVault: true,
  dispatcherAddressName: true,
  legacyAddress: true,
});

export const WEB_APP_SECRET_ENV_KEYS = propKeys<WebAppSecretEnv>({
  name: true,
  vault: true,
});

export const WEB_APP_KEYS = propKeys<WebAppProps>({
  name: true,
  tier: true,
  existingNamespace: true,
  developmentNamespace: true,
  port: true,
  servicePort: true,
  healthCheckPath: true,
  probes: true,
  secretEnv: true,
  existingSecretEnv: true,
  dataMountPath: true,
  dataStorage: true,
  dataStorageLimit: true,
  volumes: true,
  ingress: true,
  host: true,
  auth: true,
  dnsType: true,
  allowedGroups: true,
  maxBodySize: true,
  homepageGroup: true,
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
  fsGroup: true,
  imagePullSecrets: true,
  reloader: true,
  waitFor: true,
  podAnnotations: true,
  labels: true,
  startupTimeoutSeconds: true,
});
