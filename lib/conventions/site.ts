// Site-wide values, with the tree's values as defaults (root terragrunt.hcl, ingress_factory defaults,
// config.tfvars names). One App has one SiteConfig; tests and forks override it per App.
import type { IConstruct } from 'constructs';
import type { ReservedPort } from '../domain/port-allocation';

export interface SiteConfig {
  /** Public root domain. Tree: ingress_factory `root_domain`. */
  readonly rootDomain: string;
  /** Cloudflare zone of the root domain. */
  readonly cloudflareZoneId: string;
  /** Cloudflare tunnel the proxied apex CNAME points at (`<id>.cfargotunnel.com`). */
  readonly cloudflareTunnelId: string;
  /** Account e-mail the Cloudflare provider authenticates with (api key comes from Vault). */
  readonly cloudflareEmail: string;
  /** Public IPv4 for non-proxied A records. */
  readonly publicIpv4: string;
  /** Public IPv6 for non-proxied AAAA records. */
  readonly publicIpv6: string;
  /** Internal Traefik MetalLB IP for `internal` DNS records. */
  readonly internalLbIp: string;
  /** NFS server backing `nfs-truenas` volumes. */
  readonly nfsServer: string;
  /**
   * The Proxmox host (tree variable `proxmox_host`): stacks that name the NFS exports by their host (immich)
   * mount from it. The same machine as `nfsServer` today.
   */
  readonly proxmoxHost: string;
  /** TLS secret (wildcard certificate) name in every namespace; Kyverno `sync-tls-secret` clones it. */
  readonly tlsSecretName: string;
  /**
   * The tree's stacks declare `variable "tls_secret_name" { sensitive = true }` (99 of the 152 that declare
   * it, all ported ones), so state marks every value it reaches sensitive: the TLS secret's
   * `metadata[0].name`, each ingress's `spec[0].tls[0].secret_name`, IngressRoute `spec.tls.secretName`.
   * Our JSON marks the same places (`sensitive("tls-secret")`), or the first plan is an in-place update.
   */
  readonly tlsSecretNameSensitive: boolean;
  /** Vault address the vault provider talks to. */
  readonly vaultAddress: string;
  /** Shared PostgreSQL (CNPG) read-write service host. */
  readonly postgresqlHost: string;
  /** Shared Redis host. */
  readonly redisHost: string;
  /** Shared MySQL host. */
  readonly mysqlHost: string;
  /** Mail server host. */
  readonly mailHost: string;
  /**
   * MetalLB IP that LoadBalancer Services share (`metallb.io/allow-shared-ip: shared`); company VMs
   * publish their port blocks on it. Tree: adb, dolt, postgresql-lb, wireguard, xray, ... use 10.0.20.200.
   */
  readonly sharedLbIp: string;
  /** Ports the tree's own Services already publish on `sharedLbIp` (company port blocks must avoid them). */
  readonly sharedLbPorts: readonly ReservedPort[];
  /** Kubernetes pod CIDR (Calico). */
  readonly podCidr: string;
}

export const DEFAULT_SITE: SiteConfig = Object.freeze({
  rootDomain: 'viktorbarzin.me',
  cloudflareZoneId: 'fd2c5dd4efe8fe38958944e74d0ced6d',
  cloudflareTunnelId: '75182cd7-bb91-4310-b961-5d8967da8b41',
  cloudflareEmail: 'vbarzin@gmail.com',
  publicIpv4: '176.12.22.76',
  publicIpv6: '2001:470:6e:43d::2',
  internalLbIp: '10.0.20.203',
  nfsServer: '192.168.1.127',
  proxmoxHost: '192.168.1.127',
  tlsSecretName: 'tls-secret',
  tlsSecretNameSensitive: true,
  vaultAddress: 'https://vault.viktorbarzin.me',
  postgresqlHost: 'pg-cluster-rw.dbaas.svc.cluster.local',
  redisHost: 'redis-master.redis.svc.cluster.local',
  mysqlHost: 'mysql.dbaas.svc.cluster.local',
  mailHost: 'mail.viktorbarzin.me',
  sharedLbIp: '10.0.20.200',
  // Every `metallb.io|metallb.universe.tf/loadBalancerIPs = "10.0.20.200"` Service of the tree at HEAD.
  sharedLbPorts: Object.freeze([
    { port: 3306, protocol: 'TCP', owner: 'beads-server/dolt' },
    { port: 3479, protocol: 'UDP', owner: 'headscale/headscale-server' },
    { port: 5432, protocol: 'TCP', owner: 'dbaas/postgresql-lb' },
    { port: 5555, protocol: 'TCP', owner: 'android-emulator/android-emulator-adb' },
    { port: 5665, protocol: 'TCP', owner: 'tor-proxy/torrserver-bt' },
    { port: 5665, protocol: 'UDP', owner: 'tor-proxy/torrserver-bt' },
    { port: 7443, protocol: 'TCP', owner: 'xray/xray-reality' },
    { port: 8388, protocol: 'TCP', owner: 'shadowsocks/shadowsocks' },
    { port: 8388, protocol: 'UDP', owner: 'shadowsocks/shadowsocks' },
    { port: 41641, protocol: 'UDP', owner: 'headscale/headscale-server' },
    { port: 50000, protocol: 'TCP', owner: 'servarr/qbittorrent-torrenting' },
    { port: 50000, protocol: 'UDP', owner: 'servarr/qbittorrent-torrenting' },
    { port: 51820, protocol: 'UDP', owner: 'wireguard/wireguard' },
  ] as const),
  podCidr: '10.10.0.0/16',
});

const SITES = new WeakMap<IConstruct, SiteConfig>();

/** Sets the site config of an App (the root construct). Call before adding stacks. */
export function setSite(app: IConstruct, overrides: Partial<SiteConfig> = {}): SiteConfig {
  const site = Object.freeze({ ...DEFAULT_SITE, ...overrides });
  SITES.set(app.node.root, site);
  return site;
}

/** The site config in effect for any construct: its App's, or the defaults. */
export function siteOf(scope: IConstruct): SiteConfig {
  return SITES.get(scope.node.root) ?? DEFAULT_SITE;
}

const PLAIN_TLS_NAME = new WeakSet<IConstruct>();

/**
 * For a stack whose tree `variable "tls_secret_name"` is not declared sensitive (about a third of them,
 * e.g. hackmd): the TLS secret name is rendered plainly everywhere under `stack`. Call it first in
 * `build()`, before anything renders the name.
 */
export function tlsSecretNameNotSensitive(stack: IConstruct): void {
  PLAIN_TLS_NAME.add(stack);
}

function plainTlsName(scope: IConstruct): boolean {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) if (PLAIN_TLS_NAME.has(c)) return true;
  return false;
}

/** The TLS secret name as rendered into Terraform: marked sensitive exactly where the tree marks it. */
export function tlsSecretNameValue(scope: IConstruct, name: string = siteOf(scope).tlsSecretName): string {
  return siteOf(scope).tlsSecretNameSensitive && !plainTlsName(scope)
    ? `\${sensitive(${JSON.stringify(name)})}`
    : name;
}
