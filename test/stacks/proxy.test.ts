// Parity of stacks/proxy with the tree's stacks/proxy (main.tf, egress.tf): every tree address is
// synthesized, the literal values and ignore_changes sets are the tree's, and the broker's programs, the
// visit collector and the gateway's WireGuard script are the tree's payloads, read at plan time.
import { describe, expect, it } from 'vitest';
import proxy, {
  BROKER_FILES,
  COLLECTOR_FILES,
  EGRESS_GW_IP,
  EGRESS_SELECTOR,
  EGRESS_SUBNET,
  GATEWAY_NODES,
  GLUETUN_IMAGE,
  NEKO_IMAGE,
  WGSERVER_IMAGE,
} from '../../stacks/proxy';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(proxy);
const TREE_ADDRESSES = [
  // main.tf
  'kubernetes_namespace.proxy',
  'kubernetes_manifest.es_secrets',
  'kubernetes_manifest.es_turn',
  'kubernetes_config_map_v1.chrome_policy',
  'kubernetes_config_map_v1.visit_collector',
  'kubernetes_service_account.broker',
  'kubernetes_role.broker',
  'kubernetes_role_binding.broker',
  'kubectl_manifest.strip_session',
  'kubernetes_config_map_v1.broker_scripts',
  'kubernetes_deployment.broker',
  'kubernetes_service.broker',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_resource_quota.proxy',
  'kubernetes_labels.gateway_nodes',
  // egress.tf
  'kubernetes_config_map_v1.proxy_gw_1_peers',
  'kubernetes_deployment.proxy_gw_uk',
  'kubernetes_service.proxy_gw_1',
  'kubernetes_service.proxy_egress_uk',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const sorted = (xs: string[]) => [...xs].sort();
const env = (c: Json) => Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? e.value_from]));

