// T3Workstation: defaults and naming, native/probe opt-outs, probe wiring (the ConfigMap key, mount and
// command agree; env only where the script's defaults differ), the opt-in per-user RBAC from the roster,
// the provisioner Vault policy + AppRole, and a guard test per validation.
import { describe, expect, it } from 'vitest';
import {
  nativeRouteMatches,
  PROBE_SCRIPT_DEFAULTS,
  provisionerPolicy,
  rbacNameSuffix,
  T3Workstation,
  type T3WorkstationProps,
} from '../../../constructs/patterns/t3-workstation';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import { sha256 } from '../../../lib/core/hash';
import { readScript } from '../../../lib/core/paths';
import { terraformUnescape } from '../../../lib/terraform/tf-literal';
import type { SiteConfig } from '../../../lib/conventions/site';
import { Tier } from '../../../lib/conventions/tiers';
import {
  addresses,
  expectConfigError,
  type Json,
  moves,
  resolveNames,
  resource,
  resourcesOf,
  synth,
  testStack,
  type TfJson,
} from '../../support/synth';

type Props = Omit<T3WorkstationProps, 'namespace'>;

/** Synthesizes one workstation (construct id `t3`) in namespace `dev` (tier aux). */
function t3Json(props: Props = {}, site?: Partial<SiteConfig>): TfJson {
  const s = testStack('t3-test', site);
  const ns = new TieredNamespace(s, 'dev', { tier: Tier.AUX });
  new T3Workstation(s, 't3', { namespace: ns, ...props });
  return synth(s);
}

function t3Error(props: Props) {
  const s = testStack('t3-test');
  const ns = new TieredNamespace(s, 'dev', { tier: Tier.AUX });
  return expectConfigError(() => new T3Workstation(s, 't3', { namespace: ns, ...props }));
}

const lit = (json: TfJson, type: string, name: string): Json =>
  resolveNames(json, resource(json, type, name));

describe('T3Workstation defaults', () => {
  const json = t3Json();

  it('creates the dispatcher, main ingress, native client and probe, named after the construct id', () => {
    expect([...addresses(json)].sort()).toEqual([
      'kubernetes_config_map_v1.t3_probe',
      'kubernetes_deployment_v1.t3_probe',
      'kubernetes_endpoints.t3',
      'kubernetes_endpoints.t3_native',
      'kubernetes_ingress_v1.t3_ingress',
      'kubernetes_ingress_v1.t3_probe_ingress',
      'kubernetes_manifest.t3_native_ingressroute',
      'kubernetes_namespace.dev',
      'kubernetes_service.t3',
      'kubernetes_service.t3_native',
      'kubernetes_service.t3_probe',
    ]);
    expect(json.moved).toBeUndefined();
    expect(json.provider?.vault).toBeUndefined();
  });

  it('dispatcher: selector-less Service "t3" 80 -> 3780 and Endpoints to 10.0.10.10', () => {
    const svc = lit(json, 'kubernetes_service', 't3');
    expect(svc.spec.selector).toBeUndefined();
    expect(svc.spec.port).toEqual([{ name: 'http', port: 80, target_port: '3780' }]);
    expect(lit(json, 'kubernetes_endpoints', 't3').subset).toEqual([
      { address: [{ ip: '10.0.10.10' }], port: [{ name: 'http', port: 3780 }] },
    ]);
  });

  it('main ingress: Authentik required for "T3 Users", proxied host t3.<root domain>, backend the dispatcher', () => {
    const ing = resource(json, 'kubernetes_ingress_v1', 't3_ingress');
    expect(ing.metadata.annotations['authentik.viktorbarzin.me/allowed-groups']).toBe('T3 Users');
    expect(ing.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'traefik-authentik-forward-auth@kubernetescrd',
    );
    expect(ing.metadata.annotations['cloudflare.viktorbarzin.me/dns-type']).toBe('proxied');
    expect(ing.spec.rule[0].host).toBe('t3.viktorbarzin.me');
    expect(ing.spec.rule[0].http.path[0].backend.service.name).toBe(
      '${kubernetes_service.t3.metadata[0].name}',
    );
  });

  it('native routes never reach the dispatcher and skip Authentik', () => {
    const route = resource(json, 'kubernetes_manifest', 't3_native_ingressroute').manifest.spec;
    expect(route.routes).toHaveLength(3);
    for (const rt of route.routes) {
      expect(rt.services).toEqual([{ name: '${kubernetes_service.t3_native.metadata[0].name}', port: 80 }]);
      expect(JSON.stringify(rt.middlewares)).not.toMatch(/authentik|ai-bot|anti-ai/);
    }
    expect(lit(json, 'kubernetes_endpoints', 't3_native').subset[0].port).toEqual([
      { name: 'http', port: 3773 },
    ]);
  });

  it('probe wiring: the command runs the ConfigMap key at the mount path; checksum is of that content', () => {
    const cm = lit(json, 'kubernetes_config_map_v1', 't3_probe');
    const dep = lit(json, 'kubernetes_deployment_v1', 't3_probe');
    const pod = dep.spec.template.spec;
    const [key] = Object.keys(cm.data);
    const mount = pod.container[0].volume_mount[0];
    expect(pod.volume).toEqual([{ name: mount.name, config_map: { name: cm.metadata.name } }]);
    expect(pod.container[0].command).toEqual(['python', `${mount.mount_path}/${key}`]);
    expect(terraformUnescape(cm.data[key])).toBe(readScript('t3-probe.py'));
    expect(dep.spec.template.metadata.annotations['checksum/probe']).toBe(sha256(cm.data[key]));
    expect(pod.container[0].env).toBeUndefined();
  });
});

