// Anubis (proof-of-work reverse proxy) policy rendering and the facts its guards rest on. Pure logic:
// the AnubisSite construct validates props with these and renders the ConfigMap value.
//
// The policy text is the tree's: its default rules and the comment lines of its trusted-local rule are
// the module owner's prose, never held here. They are tree payloads extracted from the module at payload
// time (lib/review/tree-module-payloads.ts) and read at plan time, so the policy is a Terraform
// expression: `bots:`, the trusted-local rule (the payload's comment lines, then our rule name, action and
// CIDR list, which are facts), the rules (the default-rules payload, the caller's literal rules or the
// caller's payload, trimmed) and the store block, joined as the tree's `anubis_instance` module joins them.
import { ANUBIS_TRUSTED_RULE_LINES } from '../review/tree-module-payloads';

/** Anubis image repository; the tag is a prop. */
export const ANUBIS_IMAGE = 'ghcr.io/techarohq/anubis';

/** Challenge difficulty Anubis accepts (leading zero hex digits of a SHA-256: 1..64). */
export const DIFFICULTY_RANGE = { min: 1, max: 64 } as const;

/** `redis://host:port/db`, as the tree's shared_store_url validation. */
export const STORE_URL = /^redis:\/\/[a-zA-Z0-9_.-]+:[0-9]+\/([0-9]+)$/;

/** Standalone Redis has 16 logical databases; each Anubis site needs its own. */
export const STORE_DB_MAX = 15;

/** Source networks that skip every rule: private, CGNAT and IPv6 local ranges (never a public IP). */
export const DEFAULT_TRUSTED_LOCAL_CIDRS: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  'fc00::/7',
  'fe80::/10',
];

/** The `store:` block appended (after a blank line) when a shared store is set: the valkey backend. */
export function anubisStoreBlock(url: string): string {
  return `\n\nstore:\n  backend: valkey\n  parameters:\n    url: "${url}"\n`;
}

/** `text` as a quoted Terraform string literal (template openers escaped). */
export function hclString(text: string): string {
  return JSON.stringify(text)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

/** Rules read at plan time: the payload's quoted path and its content as a bare Terraform expression. */
export interface PolicyRulesPayload {
  readonly path: string;
  readonly expression: string;
}

export interface PolicyExpressionOptions {
  /** Quoted Terraform path of the trusted-local rule's comment lines (tree payload). */
  readonly commentsPath: string;
  /** Quoted Terraform path of the default rules (tree payload); unread when `rules` is set. */
  readonly defaultRulesPath: string;
  /** @default DEFAULT_TRUSTED_LOCAL_CIDRS */
  readonly trustedLocalCidrs?: readonly string[];
  /**
   * Items of the `bots:` list: literal YAML, or a payload read at plan time (e.g. a tree stack's heredoc).
   * @default the default-rules payload
   */
  readonly rules?: string | PolicyRulesPayload;
  /** Appends a `store:` block (valkey backend). @default in-memory store */
  readonly sharedStoreUrl?: string;
}

export interface PolicyExpression {
  /** `${...}`: the `botPolicies.yaml` text, null while a payload it reads is missing. */
  readonly value: string;
  /** `${...}`: `sha256()` of the same text (null likewise). */
  readonly checksum: string;
  /** The payload paths it reads (quoted), for the missing-payload guards. */
  readonly reads: readonly string[];
}

/**
 * The `botPolicies.yaml` value as Terraform expressions: `bots:`, the trusted-local ALLOW rule FIRST
 * (Anubis stops at the first match, and the default set denies headless browsers), then the caller's
 * rules or the default ones (trimmed), then the valkey store block when a shared store is set.
 */
export function anubisPolicyExpression(options: PolicyExpressionOptions): PolicyExpression {
  const cidrs = options.trustedLocalCidrs ?? DEFAULT_TRUSTED_LOCAL_CIDRS;
  const custom = options.rules;
  const reads =
    custom === undefined
      ? [options.commentsPath, options.defaultRulesPath]
      : typeof custom === 'string'
        ? [options.commentsPath]
        : [options.commentsPath, custom.path];
  const rules =
    custom === undefined
      ? `file(${options.defaultRulesPath})`
      : typeof custom === 'string'
        ? hclString(custom)
        : custom.expression;
  const items = [
    hclString('bots:'),
    `trimspace(file(${options.commentsPath}))`,
    ...[...ANUBIS_TRUSTED_RULE_LINES, ...cidrs.map((c) => `  - "${c}"`)].map(hclString),
    `trimspace(${rules})`,
    // join() puts "\n" before it: the block's own leading newline makes the blank line.
    ...(options.sharedStoreUrl === undefined
      ? []
      : [hclString(anubisStoreBlock(options.sharedStoreUrl).slice(1))]),
  ];
  const body = `join("\\n", [${items.join(', ')}])`;
  const cond = reads.map((r) => `fileexists(${r})`).join(' && ');
  return {
    value: `\${${cond} ? ${body} : null}`,
    checksum: `\${${cond} ? sha256(${body}) : null}`,
    reads,
  };
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
