import { describe, expect, it } from 'vitest';
import { Token } from 'cdktf';
import {
  accessModes,
  annotations,
  domain,
  enumValue,
  hostname,
  hostOrIp,
  isLabelValue,
  isQualifiedKey,
  labels,
  namespaceName,
  noCredentialLiterals,
  url,
} from '../../../lib/validation/conventions';
import { checkProps, propKeys } from '../../../lib/validation/props';
import { ConfigError } from '../../../lib/validation/errors';

const where = 'stack/thing';
const fails = (fn: () => unknown, allowed: string) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toContain(allowed);
    return (e as ConfigError).prop;
  }
  throw new Error('expected a ConfigError');
};

describe('Kubernetes names, labels, annotations', () => {
  it('namespaces are DNS labels', () => {
    expect(namespaceName(where, 'namespace', 'web-apps')).toBe('web-apps');
    for (const bad of ['Web_Apps', 'Web NS', '', '-web', 'a'.repeat(64)])
      fails(() => namespaceName(where, 'namespace', bad), 'DNS-1123 label');
    expect(namespaceName(where, 'namespace', Token.asString({ ref: 1 }))).toMatch(/TOKEN/);
  });
  it('label/annotation keys and label values', () => {
    for (const k of ['app', 'app.kubernetes.io/name', 'keel.sh/policy', 'a_b.c-d'])
      expect(isQualifiedKey(k), k).toBe(true);
    for (const k of ['', 'Bad Key', 'UPPER.example/x', '/x', 'x/', `${'a'.repeat(64)}`])
      expect(isQualifiedKey(k), k).toBe(false);
    for (const v of ['', 'web', '0-core', 'a.b_c-d']) expect(isLabelValue(v), v).toBe(true);
    for (const v of ['-x', 'x y', 'a'.repeat(64)]) expect(isLabelValue(v), v).toBe(false);
    expect(fails(() => labels(where, 'labels', { 'bad key': 'x' }), 'a key [prefix/]name')).toBe(
      'labels key',
    );
    expect(fails(() => labels(where, 'labels', { app: 'two words' }), 'a label value')).toBe('labels.app');
    expect(fails(() => annotations(where, 'podAnnotations', { 'x/y': 1 }), 'a string')).toBe(
      'podAnnotations.x/y',
    );
  });
});

describe('hosts, domains and URLs', () => {
  it('hosts and domains carry no scheme, path or port', () => {
    expect(hostname(where, 'host', 'web')).toBe('web');
    expect(hostname(where, 'fullHost', 'web.example.org')).toBe('web.example.org');
    for (const bad of ['https://web', 'web.example.org/app', 'web:443', 'Web', ''])
      fails(() => hostname(where, 'host', bad), 'a DNS host name');
    expect(domain(where, 'rootDomain', 'example.org')).toBe('example.org');
    for (const bad of ['https://example.org', 'example', 'example.org/'])
      fails(() => domain(where, 'rootDomain', bad), 'a domain');
    expect(hostOrIp(where, 'nfsServer', '10.0.10.15')).toBe('10.0.10.15');
    for (const bad of ['nfs://10.0.10.15', 'postgres://pg:5432', '10.0.10.15:2049', '10.0.0.0/24'])
      fails(() => hostOrIp(where, 'h', bad), 'an IPv4 address or a DNS host name');
  });
  it('URLs: scheme from the list, a written host, no credentials', () => {
    expect(url(where, 'u', 'redis://redis.redis:6379/0', ['redis'])).toBe('redis://redis.redis:6379/0');
    for (const bad of [
      'http:///',
      'http:///api',
      'ftp://x',
      'http://u:p@x',
      'https://tok@x',
      'http://a b',
      'web',
    ])
      fails(() => url(where, 'u', bad, ['http', 'https']), 'a http:// or https:// URL');
  });
});

describe('access modes, enums, credentials, prop keys', () => {
  it('access modes: a non-empty list of distinct known modes', () => {
    expect(accessModes(where, 'accessModes', ['ReadWriteMany'])).toEqual(['ReadWriteMany']);
    expect(fails(() => accessModes(where, 'accessModes', ['ReadWriteAll']), '"ReadWriteOnce"')).toBe(
      'accessModes[0]',
    );
    fails(() => accessModes(where, 'accessModes', []), 'a non-empty list');
    fails(() => accessModes(where, 'accessModes', ['ReadWriteOnce', 'ReadWriteOnce']), 'distinct');
  });
  it('enum values passed with `as any` name the enum and its values', () => {
    enum Color {
      RED = 'red',
      BLUE = 'blue',
    }
    expect(enumValue(where, 'color', 'red', Color, 'Color')).toBe(Color.RED);
    fails(
      () => enumValue(where, 'color', 'green', Color, 'Color'),
      'one of Color.{RED, BLUE} ("red", "blue")',
    );
  });
  it('noCredentialLiterals: by name and by shape; references pass; the value is never shown', () => {
    noCredentialLiterals(where, 'env', { LOG_LEVEL: 'debug', TOKEN: Token.asString({ ref: 1 }) });
    let e: ConfigError | undefined;
    try {
      noCredentialLiterals(where, 'env', { GITHUB_PAT: 'abc123' });
    } catch (err) {
      e = err as ConfigError;
    }
    if (!e) throw new Error('expected a ConfigError');
    expect(e.message).toBe(
      'stack/thing: invalid env.GITHUB_PAT = "<redacted>"; allowed: no credential in plain text (GITHUB_PAT names a credential): read it from a Secret (secret env / a Vault path), never a literal',
    );
  });
  it('propKeys + checkProps: unknown keys named with a suggestion; non-objects refused', () => {
    const keys = propKeys<{ dnsType?: string; host: string }>({ dnsType: true, host: true });
    expect(keys).toEqual(['dnsType', 'host']);
    expect(
      fails(
        () => checkProps(where, 'props', { dnstype: 'x' }, keys),
        'no such prop (did you mean "dnsType"?); known: dnsType, host',
      ),
    ).toBe('dnstype');
    expect(fails(() => checkProps(where, 'ingress', { zzz: 1 }, keys), 'no such prop; known')).toBe(
      'ingress.zzz',
    );
    for (const bad of [undefined, null, 'x', []])
      fails(() => checkProps(where, 'props', bad, keys), 'an object with keys among');
  });
});