describe('T3Workstation probe configuration', () => {
  it("PROBE_SCRIPT_DEFAULTS are payloads/t3-probe.py's own defaults", () => {
    const script = readScript('t3-probe.py');
    for (const [name, value] of Object.entries(PROBE_SCRIPT_DEFAULTS)) {
      expect(script).toContain(`env("${name}", "${value}")`);
    }
  });

  it('sets only the env that differs from those defaults (host, internal LB, DevVM, t3-serve port)', () => {
    const json = t3Json(
      { name: 'code', devvmIp: '10.9.9.9', nativeClient: { port: 3800 } },
      { rootDomain: 'example.org', internalLbIp: '10.1.2.3' },
    );
    const c = resource(json, 'kubernetes_deployment_v1', 't3_probe').spec.template.spec.container[0];
    expect(c.env).toEqual([
      { name: 'PROBE_WS_URL', value: 'wss://code.example.org/probe/ws' },
      { name: 'PROBE_PIN_IP', value: '10.1.2.3' },
      { name: 'PROBE_SESSION_URL', value: 'http://10.9.9.9:3800/api/auth/session' },
    ]);
    const only = t3Json({ probe: { t3ServePort: 3774 } });
    expect(
      resource(only, 'kubernetes_deployment_v1', 't3_probe').spec.template.spec.container[0].env,
    ).toEqual([{ name: 'PROBE_SESSION_URL', value: 'http://10.0.10.10:3774/api/auth/session' }]);
  });

  it('custom name, image and resources', () => {
    const json = t3Json({
      probe: {
        name: 'edge-probe',
        image: 'python:3.13-alpine',
        resources: { cpuRequest: '5m', memoryRequest: '32Mi', memoryLimit: '64Mi' },
      },
    });
    const dep = lit(json, 'kubernetes_deployment_v1', 't3_probe');
    expect(dep.metadata.name).toBe('edge-probe');
    expect(dep.spec.template.spec.container[0].image).toBe('python:3.13-alpine');
    expect(dep.spec.template.spec.container[0].resources).toEqual({
      requests: { cpu: '5m', memory: '32Mi' },
      limits: { memory: '64Mi' },
    });
    expect(lit(json, 'kubernetes_ingress_v1', 't3_probe_ingress').metadata.name).toBe('edge-probe');
  });
});

