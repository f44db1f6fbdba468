// A Cloudflare DNS record of its own, for a name no ingress owns (a raw TCP endpoint such as kms's
// vlmcs on :1688). Ingress hosts get their records from IngressFactory's `dnsType`; this block is for the
// rest, with the tree's record conventions (automatic TTL, allow_overwrite, the site's zone).
import { Construct } from 'constructs';
import { Record as CloudflareRecord } from '@cdktf/provider-cloudflare/lib/record';
import { siteOf } from '../../lib/conventions/site';
import { named } from '../../lib/terraform/addresses';
import { useCloudflare } from '../../lib/terraform/providers';
import { checkProps } from '../../lib/validation/props';
import { matches, nonEmptyString, oneOf } from '../../lib/validation/validate';
import { DNS_RECORD_KEYS } from './prop-keys';

export interface DnsRecordProps {
  /** Record name inside the zone (`vlmcs`, `@` for the apex). */
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'CNAME';
  /** An IPv4 address (A), IPv6 address (AAAA) or host name (CNAME). */
  readonly content: string;
  /** Through Cloudflare's HTTP proxy. @default false (raw TCP/UDP needs the origin address) */
  readonly proxied?: boolean;
  /** @default the site's Cloudflare zone */
  readonly zoneId?: string;
  /** Terraform name. @default the construct id */
  readonly addressName?: string;
}

/** `cloudflare_record.<id>`: ttl 1 (automatic) and `allow_overwrite`, as every record of the tree. */
export class DnsRecord extends Construct {
  readonly record: CloudflareRecord;

  constructor(scope: Construct, id: string, props: DnsRecordProps) {
    super(scope, id);
    checkProps(this, 'props', props, DNS_RECORD_KEYS);
    const name = matches(
      this,
      'name',
      props.name,
      /^(@|[a-z0-9*]([a-z0-9.-]*[a-z0-9])?)$/,
      'a DNS name or "@"',
    );
    const type = oneOf(this, 'type', props.type, ['A', 'AAAA', 'CNAME']);
    const content =
      type === 'A'
        ? matches(this, 'content', props.content, /^\d{1,3}(\.\d{1,3}){3}$/, 'an IPv4 address')
        : type === 'AAAA'
          ? matches(this, 'content', props.content, /^[0-9a-fA-F:]+$/, 'an IPv6 address')
          : nonEmptyString(this, 'content', props.content);
    useCloudflare(this);
    this.record = named(this, CloudflareRecord, props.addressName ?? id, {
      name,
      content,
      proxied: props.proxied ?? false,
      ttl: 1,
      type,
      zoneId: props.zoneId ?? siteOf(this).cloudflareZoneId,
      allowOverwrite: true,
    });
  }
}
