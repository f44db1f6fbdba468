// The tree side of an adoption rehearsal (pure: text in, text out). A Terragrunt stack is not a plain
// Terraform root: terragrunt generates providers.tf / cloudflare_provider.tf / tiers.tf / backend.tf and
// feeds config.tfvars. rehearsalRootFiles() writes equivalent files from the facts (same provider
// constraints and blocks, same tiers) so plain `terraform apply` builds the state the tree would have.
// rewriteForTerraform111() patches, in the rehearsal copy only, expressions Terraform 1.11 rejects that the
// tree's CI (Terraform 1.15) accepts; every rewrite is returned so the CLI reports it.
import type { SiteConfig } from '../conventions/site';
import { OPERATOR_VARIABLES, isOperatorVariable } from '../conventions/operator-variables';

export interface ProviderRequirement {
  readonly source: string;
  readonly version: string;
}

/**
 * `required_providers` of the root terragrunt.hcl `k8s_providers` generate block. helm is configured there
 * but not required (so it resolves to hashicorp/helm, any version).
 */
export const TREE_REQUIRED_PROVIDERS: Readonly<Record<string, ProviderRequirement>> = {
  kubernetes: { source: 'hashicorp/kubernetes', version: '>= 3.2.1' },
  vault: { source: 'hashicorp/vault', version: '~> 4.0' },
  cloudflare: { source: 'cloudflare/cloudflare', version: '~> 4' },
  authentik: { source: 'goauthentik/authentik', version: '~> 2024.10' },
  kubectl: { source: 'gavinbunney/kubectl', version: '~> 1.14' },
  proxmox: { source: 'telmate/proxmox', version: '3.0.2-rc07' },
};

/** Providers the stub providers (tools/tf-stub) stand in for. */
export const STUBBED_PROVIDERS: readonly string[] = ['kubernetes', 'vault', 'cloudflare', 'kubectl'];

/** The tiers locals of the root `generate "tiers"` block. */
export const TREE_TIERS: Readonly<Record<string, string>> = {
  core: '0-core',
  cluster: '1-cluster',
  gpu: '2-gpu',
  edge: '3-edge',
  aux: '4-aux',
};

/** Files terragrunt generates into every stack (a tracked copy in the stack is stale and replaced). */
export const GENERATED_FILES: readonly string[] = [
  'backend.tf',
  'providers.tf',
  'cloudflare_provider.tf',
  'tiers.tf',
];

/** config.tfvars variables and the site value each one holds (lib/conventions/site.ts). */
export const SITE_VARIABLES: Readonly<Record<string, keyof SiteConfig>> = {
  tls_secret_name: 'tlsSecretName',
  nfs_server: 'nfsServer',
  proxmox_host: 'proxmoxHost',
  postgresql_host: 'postgresqlHost',
  redis_host: 'redisHost',
  mysql_host: 'mysqlHost',
  mail_host: 'mailHost',
  public_ip: 'publicIpv4',
  public_ipv6: 'publicIpv6',
  cloudflare_zone_id: 'cloudflareZoneId',
  cloudflare_tunnel_id: 'cloudflareTunnelId',
  cloudflare_email: 'cloudflareEmail',
};

/** Provider names a configuration uses: resource and data source type prefixes (`helm_release` -> helm). */
export function usedProviders(hclTexts: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const text of hclTexts) {
    for (const m of text.matchAll(/^\s*(?:resource|data)\s+"([a-z0-9]+)_[a-z0-9_]+"/gm)) used.add(m[1]);
  }
  return used;
}

export interface RootFiles {
  /** File name -> content, written into the rehearsal root. */
  readonly files: Record<string, string>;
  /** Providers of the tree's providers.tf left out (not used by the stack), for the report. */
  readonly dropped: string[];
  /** Providers the stack uses that have no stub: the stack cannot be rehearsed. */
  readonly unstubbed: string[];
}

const q = (s: string): string => JSON.stringify(s);

/**
 * providers.tf, cloudflare_provider.tf and tiers.tf as terragrunt generates them, minus what the stack does
 * not use: a required provider (and its provider block) only when a resource or data source of the stack
 * or its modules has its type prefix; cloudflare_provider.tf (the Vault data source feeding the Cloudflare
 * api key) only when Cloudflare is used. Leaving unused providers out changes no address or value (an
 * unused data source never plans a change) and saves a plugin process per Terraform command. No
 * backend.tf: the rehearsal uses local state.
 */
