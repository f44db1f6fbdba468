import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  CompanyVm,
  oauthRedirectUri,
  type CompanyVmProps,
} from '../../../constructs/patterns/company-vm';
import { DnsType } from '../../../constructs/blocks/ingress-factory';
import { cloudInitTemplate } from '../../../lib/domain/company-cloud-init';
import { formatValue } from '../../../lib/validation/errors';
import { setSite } from '../../../lib/conventions/site';
import { defineStack, InfraStack } from '../../../lib/synth/stack';
import { terraformUnescape } from '../../../lib/terraform/tf-literal';
import {
  addresses,
  expectConfigError,
  resource,
  resourcesOf,
  synth,
  testApp,
  testStack,
  type Json,
  type TfJson,
} from '../../support/synth';

const ARTIFACTS = 'https://artifacts.example/rave/';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpsKey ops@laptop';
const base: CompanyVmProps = { blockIndex: 0, artifactsUrl: ARTIFACTS, sshAuthorizedKeys: [KEY] };

function build(id: string, props: CompanyVmProps): { json: TfJson; vm: CompanyVm } {
  const stack = testStack(`company-${id}`);
  const vm = new CompanyVm(stack, id, props);
  return { json: synth(stack), vm };
}

const vmBody = (json: TfJson, name: string): Json =>
  JSON.parse(resource(json, 'kubectl_manifest', name).yaml_body);
const userdata = (json: TfJson, name: string): string =>
  terraformUnescape(
    resource(json, 'kubernetes_manifest', `${name}_cloud-init`).manifest.spec.target.template.data.userdata,
  );

const single = build('acme-corp', base);
const split = build('globex', {
  artifactsUrl: ARTIFACTS,
  planes: { data: { blockIndex: 1 }, apps: { blockIndex: 2 } },
});

describe('VirtualMachine manifest', () => {
  const cases = [
    [
      'production',
      build('prod', { ...base, profile: 'production' }).json,
      'prod_vm',
      'prod',
      '12Gi',
      '40Gi',
      6,
      '2',
    ],
    ['development', single.json, 'acme-corp_vm', 'acme-corp', '8Gi', '30Gi', 4, '1'],
    ['demo', build('demo', { ...base, profile: 'demo' }).json, 'demo_vm', 'demo', '6Gi', '24Gi', 2, '500m'],
    ['dataPlane', split.json, 'globex_data', 'globex-data', '4Gi', '40Gi', 2, '500m'],
    ['appsPlane', split.json, 'globex_apps', 'globex-apps', '8Gi', '30Gi', 4, '1'],
  ] as const;

  it.each(cases)(
    '%s: sizes, image, disks, network and cloud-init',
    (profile, json, address, vmName, memory, disk, cores, cpu) => {
      const vm = vmBody(json, address);
      const ns = vmName.startsWith('globex') ? 'company-globex' : `company-${vmName}`;
      expect(vm.apiVersion).toBe('kubevirt.io/v1');
      expect(vm.kind).toBe('VirtualMachine');
      expect(vm.metadata).toMatchObject({ name: vmName, namespace: ns });
      expect(vm.metadata.labels['company-vm/profile']).toBe(profile);
      expect(vm.spec.runStrategy).toBe('Always');
      expect(vm.spec.dataVolumeTemplates).toEqual([
        {
          metadata: { name: `${vmName}-root` },
          spec: {
            source: { http: { url: `https://artifacts.example/rave/rave-${profile}.qcow2` } },
            storage: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: disk } },
              storageClassName: 'proxmox-lvm-encrypted',
            },
          },
        },
      ]);
      const spec = vm.spec.template.spec;
      expect(vm.spec.template.metadata.labels['kubevirt.io/domain']).toBe(vmName);
      expect(spec.domain.cpu).toEqual({ cores, sockets: 1, threads: 1 });
      expect(spec.domain.memory).toEqual({ guest: memory });
      expect(spec.domain.resources).toEqual({ requests: { cpu, memory } });
      expect(spec.domain.devices.disks).toEqual([
        { name: 'root', bootOrder: 1, disk: { bus: 'virtio' } },
        { name: 'cloudinit', disk: { bus: 'virtio' } },
      ]);
      expect(spec.domain.devices.interfaces).toEqual([{ name: 'default', masquerade: {} }]);
      expect(spec.networks).toEqual([{ name: 'default', pod: {} }]);
      expect(spec.volumes).toEqual([
        { name: 'root', dataVolume: { name: `${vmName}-root` } },
        { name: 'cloudinit', cloudInitNoCloud: { secretRef: { name: `${vmName}-cloud-init` } } },
      ]);
      // The Secret the VM mounts is the one the ExternalSecret produces.
      const es = resource(json, 'kubernetes_manifest', `${address}_cloud-init`).manifest;
      expect(es.spec.target.name).toBe(`${vmName}-cloud-init`);
      expect(resource(json, 'kubectl_manifest', address).depends_on).toEqual(
        expect.arrayContaining([`kubernetes_manifest.${address}_cloud-init`]),
      );
    },
  );

  it('is canonical JSON (sorted keys, a YAML document) and honours running=false and imageUrl', () => {
    const body = resource(single.json, 'kubectl_manifest', 'acme-corp_vm').yaml_body;
    expect(canonicalJson(JSON.parse(body))).toBe(body);
    const { json } = build('x', { ...base, running: false, imageUrl: 'http://mirror.lan/x.qcow2' });
    const vm = vmBody(json, 'x_vm');
    expect(vm.spec.runStrategy).toBe('Halted');
    expect(vm.spec.dataVolumeTemplates[0].spec.source.http.url).toBe('http://mirror.lan/x.qcow2');
  });
});

