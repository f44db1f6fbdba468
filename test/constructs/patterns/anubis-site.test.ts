// AnubisSite behaviour (the tree module's values are checked through the blog and cyberchef parity
// tests) and one test per guard: the message names construct path, prop, value and what is allowed.
import { SENSITIVE_TLS_SECRET_NAME } from '../../support/synth';
import { describe, expect, it } from 'vitest';
import { Tier } from '../../../lib/conventions/tiers';
import { serviceFromName } from '../../../constructs/blocks/service';
import { AnubisSite, type AnubisSiteProps } from '../../../constructs/patterns/anubis-site';
import { DnsType } from '../../../constructs/blocks/ingress-factory';
import { formatValue } from '../../../lib/validation/errors';
import { treeHeredoc } from '../../../lib/terraform/tree-payload';
import {
  expectConfigError,
  moves,
  resource,
  resourcesOf,
  synth,
  testStack,
  type TfJson,
} from '../../support/synth';

const BASE: AnubisSiteProps = {
  name: 'site',
  namespace: { name: 'web', tier: Tier.AUX },
  backend: serviceFromName('web'),
};
const STORE = 'redis://redis-master.redis.svc.cluster.local:6379/3';

function site(props: Partial<AnubisSiteProps> = {}): { json: TfJson; site: AnubisSite } {
  const s = testStack('sites');
  const a = new AnubisSite(s, 'anubis', { ...BASE, ...props });
  return { json: synth(s), site: a };
}
const env = (json: TfJson) =>
  Object.fromEntries(
    (
      resource(json, 'kubernetes_deployment', 'anubis').spec.template.spec.container[0].env as Array<{
        name: string;
        value: string;
      }>
    ).map((e) => [e.name, e.value]),
  );
const policyOf = (json: TfJson) =>
  resource(json, 'kubernetes_config_map', 'anubis_policy').data['botPolicies.yaml'];
const middlewares = (json: TfJson, name = 'anubis_ingress') =>
  resource(json, 'kubernetes_ingress_v1', name).metadata.annotations[
    'traefik.ingress.kubernetes.io/router.middlewares'
  ];
const paths = (json: TfJson, name: string) =>
  resource(json, 'kubernetes_ingress_v1', name).spec.rule[0].http.path.map(
    (p: { path: string; backend: { service: { name: string; port: { number: number } } } }) =>
      `${p.path} -> ${p.backend.service.name}:${p.backend.service.port.number}`,
  );