export function rehearsalRootFiles(used: ReadonlySet<string>, hclTexts: readonly string[] = []): RootFiles {
  const needs = new Set(used);
  // The stack's own HCL may read the generated Vault data source (and so needs the file) without Cloudflare.
  if (hclTexts.some((t) => t.includes('data.vault_kv_secret_v2.cf_platform'))) needs.add('cloudflare');
  if (needs.has('cloudflare')) needs.add('vault');
  const dropped: string[] = [];
  const required: string[] = [];
  for (const [name, req] of Object.entries(TREE_REQUIRED_PROVIDERS)) {
    if (!needs.has(name)) {
      dropped.push(name);
      continue;
    }
    required.push(
      `    ${name} = {\n      source  = ${q(req.source)}\n      version = ${q(req.version)}\n    }`,
    );
  }
  if (!needs.has('helm')) dropped.push('helm (provider block)');
  const unstubbed = [...used].filter((p) => !STUBBED_PROVIDERS.includes(p)).sort();
  const block = (name: string, lines: string[]) =>
    needs.has(name) ? [`provider "${name}" {`, ...lines, '}', ''] : [];
  const providers = [
    '# rehearsal: equivalent of the root terragrunt.hcl generate "k8s_providers"',
    'terraform {',
    '  required_providers {',
    ...required,
    '  }',
    '}',
    '',
    'variable "kube_config_path" {',
    '  type    = string',
    '  default = "~/.kube/config"',
    '}',
    '',
    ...block('kubernetes', ['  config_path = var.kube_config_path']),
    ...block('vault', ['  address          = "https://vault.viktorbarzin.me"', '  skip_child_token = true']),
    ...block('kubectl', ['  config_path      = var.kube_config_path', '  load_config_file = true']),
  ].join('\n');
  const cloudflare = [
    '# rehearsal: equivalent of the root terragrunt.hcl generate "cloudflare_provider"',
    'data "vault_kv_secret_v2" "cf_platform" {',
    '  mount = "secret"',
    '  name  = "platform"',
    '}',
    '',
    'provider "cloudflare" {',
    '  api_key = data.vault_kv_secret_v2.cf_platform.data["cloudflare_api_key"]',
    '  email   = "vbarzin@gmail.com"',
    '}',
    '',
  ].join('\n');
  const tiers = [
    '# rehearsal: equivalent of the root terragrunt.hcl generate "tiers"',
    'locals {',
    '  tiers = {',
    ...Object.entries(TREE_TIERS).map(([k, v]) => `    ${k} = ${q(v)}`),
    '  }',
    '}',
    '',
  ].join('\n');
  return {
    files: {
      'providers.tf': providers,
      ...(needs.has('cloudflare') ? { 'cloudflare_provider.tf': cloudflare } : {}),
      'tiers.tf': tiers,
    },
    dropped,
    unstubbed,
  };
}

/** Root variables declared without a default (what config.tfvars and `-var` feed). */
export function requiredVariables(hclTexts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of hclTexts) {
    for (const m of text.matchAll(/^variable\s+"([\w-]+)"\s*\{/gm)) {
      const body = blockBody(text, m.index + m[0].length - 1);
      if (!/^\s*default\s*=/m.test(body)) out.add(m[1]);
    }
  }
  return [...out].sort();
}

/** The text between the `{` at `open` and its matching `}` (strings and heredocs are not special-cased). */
function blockBody(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

export interface SiteTfvars {
  readonly values: Record<string, string>;
  /** Required variables with no site value: the rehearsal cannot feed them. */
  readonly missing: string[];
}

/**
 * The tfvars for a stack's required variables, from the site config (= the decrypted config.tfvars); an
 * operator-supplied variable (lib/conventions/operator-variables.ts) gets its stand-in, as our side does.
 */
export function siteTfvars(required: readonly string[], site: SiteConfig): SiteTfvars {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of required) {
    if (name === 'kube_config_path') continue;
    const key = SITE_VARIABLES[name];
    if (key && typeof site[key] === 'string') values[name] = site[key];
    else if (isOperatorVariable(name)) values[name] = OPERATOR_VARIABLES[name].standIn;
    else missing.push(name);
  }
  return { values, missing };
}