describe('cloud-init ExternalSecret', () => {
  it('extracts secret/companies/<name> and templates userdata (engine v2) without any value', () => {
    const es = resource(single.json, 'kubernetes_manifest', 'acme-corp_vm_cloud-init');
    expect(es.field_manager).toEqual({ force_conflicts: true });
    expect(es.manifest.metadata.name).toBe('acme-corp-cloud-init');
    expect(es.manifest.spec.dataFrom).toEqual([{ extract: { key: 'companies/acme-corp' } }]);
    expect(es.manifest.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'vault-kv' });
    expect(es.manifest.spec.target.creationPolicy).toBe('Owner');
    const tpl = es.manifest.spec.target.template;
    expect(tpl.engineVersion).toBe('v2');
    expect(Object.keys(tpl.data)).toEqual(['userdata']);
    const text = userdata(single.json, 'acme-corp_vm');
    for (const key of ['ssh_authorized_keys', 'sops_age_key', 'gitops_tokens', 'vault_secret_id']) {
      expect(text).toContain(`.${key}`);
    }
    expect(text).toContain(`      - "${KEY}"`);
    expect(text).toContain('    content: "company-acme-corp"');
  });

  it('is exactly the cloud-init template once Terraform unescapes it (scripts keep their ${...})', () => {
    const raw = resource(single.json, 'kubernetes_manifest', 'acme-corp_vm_cloud-init').manifest.spec.target
      .template.data.userdata;
    expect(raw).toContain('"$${TOKENS_FILE:-/etc/gitops/tokens.json}"');
    expect(raw).not.toMatch(/(^|[^$])\$\{/);
    const expected = cloudInitTemplate({
      hostname: 'acme-corp',
      company: 'acme-corp',
      vaultPath: 'companies/acme-corp',
      sshUser: 'root',
      sshAuthorizedKeys: [KEY],
      vaultRoleId: 'company-acme-corp',
      environment: [
        ['RAVE_COMPANY', 'acme-corp'],
        ['RAVE_PROFILE', 'development'],
        ['RAVE_HOST', 'acme-corp.viktorbarzin.me'],
        ['RAVE_HTTP_PORT', '8100'],
        ['RAVE_HTTPS_PORT', '8101'],
        ['RAVE_SSH_PORT', '8102'],
        ['RAVE_TEST_PORT', '8103'],
        ['VAULT_ADDR', 'https://vault.viktorbarzin.me'],
        ['VAULT_SECRET_PATH', 'secret/data/companies/acme-corp'],
        ['VAULT_APPROLE_MOUNT', 'approle'],
      ],
    });
    expect(terraformUnescape(raw)).toBe(expected);
  });

  it('split mode: the apps VM gets the data plane Service DNS name and ports, the data VM does not', () => {
    const apps = userdata(split.json, 'globex_apps');
    expect(apps).toContain(
      '      RAVE_DATA_HOST=globex-data.company-globex.svc.cluster.local\n      RAVE_DATA_PG_PORT=8114\n      RAVE_DATA_REDIS_PORT=8115\n',
    );
    expect(apps).toContain('      RAVE_PLANE=apps\n');
    const data = userdata(split.json, 'globex_data');
    expect(data).not.toContain('RAVE_DATA_HOST');
    expect(data).toContain('      RAVE_POSTGRES_PORT=8114\n      RAVE_REDIS_PORT=8115\n');
    // Without stack keys the template refuses an empty Vault key list.
    expect(apps).toContain('{{ fail ');
  });

  it('synthesizes no secret material', () => {
    for (const json of [single.json, split.json]) {
      const text = JSON.stringify(json);
      expect(text).not.toMatch(/-----BEGIN|AGE-SECRET-KEY|ghp_|glpat-|hvs\./);
    }
  });
});

