import { Construct, type IConstruct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Policy } from '@cdktf/provider-vault/lib/policy';
import { ApproleAuthBackendRole } from '@cdktf/provider-vault/lib/approle-auth-backend-role';
import { Record as CloudflareRecord } from '@cdktf/provider-cloudflare/lib/record';
import { addressName, named } from '../../lib/terraform/addresses';
import { cloudInitTemplate, COMPANY_SECRET_KEYS } from '../../lib/domain/company-cloud-init';
import {
  planCompany,
  portRequest,
  PROFILES,
  type CompanySpec,
  type PlannedVm,
} from '../../lib/domain/company-profiles';
import { ConfigError, invalid } from '../../lib/validation/errors';
import { KubectlManifest } from '../../lib/terraform/kubectl';
import { Ignore, ignoreChanges } from '../../lib/conventions/lifecycle';
import { checkPortPlan, PORT_ROLES, requestPorts, type PortRole } from '../../lib/domain/port-allocation';
import { useCloudflare, useKubectl, useVault } from '../../lib/terraform/providers';
import { siteOf } from '../../lib/conventions/site';
import { terraformLiteral } from '../../lib/terraform/tf-literal';
import { Tier } from '../../lib/conventions/tiers';
import { dnsLabel, httpUrl, k8sName, matches, oneOf, parseQuantity } from '../../lib/validation/validate';
import { ExternalSecret } from '../blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../blocks/ingress-factory';
import { TieredNamespace } from '../blocks/tiered-namespace';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import { COMPANY_VM_KEYS, COMPANY_INGRESS_KEYS } from './prop-keys';

/** HTTPS ingress through Traefik + Authentik (`auth = "required"`) in front of the VM's HTTP port. */
export interface CompanyIngressProps {
  /** Host label under the root domain. @default "<company>-web" (the company host itself points at the LB IP) */
  readonly host?: string;
  /** Record for the ingress host. @default DnsType.NONE (proxied hosts ride the zone's `*` record) */
  readonly dnsType?: DnsType;
  /** Authentik groups let through. @default IngressFactory's (["Home Server Admins"]) */
  readonly allowedGroups?: string[];
}

export interface CompanyVmProps extends Omit<CompanySpec, 'name'> {
  /** Company name: DNS-1123 label of at most 40 characters. @default the construct id */
  readonly name?: string;
  /** Base URL of the profile images: the VM imports `<artifactsUrl>/<profile image>` (e.g. rave-development.qcow2). */
  readonly artifactsUrl: string;
  /** User that gets the SSH keys. @default "root" */
  readonly sshUser?: string;
  /**
   * OpenSSH public keys with access, reviewed in git, added before the ones in Vault
   * (`ssh_authorized_keys`). @default none (then Vault must hold at least one; ESO fails the render otherwise)
   */
  readonly sshAuthorizedKeys?: string[];
  /** DNS record `<company>.<rootDomain>`: INTERNAL (A to the shared LB IP) or NONE. @default DnsType.INTERNAL */
  readonly dnsType?: DnsType;
  /** HTTPS ingress with Authentik in front of the (apps) VM. @default none */
  readonly ingress?: CompanyIngressProps | boolean;
  /** Vault KV v2 path (mount `secret`) holding the company's secrets. @default "companies/<name>" */
  readonly vaultPath?: string;
  /** Mount path of Vault's AppRole auth method. @default "approle" */
  readonly approleMountPath?: string;
  /** Storage class of the root disks. @default "proxmox-lvm-encrypted" */
  readonly storageClass?: string;
  /** LoadBalancer IP (shared with the tree's Services). @default the site's `sharedLbIp` */
  readonly lbIp?: string;
}

/** What a VM publishes, resolved. */
export interface CompanyVmEndpoints {
  readonly vmName: string;
  readonly profile: string;
  /** Published port per role on the LB IP. */
  readonly ports: Readonly<Partial<Record<PortRole, number>>>;
  /** In-cluster Service DNS name. */
  readonly serviceHost: string;
}