describe('T3Workstation naming and opt-outs', () => {
  it('name/host/devvm/dispatcher/groups/homepage props reach the resources', () => {
    const json = t3Json({
      name: 'code',
      host: 'code.dev.example.org',
      devvmIp: '192.168.5.5',
      dispatcherPort: 4000,
      allowedGroups: ['Coders', 'Admins'],
      homepage: { name: 'Code', icon: 'mdi-code' },
      dispatcherAddressName: 'edge',
    });
    const svc = lit(json, 'kubernetes_service', 'edge');
    expect(svc.metadata).toEqual({ name: 'code', namespace: 'dev', labels: { app: 'code' } });
    expect(svc.spec.port[0].target_port).toBe('4000');
    expect(lit(json, 'kubernetes_endpoints', 'edge').subset[0].address).toEqual([{ ip: '192.168.5.5' }]);
    const ann = resource(json, 'kubernetes_ingress_v1', 't3_ingress').metadata.annotations;
    expect(ann['authentik.viktorbarzin.me/allowed-groups']).toBe('Coders,Admins');
    expect(ann['gethomepage.dev/name']).toBe('Code');
    expect(ann['gethomepage.dev/icon']).toBe('mdi-code');
    expect(ann['gethomepage.dev/description']).toBe('Coding-agent GUI (per-user, t3 serve on DevVM)');
    expect(ann['gethomepage.dev/href']).toBe('https://code.dev.example.org');
    expect(lit(json, 'kubernetes_service', 't3_native').metadata.name).toBe('code-native');
    const routes = resource(json, 'kubernetes_manifest', 't3_native_ingressroute').manifest.spec.routes;
    expect(routes.map((x: Json) => x.match)).toEqual(nativeRouteMatches('code.dev.example.org'));
    expect(routes[0].match).toBe(
      'Host(`code.dev.example.org`) && HeaderRegexp(`Authorization`, `(?i)^Bearer `)',
    );
    expect(addresses(json).has('kubernetes_service.t3')).toBe(false);
  });

  it('nativeClient false and probe false drop those resources', () => {
    const json = t3Json({ nativeClient: false, probe: false });
    expect([...addresses(json)].sort()).toEqual([
      'kubernetes_endpoints.t3',
      'kubernetes_ingress_v1.t3_ingress',
      'kubernetes_namespace.dev',
      'kubernetes_service.t3',
    ]);
  });

  it('legacy module addresses become moved blocks for both ingresses', () => {
    const json = t3Json({ legacyAddress: { ingress: 'module.web', probeIngress: 'module.web_probe' } });
    expect(Object.fromEntries(moves(json))).toEqual({
      'module.web.kubernetes_ingress_v1.proxied-ingress': 'kubernetes_ingress_v1.t3_ingress',
      'module.web_probe.kubernetes_ingress_v1.proxied-ingress': 'kubernetes_ingress_v1.t3_probe_ingress',
    });
  });
});

const MEMBERS = [
  { email: 'wizard@example.org' },
  { email: 'emo@example.org' },
  { email: 'Anca.M@example.org', namespaces: ['plotting-book', 'books'] },
  { email: 'ops@example.org', os_user: 'svc_ops' },
];