describe('Vault', () => {
  it('a read-only policy on the company path only, and an AppRole bound to it', () => {
    const policy = resource(single.json, 'vault_policy', 'acme-corp');
    expect(policy.name).toBe('company-acme-corp');
    const paths = [...policy.policy.matchAll(/path "([^"]+)" \{\n {2}capabilities = \[([^\]]*)\]/g)].map(
      (m: RegExpMatchArray) => [m[1], m[2]],
    );
    expect(paths).toEqual([
      ['secret/data/companies/acme-corp', '"read"'],
      ['secret/data/companies/acme-corp/*', '"read"'],
      ['secret/metadata/companies/acme-corp', '"read", "list"'],
      ['secret/metadata/companies/acme-corp/*', '"read", "list"'],
    ]);
    expect(policy.policy).not.toMatch(/create|update|delete|sudo/);
    const role = resource(single.json, 'vault_approle_auth_backend_role', 'acme-corp');
    expect(role).toMatchObject({
      backend: 'approle',
      role_name: 'company-acme-corp',
      role_id: 'company-acme-corp',
      bind_secret_id: true,
      token_policies: ['${vault_policy.acme-corp.name}'],
    });
    expect(single.json.terraform.required_providers?.vault).toBeDefined();
  });

  it('follows vaultPath and approleMountPath', () => {
    const { json } = build('x', { ...base, vaultPath: 'tenants/x', approleMountPath: 'approle-companies' });
    expect(resource(json, 'vault_policy', 'x').policy).toContain('path "secret/data/tenants/x/*"');
    expect(resource(json, 'vault_approle_auth_backend_role', 'x').backend).toBe('approle-companies');
    expect(resource(json, 'kubernetes_manifest', 'x_vm_cloud-init').manifest.spec.dataFrom).toEqual([
      { extract: { key: 'tenants/x' } },
    ]);
  });
});

describe('LoadBalancer Service', () => {
  it('publishes the block on the shared IP, targeting the VM ports', () => {
    const svc = resource(single.json, 'kubernetes_service_v1', 'acme-corp_vm');
    expect(svc.metadata.name).toBe('acme-corp');
    expect(svc.metadata.annotations).toEqual({
      'metallb.io/loadBalancerIPs': '10.0.20.200',
      'metallb.io/allow-shared-ip': 'shared',
    });
    expect(svc.lifecycle).toEqual({
      ignore_changes: ['metadata[0].annotations["metallb.io/ip-allocated-from-pool"]'],
    });
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.external_traffic_policy).toBe('Cluster');
    expect(svc.spec.selector).toEqual({ 'kubevirt.io/domain': 'acme-corp' });
    expect(svc.spec.port).toEqual([
      { name: 'http', port: 8100, target_port: '80', protocol: 'TCP' },
      { name: 'https', port: 8101, target_port: '443', protocol: 'TCP' },
      { name: 'ssh', port: 8102, target_port: '22', protocol: 'TCP' },
      { name: 'test', port: 8103, target_port: '8080', protocol: 'TCP' },
    ]);
  });

  it('data plane: ssh, postgres (base+4) and redis (base+5); apps plane: its own block', () => {
    const ports = (name: string) =>
      resource(split.json, 'kubernetes_service_v1', name).spec.port.map((p: Json) => [
        p.name,
        p.port,
        p.target_port,
      ]);
    expect(ports('globex_data')).toEqual([
      ['ssh', 8112, '22'],
      ['postgres', 8114, '5432'],
      ['redis', 8115, '6379'],
    ]);
    expect(ports('globex_apps')).toEqual([
      ['http', 8120, '80'],
      ['https', 8121, '443'],
      ['ssh', 8122, '22'],
      ['test', 8123, '8080'],
    ]);
  });

  it('honours port overrides', () => {
    const { json } = build('x', { ...base, blockIndex: 9, ports: { ssh: 2222 } });
    const ssh = resource(json, 'kubernetes_service_v1', 'x_vm').spec.port.find((p: Json) => p.name === 'ssh');
    expect(ssh.port).toBe(2222);
  });
});