describe('AnubisSite', () => {
  const plain = site();
  const shared = site({ sharedStoreUrl: STORE });

  it('runs one replica with the in-memory store, two with a shared store', () => {
    expect(resource(plain.json, 'kubernetes_deployment', 'anubis').spec.replicas).toBe('1');
    expect(resource(shared.json, 'kubernetes_deployment', 'anubis').spec.replicas).toBe('2');
    expect(
      resource(site({ sharedStoreUrl: STORE, replicas: 1 }).json, 'kubernetes_deployment', 'anubis').spec
        .replicas,
    ).toBe('1');
  });

  const checksumOf = (json: TfJson) =>
    resource(json, 'kubernetes_deployment', 'anubis').spec.template.metadata.annotations['checksum/policy'];
  const PAYLOAD = (file: string) => `"\${path.root}/../../../tree-payloads/_modules/anubis_instance/${file}"`;
  const COMMENTS = PAYLOAD('trusted-local-rule-comments.yaml');
  const RULES = PAYLOAD('default-policy-rules.yaml');
  const guard = (stack: string, file: string) => ({
    condition: `\${fileexists(${PAYLOAD(file)})}`,
    error_message: `stack ${stack}: tree payload tree-payloads/_modules/anubis_instance/${file} is missing; run npm run payloads -- --from <tree checkout> (CI: npm run payloads -- --stand-ins)`,
  });

  it('reads the policy text from the tree payloads at plan time; the checksum is sha256() of the same expression', () => {
    for (const { json } of [plain, shared]) {
      const value: string = policyOf(json);
      expect(
        value.startsWith(
          `\${fileexists(${COMMENTS}) && fileexists(${RULES}) ? join("\\n", ["bots:", trimspace(file(${COMMENTS})), "- name: trusted-local-networks", "  action: ALLOW", "  remote_addresses:", "  - \\"10.0.0.0/8\\"", `,
        ),
      ).toBe(true);
      const body = value.slice(value.indexOf(' ? ') + 3, value.lastIndexOf(' : null}'));
      expect(checksumOf(json)).toBe(value.replace(` ? ${body} : null}`, ` ? sha256(${body}) : null}`));
    }
    expect(policyOf(plain.json).endsWith(`, trimspace(file(${RULES}))]) : null}`)).toBe(true);
    expect(
      policyOf(shared.json).endsWith(
        `, trimspace(file(${RULES})), "\\nstore:\\n  backend: valkey\\n  parameters:\\n    url: \\"${STORE}\\"\\n"]) : null}`,
      ),
    ).toBe(true);
  });

  it('guards the ConfigMap and the Deployment: a missing payload fails the plan naming stack and file', () => {
    const both = [
      guard('sites', 'trusted-local-rule-comments.yaml'),
      guard('sites', 'default-policy-rules.yaml'),
    ];
    expect(resource(plain.json, 'kubernetes_config_map', 'anubis_policy').lifecycle.precondition).toEqual(
      both,
    );
    expect(resource(plain.json, 'kubernetes_deployment', 'anubis').lifecycle.precondition).toEqual(both);
  });

  it('puts custom rules (literal, escaped) after the trusted-local rule, replacing the default-rules payload', () => {
    const { json } = site({
      policyRules: '- name: only-rule\n  action: CHALLENGE\n  expression: x == "${x}"',
      trustedLocalCidrs: ['10.0.0.0/8'],
    });
    expect(policyOf(json)).toBe(
      `\${fileexists(${COMMENTS}) ? join("\\n", ["bots:", trimspace(file(${COMMENTS})), "- name: trusted-local-networks", "  action: ALLOW", "  remote_addresses:", "  - \\"10.0.0.0/8\\"", trimspace("- name: only-rule\\n  action: CHALLENGE\\n  expression: x == \\"$\${x}\\"")]) : null}`,
    );
    expect(resource(json, 'kubernetes_config_map', 'anubis_policy').lifecycle.precondition).toEqual([
      guard('sites', 'trusted-local-rule-comments.yaml'),
    ]);
  });

  it("takes custom rules as a tree payload (the stack's heredoc), read at plan time and guarded", () => {
    const s = testStack('sites');
    const rules = treeHeredoc(s, 'policy_rules_yaml');
    new AnubisSite(s, 'anubis', { ...BASE, policyRules: rules, trustedLocalCidrs: ['10.0.0.0/8'] });
    const json = synth(s);
    const HEREDOC = `"\${path.root}/../../../tree-payloads/sites/_heredoc/main.tf/policy_rules_yaml/0"`;
    expect(rules.path).toBe(HEREDOC);
    expect(policyOf(json)).toBe(
      `\${fileexists(${COMMENTS}) && fileexists(${HEREDOC}) ? join("\\n", ["bots:", trimspace(file(${COMMENTS})), "- name: trusted-local-networks", "  action: ALLOW", "  remote_addresses:", "  - \\"10.0.0.0/8\\"", trimspace(templatefile(${HEREDOC}, {}))]) : null}`,
    );
    const heredocGuard = {
      condition: `\${fileexists(${HEREDOC})}`,
      error_message:
        'stack sites: tree payload tree-payloads/sites/_heredoc/main.tf/policy_rules_yaml/0 is missing; run npm run payloads -- --from <tree checkout> (CI: npm run payloads -- --stand-ins)',
    };
    for (const type of ['kubernetes_config_map', 'kubernetes_deployment']) {
      const name = type === 'kubernetes_config_map' ? 'anubis_policy' : 'anubis';
      expect(resource(json, type, name).lifecycle.precondition).toEqual([
        guard('sites', 'trusted-local-rule-comments.yaml'),
        heredocGuard,
      ]);
    }
  });

  it('derives the target URL from the backend service, with a non-80 port spelled out', () => {
    expect(env(plain.json).TARGET).toBe('http://web.web.svc.cluster.local');
    expect(env(site({ backend: serviceFromName('app', 3000) }).json).TARGET).toBe(
      'http://app.web.svc.cluster.local:3000',
    );
    expect(env(site({ targetUrl: 'https://static.example.org' }).json).TARGET).toBe(
      'https://static.example.org',
    );
  });

  it('passes difficulty, cookie domain and lifetime, image tag and sizing through', () => {
    const { json } = site({
      difficulty: 4,
      cookieDomain: 'site.viktorbarzin.me',
      cookieExpirationHours: 24,
      imageTag: 'v1.26.1',
      memory: '256Mi',
      cpuRequest: '50m',
    });
    expect(env(json)).toMatchObject({
      DIFFICULTY: '4',
      COOKIE_DOMAIN: 'site.viktorbarzin.me',
      COOKIE_EXPIRATION_TIME: '24h',
    });
    const container = resource(json, 'kubernetes_deployment', 'anubis').spec.template.spec.container[0];
    expect(container.image).toBe('ghcr.io/techarohq/anubis:v1.26.1');
    expect(container.resources).toEqual({
      requests: { cpu: '50m', memory: '256Mi' },
      limits: { memory: '256Mi' },
    });
  });

  it('owns the public ingress: Anubis service 8080, auth none, real-ip first, no ai-bot-block', () => {
    expect(paths(plain.json, 'anubis_ingress')).toEqual(['/ -> anubis-site:8080']);
    expect(resource(plain.json, 'kubernetes_ingress_v1', 'anubis_ingress').spec.rule[0].host).toBe(
      'site.viktorbarzin.me',
    );
    expect(middlewares(plain.json)).toBe(
      'traefik-real-ip@kubernetescrd,traefik-retry@kubernetescrd,traefik-error-pages@kubernetescrd,traefik-rate-limit@kubernetescrd,traefik-csp-headers@kubernetescrd',
    );
    expect(middlewares(site({ ingress: { antiAiScraping: true } }).json)).toContain(
      'traefik-ai-bot-block@kubernetescrd',
    );
    expect(plain.site.serviceName).toBe('anubis-site');
    expect(plain.site.servicePort).toBe(8080);
  });

  it('sends direct paths to the bare backend on the same host, without DNS or homepage tile', () => {
    const { json } = site({
      backend: serviceFromName('web', 8000),
      ingress: { host: 'www', dnsType: DnsType.PROXIED, ingressPath: ['/', '/api'] },
      directPaths: ['/api', '/feed.xml'],
    });
    expect(paths(json, 'anubis_ingress')).toEqual(['/ -> anubis-site:8080']);
    expect(paths(json, 'anubis_direct')).toEqual(['/api -> web:8000', '/feed.xml -> web:8000']);
    const direct = resource(json, 'kubernetes_ingress_v1', 'anubis_direct');
    expect(direct.metadata.name).toBe('site-direct');
    expect(direct.spec.rule[0].host).toBe('www.viktorbarzin.me');
    expect(direct.spec.tls).toEqual([
      { hosts: ['www.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME },
    ]);
    expect(Object.keys(direct.metadata.annotations).sort()).toEqual([
      'traefik.ingress.kubernetes.io/router.entrypoints',
      'traefik.ingress.kubernetes.io/router.middlewares',
    ]);
    expect(middlewares(json, 'anubis_direct')).not.toContain('real-ip');
    expect(resourcesOf(plain.json, 'kubernetes_ingress_v1').anubis_direct).toBeUndefined();
  });

  it('emits moved blocks from the module addresses only when asked', () => {
    expect(moves(plain.json).size).toBe(0);
    const { json } = site({
      legacyAddress: 'module.anubis',
      ingress: { legacyAddress: 'module.ingress' },
      directPaths: ['/x.sh'],
      directIngress: { name: 'site-x', legacyAddress: 'module.ingress_x' },
    });
    expect(Object.fromEntries(moves(json))).toEqual({
      'module.anubis.kubernetes_config_map.policy': 'kubernetes_config_map.anubis_policy',
      'module.anubis.kubernetes_manifest.ed25519_secret': 'kubernetes_manifest.anubis_ed25519_key',
      'module.anubis.kubernetes_deployment.anubis': 'kubernetes_deployment.anubis',
      'module.anubis.kubernetes_service.anubis': 'kubernetes_service.anubis',
      'module.anubis.kubernetes_pod_disruption_budget_v1.anubis':
        'kubernetes_pod_disruption_budget_v1.anubis',
      'module.ingress.kubernetes_ingress_v1.proxied-ingress': 'kubernetes_ingress_v1.anubis_ingress',
      'module.ingress_x.kubernetes_ingress_v1.proxied-ingress': 'kubernetes_ingress_v1.anubis_direct',
    });
  });

  it('takes the signing key from Vault through ESO: no key material in the JSON', () => {
    const es = resource(shared.json, 'kubernetes_manifest', 'anubis_ed25519_key').manifest;
    expect(es.spec.data).toEqual([
      { secretKey: 'key', remoteRef: { key: 'viktor', property: 'anubis_ed25519_key' } },
    ]);
    expect(resource(shared.json, 'kubernetes_deployment', 'anubis').depends_on).toEqual([
      'kubernetes_manifest.anubis_ed25519_key',
    ]);
    expect(JSON.stringify(shared.json)).not.toMatch(/-----BEGIN|PRIVATE KEY-----/);
  });
});

describe('AnubisSite guards', () => {
  function guard(props: Partial<AnubisSiteProps>, prop: string, value: unknown, allowed: string): void {
    const err = expectConfigError(() => new AnubisSite(testStack('guard'), 'anubis', { ...BASE, ...props }));
    expect(err.constructPath).toBe('guard/anubis');
    expect(err.prop).toBe(prop);
    expect(err.message).toContain(`guard/anubis: invalid ${prop} = ${formatValue(value)}; allowed: `);
    expect(err.message).toContain(allowed);
  }

  it('replicas: 1 or 2', () => {
    guard({ replicas: 3, sharedStoreUrl: STORE }, 'replicas', 3, '1 or 2');
    guard({ replicas: 0 }, 'replicas', 0, '1 or 2');
  });

  it('replicas: 2 only with a shared store', () => {
    guard({ replicas: 2 }, 'replicas', 2, 'in-memory challenges fail across pods ("store: key not found")');
  });

  it('sharedStoreUrl: redis://host:port/db with a DB 0-15', () => {
    for (const url of [
      'redis://redis:6379',
      'rediss://redis:6379/1',
      'redis://redis/1',
      'redis://redis:6379/16',
    ]) {
      guard(
        { sharedStoreUrl: url },
        'sharedStoreUrl',
        url,
        'redis://host:port/db with a DB index 0-15 of its own',
      );
    }
  });

  it('sharedStoreUrl: one DB per site', () => {
    const s = testStack('guard');
    new AnubisSite(s, 'first', { ...BASE, sharedStoreUrl: STORE });
    const err = expectConfigError(
      () => new AnubisSite(s, 'anubis', { ...BASE, name: 'other', sharedStoreUrl: STORE }),
    );
    expect(err.message).toBe(
      `guard/anubis: invalid sharedStoreUrl = "${STORE}"; allowed: a DB index no other Anubis site uses (guard/first has it)`,
    );
  });

  it.each([
    ['/info/refs', 'git smart-HTTP'],
    ['/me/repo.git', 'git smart-HTTP'],
    ['/api', 'API'],
    ['/graphql', 'GraphQL'],
    ['/dav', 'WebDAV'],
    ['/remote.php', 'WebDAV'],
    ['/v2/', 'OCI registry'],
  ])('ingress.ingressPath: refuses %s (%s) unless carved out', (p, kind) => {
    guard(
      { ingress: { ingressPath: ['/', p] } },
      'ingress.ingressPath[1]',
      p,
      `browser paths only: ${kind} clients cannot solve the challenge; carve it out with directPaths: ["${p}"]`,
    );
    expect(() => site({ ingress: { ingressPath: ['/', p] }, directPaths: [p] })).not.toThrow();
  });

  it('ingress.ingressPath: something must stay behind Anubis', () => {
    guard(
      { ingress: { ingressPath: ['/api'] }, directPaths: ['/api'] },
      'ingress.ingressPath',
      ['/api'],
      'at least one path not carved out',
    );
  });

  it('targetUrl: an http(s) URL of a browser site', () => {
    guard({ targetUrl: 'ftp://web.web.svc' }, 'targetUrl', 'ftp://web.web.svc', 'an http:// or https:// URL');
    guard({ targetUrl: 'web:80' }, 'targetUrl', 'web:80', 'an http:// or https:// URL');
    guard(
      { targetUrl: 'http://forgejo.forgejo.svc/api/v1' },
      'targetUrl',
      'http://forgejo.forgejo.svc/api/v1',
      'the URL of a browser site; API endpoints must not sit behind Anubis',
    );
  });

  it('cookieDomain: the site host or a parent domain', () => {
    guard(
      { cookieDomain: 'example.com' },
      'cookieDomain',
      'example.com',
      '"site.viktorbarzin.me" or a parent domain of it',
    );
    guard({ cookieDomain: 'me' }, 'cookieDomain', 'me', '"site.viktorbarzin.me" or a parent domain of it');
    guard(
      { cookieDomain: 'viktorbarzin.me', ingress: { fullHost: 'blog.example.org' } },
      'cookieDomain',
      'viktorbarzin.me',
      '"blog.example.org" or a parent domain of it',
    );
  });

  it('difficulty: 1 to 64', () => {
    for (const d of [0, 65, 2.5]) guard({ difficulty: d }, 'difficulty', d, 'an integer from 1 to 64');
  });

  it('cookieExpirationHours, memory, cpuRequest, imageTag, name, backend, legacyAddress', () => {
    guard({ cookieExpirationHours: 0 }, 'cookieExpirationHours', 0, 'an integer from 1 to 8760');
    guard({ memory: 'lots' }, 'memory', 'lots', 'a positive Kubernetes quantity');
    guard({ cpuRequest: '-1' }, 'cpuRequest', '-1', 'a positive Kubernetes quantity');
    guard(
      { imageTag: 'latest' },
      'imageTag',
      'latest',
      'a pinned release tag such as "v1.25.0", never "latest"',
    );
    guard({ name: 'My_Site' }, 'name', 'My_Site', 'a DNS-1123 label');
    guard({ name: 'x'.repeat(57) }, 'name', 'x'.repeat(57), 'at most 56 characters');
    guard({ backend: { name: '', port: 80 } }, 'backend.name', '', 'a non-empty string');
    guard({ backend: { name: 'web', port: 0 } }, 'backend.port', 0, 'an integer from 1 to 65535');
    guard({ legacyAddress: 'anubis' }, 'legacyAddress', 'anubis', 'a Terraform module address');
  });

  it('directPaths: distinct paths below "/"', () => {
    const allowed = 'a distinct path below "/"';
    guard({ directPaths: ['/'] }, 'directPaths[0]', '/', allowed);
    guard({ directPaths: ['net-diag.sh'] }, 'directPaths[0]', 'net-diag.sh', allowed);
    guard({ directPaths: ['/a', '/a'] }, 'directPaths[1]', '/a', allowed);
    guard(
      { directIngress: { name: 'x' } },
      'directIngress',
      { name: 'x' },
      'unset when directPaths is empty',
    );
  });

  it('trustedLocalCidrs: at least one CIDR, each valid', () => {
    guard({ trustedLocalCidrs: [] }, 'trustedLocalCidrs', [], 'at least one private CIDR');
    guard(
      { trustedLocalCidrs: ['10.0.0.0/8', '10.0.0.1'] },
      'trustedLocalCidrs[1]',
      '10.0.0.1',
      'an IPv4 or IPv6 CIDR',
    );
  });

  it('policyRules: list items only, never a whole document', () => {
    const allowed = 'items of the bots: list only';
    for (const rules of [
      'bots:\n- name: x\n  action: ALLOW',
      '- name: x\n  action: ALLOW\nstore:\n  backend: memory',
      '  ',
    ]) {
      guard({ policyRules: rules }, 'policyRules', rules, allowed);
    }
  });
});
