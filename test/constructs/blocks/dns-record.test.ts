import { describe, expect, it } from 'vitest';
import { DnsRecord } from '../../../constructs/blocks/dns-record';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

describe('DnsRecord', () => {
  it('an unproxied A record in the site zone, automatic TTL, allow_overwrite, at cloudflare_record.<id>', () => {
    const s = testStack();
    new DnsRecord(s, 'vlmcs', { name: 'vlmcs', type: 'A', content: '176.12.22.76' });
    const json = synth(s);
    expect(resource(json, 'cloudflare_record', 'vlmcs')).toEqual({
      name: 'vlmcs',
      content: '176.12.22.76',
      proxied: false,
      ttl: 1,
      type: 'A',
      zone_id: 'fd2c5dd4efe8fe38958944e74d0ced6d',
      allow_overwrite: true,
    });
    expect(json.provider?.cloudflare).toBeDefined();
  });

  it('takes a proxied CNAME, another zone and an address name', () => {
    const s = testStack();
    new DnsRecord(s, 'r', {
      name: 'www',
      type: 'CNAME',
      content: 'example.org',
      proxied: true,
      zoneId: 'z1',
      addressName: 'www_cname',
    });
    expect(resource(synth(s), 'cloudflare_record', 'www_cname')).toMatchObject({
      name: 'www',
      type: 'CNAME',
      content: 'example.org',
      proxied: true,
      zone_id: 'z1',
    });
  });

  it('refuses a bad name, type or content for the type', () => {
    const mk = (p: object) => () =>
      new DnsRecord(testStack(), 'x', { name: 'x', type: 'A', content: '10.0.0.1', ...p });
    expect(expectConfigError(mk({ name: 'Bad Name' })).prop).toBe('name');
    expect(expectConfigError(mk({ type: 'MX' })).prop).toBe('type');
    expect(expectConfigError(mk({ content: 'host.example' })).prop).toBe('content');
    expect(expectConfigError(mk({ type: 'AAAA', content: '10.0.0.1' })).prop).toBe('content');
  });
});
