import { describe, expect, it } from 'vitest';
import {
  credentialReason,
  credentialShape,
  isCredentialName,
  redactText,
  redactValue,
} from '../../../lib/validation/credentials';
import { ConfigError } from '../../../lib/validation/errors';

// Credential-shaped test values (not real credentials).
const SHAPES: Array<[string, string]> = [
  ['a GitHub token', `ghp_${'Ab1'.repeat(12)}`],
  ['a GitHub token', `github_pat_${'Ab1_'.repeat(6)}`],
  ['a GitLab token', `glpat-${'xY9-'.repeat(5)}`],
  ['an Anthropic key', `sk-ant-api03-${'q'.repeat(20)}`],
  ['a Hugging Face token', `hf_${'Zx8'.repeat(8)}`],
  ['a Slack token', 'xoxb-1234567890-abcdefghij'],
  ['an AWS access key', 'AKIAABCDEFGHIJKLMNOP'],
  ['a private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE'],
  ['a URL with a password', 'redis://:hunter2@redis:6379/0'],
  ['a URL with a password', 'postgres://app:hunter2@db/app'],
];

describe('credentialShape', () => {
  it.each(SHAPES)('%s: %s', (what, value) => {
    expect(credentialShape(value)).toBe(what);
    expect(credentialShape(`prefix ${value} suffix`)).toBe(what);
  });
  it('ordinary values are not credentials', () => {
    for (const v of [
      'ghp_',
      'hf_home',
      'sk-1',
      'https://example.org/x',
      'redis://redis:6379/0',
      'ssh-ed25519 AAAA k',
      '{{ .password }}',
      'AKIA',
    ])
      expect(credentialShape(v), v).toBeUndefined();
  });
});

describe('isCredentialName', () => {
  it('credentials by name, in any case style', () => {
    for (const n of [
      'GITHUB_PAT',
      'ANTHROPIC_KEY',
      'HF_TOKEN',
      'DB_PASSWORD',
      'API_KEY',
      'apiKey',
      'githubPat',
      'SECRET',
      'signup.mailer.password',
      'SSH_PRIVATE_KEY',
      'REDIS_PASS',
    ])
      expect(isCredentialName(n), n).toBe(true);
  });
  it('names that point at a credential, or only mention a key, are not', () => {
    for (const n of [
      'SECRET_NAME',
      'VAULT_TOKEN_FILE',
      'TOKEN_TTL',
      'key',
      'secretKey_NAME',
      'sshAuthorizedKeys[0]',
      'KEEP_LAST_N',
      'VAULT_AUTH_METHOD',
      'PRIVATE_KEY_PATH',
      'HF_HOME',
    ])
      expect(isCredentialName(n), n).toBe(false);
  });
  it('credentialReason: by shape first, then by name; empty values and file paths are not credentials', () => {
    expect(credentialReason('UPSTREAM', `ghp_${'a1'.repeat(10)}`)).toBe(
      'the value looks like a GitHub token',
    );
    expect(credentialReason('DB_PASSWORD', 'x')).toBe('DB_PASSWORD names a credential');
    expect(credentialReason('DB_PASSWORD', '')).toBeUndefined();
    // where the secret is mounted, not the secret
    expect(credentialReason('SSH_KEY', '/opt/id_rsa')).toBeUndefined();
    expect(credentialReason('SSH_KEY', '/opt/id rsa')).toBe('SSH_KEY names a credential');
    expect(credentialReason('LOG_LEVEL', 'debug')).toBeUndefined();
  });
});

describe('redaction', () => {
  it('redactText replaces each credential-shaped substring', () => {
    expect(redactText(`token ${SHAPES[0][1]} and redis://:pw@r:1`)).toBe(
      'token <redacted> and <redacted>r:1',
    );
  });
  it('redactValue walks objects and lists, by shape and by key name', () => {
    expect(
      redactValue({ env: { GITHUB_PAT: 'x1', LEVEL: 'debug' }, keys: ['ssh-ed25519 A k', SHAPES[7][1]] }),
    ).toEqual({
      env: { GITHUB_PAT: '<redacted>', LEVEL: 'debug' },
      keys: ['ssh-ed25519 A k', '<redacted>'],
    });
    expect(redactValue({ path: 'viktor', key: 'forgejo_token' }, 'retention.token')).toEqual({
      path: 'viktor',
      key: 'forgejo_token',
    });
  });
  it('ConfigError redacts the value (by shape or prop name) and any credential in the rest of its message', () => {
    const a = new ConfigError('s/c', 'signup.mailer.password', 'hunter2hunter2', 'a Vault key');
    expect(a.message).toBe('s/c: invalid signup.mailer.password = "<redacted>"; allowed: a Vault key');
    const b = new ConfigError('s/c', 'url', 'x', `not like ${SHAPES[8][1]}`);
    expect(b.message).not.toContain('hunter2');
    // The raw value stays available to code, but does not serialize or print with the error's fields.
    expect(a.value).toBe('hunter2hunter2');
    expect(JSON.stringify(a)).not.toContain('hunter2');
    expect(Object.keys(a)).not.toContain('value');
  });
});