describe('stack proxy', () => {
  it('is in the registry, after platform, with pg state under schema "proxy"', () => {
    expect(STACKS).toContain(proxy);
    expect(proxy.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'proxy' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('labels the namespace aux with its own quota (no Keel or istio labels)', () => {
    expect(comparable(at('kubernetes_namespace.proxy'))).toEqual({
      metadata: { name: 'proxy', labels: { tier: '4-aux', 'resource-governance/custom-quota': 'true' } },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
    expect(comparable(at('kubernetes_resource_quota.proxy'))).toEqual({
      metadata: { name: 'proxy', namespace: 'proxy' },
      spec: {
        hard: {
          'requests.cpu': '10',
          'requests.memory': '28Gi',
          'limits.memory': '34Gi',
          'count/pods': '28',
        },
      },
    });
  });

  it('syncs the NordVPN token (extract) and the coturn secret from Vault, hourly', () => {
    const app = at('kubernetes_manifest.es_secrets').manifest;
    expect(app.metadata).toEqual({ name: 'proxy-secrets', namespace: 'proxy' });
    expect(app.spec.refreshInterval).toBe('1h');
    expect(app.spec.dataFrom).toEqual([{ extract: { key: 'proxy' } }]);
    const turn = at('kubernetes_manifest.es_turn').manifest;
    expect(turn.spec.target).toEqual({ name: 'proxy-turn' });
    expect(turn.spec.data).toEqual([
      { secretKey: 'turn_secret', remoteRef: { key: 'coturn', property: 'turn_secret' } },
    ]);
  });

  it('ships the browser policy literally and the collector and broker files as tree payloads', () => {
    expect(at('kubernetes_config_map_v1.chrome_policy').data).toEqual({
      'policy.json': '{"CommandLineFlagSecurityWarningsEnabled":false}',
    });
    const collector = at('kubernetes_config_map_v1.visit_collector').data;
    expect(Object.keys(collector).sort()).toEqual([...COLLECTOR_FILES].sort());
    for (const f of COLLECTOR_FILES)
      expect(collector[f]).toContain(`tree-payloads/proxy/files/collector/${f}`);
    const scripts = at('kubernetes_config_map_v1.broker_scripts');
    expect(Object.keys(scripts.data).sort()).toEqual([...BROKER_FILES].sort());
    expect(scripts.metadata.labels).toEqual({ app: 'proxy' });
  });

  it("grants the broker the tree's namespaced rights", () => {
    const role = comparable(at('kubernetes_role.broker'));
    expect(role.rule).toEqual([
      {
        api_groups: [''],
        resources: ['pods', 'services', 'secrets', 'configmaps', 'persistentvolumeclaims'],
        verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch', 'update'],
      },
      { api_groups: [''], resources: ['pods/log'], verbs: ['get'] },
      {
        api_groups: ['networking.k8s.io'],
        resources: ['ingresses'],
        verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch'],
      },
    ]);
    const binding = comparable(at('kubernetes_role_binding.broker'));
    expect(binding.subject).toEqual([{ kind: 'ServiceAccount', name: 'proxy-broker', namespace: 'proxy' }]);
  });

  it('strips /s/<token> with one kubectl-applied regex middleware', () => {
    expect(at('kubectl_manifest.strip_session').yaml_body).toBe(
      [
        '"apiVersion": "traefik.io/v1alpha1"',
        '"kind": "Middleware"',
        '"metadata":',
        '  "name": "strip-session"',
        '  "namespace": "proxy"',
        '"spec":',
        '  "stripPrefixRegex":',
        '    "regex":',
        '    - "^/s/[^/]+"',
        '',
      ].join('\n'),
    );
  });

  it("runs the broker with the tree's env, probes, checksum roll and ignore list", () => {
    const d = comparable(at('kubernetes_deployment.broker'));
    expect(d.metadata.labels).toEqual({ app: 'proxy-broker' });
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_surge: '1', max_unavailable: '0' },
    });
    const annotations = d.spec.template.metadata.annotations;
    expect(annotations['checksum/broker-scripts']).toMatch(/^\$\{sha256\(join\(",", \[filesha256\(/);
    for (const f of BROKER_FILES)
      expect(annotations['checksum/broker-scripts']).toContain(`files/broker/${f}`);
    const pod = d.spec.template.spec;
    expect(pod.service_account_name).toBe('proxy-broker');
    expect(pod.security_context).toEqual({
      run_as_user: '1000',
      run_as_group: '1000',
      fs_group: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    const c = pod.container[0];
    expect(c.command).toEqual(['python3', '-u', '/broker/broker.py']);
    const e = env(c);
    expect(Object.keys(e)).toEqual([
      'NAMESPACE',
      'HOST',
      'TLS_SECRET',
      'GW_IDLE_SECONDS',
      'NEKO_IMAGE',
      'TURN_SECRET',
      'PORT',
      'NORDVPN_TOKEN',
    ]);
    expect(e.NEKO_IMAGE).toBe(NEKO_IMAGE);
    expect(e.HOST).toBe('proxy.viktorbarzin.me');
    expect(e.NORDVPN_TOKEN).toEqual({ secret_key_ref: { name: 'proxy-secrets', key: 'nordvpn_token' } });
    expect(c.liveness_probe).toEqual({
      http_get: { path: '/healthz', port: '8080' },
      initial_delay_seconds: 15,
      period_seconds: 30,
    });
    expect(c.resources).toEqual({ requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '192Mi' } });
    expect(pod.volume).toEqual([
      { name: 'broker', config_map: { name: 'proxy-broker-scripts', default_mode: '0555' } },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(
      sorted([
        'spec[0].template[0].spec[0].dns_config',
        'spec[0].template[0].spec[0].container[0].image',
        'metadata[0].annotations["keel.sh/policy"]',
        'metadata[0].annotations["keel.sh/trigger"]',
        'metadata[0].annotations["keel.sh/pollSchedule"]',
        'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
        'metadata[0].labels["tier"]',
      ]),
    );
    expect(at('kubernetes_deployment.broker').depends_on).toEqual([
      'kubernetes_manifest.es_secrets',
      'kubernetes_manifest.es_turn',
    ]);
  });

  it('serves the picker behind Authentik for the proxy groups', () => {
    const ing = comparable(at('module.ingress.kubernetes_ingress_v1.proxied-ingress'));
    expect(ing.metadata.name).toBe('proxy');
    expect(ing.metadata.annotations['gethomepage.dev/name']).toBe('Proxy');
    expect(comparable(at('kubernetes_service.broker')).spec.port).toEqual([
      { name: 'http', port: 8080, target_port: '8080', protocol: 'TCP' },
    ]);
  });

  it('labels node2-5 as gateway nodes, one instance per node', () => {
    const l = at('kubernetes_labels.gateway_nodes');
    expect(l.for_each).toBe(`\${toset([${GATEWAY_NODES.map((n) => JSON.stringify(n)).join(', ')}])}`);
    expect(l).toMatchObject({
      api_version: 'v1',
      kind: 'Node',
      metadata: { name: '${each.value}' },
      labels: { 'proxy.viktorbarzin.me/gateway': 'true' },
    });
  });

  it('keeps the peers map for the broker to fill (data ignored)', () => {
    expect(comparable(at('kubernetes_config_map_v1.proxy_gw_1_peers'))).toEqual({
      metadata: { name: 'proxy-gw-1-peers', namespace: 'proxy', labels: EGRESS_SELECTOR },
      data: { peers: '\n' },
      lifecycle: { ignore_changes: ['data'] },
    });
  });

  it('runs the permanent UK gateway pinned, Recreate, never rolled by Keel, on the sysctl nodes', () => {
    const d = comparable(at('kubernetes_deployment.proxy_gw_uk'));
    expect(d.metadata).toMatchObject({
      name: 'proxy-gw-1',
      labels: EGRESS_SELECTOR,
      annotations: { 'keel.sh/policy': 'never', 'secret.reloader.stakater.com/reload': 'nordvpn-wg' },
    });
    expect(d.wait_for_rollout).toBe(false);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.selector.match_labels).toEqual(EGRESS_SELECTOR);
    expect(d.spec.template.metadata).toEqual({
      labels: { ...EGRESS_SELECTOR, 'proxy/country': 'united-kingdom', 'proxy/permanent': 'true' },
      annotations: { 'proxy/country-name': 'United Kingdom' },
    });
    const pod = d.spec.template.spec;
    expect(pod.node_selector).toEqual({ 'proxy.viktorbarzin.me/gateway': 'true' });
    expect(pod.security_context).toEqual({ sysctl: [{ name: 'net.ipv4.ip_forward', value: '1' }] });
    expect(pod.dns_policy).toBe('None');
    expect(pod.dns_config).toEqual({ nameservers: ['127.0.0.1'] });
    const [gluetun, wg] = pod.container;
    expect([gluetun.image, wg.image]).toEqual([GLUETUN_IMAGE, WGSERVER_IMAGE]);
    expect(gluetun.security_context).toEqual({ capabilities: { add: ['NET_ADMIN', 'SYS_MODULE'] } });
    expect(env(gluetun).FIREWALL_OUTBOUND_SUBNETS).toBe(`10.10.0.0/16,10.96.0.0/12,${EGRESS_SUBNET}`);
    expect(env(gluetun).WIREGUARD_PRIVATE_KEY).toEqual({
      secret_key_ref: { name: 'nordvpn-wg', key: 'wg_key' },
    });
    expect(gluetun.readiness_probe).toEqual({
      exec: { command: ['/gluetun-entrypoint', 'healthcheck'] },
      initial_delay_seconds: 20,
      period_seconds: 30,
      timeout_seconds: 5,
      failure_threshold: 3,
    });
    expect(gluetun.liveness_probe).toBeUndefined();
    expect(wg.command.slice(0, 2)).toEqual(['bash', '-c']);
    expect(wg.command[2]).toContain('tree-payloads/proxy/');
    expect(wg.command[2]).toContain(`egress_gw_ip = "${EGRESS_GW_IP}"`);
    expect(wg.port).toEqual([{ name: 'wg', container_port: 51820, protocol: 'UDP' }]);
    expect(pod.volume).toEqual([
      { name: 'gw-wg', secret: { secret_name: 'proxy-gw-1-wg', default_mode: '0400' } },
      { name: 'peers', config_map: { name: 'proxy-gw-1-peers', optional: true } },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(
      sorted(['spec[0].template[0].spec[0].dns_config', 'metadata[0].labels["tier"]']),
    );
    expect(at('kubernetes_deployment.proxy_gw_uk').depends_on).toEqual([
      'kubernetes_deployment.broker',
      'kubernetes_labels.gateway_nodes',
    ]);
  });

  it('publishes the WireGuard endpoint and the consumer proxy on the gateway selector', () => {
    const gw1 = comparable(at('kubernetes_service.proxy_gw_1'));
    expect(gw1.metadata).toEqual({ name: 'proxy-gw-1', namespace: 'proxy', labels: EGRESS_SELECTOR });
    expect(gw1.spec).toEqual({
      selector: EGRESS_SELECTOR,
      port: [{ name: 'wg', port: 51820, target_port: '51820', protocol: 'UDP' }],
    });
    const uk = comparable(at('kubernetes_service.proxy_egress_uk'));
    expect(uk.metadata.annotations['homelab/endpoint']).toBe('proxy-egress-uk.proxy.svc.cluster.local:8888');
    expect(uk.spec.port.map((p: Json) => p.port)).toEqual([8888, 1080]);
  });
});
