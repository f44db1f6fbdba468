// On-demand per-country remote browsers over NordVPN, plus the permanent United Kingdom gateway that also
// serves the cluster an HTTP/SOCKS5 egress proxy. The broker (the tree's Python program, mounted on a
// stock image) creates the per-session pods, Services and Ingresses itself; this stack owns the broker,
// its rights, the shared objects sessions mount and the one gateway that must never be reaped.
// Tree: stacks/proxy (main.tf, egress.tf).
import { ConfigMap } from '../constructs/blocks/config-map';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NodeLabels } from '../constructs/blocks/node-labels';
import { AccessRole } from '../constructs/blocks/rbac';
import { ServiceAccount } from '../constructs/blocks/service-account';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TraefikMiddleware } from '../constructs/blocks/traefik';
import { Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { reloader } from '../lib/conventions/metadata';
import { tlsSecretNameValue } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { treeHeredoc, treePayload } from '../lib/terraform/tree-payload';

const NAMESPACE = 'proxy';
const HOST = 'proxy.viktorbarzin.me';
const LABELS = { app: 'proxy' };
/** The broker's program, its pool/key helpers and the country picker (tree files/broker/). */
export const BROKER_FILES = ['broker.py', 'pool.py', 'wgkeys.py', 'index.html'];
/** The visit logger sessions run beside the browser, and the Chromium flag that opens CDP for it. */
export const COLLECTOR_FILES = ['visit_collector.py', '50-remote-debug'];
/** neko's GPU Chromium, digest-pinned: the broker hands it to every session pod. */
export const NEKO_IMAGE =
  'ghcr.io/m1k1o/neko/nvidia-chromium:3.1.4@sha256:0a00e6d56b3c09615c59eba944c4b513497058bbe1c231419f2ffb6743d11ed7';
/** gluetun, digest-pinned: the build that carries both the HTTP proxy and the SOCKS5 listener. */
export const GLUETUN_IMAGE =
  'ghcr.io/qdm12/gluetun@sha256:e3272b29a4bc177b389fbdcb54cf9716ccbfc30f04d8b7a35b0a5be9cdb58461';
export const WGSERVER_IMAGE = 'ghcr.io/linuxserver/wireguard:1.0.20260223';
/** Nodes whose kubelet allows the gateway's unsafe ip_forward sysctl. */
export const GATEWAY_NODES = ['k8s-node2', 'k8s-node3', 'k8s-node4', 'k8s-node5'];
const GATEWAY_NODE_LABEL = { 'proxy.viktorbarzin.me/gateway': 'true' };

// The permanent gateway takes index 1 of the broker's pool: its names, subnet and labels are the ones
// the broker derives for that index, so both sides find the same objects.
export const EGRESS_IDX = 1;
const EGRESS_NAME = `proxy-gw-${EGRESS_IDX}`;
const EGRESS_COUNTRY = 'United Kingdom';
export const EGRESS_SUBNET = `10.13.${EGRESS_IDX}.0/24`;
export const EGRESS_GW_IP = `10.13.${EGRESS_IDX}.1`;
/** Selects the gateway only: browser pods carry `proxy/gw-idx` as well. */
export const EGRESS_SELECTOR = { app: 'proxy-gateway', 'proxy/gw-idx': String(EGRESS_IDX) };

export default defineStack({
  name: 'proxy',
  description: 'Per-country NordVPN remote browsers (broker) and the permanent UK egress gateway',
  after: ['platform'],
  build(stack) {
    // the stack sets its own quota; not Keel-enrolled (the gateway must never be rolled by Keel)
    const ns = new TieredNamespace(stack, 'proxy', {
      name: NAMESPACE,
      tier: Tier.AUX,
      keelEnrolled: false,
      istioInjectionDisabled: false,
      quotaHard: {
        'requests.cpu': '10',
        'requests.memory': '28Gi',
        'limits.memory': '34Gi',
        'count/pods': '28',
      },
      quotaName: 'proxy',
    });
    const secrets = new ExternalSecret(stack, 'es_secrets', {
      name: 'proxy-secrets',
      namespace: ns,
      extractPaths: ['proxy'],
      forceConflicts: false,
      dependsOn: [ns.resource],
    });
    // coturn's shared secret: the broker mints per-browser TURN credentials from it
    const turn = new ExternalSecret(stack, 'es_turn', {
      name: 'proxy-turn',
      namespace: ns,
      data: [{ secretKey: 'turn_secret', vault: { path: 'coturn', property: 'turn_secret' } }],
      forceConflicts: false,
      dependsOn: [ns.resource],
    });

    // objects every session pod mounts (the broker names them): the managed browser policy and the
    // visit logger
    new ConfigMap(stack, 'chrome_policy', {
      v1: true,
      namespace: ns,
      name: 'proxy-chrome-policy',
      labels: LABELS,
      data: { 'policy.json': JSON.stringify({ CommandLineFlagSecurityWarningsEnabled: false }) },
    });
    const collector = COLLECTOR_FILES.map((f) => treePayload(stack, `files/collector/${f}`));
    new ConfigMap(stack, 'visit_collector', {
      v1: true,
      namespace: ns,
      name: 'proxy-visit-collector',
      labels: LABELS,
      data: Object.fromEntries(COLLECTOR_FILES.map((f, i) => [f, collector[i].content])),
      payloads: collector,
    });

    // the broker creates and deletes the session objects in its own namespace only
    const account = new ServiceAccount(stack, 'broker_account', {
      addressName: 'broker',
      namespace: ns,
      name: 'proxy-broker',
    });
    new AccessRole(stack, 'broker_role', {
      addressName: 'broker',
      name: 'proxy-broker',
      namespace: ns,
      rules: [
        {
          apiGroups: [''],
          resources: ['pods', 'services', 'secrets', 'configmaps', 'persistentvolumeclaims'],
          verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch', 'update'],
        },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
        {
          apiGroups: ['networking.k8s.io'],
          resources: ['ingresses'],
          verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch'],
        },
      ],
    }).grant('broker', { name: 'proxy-broker', subjects: [account.subject] });

    // one regex middleware for every session path, so the broker never creates Middlewares
    new TraefikMiddleware(stack, 'strip_session', {
      kubectl: true,
      namespace: ns,
      name: 'strip-session',
      stripPrefixRegex: ['^/s/[^/]+'],
    });

    const brokerPayloads = BROKER_FILES.map((f) => treePayload(stack, `files/broker/${f}`));
    const brokerMap = new ConfigMap(stack, 'broker_scripts', {
      v1: true,
      namespace: ns,
      name: 'proxy-broker-scripts',
      labels: LABELS,
      data: Object.fromEntries(BROKER_FILES.map((f, i) => [f, brokerPayloads[i].content])),
      payloads: brokerPayloads,
    });
    const brokerVolume = Volume.fromConfigMap('broker', brokerMap.name, { defaultMode: '0555' });
    // a code change rolls the broker from Terraform (and the gateway waits for it, below), so an old
    // broker never outlives the apply that brings the permanent gateway
    const scriptsChecksum = `\${sha256(join(",", [${brokerPayloads.map((p) => `filesha256(${p.path})`).join(', ')}]))}`;
    const health = (timing: Parameters<typeof Probe.httpGet>[2]) => Probe.httpGet('/healthz', 8080, timing);
    const broker = new Deployment(stack, 'broker', {
      namespace: ns,
      name: 'proxy-broker',
      selector: { app: 'proxy-broker' },
      tierLabel: false,
      keel: Keel.notEnrolled(),
      annotations: reloader('auto'),
      strategy: 'RollingUpdate',
      rollingUpdate: { maxSurge: '1', maxUnavailable: '0' },
      podAnnotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8080',
        'prometheus.io/path': '/metrics',
        'checksum/broker-scripts': scriptsChecksum,
      },
      serviceAccountName: account.name,
      podRunAsUser: 1000,
      podRunAsGroup: 1000,
      fsGroup: 1000,
      podSeccompProfile: 'RuntimeDefault',
      containers: [
        {
          name: 'broker',
          image: 'python:3.12-slim',
          imagePullPolicy: 'IfNotPresent',
          command: ['python3', '-u', '/broker/broker.py'],
          env: {
            NAMESPACE,
            HOST,
            TLS_SECRET: tlsSecretNameValue(stack),
            // an idle country gateway gives its tunnel slot back after this long
            GW_IDLE_SECONDS: '600',
            NEKO_IMAGE,
            TURN_SECRET: { secretName: turn.secretName, key: 'turn_secret' },
            PORT: '8080',
            NORDVPN_TOKEN: { secretName: secrets.secretName, key: 'nordvpn_token' },
          },
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          livenessProbe: health({ initialDelay: Duration.seconds(15), period: Duration.seconds(30) }),
          readinessProbe: health({ initialDelay: Duration.seconds(5), period: Duration.seconds(10) }),
          volumeMounts: [{ volume: brokerVolume, mountPath: '/broker', readOnly: true }],
          resources: {
            cpuRequest: '20m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(192),
          },
        },
      ],
      volumes: [brokerVolume],
      // the tree's own list: Keel's image and annotations, but none of its rollout keys but update-time
      ignoreChanges: [Ignore.keelImage(0), Ignore.keelAnnotations, Ignore.keelUpdateTime, Ignore.tierLabel],
      dependsOn: [secrets.resource, turn.resource],
    });
    brokerPayloads.forEach((p) => p.guard(broker));
    const brokerService = broker.exposeViaService({
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
    // the picker is login-gated (the broker keys each user's browser on the Authentik identity); the
    // broker's own per-session ingresses route around it
    new IngressFactory(stack, 'ingress', {
      namespace: ns,
      name: 'proxy',
      host: 'proxy',
      service: brokerService,
      port: 8080,
      dnsType: DnsType.PROXIED,
      auth: IngressAuth.REQUIRED,
      allowedGroups: ['Proxy Users', 'Home Server Admins'],
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'Proxy',
        'gethomepage.dev/description': 'Remote browser via NordVPN, any country',
        'gethomepage.dev/icon': 'chromium.png',
        'gethomepage.dev/group': 'Infrastructure',
      },
      legacyAddress: 'module.ingress',
    });

    const gatewayNodes = new NodeLabels(stack, 'gateway_nodes', {
      nodes: GATEWAY_NODES,
      labels: GATEWAY_NODE_LABEL,
    });

    // --- The permanent UK gateway (egress.tf) ---
    // the broker writes the peer list; Terraform only makes sure the map exists
    const peersMap = new ConfigMap(stack, 'proxy_gw_1_peers', {
      v1: true,
      namespace: ns,
      name: `${EGRESS_NAME}-peers`,
      labels: EGRESS_SELECTOR,
      data: { peers: '\n' },
      ignoreData: true,
    });
    const wgScript = treeHeredoc(stack, 'egress_wg_script', { file: 'egress.tf' });
    const wgKey = Volume.fromSecret('gw-wg', `${EGRESS_NAME}-wg`, { defaultMode: '0400' });
    const peers = Volume.fromConfigMap('peers', peersMap.name, { optional: true });
    const gateway = new Deployment(stack, 'proxy_gw_uk', {
      namespace: ns,
      name: EGRESS_NAME,
      selector: EGRESS_SELECTOR,
      podLabels: { 'proxy/country': 'united-kingdom', 'proxy/permanent': 'true' },
      tierLabel: false,
      // Keel must never roll it: every image change drops the tunnel; the namespace is not enrolled,
      // so the opt-out is this one annotation
      keel: Keel.notEnrolled(),
      annotations: {
        'keel.sh/policy': 'never',
        // the NordLynx key sits in an env var: restart when the broker re-fetches it
        'secret.reloader.stakater.com/reload': 'nordvpn-wg',
      },
      // two pods would hold two tunnels on one account-wide key
      strategy: 'Recreate',
      podAnnotations: { 'proxy/country-name': EGRESS_COUNTRY },
      nodeSelector: GATEWAY_NODE_LABEL,
      sysctls: { 'net.ipv4.ip_forward': '1' },
      // resolve inside the tunnel (gluetun's resolver), never through CoreDNS
      dnsPolicy: 'None',
      dnsNameservers: ['127.0.0.1'],
      containers: [
        {
          name: 'gluetun',
          image: GLUETUN_IMAGE,
          securityContext: { addCapabilities: ['NET_ADMIN', 'SYS_MODULE'] },
          env: {
            VPN_SERVICE_PROVIDER: 'nordvpn',
            VPN_TYPE: 'wireguard',
            SERVER_COUNTRIES: EGRESS_COUNTRY,
            DOT: 'on',
            FIREWALL_INPUT_PORTS: '51820,8888,1080',
            FIREWALL_OUTBOUND_SUBNETS: `10.10.0.0/16,10.96.0.0/12,${EGRESS_SUBNET}`,
            HTTPPROXY: 'on',
            SOCKS5_ENABLED: 'on',
            WIREGUARD_PRIVATE_KEY: { secretName: 'nordvpn-wg', key: 'wg_key' },
          },
          ports: [
            { name: 'http-proxy', containerPort: 8888, protocol: 'TCP' },
            { name: 'socks5', containerPort: 1080, protocol: 'TCP' },
          ],
          // tunnel health; no liveness probe: gluetun heals the tunnel itself
          readinessProbe: Probe.exec(['/gluetun-entrypoint', 'healthcheck'], {
            initialDelay: Duration.seconds(20),
            period: Duration.seconds(30),
            timeout: Duration.seconds(5),
            failureThreshold: 3,
          }),
          resources: {
            cpuRequest: '20m',
            memoryRequest: Size.mebibytes(80),
            memoryLimit: Size.mebibytes(256),
          },
        },
        {
          name: 'wgserver',
          image: WGSERVER_IMAGE,
          securityContext: { addCapabilities: ['NET_ADMIN'] },
          command: [
            'bash',
            '-c',
            wgScript.template(
              `{ local = { egress_gw_ip = "${EGRESS_GW_IP}", egress_subnet = "${EGRESS_SUBNET}" } }`,
            ),
          ],
          ports: [{ name: 'wg', containerPort: 51820, protocol: 'UDP' }],
          volumeMounts: [
            { volume: wgKey, mountPath: '/gw-wg', readOnly: true },
            { volume: peers, mountPath: '/peers', readOnly: true },
          ],
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(48),
            memoryLimit: Size.mebibytes(128),
          },
        },
      ],
      volumes: [wgKey, peers],
      // readiness gates on the tunnel: a provider cooldown must not block the apply
      waitForRollout: false,
      ignoreChanges: [Ignore.tierLabel],
      // the broker creates the nordvpn-wg Secret; the nodes must allow the sysctl first
      dependsOn: [broker, gatewayNodes.resource],
    });
    wgScript.guard(gateway);
    // the browsers' WireGuard endpoint, and the cluster's proxy endpoint
    gateway.exposeViaService({
      addressName: 'proxy_gw_1',
      ports: [{ name: 'wg', port: 51820, targetPort: 51820, protocol: 'UDP' }],
    });
    gateway.exposeViaService({
      addressName: 'proxy_egress_uk',
      name: 'proxy-egress-uk',
      annotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'VPN egress (UK)',
        'gethomepage.dev/description':
          "Route a workload's traffic out through NordVPN UK — set HTTPS_PROXY/ALL_PROXY to the endpoint (socks5h://…:1080 also served). For geo-restricted content and keeping requests off the home IP; it does NOT defeat anti-bot walls.",
        'gethomepage.dev/group': 'Infrastructure',
        'homelab/endpoint': 'proxy-egress-uk.proxy.svc.cluster.local:8888',
      },
      ports: [
        { name: 'http-proxy', port: 8888, targetPort: 8888, protocol: 'TCP' },
        { name: 'socks5', port: 1080, targetPort: 1080, protocol: 'TCP' },
      ],
    });
  },
});