/** Relative module sources (`source = "../../modules/kubernetes/x"`) of a configuration. */
export function moduleSources(hclText: string): string[] {
  return [...hclText.matchAll(/^\s*source\s*=\s*"(\.{1,2}\/[^"]+)"/gm)].map((m) => m[1]);
}

export interface Rewrite {
  /** File, relative to the rehearsal root's tree copy. */
  readonly file: string;
  readonly line: number;
  readonly before: string;
  readonly after: string;
  readonly why: string;
}

/** Index just past the operand that starts at `start` (up to `?`, `:`, `,`, `||`, `&&` or a closer at depth 0). */
function operandEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0) {
      if (c === '\n' || c === '?' || c === ':' || c === ',') return i;
      if ((c === '|' && text[i + 1] === '|') || (c === '&' && text[i + 1] === '&')) return i;
    }
  }
  return text.length;
}

const NULL_GUARD = /([A-Za-z_][\w.-]*(?:\[[^\]\n]*\])*)\s*(==|!=)\s*null\s*(\|\||&&)\s*/g;

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/**
 * Rewrites `x == null || f(x)` to `(x == null ? true : f(x))` and `x != null && f(x)` to
 * `(x != null ? f(x) : false)`: Terraform only short-circuits `||` / `&&` from 1.12 on, so under 1.11 the
 * right side is evaluated with a null `x` and fails. Same result whenever both forms evaluate.
 */
export function rewriteNullGuards(file: string, text: string): { text: string; rewrites: Rewrite[] } {
  const rewrites: Rewrite[] = [];
  let out = '';
  let last = 0;
  for (const m of text.matchAll(NULL_GUARD)) {
    const [whole, ref, cmp, op] = m;
    if ((cmp === '==' && op !== '||') || (cmp === '!=' && op !== '&&')) continue;
    if (m.index < last) continue;
    const rhsStart = m.index + whole.length;
    const rhsEnd = operandEnd(text, rhsStart);
    const rhs = text.slice(rhsStart, rhsEnd).trimEnd();
    const before = text.slice(m.index, rhsStart + rhs.length);
    const after = cmp === '==' ? `(${ref} == null ? true : ${rhs})` : `(${ref} != null ? ${rhs} : false)`;
    out += text.slice(last, m.index) + after;
    last = rhsStart + rhs.length;
    rewrites.push({
      file,
      line: lineOf(text, m.index),
      before,
      after,
      why: `\`${op}\` only short-circuits from Terraform 1.12 (the tree's CI runs 1.15)`,
    });
  }
  return { text: out + text.slice(last), rewrites };
}

/** Index of the `(` matching the `)` at `close`. */
function openParen(text: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Rewrites `join(...) + local.x` (string concatenation with `+`, which no Terraform version accepts:
 * `+` is numeric) to `format("%s%s", join(...), local.x)`.
 */
export function rewriteStringPlus(file: string, text: string): { text: string; rewrites: Rewrite[] } {
  const rewrites: Rewrite[] = [];
  let result = text;
  for (;;) {
    const m = /\)\s*\+\s*((?:local|var)\.[\w-]+)/.exec(result);
    if (!m) break;
    const close = m.index;
    const open = openParen(result, close);
    const fnStart = open - 'join'.length;
    if (open < 0 || result.slice(fnStart, open) !== 'join') break;
    const call = result.slice(fnStart, close + 1);
    const after = `format("%s%s", ${call}, ${m[1]})`;
    rewrites.push({
      file,
      line: lineOf(result, close),
      before: `join(…) + ${m[1]}`,
      after: `format("%s%s", join(…), ${m[1]})`,
      why: '`+` on strings is rejected by every Terraform version (arithmetic only)',
    });
    result = result.slice(0, fnStart) + after + result.slice(close + m[0].length);
  }
  return { text: result, rewrites };
}

/** Both rewrites, for one `.tf` file of the rehearsal copy. */
export function rewriteForTerraform111(file: string, text: string): { text: string; rewrites: Rewrite[] } {
  const a = rewriteNullGuards(file, text);
  const b = rewriteStringPlus(file, a.text);
  return { text: b.text, rewrites: [...a.rewrites, ...b.rewrites] };
}

/** One report line per rewrite. */
export function formatRewrite(r: Rewrite): string {
  return `rewrite ${r.file}:${r.line}: ${r.before.replace(/\s+/g, ' ')}  =>  ${r.after.replace(/\s+/g, ' ')}  (${r.why})`;
}