describe('namespace, quota, LimitRange, NetworkPolicy', () => {
  it('aux namespace company-<name> with custom quota and own LimitRange', () => {
    const ns = resource(single.json, 'kubernetes_namespace', 'acme-corp_namespace');
    expect(ns.metadata.name).toBe('company-acme-corp');
    expect(ns.metadata.labels).toEqual({
      'company-vm/company': 'acme-corp',
      'istio-injection': 'disabled',
      'resource-governance/custom-limitrange': 'true',
      'resource-governance/custom-quota': 'true',
      tier: '4-aux',
    });
    expect(resource(single.json, 'kubernetes_resource_quota', 'acme-corp_namespace').spec.hard).toEqual({
      'requests.cpu': '1500m',
      'requests.memory': '9Gi',
      'requests.storage': '60Gi',
      persistentvolumeclaims: '2',
      pods: '3',
      'services.loadbalancers': '1',
    });
    // Split: the quota covers both planes.
    expect(resource(split.json, 'kubernetes_resource_quota', 'globex_namespace').spec.hard).toMatchObject({
      'requests.cpu': '2500m',
      'requests.memory': '14Gi',
      'requests.storage': '140Gi',
      'services.loadbalancers': '2',
    });
    const lr = resource(single.json, 'kubernetes_limit_range_v1', 'acme-corp');
    expect(lr.spec.limit).toEqual([{ type: 'Container', default_request: { cpu: '50m', memory: '64Mi' } }]);
    expect(lr.spec.limit[0].default).toBeUndefined();
    expect(lr.spec.limit[0].max).toBeUndefined();
  });

  it('admits the same namespace, Traefik on web ports and the LB path from outside the pod network', () => {
    const np = resource(split.json, 'kubernetes_network_policy_v1', 'globex');
    expect(np.metadata).toEqual({
      name: 'company-isolation',
      namespace: '${kubernetes_namespace.globex_namespace.metadata[0].name}',
    });
    expect(np.spec.pod_selector).toEqual({});
    expect(np.spec.policy_types).toEqual(['Ingress']);
    expect(np.spec.ingress).toEqual([
      { from: [{ pod_selector: {} }] },
      {
        from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'traefik' } } }],
        ports: [
          { port: '80', protocol: 'TCP' },
          { port: '443', protocol: 'TCP' },
        ],
      },
      {
        from: [{ ip_block: { cidr: '0.0.0.0/0', except: ['10.10.0.0/16'] } }],
        ports: ['22', '80', '443', '5432', '6379', '8080'].map((port) => ({ port, protocol: 'TCP' })),
      },
    ]);
    // No rule admits other namespaces in general.
    expect(JSON.stringify(np.spec.ingress)).not.toMatch(/"namespace_selector":\{\}/);
  });
});