describe('T3Workstation per-user RBAC (opt-in)', () => {
  const json = t3Json({ rbac: { members: MEMBERS, adminEmails: ['WIZARD@example.org'] } });
  const crbs = resourcesOf(json, 'kubernetes_cluster_role_binding_v1');
  const rbs = resourcesOf(json, 'kubernetes_role_binding_v1');
  const subject = (email: string) => [{ kind: 'User', name: email, api_group: 'rbac.authorization.k8s.io' }];

  it('power-users: a ClusterRoleBinding to oidc-power-user-readonly for their email', () => {
    expect(Object.keys(crbs).sort()).toEqual(['t3_power_user_emo', 't3_power_user_svc_ops']);
    expect(crbs.t3_power_user_emo).toEqual({
      metadata: { name: 't3-power-user-emo' },
      role_ref: {
        api_group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'oidc-power-user-readonly',
      },
      subject: subject('emo@example.org'),
    });
    // "svc_ops" is not a DNS label: DNS-safe form plus a hash of the os_user.
    expect(crbs.t3_power_user_svc_ops.metadata.name).toBe(
      `t3-power-user-svc-ops-${sha256('svc_ops').slice(0, 8)}`,
    );
    expect(crbs.t3_power_user_svc_ops.subject).toEqual(subject('ops@example.org'));
  });

  it('namespace-owners: a RoleBinding to the admin ClusterRole in each of their namespaces', () => {
    expect(Object.keys(rbs).sort()).toEqual([
      't3_namespace_owner_anca_m_books',
      't3_namespace_owner_anca_m_plotting-book',
    ]);
    expect(rbs['t3_namespace_owner_anca_m_plotting-book']).toEqual({
      metadata: {
        name: `t3-namespace-owner-anca-m-${sha256('anca_m').slice(0, 8)}`,
        namespace: 'plotting-book',
      },
      role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subject: subject('Anca.M@example.org'),
    });
    expect(rbs.t3_namespace_owner_anca_m_books.metadata.namespace).toBe('books');
  });

  it('admins get no binding (even with namespaces); nothing else is added', () => {
    const j = t3Json({
      rbac: {
        members: [{ email: 'root@example.org', namespaces: ['x'] }],
        adminEmails: ['root@example.org'],
      },
    });
    expect(resourcesOf(j, 'kubernetes_cluster_role_binding_v1')).toEqual({});
    expect(resourcesOf(j, 'kubernetes_role_binding_v1')).toEqual({});
  });

  it('custom cluster roles', () => {
    const j = t3Json({
      rbac: {
        members: MEMBERS,
        adminEmails: [],
        powerUserClusterRole: 'view',
        namespaceOwnerClusterRole: 'edit',
      },
    });
    expect(resource(j, 'kubernetes_cluster_role_binding_v1', 't3_power_user_emo').role_ref.name).toBe('view');
    expect(resource(j, 'kubernetes_role_binding_v1', 't3_namespace_owner_anca_m_books').role_ref.name).toBe(
      'edit',
    );
    // Without admins, wizard is a power-user too.
    expect(resource(j, 'kubernetes_cluster_role_binding_v1', 't3_power_user_wizard').metadata.name).toBe(
      't3-power-user-wizard',
    );
  });

  it('rbacNameSuffix keeps DNS labels and disambiguates everything else', () => {
    expect(rbacNameSuffix('emo')).toBe('emo');
    expect(rbacNameSuffix('a-b')).toBe('a-b');
    expect(rbacNameSuffix('a_b')).not.toBe(rbacNameSuffix('a-b'));
    expect(rbacNameSuffix('a_b')).not.toBe(rbacNameSuffix('a__b'));
    expect(rbacNameSuffix('_x-')).toMatch(/^x-[0-9a-f]{8}$/);
    expect(rbacNameSuffix('__')).toMatch(/^[0-9a-f]{8}$/);
  });

  it('a roster rule violation is a ConfigError carrying the roster message', () => {
    const err = t3Error({
      rbac: { members: [{ email: 'a@x.org' }, { email: 'A@x.org' }], adminEmails: [] },
    });
    expect(err.constructPath).toBe('t3-test/t3');
    expect(err.prop).toBe('rbac.members');
    expect(err.message).toContain('duplicate member email: "a@x.org" and "A@x.org"');
    const bad = t3Error({
      rbac: { members: [{ email: 'x@y.org', namespaces: ['Bad_NS'] }], adminEmails: [] },
    });
    expect(bad.message).toContain('invalid namespace "Bad_NS"');
    const admin = t3Error({ rbac: { members: [], adminEmails: ['not-an-email'] } });
    expect(admin.message).toContain('invalid email "not-an-email"');
  });

  it('guards the cluster role names', () => {
    const err = t3Error({ rbac: { members: [], adminEmails: [], powerUserClusterRole: 'Bad Role' } });
    expect(err.prop).toBe('rbac.powerUserClusterRole');
    expect(err.message).toContain('= "Bad Role"; allowed: a Kubernetes object name');
    expect(t3Error({ rbac: { members: [], adminEmails: [], namespaceOwnerClusterRole: '' } }).prop).toBe(
      'rbac.namespaceOwnerClusterRole',
    );
  });
});