const SSH_KEY =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\n\r{}]*)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const GIB = 2 ** 30;
const MIB = 2 ** 20;
/** Per-VM quota headroom: virt-launcher overhead, the CDI importer pod and its scratch PVC. */
const HEADROOM = { memory: 1 * GIB, cpuMillis: 500, pvcs: 2, pods: 3 } as const;
const LABEL_COMPANY = 'company-vm/company';
const LABEL_PLANE = 'company-vm/plane';

/** JSON with object keys sorted at every level: a deterministic kubectl_manifest body (YAML superset). */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value), null, 2);
}

function bytes(q: string): number {
  return parseQuantity(q)!;
}

function formatBytes(n: number): string {
  return n % GIB === 0 ? `${n / GIB}Gi` : `${Math.ceil(n / MIB)}Mi`;
}

function formatMillis(m: number): string {
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

/** Company VMs declared in one App, for the app-wide port check. */
const APP_COMPANIES = new WeakMap<IConstruct, CompanyVm[]>();

/**
 * One company's isolated RAVE environment on KubeVirt: namespace `company-<name>` (aux tier, custom
 * quota sized from the profile(s), own LimitRange, NetworkPolicy isolating it from other companies), the
 * VirtualMachine(s) importing the profile image into an encrypted PVC with cloud-init from an
 * ExternalSecret template, a read-only Vault policy + AppRole, a LoadBalancer Service publishing the
 * VM's port block on the shared IP, optional DNS record and Authentik-gated ingress, and outputs (URLs,
 * SSH command, OAuth redirect URIs). Split mode (`planes`) runs a dataPlane and an appsPlane VM.
 *
 * Addresses (id `acme-corp`): `kubernetes_namespace.acme-corp_namespace`, `..._resource_quota.acme-corp_namespace`,
 * `kubernetes_limit_range_v1.acme-corp`, `kubernetes_network_policy_v1.acme-corp`, `vault_policy.acme-corp`,
 * `vault_approle_auth_backend_role.acme-corp`, `cloudflare_record.acme-corp`; per VM (`vm`, or `data`/`apps`):
 * `kubectl_manifest.acme-corp_vm`, `kubernetes_manifest.acme-corp_vm_cloud-init`, `kubernetes_service_v1.acme-corp_vm`,
 * outputs `acme-corp_vm_urls`, `acme-corp_vm_ssh_command`, `acme-corp_vm_oauth_redirect_uris`.
 */
export class CompanyVm extends Construct {
  readonly company: string;
  readonly namespace: TieredNamespace;
  /** VMs: one in single mode, data then apps in split mode. */
  readonly vms: readonly PlannedVm[];
  readonly endpoints: readonly CompanyVmEndpoints[];
  /** Host the outputs use: `<company>.<rootDomain>` with DNS, else the LB IP. */
  readonly host: string;
  readonly lbIp: string;
  readonly ingress?: IngressFactory;

  constructor(scope: Construct, id: string, props: CompanyVmProps) {
    super(scope, id);
    checkProps(this, 'props', props, COMPANY_VM_KEYS);
    checkNestedProps(this, '', props, { ingress: COMPANY_INGRESS_KEYS });
    const site = siteOf(this);
    const name = props.name ?? id;
    this.vms = planCompany(this, { ...props, name });
    this.company = name;
    const artifactsUrl = httpUrl(this, 'artifactsUrl', props.artifactsUrl).replace(/\/+$/, '');
    const sshUser = matches(
      this,
      'sshUser',
      props.sshUser ?? 'root',
      /^[a-z_][a-z0-9_-]{0,31}$/,
      'a Linux user name (lowercase letters, digits, "_" and "-", at most 32 characters)',
    );
    const sshKeys = props.sshAuthorizedKeys;
    if (sshKeys !== undefined) {
      if (!Array.isArray(sshKeys) || sshKeys.length === 0) {
        invalid(
          this,
          'sshAuthorizedKeys',
          sshKeys,
          'a non-empty list of OpenSSH public keys (or leave it unset and keep the keys in Vault)',
        );
      }
      sshKeys.forEach((key, i) => {
        if (typeof key !== 'string' || !SSH_KEY.test(key.trim())) {
          invalid(
            this,
            `sshAuthorizedKeys[${i}]`,
            key,
            'an OpenSSH public key line: "<type> <base64> [comment]", e.g. "ssh-ed25519 AAAA... you@host"',
          );
        }
      });
    }
    const dnsType = oneOf(this, 'dnsType', props.dnsType ?? DnsType.INTERNAL, [
      DnsType.INTERNAL,
      DnsType.NONE,
    ]);
    const vaultPath = matches(
      this,
      'vaultPath',
      props.vaultPath ?? `companies/${name}`,
      /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/,
      'a Vault path below the secret/ mount, e.g. "companies/acme-corp"',
    );
    const approleMount = matches(
      this,
      'approleMountPath',
      props.approleMountPath ?? 'approle',
      /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
      'a Vault auth mount path such as "approle"',
    );
    const storageClass = k8sName(this, 'storageClass', props.storageClass ?? 'proxmox-lvm-encrypted');
    const lbIp = matches(
      this,
      'lbIp',
      props.lbIp ?? site.sharedLbIp,
      IPV4,
      'an IPv4 address such as "10.0.20.200"',
    );
    this.lbIp = lbIp;
    const rootDomain = site.rootDomain;
    this.host = dnsType === DnsType.INTERNAL ? `${name}.${rootDomain}` : lbIp;
    const webVm = this.vms.find((v) => v.roles.includes('https'))!;
    let ingressProps: CompanyIngressProps | undefined;
    if (props.ingress !== undefined && props.ingress !== false) {
      ingressProps = props.ingress === true ? {} : props.ingress;
      const host = ingressProps.host ?? `${name}-web`;
      dnsLabel(this, 'ingress.host', host);
      const fullHost = `${host}.${rootDomain}`;
      if (fullHost === this.host) {
        invalid(
          this,
          'ingress.host',
          host,
          `a host other than the company's own "${name}" (that name points at the LB IP ${lbIp})`,
        );
      }
      if (ingressProps.dnsType !== undefined) {
        oneOf(this, 'ingress.dnsType', ingressProps.dnsType, Object.values(DnsType));
      }
    }

    // Ports: this company's own plan (planCompany checked it), and the app-wide check at synth.
    const ports = new Map(this.vms.map((vm) => [vm.owner, requestPorts(portRequest(vm)).ports]));
    let apps = APP_COMPANIES.get(this.node.root);
    if (!apps) APP_COMPANIES.set(this.node.root, (apps = []));
    apps.push(this);
    this.node.addValidation({ validate: () => this.appWideErrors() });

    // Namespace: aux tier, custom quota (sum over VMs), own LimitRange (the aux one caps containers at 4Gi).
    const sum = (f: (vm: PlannedVm) => number) => this.vms.reduce((a, vm) => a + f(vm), 0);
    const n = this.vms.length;
    const quotaHard = {
      'requests.cpu': formatMillis(
        sum((vm) => Math.round(parseQuantity(vm.cpuRequest)! * 1000) + HEADROOM.cpuMillis),
      ),
      'requests.memory': formatBytes(sum((vm) => bytes(vm.memory) + HEADROOM.memory)),
      // Root disk + CDI scratch space of the same size while importing.
      'requests.storage': formatBytes(sum((vm) => 2 * bytes(vm.disk))),
      persistentvolumeclaims: String(n * HEADROOM.pvcs),
      pods: String(n * HEADROOM.pods),
      'services.loadbalancers': String(n),
    };
    const nsName = `company-${name}`;
    this.namespace = new TieredNamespace(this, 'namespace', {
      name: nsName,
      tier: Tier.AUX,
      keelEnrolled: false,
      quotaHard,
      labels: { 'resource-governance/custom-limitrange': 'true', [LABEL_COMPANY]: name },
    });
    const ns = this.namespace.name;
    named(
      this,
      LimitRangeV1,
      addressName(this),
      {
        metadata: { name: 'company-defaults', namespace: ns },
        spec: {
          limit: [{ type: 'Container', defaultRequest: { cpu: '50m', memory: '64Mi' } }],
        },
      },
      'limit-range',
    );

    // Isolation: same namespace, Traefik (web ports), and the load-balancer path from outside the pod
    // network (another company's pods keep their pod IP through the LB, so they stay out).
    const targetPorts = [
      ...new Set(this.vms.flatMap((vm) => vm.roles.map((r) => PORT_ROLES[r].targetPort))),
    ].sort((a, b) => a - b);
    const webTargets = (['http', 'https'] as const).map((r) => PORT_ROLES[r].targetPort);
    named(
      this,
      NetworkPolicyV1,
      addressName(this),
      {
        metadata: { name: 'company-isolation', namespace: ns },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [
            { from: [{ podSelector: {} }] },
            {
              from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }],
              ports: webTargets.map((p) => ({ port: String(p), protocol: 'TCP' })),
            },
            {
              from: [{ ipBlock: { cidr: '0.0.0.0/0', except: [site.podCidr] } }],
              ports: targetPorts.map((p) => ({ port: String(p), protocol: 'TCP' })),
            },
          ],
        },
      },
      'network-policy',
    );

    // Vault: read-only policy on the company's secrets, AppRole for the in-VM agent.
    useVault(this);
    const roleName = `company-${name}`;
    const policy = named(
      this,
      Policy,
      addressName(this),
      {
        name: roleName,
        policy: vaultPolicy(vaultPath),
      },
      'vault-policy',
    );
    named(
      this,
      ApproleAuthBackendRole,
      addressName(this),
      {
        backend: approleMount,
        roleName,
        roleId: roleName,
        bindSecretId: true,
        tokenPolicies: [policy.name],
        tokenTtl: 3600,
        tokenMaxTtl: 86400,
        secretIdTtl: 0,
        secretIdNumUses: 0,
      },
      'vault-approle',
    );

    if (dnsType === DnsType.INTERNAL) {
      useCloudflare(this);
      named(
        this,
        CloudflareRecord,
        addressName(this),
        {
          name,
          content: lbIp,
          proxied: false,
          ttl: 1,
          type: 'A',
          zoneId: site.cloudflareZoneId,
          allowOverwrite: true,
        },
        'dns',
      );
    }

    const dataVm = this.vms.find((v) => v.plane === 'data');
    const dataPorts = dataVm ? ports.get(dataVm.owner)! : undefined;
    const serviceHost = (vm: PlannedVm) => `${vm.vmName}.${nsName}.svc.cluster.local`;
    useKubectl(this);
    const endpoints: CompanyVmEndpoints[] = [];
    for (const vm of this.vms) {
      const vmPorts = ports.get(vm.owner)!;
      const vmScope = new Construct(this, vm.plane ?? 'vm');
      const environment: Array<[string, string]> = [
        ['RAVE_COMPANY', name],
        ['RAVE_PROFILE', vm.profile],
        ...(vm.plane ? ([['RAVE_PLANE', vm.plane]] as Array<[string, string]>) : []),
        ['RAVE_HOST', this.host],
        ...vm.roles.map((r): [string, string] => [`RAVE_${r.toUpperCase()}_PORT`, String(vmPorts[r])]),
        ['VAULT_ADDR', site.vaultAddress],
        ['VAULT_SECRET_PATH', `secret/data/${vaultPath}`],
        ['VAULT_APPROLE_MOUNT', approleMount],
      ];
      if (vm.plane === 'apps' && dataVm && dataPorts) {
        environment.push(
          ['RAVE_DATA_HOST', serviceHost(dataVm)],
          ['RAVE_DATA_PG_PORT', String(dataPorts.postgres)],
          ['RAVE_DATA_REDIS_PORT', String(dataPorts.redis)],
        );
      }
      const cloudInit = new ExternalSecret(vmScope, 'cloud-init', {
        namespace: this.namespace,
        name: `${vm.vmName}-cloud-init`,
        extractPaths: [vaultPath],
        creationPolicy: 'Owner',
        template: {
          engineVersion: 'v2',
          type: 'Opaque',
          data: {
            // Verbatim for Terraform too: the embedded script is full of shell `${...}`.
            userdata: terraformLiteral(
              cloudInitTemplate({
                hostname: vm.vmName,
                company: name,
                vaultPath,
                sshUser,
                sshAuthorizedKeys: (sshKeys ?? []).map((k) => k.trim()),
                vaultRoleId: roleName,
                environment,
              }),
            ),
          },
        },
      });

      const labels = {
        'app.kubernetes.io/name': 'rave',
        'app.kubernetes.io/instance': vm.vmName,
        'kubevirt.io/domain': vm.vmName,
        [LABEL_COMPANY]: name,
        [LABEL_PLANE]: vm.plane ?? 'all',
      };
      const rootDisk = `${vm.vmName}-root`;
      const manifest = {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: {
          name: vm.vmName,
          namespace: nsName,
          labels: { ...labels, 'company-vm/profile': vm.profile },
        },
        spec: {
          runStrategy: vm.running ? 'Always' : 'Halted',
          dataVolumeTemplates: [
            {
              metadata: { name: rootDisk },
              spec: {
                source: { http: { url: vm.imageUrl ?? `${artifactsUrl}/${PROFILES[vm.profile].image}` } },
                storage: {
                  accessModes: ['ReadWriteOnce'],
                  storageClassName: storageClass,
                  resources: { requests: { storage: vm.disk } },
                },
              },
            },
          ],
          template: {
            metadata: { labels },
            spec: {
              domain: {
                cpu: { cores: vm.cores, sockets: 1, threads: 1 },
                memory: { guest: vm.memory },
                resources: { requests: { cpu: vm.cpuRequest, memory: vm.memory } },
                devices: {
                  disks: [
                    { name: 'root', bootOrder: 1, disk: { bus: 'virtio' } },
                    { name: 'cloudinit', disk: { bus: 'virtio' } },
                  ],
                  interfaces: [{ name: 'default', masquerade: {} }],
                  rng: {},
                },
              },
              networks: [{ name: 'default', pod: {} }],
              volumes: [
                { name: 'root', dataVolume: { name: rootDisk } },
                { name: 'cloudinit', cloudInitNoCloud: { secretRef: { name: cloudInit.secretName } } },
              ],
            },
          },
        },
      };
      named(
        vmScope,
        KubectlManifest,
        addressName(vmScope),
        {
          yamlBody: canonicalJson(manifest),
          dependsOn: [this.namespace.resource, cloudInit.resource],
        },
        'virtual-machine',
      );

      named(
        vmScope,
        ServiceV1,
        addressName(vmScope),
        {
          metadata: {
            name: vm.vmName,
            namespace: ns,
            labels: { [LABEL_COMPANY]: name, [LABEL_PLANE]: vm.plane ?? 'all' },
            annotations: {
              'metallb.io/loadBalancerIPs': lbIp,
              'metallb.io/allow-shared-ip': 'shared',
            },
          },
          spec: {
            type: 'LoadBalancer',
            externalTrafficPolicy: 'Cluster',
            selector: { 'kubevirt.io/domain': vm.vmName },
            port: vm.roles.map((role) => ({
              name: role,
              port: vmPorts[role]!,
              targetPort: String(PORT_ROLES[role].targetPort),
              protocol: 'TCP',
            })),
          },
          lifecycle: ignoreChanges(Ignore.metallbPool),
        },
        'service',
      );

      this.outputs(vmScope, vm, vmPorts, sshUser);
      endpoints.push({
        vmName: vm.vmName,
        profile: vm.profile,
        ports: vmPorts,
        serviceHost: serviceHost(vm),
      });
    }
    this.endpoints = endpoints;

    if (ingressProps) {
      this.ingress = new IngressFactory(this, 'ingress', {
        name: `${webVm.vmName}-web`,
        namespace: this.namespace,
        serviceName: webVm.vmName,
        port: ports.get(webVm.owner)!.http!,
        host: ingressProps.host ?? `${name}-web`,
        auth: IngressAuth.REQUIRED,
        dnsType: ingressProps.dnsType ?? DnsType.NONE,
        allowedGroups: ingressProps.allowedGroups,
        homepageGroup: 'Development & CI',
      });
    }
  }

  private outputs(
    scope: Construct,
    vm: PlannedVm,
    ports: Partial<Record<PortRole, number>>,
    sshUser: string,
  ): void {
    const base = addressName(scope);
    const h = this.host;
    const urls: Record<string, string> = {};
    if (ports.http) urls.http = `http://${h}:${ports.http}/`;
    if (ports.https) {
      urls.https = `https://${h}:${ports.https}/`;
      urls.gitlab = `https://${h}:${ports.https}/gitlab/`;
    }
    if (ports.test) urls.test = `http://${h}:${ports.test}/`;
    if (ports.postgres) urls.postgres = `postgresql://${h}:${ports.postgres}`;
    if (ports.redis) urls.redis = `redis://${h}:${ports.redis}`;
    named(
      scope,
      TerraformOutput,
      `${base}_urls`,
      {
        value: urls,
        description: `Service URLs of ${vm.vmName} (profile ${vm.profile}) on ${this.lbIp}`,
      },
      'output-urls',
    );
    named(
      scope,
      TerraformOutput,
      `${base}_ssh_command`,
      {
        value: `ssh -p ${ports.ssh} ${sshUser}@${h}`,
        description: `SSH into ${vm.vmName}`,
      },
      'output-ssh',
    );
    if (ports.https) {
      named(
        scope,
        TerraformOutput,
        `${base}_oauth_redirect_uris`,
        {
          value: Object.fromEntries(
            (['google', 'github'] as const).map((p) => [p, oauthRedirectUri(h, ports.https!, p)]),
          ),
          description: `OAuth redirect URIs to register with Google and GitHub for ${vm.vmName}'s GitLab`,
        },
        'output-oauth',
      );
    }
  }

  /** Collisions with the other CompanyVms of the App (other stacks included), as ConfigError messages. */
  private appWideErrors(): string[] {
    const all = APP_COMPANIES.get(this.node.root) ?? [];
    const errors: string[] = [];
    const first = all.find((c) => c.company === this.company);
    if (first !== this) {
      errors.push(
        new ConfigError(
          this.node.path,
          'name',
          this.company,
          `each company once per app (also declared by ${first!.node.path})`,
        ).message,
      );
      return errors;
    }
    const site = siteOf(this);
    const plan = checkPortPlan(
      all
        .filter((c, i) => all.findIndex((o) => o.company === c.company) === i)
        .flatMap((c) => c.vms.map(portRequest)),
      this.lbIp === site.sharedLbIp ? site.sharedLbPorts : [],
      this.lbIp,
    );
    for (const issue of plan.issues) {
      const vm = this.vms.find((v) => v.owner === issue.owner);
      if (vm)
        errors.push(
          new ConfigError(this.node.path, `${vm.propPrefix}${issue.prop}`, issue.value, issue.allowed)
            .message,
        );
    }
    return errors;
  }
}

/** RAVE's OAuth callback for GitLab behind the VM's Traefik. */
export function oauthRedirectUri(host: string, httpsPort: number, provider: string): string {
  return `https://${host}:${httpsPort}/gitlab/users/auth/${provider}/callback`;
}

/** The read-only Vault policy of a company (KV v2 under mount `secret`). */
export function vaultPolicy(vaultPath: string): string {
  const paths: Array<[string, string]> = [
    [`secret/data/${vaultPath}`, '"read"'],
    [`secret/data/${vaultPath}/*`, '"read"'],
    [`secret/metadata/${vaultPath}`, '"read", "list"'],
    [`secret/metadata/${vaultPath}/*`, '"read", "list"'],
  ];
  return (
    `# Read-only: the company's own secrets (${COMPANY_SECRET_KEYS.sshAuthorizedKeys}, ${COMPANY_SECRET_KEYS.gitopsTokens}, ...) and nothing else.\n` +
    paths.map(([p, caps]) => `path "${p}" {\n  capabilities = [${caps}]\n}\n`).join('')
  );
}
