// Static sites served off-infra by Cloudflare Pages: per site a Pages project, its custom domain
// <site>.<root domain> and (unless the name is still served elsewhere) the public proxied CNAME to the
// project's pages.dev name. One resource per kind with for_each over the site names, as the tree's
// valia-sites stack writes them, so the addresses are `<type>.<id>["<site>"]`.
import { Construct } from 'constructs';
import { TerraformIterator } from 'cdktf';
import { PagesDomain } from '@cdktf/provider-cloudflare/lib/pages-domain';
import { PagesProject } from '@cdktf/provider-cloudflare/lib/pages-project';
import { Record as CloudflareRecord } from '@cdktf/provider-cloudflare/lib/record';
import { siteOf } from '../../lib/conventions/site';
import { named } from '../../lib/terraform/addresses';
import { useCloudflare } from '../../lib/terraform/providers';
import { invalid } from '../../lib/validation/errors';
import { checkProps } from '../../lib/validation/props';
import { dnsLabel, matches } from '../../lib/validation/validate';
import { CLOUDFLARE_PAGES_SITES_KEYS } from './prop-keys';

export interface CloudflarePagesSitesProps {
  /** The Cloudflare account that owns the projects (an id, not a secret). */
  readonly accountId: string;
  /**
   * Site name (project name and subdomain) -> whether this stack owns its public DNS record (`false`
   * while the name is still served by an ingress elsewhere).
   */
  readonly sites: Readonly<Record<string, { readonly manageDns: boolean }>>;
  /** @default "main" */
  readonly productionBranch?: string;
  /** Terraform name of the three resources. @default the construct id */
  readonly addressName?: string;
}

/**
 * `cloudflare_pages_project.<id>`, `cloudflare_pages_domain.<id>` (every site) and `cloudflare_record.<id>`
 * (the DNS-managed sites), each with for_each over the site names.
 */
export class CloudflarePagesSites extends Construct {
  readonly project: PagesProject;
  readonly domain: PagesDomain;
  readonly record: CloudflareRecord;
  /** The sites whose DNS this stack owns. */
  readonly dnsManagedSites: readonly string[];

  constructor(scope: Construct, id: string, props: CloudflarePagesSitesProps) {
    super(scope, id);
    checkProps(this, 'props', props, CLOUDFLARE_PAGES_SITES_KEYS);
    const accountId = matches(
      this,
      'accountId',
      props.accountId,
      /^[0-9a-f]{32}$/,
      'a Cloudflare account id',
    );
    const names = Object.keys(props.sites ?? {});
    if (names.length === 0) invalid(this, 'sites', props.sites, 'at least one site');
    for (const n of names) dnsLabel(this, 'sites', n);
    const site = siteOf(this);
    useCloudflare(this);
    const address = props.addressName ?? id;
    const all = TerraformIterator.fromMap(Object.fromEntries(names.map((n) => [n, n])));
    this.project = named(this, PagesProject, address, {
      forEach: all,
      accountId,
      name: all.key,
      productionBranch: props.productionBranch ?? 'main',
    });
    const project = this.project.fqn;
    this.domain = named(this, PagesDomain, address, {
      forEach: all,
      accountId,
      projectName: `\${${project}[each.key].name}`,
      domain: `\${each.key}.${site.rootDomain}`,
    });
    this.dnsManagedSites = names.filter((n) => props.sites[n].manageDns);
    const managed = TerraformIterator.fromMap(Object.fromEntries(this.dnsManagedSites.map((n) => [n, n])));
    this.record = named(this, CloudflareRecord, address, {
      forEach: managed,
      zoneId: site.cloudflareZoneId,
      name: managed.key,
      content: `\${${project}[each.key].subdomain}`,
      type: 'CNAME',
      proxied: true,
      ttl: 1,
    });
  }

  /** The `<project>.pages.dev` name of one site (a reference). */
  subdomain(siteName: string): string {
    return `\${${this.project.fqn}[${JSON.stringify(siteName)}].subdomain}`;
  }
}