describe('T3Workstation provisioner Vault policy + AppRole (opt-in)', () => {
  const json = t3Json({ provisionerVault: {} });

  it('the policy grants read on secret/data/workstation and secret/data/authentik, nothing else', () => {
    const policy = resource(json, 'vault_policy', 't3_provisioner');
    expect(policy.name).toBe('t3-provisioner');
    expect(policy.policy).toBe(
      'path "secret/data/workstation" {\n  capabilities = ["read"]\n}\n' +
        '\n' +
        'path "secret/data/authentik" {\n  capabilities = ["read"]\n}\n',
    );
    // Structurally: exactly two path stanzas, each with only "read".
    const stanzas = [...policy.policy.matchAll(/path "([^"]+)" \{\n  capabilities = (\[[^\]]*\])\n\}/g)];
    expect(stanzas.map((m) => [m[1], JSON.parse(m[2])])).toEqual([
      ['secret/data/workstation', ['read']],
      ['secret/data/authentik', ['read']],
    ]);
    expect(policy.policy.match(/path /g)).toHaveLength(2);
    expect(policy.policy).not.toMatch(/\*|\+|list|create|update|delete|sudo|metadata/);
  });

  it('the AppRole role uses only that policy, short tokens, bound to the DevVM', () => {
    expect(resource(json, 'vault_approle_auth_backend_role', 't3_provisioner')).toEqual({
      backend: 'approle',
      role_name: 't3-provisioner',
      token_policies: ['${vault_policy.t3_provisioner.name}'],
      token_ttl: 900,
      token_max_ttl: 3600,
      secret_id_bound_cidrs: ['10.0.10.10/32'],
      token_bound_cidrs: ['10.0.10.10/32'],
    });
  });

  it('adds the vault provider and requirement, and no data source (no secret is read at plan)', () => {
    expect(json.provider?.vault).toBeDefined();
    expect(json.terraform.required_providers?.vault).toEqual({
      source: 'hashicorp/vault',
      version: '~> 4.0',
    });
    expect(json.data).toBeUndefined();
  });

  it('custom name, backend, mount, secrets, CIDRs and TTLs', () => {
    const j = t3Json({
      provisionerVault: {
        name: 'devvm-setup',
        backend: 'approle-devvm',
        kvMount: 'kv',
        secrets: ['workstation/claude-users'],
        boundCidrs: ['10.0.10.0/24'],
        tokenTtl: 300,
        tokenMaxTtl: 600,
      },
    });
    expect(resource(j, 'vault_policy', 't3_provisioner')).toEqual({
      name: 'devvm-setup',
      policy: 'path "kv/data/workstation/claude-users" {\n  capabilities = ["read"]\n}\n',
    });
    const role = resource(j, 'vault_approle_auth_backend_role', 't3_provisioner');
    expect(role.backend).toBe('approle-devvm');
    expect(role.role_name).toBe('devvm-setup');
    expect(role.secret_id_bound_cidrs).toEqual(['10.0.10.0/24']);
    expect([role.token_ttl, role.token_max_ttl]).toEqual([300, 600]);
    expect(provisionerPolicy('secret', [])).toBe('');
  });
});