describe('DNS, ingress and outputs', () => {
  it('internal A record <company>.<root> to the LB IP by default', () => {
    expect(resource(single.json, 'cloudflare_record', 'acme-corp')).toMatchObject({
      name: 'acme-corp',
      content: '10.0.20.200',
      type: 'A',
      proxied: false,
      ttl: 1,
      allow_overwrite: true,
      zone_id: 'fd2c5dd4efe8fe38958944e74d0ced6d',
    });
  });

  it('outputs URLs, the SSH command and the OAuth redirect URIs in RAVE form', () => {
    const out = single.json.output!;
    expect(out['acme-corp_vm_urls'].value).toEqual({
      http: 'http://acme-corp.viktorbarzin.me:8100/',
      https: 'https://acme-corp.viktorbarzin.me:8101/',
      gitlab: 'https://acme-corp.viktorbarzin.me:8101/gitlab/',
      test: 'http://acme-corp.viktorbarzin.me:8103/',
    });
    expect(out['acme-corp_vm_ssh_command'].value).toBe('ssh -p 8102 root@acme-corp.viktorbarzin.me');
    expect(out['acme-corp_vm_oauth_redirect_uris'].value).toEqual({
      google: 'https://acme-corp.viktorbarzin.me:8101/gitlab/users/auth/google/callback',
      github: 'https://acme-corp.viktorbarzin.me:8101/gitlab/users/auth/github/callback',
    });
    expect(oauthRedirectUri('h', 1, 'google')).toBe('https://h:1/gitlab/users/auth/google/callback');
    expect(Object.keys(split.json.output!).sort()).toEqual([
      'globex_apps_oauth_redirect_uris',
      'globex_apps_ssh_command',
      'globex_apps_urls',
      'globex_data_ssh_command',
      'globex_data_urls',
    ]);
    expect(split.json.output!.globex_data_urls.value).toEqual({
      postgres: 'postgresql://globex.viktorbarzin.me:8114',
      redis: 'redis://globex.viktorbarzin.me:8115',
    });
  });

  it('without DNS: no record, no Cloudflare provider, outputs use the LB IP', () => {
    const { json } = build('x', { ...base, dnsType: DnsType.NONE });
    expect(resourcesOf(json, 'cloudflare_record')).toEqual({});
    expect(json.provider?.cloudflare).toBeUndefined();
    expect(json.output!.x_vm_ssh_command.value).toBe('ssh -p 8102 root@10.0.20.200');
  });

  it('optional HTTPS ingress through IngressFactory with Authentik required', () => {
    const { json } = build('x', { ...base, ingress: true });
    const ing = resource(json, 'kubernetes_ingress_v1', 'x_ingress');
    expect(ing.spec.rule[0].host).toBe('x-web.viktorbarzin.me');
    expect(ing.spec.rule[0].http.path[0].backend.service).toEqual({ name: 'x', port: { number: 8100 } });
    expect(ing.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'traefik-authentik-forward-auth@kubernetescrd',
    );
    expect(addresses(single.json).has('kubernetes_ingress_v1.acme-corp_ingress')).toBe(false);
    const custom = build('y', { ...base, ingress: { host: 'dev-y' } }).json;
    expect(resource(custom, 'kubernetes_ingress_v1', 'y_ingress').spec.rule[0].host).toBe(
      'dev-y.viktorbarzin.me',
    );
  });
});

