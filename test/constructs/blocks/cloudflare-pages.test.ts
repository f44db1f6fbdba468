import { describe, expect, it } from 'vitest';
import { CloudflarePagesSites } from '../../../constructs/blocks/cloudflare-pages';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

describe('CloudflarePagesSites', () => {
  it('for_each over every site for project and domain, over the DNS-managed ones for the record', () => {
    const s = testStack();
    const pages = new CloudflarePagesSites(s, 'site', {
      accountId: ACCOUNT,
      sites: { alpha: { manageDns: true }, beta: { manageDns: false } },
    });
    const json = synth(s);
    expect(resource(json, 'cloudflare_pages_project', 'site')).toEqual({
      for_each: { alpha: 'alpha', beta: 'beta' },
      account_id: ACCOUNT,
      name: '${each.key}',
      production_branch: 'main',
    });
    expect(resource(json, 'cloudflare_pages_domain', 'site')).toMatchObject({
      for_each: { alpha: 'alpha', beta: 'beta' },
      project_name: '${cloudflare_pages_project.site[each.key].name}',
      domain: '${each.key}.viktorbarzin.me',
    });
    expect(resource(json, 'cloudflare_record', 'site')).toMatchObject({
      for_each: { alpha: 'alpha' },
      name: '${each.key}',
      content: '${cloudflare_pages_project.site[each.key].subdomain}',
      type: 'CNAME',
      proxied: true,
      ttl: 1,
    });
    expect(pages.dnsManagedSites).toEqual(['alpha']);
    expect(pages.subdomain('beta')).toContain('["beta"].subdomain}');
  });

  it('refuses a bad account id, no sites or a site name that is not a DNS label', () => {
    const mk = (p: object) => () =>
      new CloudflarePagesSites(testStack(), 'x', {
        accountId: ACCOUNT,
        sites: { a: { manageDns: true } },
        ...p,
      });
    expect(expectConfigError(mk({ accountId: 'acme' })).prop).toBe('accountId');
    expect(expectConfigError(mk({ sites: {} })).prop).toBe('sites');
    expect(expectConfigError(mk({ sites: { Bad_Name: { manageDns: true } } })).prop).toBe('sites');
  });
});
