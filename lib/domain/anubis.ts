// Anubis (proof-of-work reverse proxy) policy rendering and the facts its guards rest on. Pure logic:
// the AnubisSite construct validates props with these and renders the ConfigMap text.
//
// The default policy is a data file (lib/domain/anubis-default-policy.yaml): the whole policy the tree's
// anubis_instance module renders with its default CIDR list, default rules and no store. It is split
// once into its three parts (trusted-local rule header, CIDR list, default rules) so a policy with other
// CIDRs, custom rules or a shared store is composed from the same text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../core/paths';

/** The data file holding the default policy, byte for byte what the tree renders by default. */
export const DEFAULT_POLICY_FILE = path.join(REPO_ROOT, 'lib', 'domain', 'anubis-default-policy.yaml');

/** Anubis image repository; the tag is a prop. */
export const ANUBIS_IMAGE = 'ghcr.io/techarohq/anubis';

/** Challenge difficulty Anubis accepts (leading zero hex digits of a SHA-256: 1..64). */
export const DIFFICULTY_RANGE = { min: 1, max: 64 } as const;

/** `redis://host:port/db`, as the tree's shared_store_url validation. */
export const STORE_URL = /^redis:\/\/[a-zA-Z0-9_.-]+:[0-9]+\/([0-9]+)$/;

/** Standalone Redis has 16 logical databases; each Anubis site needs its own. */
export const STORE_DB_MAX = 15;

interface PolicyParts {
  /** `bots:` is rendered separately; this is the trusted-local rule up to `  remote_addresses:`. */
  readonly trustedRuleHeader: string;
  readonly defaultCidrs: readonly string[];
  readonly defaultRules: string;
}

let parts: PolicyParts | undefined;

const CIDR_LINE = /^ {2}- "([^"]+)"$/;

function policyParts(): PolicyParts {
  if (parts) return parts;
  const lines = fs.readFileSync(DEFAULT_POLICY_FILE, 'utf8').split('\n');
  const header = lines.indexOf('  remote_addresses:');
  if (lines[0] !== 'bots:' || header < 0) {
    throw new Error(`${DEFAULT_POLICY_FILE}: expected "bots:" then a rule ending in "  remote_addresses:"`);
  }
  let end = header + 1;
  const cidrs: string[] = [];
  for (let m; end < lines.length && (m = CIDR_LINE.exec(lines[end])); end++) cidrs.push(m[1]);
  if (cidrs.length === 0) throw new Error(`${DEFAULT_POLICY_FILE}: no CIDR lines after remote_addresses`);
  parts = {
    trustedRuleHeader: lines.slice(1, header + 1).join('\n'),
    defaultCidrs: cidrs,
    defaultRules: lines.slice(end).join('\n'),
  };
  return parts;
}

/** Source networks that skip every rule (private, CGNAT and IPv6 local ranges; never a public IP). */
export function defaultTrustedLocalCidrs(): readonly string[] {
  return policyParts().defaultCidrs;
}

/** The default rule set (a YAML sequence, without the `bots:` key). */
export function defaultPolicyRules(): string {
  return policyParts().defaultRules;
}

export interface PolicyOptions {
  /** @default defaultTrustedLocalCidrs() */
  readonly trustedLocalCidrs?: readonly string[];
  /** Items of the `bots:` list (YAML). @default defaultPolicyRules() */
  readonly rules?: string;
  /** Appends a `store:` block (valkey backend). @default in-memory store */
  readonly sharedStoreUrl?: string;
}

/**
 * The `botPolicies.yaml` text: `bots:`, the trusted-local ALLOW rule FIRST (Anubis stops at the first
 * match, and the default set denies headless browsers), then the caller's rules or the defaults
 * (trimmed), then the valkey store block when a shared store is set. Same text as the tree's module.
 */
export function renderAnubisPolicy(options: PolicyOptions = {}): string {
  const p = policyParts();
  const cidrs = options.trustedLocalCidrs ?? p.defaultCidrs;
  const trusted = [p.trustedRuleHeader, ...cidrs.map((c) => `  - "${c}"`)].join('\n');
  const rules = (options.rules ?? p.defaultRules).trim();
  const store =
    options.sharedStoreUrl === undefined
      ? ''
      : `\n\nstore:\n  backend: valkey\n  parameters:\n    url: "${options.sharedStoreUrl}"\n`;
  return ['bots:', trusted, rules].join('\n') + store;
}

/** True for an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fc00::/7". */
export function isCidr(value: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  if (!v6 || Number(v6[2]) > 128) return false;
  const halves = v6[1].split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

/**
 * What kind of non-browser endpoint a URL path is, or undefined for an ordinary path. Such clients
 * (git, API and WebDAV clients, container runtimes) cannot run the JavaScript challenge, so Anubis in
 * front of them breaks them.
 */
export function nonBrowserEndpoint(urlPath: string): string | undefined {
  const p = urlPath.split(/[?#]/)[0].toLowerCase();
  const segments = p.split('/').filter((s) => s !== '');
  const first = segments[0];
  if (
    p.includes('/info/refs') ||
    /git-(upload|receive)-pack/.test(p) ||
    segments.some((s) => s.endsWith('.git'))
  )
    return 'git smart-HTTP';
  if (first === 'api') return 'API';
  if (first === 'graphql') return 'GraphQL';
  if (first === 'dav' || first === 'webdav' || first === 'remote.php') return 'WebDAV';
  if (first === 'v2') return 'OCI registry';
  return undefined;
}

/** True when `domain` is `host` or one of its parent domains (never a bare top-level domain). */
export function isHostOrParent(host: string, domain: string): boolean {
  const h = host.toLowerCase();
  const d = domain.toLowerCase();
  return d.includes('.') && !d.startsWith('.') && (h === d || h.endsWith(`.${d}`));
}
