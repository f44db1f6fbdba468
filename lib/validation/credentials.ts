// What a credential looks like, by name and by value, and how to keep one out of a message. Pure: used by
// ConfigError (every error message), by the constructs' env/settings checks and by the rule pack that
// scans every synthesized resource (lib/synth/rules.ts).

/** Value shapes that are credentials wherever they appear (prefixes of well-known token formats). */
export const CREDENTIAL_SHAPES: ReadonlyArray<{ readonly what: string; readonly re: RegExp }> = [
  { what: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})/ },
  { what: 'a GitLab token', re: /\bglpat-[A-Za-z0-9_-]{16,}/ },
  { what: 'an Anthropic key', re: /\bsk-ant-[A-Za-z0-9_-]{12,}/ },
  { what: 'an API key (sk-)', re: /\bsk-(?:proj-)?[A-Za-z0-9]{20,}/ },
  { what: 'a Hugging Face token', re: /\bhf_[A-Za-z0-9]{16,}/ },
  { what: 'a Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { what: 'an AWS access key', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a private key', re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { what: 'a JWT', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/ },
  // scheme://[user]:password@host; `redis://:pass@redis` has an empty user.
  { what: 'a URL with a password', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i },
];

/** What kind of credential a string looks like by its shape alone, or undefined. */
export function credentialShape(value: string): string | undefined {
  return CREDENTIAL_SHAPES.find((s) => s.re.test(value))?.what;
}

/** Words of a variable or key name that mean it holds a credential. */
const CREDENTIAL_WORDS = new Set([
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'SECRET',
  'TOKEN',
  'PAT',
  'APIKEY',
  'KEY',
  'PRIVKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'HTPASSWD',
  'JWT',
]);
/** Last words that make the name point at a credential rather than hold one (SECRET_NAME, TOKEN_FILE). */
const REFERENCE_WORDS = new Set([
  'FILE',
  'PATH',
  'DIR',
  'NAME',
  'REF',
  'TTL',
  'TYPE',
  'MOUNT',
  'FIELD',
  'PROPERTY',
  'ENABLED',
  'LENGTH',
  'URL',
  'HOST',
  'PORT',
]);

/** Upper-case words of a name: `githubPat` and `GITHUB_PAT` are both GITHUB, PAT. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

/**
 * True when a variable, key or prop name says it holds a credential: GITHUB_PAT, ANTHROPIC_KEY, HF_TOKEN,
 * DB_PASSWORD, apiKey, `signup.mailer.password` (its last segment). Names ending in a reference word
 * (`*_SECRET_NAME`, `*_TOKEN_FILE`, `*_KEY_PATH`) are not credentials.
 */
export function isCredentialName(name: string): boolean {
  const last =
    name
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? name;
  const w = words(last);
  if (w.length === 0 || REFERENCE_WORDS.has(w[w.length - 1])) return false;
  // A bare `key` (a map key, VaultKey.key) names something; API_KEY, SSH_KEY and ANTHROPIC_KEY hold one.
  return w.some((x, i) => CREDENTIAL_WORDS.has(x) && (x !== 'KEY' || i > 0));
}

/** Why a literal is a credential (`name` judged by its name, `value` by its shape), or undefined. */
export function credentialReason(name: string | undefined, value: string): string | undefined {
  const shape = credentialShape(value);
  if (shape) return `the value looks like ${shape}`;
  // A credential-named setting whose value is an absolute file path names where the secret is mounted
  // (webhook_handler's SSH_KEY=/opt/id_rsa), not the secret.
  if (name !== undefined && value !== '' && isCredentialName(name) && !ABSOLUTE_PATH.test(value))
    return `${name} names a credential`;
  return undefined;
}

const ABSOLUTE_PATH = /^\/[A-Za-z0-9_.\/-]+$/;

export const REDACTED = '<redacted>';

/** Replaces every credential-shaped substring of a text by `<redacted>`. */
export function redactText(text: string): string {
  let out = text;
  for (const { re } of CREDENTIAL_SHAPES) out = out.replace(new RegExp(re.source, `${re.flags}g`), REDACTED);
  return out;
}

/**
 * A copy of a value for messages with credentials replaced: strings by shape, and strings under a key
 * (or a prop) whose name says credential. Objects and arrays are walked; other values are kept.
 */
export function redactValue(value: unknown, name?: string): unknown {
  if (typeof value === 'string') {
    if (credentialShape(value)) return REDACTED;
    return name !== undefined && value !== '' && isCredentialName(name) ? REDACTED : value;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, name));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactValue(v, k);
    return out;
  }
  return value;
}
