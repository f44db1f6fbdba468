import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY_FILE,
  defaultPolicyRules,
  defaultTrustedLocalCidrs,
  isCidr,
  isHostOrParent,
  nonBrowserEndpoint,
  renderAnubisPolicy,
} from '../../../lib/domain/anubis';
import { TREE_DEFAULT_POLICY, treeStoreBlock } from '../../support/anubis-tree';

const STORE = 'redis://redis-master.redis.svc.cluster.local:6379/10';

describe('renderAnubisPolicy', () => {
  it('renders the default policy byte for byte as the tree (reference file)', () => {
    expect(renderAnubisPolicy()).toBe(TREE_DEFAULT_POLICY);
    expect(Buffer.from(renderAnubisPolicy(), 'utf8').equals(Buffer.from(TREE_DEFAULT_POLICY, 'utf8'))).toBe(
      true,
    );
    // the committed data file is the reference itself
    expect(fs.readFileSync(DEFAULT_POLICY_FILE, 'utf8')).toBe(TREE_DEFAULT_POLICY);
  });

  it('ends with the valkey store block when a shared store is set', () => {
    const text = renderAnubisPolicy({ sharedStoreUrl: STORE });
    expect(text).toBe(TREE_DEFAULT_POLICY + treeStoreBlock(STORE));
    expect(
      text.endsWith(
        `\n  action: CHALLENGE\n\nstore:\n  backend: valkey\n  parameters:\n    url: "${STORE}"\n`,
      ),
    ).toBe(true);
  });

  it('replaces the default rules with custom ones, keeping the trusted-local rule first', () => {
    const rules = '\n  - name: allow-all\n    action: ALLOW\n    path_regex: .*\n\n';
    const text = renderAnubisPolicy({ rules, sharedStoreUrl: STORE });
    const lines = text.split('\n');
    expect(lines[0]).toBe('bots:');
    const firstRule = lines.find((l) => l.startsWith('- '));
    expect(firstRule).toBe('- name: trusted-local-networks');
    expect(text).not.toContain('catchall-challenge');
    expect(text).not.toContain('(data)/bots/_deny-pathological.yaml');
    // trimmed like Terraform's trimspace(), then the store block
    expect(text).toContain(
      '  - "fe80::/10"\n- name: allow-all\n    action: ALLOW\n    path_regex: .*\n\nstore:',
    );
  });

  it('renders the trusted CIDRs given, in order, under remote_addresses', () => {
    const text = renderAnubisPolicy({ trustedLocalCidrs: ['10.0.0.0/8', 'fd00::/8'] });
    expect(text).toContain(
      '  remote_addresses:\n  - "10.0.0.0/8"\n  - "fd00::/8"\n# Hard-deny known-bad bots first',
    );
    expect(text).not.toContain('192.168.0.0/16');
  });

  it('reads the default CIDRs and rules from the data file', () => {
    expect(defaultTrustedLocalCidrs()).toEqual([
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '100.64.0.0/10',
      'fc00::/7',
      'fe80::/10',
    ]);
    const rules = defaultPolicyRules();
    expect(rules.startsWith('# Hard-deny known-bad bots first')).toBe(true);
    expect(rules.endsWith('- name: catchall-challenge\n  path_regex: .*\n  action: CHALLENGE')).toBe(true);
    const imports = [...rules.matchAll(/^- import: (.*)$/gm)].map((m) => m[1]);
    expect(imports).toEqual([
      '(data)/bots/_deny-pathological.yaml',
      '(data)/bots/aggressive-brazilian-scrapers.yaml',
      '(data)/meta/ai-block-aggressive.yaml',
      '(data)/crawlers/_allow-good.yaml',
      '(data)/clients/x-firefox-ai.yaml',
      '(data)/common/keep-internet-working.yaml',
    ]);
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
