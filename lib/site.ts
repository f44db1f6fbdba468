// Site-wide values, with the tree's values as defaults (root terragrunt.hcl, ingress_factory defaults,
// config.tfvars names). One App has one SiteConfig; tests and forks override it per App.
import type { IConstruct } from 'constructs';

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
  /** TLS secret (wildcard certificate) name in every namespace; Kyverno `sync-tls-secret` clones it. */
  readonly tlsSecretName: string;
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
  tlsSecretName: 'tls-secret',
  vaultAddress: 'https://vault.viktorbarzin.me',
  postgresqlHost: 'pg-cluster-rw.dbaas.svc.cluster.local',
  redisHost: 'redis-master.redis.svc.cluster.local',
  mysqlHost: 'mysql.dbaas.svc.cluster.local',
  mailHost: 'mail.viktorbarzin.me',
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
