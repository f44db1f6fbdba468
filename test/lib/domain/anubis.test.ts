import { describe, expect, it } from 'vitest';
import {
  anubisPolicyExpression,
  anubisStoreBlock,
  DEFAULT_TRUSTED_LOCAL_CIDRS,
  hclString,
  isCidr,
  isHostOrParent,
  nonBrowserEndpoint,
} from '../../../lib/domain/anubis';

const STORE = 'redis://redis-master.redis.svc.cluster.local:6379/10';
const C = '"c.yaml"';
const R = '"r.yaml"';

// The rendered text is checked under Terraform in test/constructs/patterns/anubis-policy-terraform.test.ts.
describe('anubisPolicyExpression', () => {
  it('joins bots:, the payload comments, the trusted rule, the default-rules payload (trimmed)', () => {
    const e = anubisPolicyExpression({ commentsPath: C, defaultRulesPath: R });
    const cidrs = DEFAULT_TRUSTED_LOCAL_CIDRS.map((c) => `"  - \\"${c}\\""`).join(', ');
    const body = `join("\\n", ["bots:", trimspace(file(${C})), "- name: trusted-local-networks", "  action: ALLOW", "  remote_addresses:", ${cidrs}, trimspace(file(${R}))])`;
    expect(e.value).toBe(`\${fileexists(${C}) && fileexists(${R}) ? ${body} : null}`);
    expect(e.checksum).toBe(`\${fileexists(${C}) && fileexists(${R}) ? sha256(${body}) : null}`);
    expect(e.reads).toEqual([C, R]);
  });

  it('ends with the valkey store block when a shared store is set', () => {
    const e = anubisPolicyExpression({ commentsPath: C, defaultRulesPath: R, sharedStoreUrl: STORE });
    expect(
      e.value.endsWith(`trimspace(file(${R})), ${hclString(anubisStoreBlock(STORE).slice(1))}]) : null}`),
    ).toBe(true);
    expect(anubisStoreBlock(STORE)).toBe(
      `\n\nstore:\n  backend: valkey\n  parameters:\n    url: "${STORE}"\n`,
    );
  });

  it('puts literal custom rules (escaped) in place of the default-rules payload, which it then does not read', () => {
    const rules = '- name: x\n  expression: headers["X"] == "${x}%{y}"';
    const e = anubisPolicyExpression({ commentsPath: C, defaultRulesPath: R, rules });
    expect(e.reads).toEqual([C]);
    expect(e.value).not.toContain(R);
    expect(e.value).toContain('trimspace("- name: x\\n  expression: headers[\\"X\\"] == \\"$${x}%%{y}\\"")');
    expect(e.value.startsWith(`\${fileexists(${C}) ? join(`)).toBe(true);
  });

  it('renders the trusted CIDRs given, in order, under remote_addresses', () => {
    const e = anubisPolicyExpression({
      commentsPath: C,
      defaultRulesPath: R,
      trustedLocalCidrs: ['10.0.0.0/8', 'fd00::/8'],
    });
    expect(e.value).toContain(
      '"  remote_addresses:", "  - \\"10.0.0.0/8\\"", "  - \\"fd00::/8\\"", trimspace(',
    );
    expect(e.value).not.toContain('192.168.0.0/16');
  });
});

describe('nonBrowserEndpoint', () => {
  it.each([
    ['/info/refs', 'git smart-HTTP'],
    ['/user/repo.git', 'git smart-HTTP'],
    ['/user/repo/git-upload-pack', 'git smart-HTTP'],
    ['/api', 'API'],
    ['/api/v1/users', 'API'],
    ['/graphql', 'GraphQL'],
    ['/dav', 'WebDAV'],
    ['/remote.php/dav/files', 'WebDAV'],
    ['/v2/', 'OCI registry'],
    ['/V2/library/nginx/manifests/1', 'OCI registry'],
  ])('%s is %s', (p, kind) => {
    expect(nonBrowserEndpoint(p)).toBe(kind);
  });

  it.each(['/', '/blog', '/apis-explained', '/net-diag.sh', '/posts/v2-release', '/davinci', '/gitea'])(
    '%s is a browser path',
    (p) => {
      expect(nonBrowserEndpoint(p)).toBeUndefined();
    },
  );
});

describe('isCidr / isHostOrParent', () => {
  it('accepts IPv4 and IPv6 CIDRs only', () => {
    for (const c of ['10.0.0.0/8', '192.168.0.0/16', 'fc00::/7', 'fe80::/10', '2001:db8::1/128', '::/0'])
      expect(isCidr(c), c).toBe(true);
    for (const c of [
      '10.0.0.0',
      '10.0.0.256/8',
      '10.0.0.0/33',
      'fc00::/129',
      'fc00:::1/7',
      'example.com/8',
      '',
    ])
      expect(isCidr(c), c).toBe(false);
  });

  it('accepts the host itself or a parent domain, never a bare TLD', () => {
    expect(isHostOrParent('viktorbarzin.me', 'viktorbarzin.me')).toBe(true);
    expect(isHostOrParent('cc.viktorbarzin.me', 'viktorbarzin.me')).toBe(true);
    expect(isHostOrParent('cc.viktorbarzin.me', 'me')).toBe(false);
    expect(isHostOrParent('cc.viktorbarzin.me', 'other.viktorbarzin.me')).toBe(false);
    expect(isHostOrParent('viktorbarzin.me', 'cc.viktorbarzin.me')).toBe(false);
    expect(isHostOrParent('evilviktorbarzin.me', 'viktorbarzin.me')).toBe(false);
  });
});