describe('T3Workstation guards', () => {
  const cases: Array<[string, Props, string, string]> = [
    ['name', { name: 'T3' }, '"T3"', 'a DNS-1123 label'],
    ['host', { host: 't3`x.org' }, '"t3`x.org"', 'a lowercase DNS name with at least two labels'],
    ['host', { host: 'localhost' }, '"localhost"', 'a lowercase DNS name'],
    ['devvmIp', { devvmIp: '10.0.10' }, '"10.0.10"', 'an IPv4 address'],
    ['dispatcherPort', { dispatcherPort: 0 }, '0', 'an integer from 1 to 65535'],
    ['allowedGroups', { allowedGroups: [] }, '[]', 'at least one Authentik group name'],
    ['allowedGroups[1]', { allowedGroups: ['A', ' '] }, '" "', 'a non-empty string'],
    ['allowedGroups[0]', { allowedGroups: ['A,B'] }, '"A,B"', 'a group name without ","'],
    ['homepage.icon', { homepage: { icon: '' } }, '""', 'a non-empty string'],
    [
      'legacyAddress.ingress',
      { legacyAddress: { ingress: 'ingress' } },
      '"ingress"',
      'a Terraform module address',
    ],
    [
      'legacyAddress.probeIngress',
      { legacyAddress: { probeIngress: 'module.' } },
      '"module."',
      'a Terraform module address',
    ],
    ['nativeClient.port', { nativeClient: { port: 70000 } }, '70000', 'an integer from 1 to 65535'],
    ['nativeClient.name', { nativeClient: { name: 'Native' } }, '"Native"', 'a DNS-1123 label'],
    ['probe.name', { probe: { name: 'probe_x' } }, '"probe_x"', 'a DNS-1123 label'],
    ['probe.image', { probe: { image: 'python' } }, '"python"', 'an image pinned by tag or digest'],
    [
      'probe.resources.cpuRequest',
      { probe: { resources: { cpuRequest: 'lots' } } },
      '"lots"',
      'a positive Kubernetes quantity',
    ],
    [
      'probe.resources.memory',
      { probe: { resources: { memoryRequest: '1Gi', memoryLimit: '64Mi' } } },
      '{"request":"1Gi","limit":"64Mi"}',
      'a request no larger than the limit',
    ],
    ['probe.t3ServePort', { probe: { t3ServePort: 1.5 } }, '1.5', 'an integer from 1 to 65535'],
    ['provisionerVault.name', { provisionerVault: { name: 'Bad Name' } }, '"Bad Name"', 'lowercase letters'],
    [
      'provisionerVault.backend',
      { provisionerVault: { backend: '/approle' } },
      '"/approle"',
      'letters, digits',
    ],
    ['provisionerVault.kvMount', { provisionerVault: { kvMount: 'a b' } }, '"a b"', 'letters, digits'],
    ['provisionerVault.secrets', { provisionerVault: { secrets: [] } }, '[]', 'at least one KV path'],
    [
      'provisionerVault.secrets[0]',
      { provisionerVault: { secrets: ['workstation/*'] } },
      '"workstation/*"',
      'letters, digits',
    ],
    ['provisionerVault.boundCidrs', { provisionerVault: { boundCidrs: [] } }, '[]', 'at least one IPv4 CIDR'],
    [
      'provisionerVault.boundCidrs[0]',
      { provisionerVault: { boundCidrs: ['10.0.10.10'] } },
      '"10.0.10.10"',
      'an IPv4 CIDR',
    ],
    [
      'provisionerVault.tokenTtl',
      { provisionerVault: { tokenTtl: 10 } },
      '10',
      'an integer from 60 to 86400',
    ],
    [
      'provisionerVault.tokenMaxTtl',
      { provisionerVault: { tokenTtl: 900, tokenMaxTtl: 600 } },
      '600',
      'at least tokenTtl (900)',
    ],
  ];

  it.each(cases)('%s', (prop, props, value, allowed) => {
    const err = t3Error(props);
    expect(err.constructPath).toBe('t3-test/t3');
    expect(err.prop).toBe(prop);
    expect(err.message).toContain(`: invalid ${prop} = ${value}; allowed: ${allowed}`);
  });

  it('namespace must be a TieredNamespace', () => {
    const s = testStack('t3-test');
    const err = expectConfigError(
      () => new T3Workstation(s, 't3', { namespace: undefined as unknown as TieredNamespace }),
    );
    expect(err.prop).toBe('namespace');
    expect(err.message).toContain('allowed: a TieredNamespace');
  });

  it('two os_users whose RBAC names would clash are refused', () => {
    const real = rbacNameSuffix('a_b');
    const err = t3Error({
      rbac: {
        members: [
          { email: 'p@x.org', os_user: 'a_b' },
          { email: 'q@x.org', os_user: real },
        ],
        adminEmails: [],
      },
    });
    expect(err.prop).toBe('rbac.members');
    expect(err.message).toContain(`["${real}","a_b"]`);
    expect(err.message).toContain('os_users whose RBAC object names differ');
  });

  it('a duplicate dispatcher address name is caught at synth', () => {
    expect(() => t3Json({ dispatcherAddressName: 't3_native' })).toThrow(/t3_native/);
  });
});