describe('guards', () => {
  const expectGuard = (
    props: Partial<CompanyVmProps>,
    prop: string,
    value: unknown,
    allowed: string,
    id = 'acme',
  ) => {
    const stack = testStack();
    const err = expectConfigError(() => new CompanyVm(stack, id, { ...base, ...props }));
    expect(err.constructPath).toBe(`test-stack/${id}`);
    expect(err.prop).toBe(prop);
    expect(
      err.message.startsWith(`test-stack/${id}: invalid ${prop} = ${formatValue(value)}; allowed: `),
    ).toBe(true);
    expect(err.message).toContain(allowed);
  };

  it('company name: DNS-1123 label of at most 40 characters (id or name)', () => {
    expectGuard({}, 'name', 'Acme_Corp', 'a DNS-1123 label', 'Acme_Corp');
    expectGuard({ name: 'a'.repeat(41) }, 'name', 'a'.repeat(41), 'at most 40 characters');
  });
  it('known profile', () => {
    expectGuard(
      { profile: 'huge' as 'demo' },
      'profile',
      'huge',
      'one of "production", "development", "demo"',
    );
  });
  it('sizes positive with units', () => {
    expectGuard({ memory: '8' }, 'memory', '8', 'a positive size with a unit');
    expectGuard({ disk: '0Gi' }, 'disk', '0Gi', 'a positive size with a unit');
  });
  it('image and artifacts URLs are http(s)', () => {
    expectGuard(
      { imageUrl: 's3://bucket/x.qcow2' },
      'imageUrl',
      's3://bucket/x.qcow2',
      'an http:// or https:// URL',
    );
    expectGuard({ artifactsUrl: 'ftp://x' }, 'artifactsUrl', 'ftp://x', 'an http:// or https:// URL');
  });
  it('SSH keys: a non-empty list of OpenSSH public keys', () => {
    expectGuard(
      { sshAuthorizedKeys: [] },
      'sshAuthorizedKeys',
      [],
      'a non-empty list of OpenSSH public keys',
    );
    expectGuard({ sshAuthorizedKeys: [''] }, 'sshAuthorizedKeys[0]', '', 'an OpenSSH public key line');
    expectGuard(
      { sshAuthorizedKeys: [KEY, 'AAAAC3Nza'] },
      'sshAuthorizedKeys[1]',
      'AAAAC3Nza',
      'an OpenSSH public key line',
    );
    // A private key pasted by mistake is refused and not echoed back.
    expectGuard(
      { sshAuthorizedKeys: ['-----BEGIN OPENSSH PRIVATE KEY-----'] },
      'sshAuthorizedKeys[0]',
      '<redacted>',
      'an OpenSSH public key line',
    );
  });
  it('ssh user, DNS type, Vault paths, storage class, LB IP', () => {
    expectGuard({ sshUser: 'Root' }, 'sshUser', 'Root', 'a Linux user name');
    expectGuard({ dnsType: DnsType.PROXIED }, 'dnsType', 'proxied', 'one of "internal", "none"');
    expectGuard(
      { vaultPath: '/companies/x' },
      'vaultPath',
      '/companies/x',
      'a Vault path below the secret/ mount',
    );
    expectGuard({ approleMountPath: 'app role' }, 'approleMountPath', 'app role', 'a Vault auth mount path');
    expectGuard({ storageClass: 'Fast_SSD' }, 'storageClass', 'Fast_SSD', 'a Kubernetes object name');
    expectGuard({ lbIp: '10.0.20' }, 'lbIp', '10.0.20', 'an IPv4 address');
  });
  it('ingress host: a DNS label other than the company host; known dnsType', () => {
    expectGuard({ ingress: { host: 'x.y' } }, 'ingress.host', 'x.y', 'a DNS-1123 label');
    expectGuard(
      { ingress: { dnsType: 'cname' as DnsType } },
      'ingress.dnsType',
      'cname',
      'one of "proxied", "non-proxied", "internal", "none"',
    );
    expectGuard(
      { ingress: { host: 'acme' } },
      'ingress.host',
      'acme',
      'a host other than the company\'s own "acme"',
    );
  });
  it('block index and ports', () => {
    expectGuard({ blockIndex: 6000 }, 'blockIndex', 6000, 'an integer from 0 to 5742');
    expectGuard({ ports: { http: 80 } }, 'ports.http', 80, 'an integer port from 1024 to 65535');
  });
});

describe('app-wide port check (node.addValidation)', () => {
  function app(...companies: Array<[string, string, CompanyVmProps]>): InfraStack[] {
    const a = testApp();
    setSite(a);
    return companies.map(([stackName, id, props]) => {
      const stack = new InfraStack(
        a,
        defineStack({ name: stackName, description: 't', build: () => undefined }),
      );
      new CompanyVm(stack, id, props);
      return stack;
    });
  }

  it('two companies in different stacks with one block index: both stacks fail synth', () => {
    const [s1, s2] = app(
      ['company-a', 'a', { ...base, blockIndex: 5 }],
      ['company-b', 'b', { ...base, blockIndex: 5 }],
    );
    expect(() => synth(s1)).not.toThrow();
    expect(() => synth(s2)).toThrow(
      "company-b/b: invalid blockIndex = 5; allowed: a block index no other VM uses (5 is a's)",
    );
  });

  it('an override onto another company port, and a tree port on the shared IP', () => {
    const [, s2] = app(
      ['company-a', 'a', base],
      ['company-b', 'b', { ...base, blockIndex: 1, ports: { test: 8101 } }],
    );
    expect(() => synth(s2)).toThrow(
      'company-b/b: invalid ports.test = 8101; allowed: a port free on 10.0.20.200: 8101/TCP is already a https (8101/TCP)',
    );
    const [s3] = app(['company-c', 'c', { ...base, ports: { ssh: 8388 } }]);
    expect(() => synth(s3)).toThrow('8388/TCP is already shadowsocks/shadowsocks (8388/TCP)');
  });

  it('duplicate company names in one app', () => {
    const [, s2] = app(['company-a', 'a', base], ['company-a2', 'a', { ...base, blockIndex: 1 }]);
    expect(() => synth(s2)).toThrow(
      'company-a2/a: invalid name = "a"; allowed: each company once per app (also declared by company-a/a)',
    );
  });
});
