// t3code against the tree at HEAD (stacks/t3code/main.tf + terragrunt.hcl). Expected values below are the
// tree's, written out by hand.
//
// Documented differences (the only ones), all in the probe:
// - ConfigMap `t3-probe`: key `probe.py` kept, but its content is our program payloads/t3-probe.py (stdlib
//   only) instead of the tree's aiohttp/prometheus-client probe.py;
// - Deployment `t3-probe`: the pod annotation `checksum/probe` is the sha256 of our file (lib/core/hash.ts), and
//   the container runs `python /app/probe.py` directly instead of `sh -c` with a 5-try pip install loop
//   (no third-party packages are needed). No env: the script's defaults are this stack's values.
// Everything else matches literally; the two ingress_factory modules become IngressFactory children with
// moved blocks.
import { SENSITIVE_TLS_SECRET_NAME } from '../support/synth';
import { describe, expect, it } from 'vitest';
import t3code from '../../stacks/t3code';
import { STACKS } from '../../stacks';
import { sha256 } from '../../lib/core/hash';
import { readScript } from '../../lib/core/paths';
import { terraformLiteral } from '../../lib/terraform/tf-literal';
import {
  addedAddresses,
  addresses,
  type Json,
  missingTreeAddresses,
  moves,
  resolveNames,
  resource,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(t3code);
const r = (type: string, name: string): Json => resolveNames(json, resource(json, type, name));

/** Every resource address of stacks/t3code at HEAD (modules expanded). */
const TREE_ADDRESSES = [
  'kubernetes_namespace.t3code',
  'kubernetes_service.t3code',
  'kubernetes_endpoints.t3code',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_service.t3_native',
  'kubernetes_endpoints.t3_native',
  'kubernetes_manifest.t3_native_ingressroute',
  'module.ingress_probe.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_config_map_v1.t3_probe',
  'kubernetes_deployment_v1.t3_probe',
  'kubernetes_service.t3_probe',
];

const NATIVE_MIDDLEWARES = [
  { name: 'retry', namespace: 'traefik' },
  { name: 'error-pages', namespace: 'traefik' },
  { name: 'rate-limit', namespace: 'traefik' },
];

describe('t3code: registration', () => {
  it('is in the registry, with no dependencies, pg state under schema "t3code"', () => {
    expect(STACKS).toContain(t3code);
    expect(t3code.name).toBe('t3code');
    expect(t3code.after).toEqual([]);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 't3code' } });
  });

  it('only the kubernetes provider (the opt-in Vault extras are off)', () => {
    expect(Object.keys(json.provider ?? {})).toEqual(['kubernetes']);
    expect(Object.keys(json.terraform.required_providers ?? {})).toEqual(['kubernetes']);
  });

  it('snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});

describe('t3code: parity with HEAD', () => {
  it('synthesizes every tree address or moves it, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addresses(json).size).toBe(TREE_ADDRESSES.length);
  });

  it('moves exactly the two ingress_factory ingresses', () => {
    expect(Object.fromEntries(moves(json))).toEqual({
      'module.ingress.kubernetes_ingress_v1.proxied-ingress': 'kubernetes_ingress_v1.t3_ingress',
      'module.ingress_probe.kubernetes_ingress_v1.proxied-ingress': 'kubernetes_ingress_v1.t3_probe_ingress',
    });
  });

  it('no TLS secret and no DNS record (Kyverno clones tls-secret; the * CNAME covers the host)', () => {
    expect(json.resource?.kubernetes_secret).toBeUndefined();
    expect(json.resource?.cloudflare_record).toBeUndefined();
  });

  it('namespace t3code: istio off, tier 4-aux, Keel enrolled, Goldilocks label ignored', () => {
    expect(r('kubernetes_namespace', 't3code')).toEqual({
      metadata: {
        name: 't3code',
        labels: { 'istio-injection': 'disabled', tier: '4-aux', 'keel.sh/enrolled': 'true' },
      },
      lifecycle: { ignore_changes: ['metadata[0].labels["goldilocks.fairwinds.com/vpa-update-mode"]'] },
    });
  });

  it('Service t3 (selector-less) and Endpoints t3 -> t3-dispatch 10.0.10.10:3780', () => {
    expect(r('kubernetes_service', 't3code')).toEqual({
      metadata: { name: 't3', namespace: 't3code', labels: { app: 't3' } },
      spec: { port: [{ name: 'http', port: 80, target_port: '3780' }] },
    });
    expect(r('kubernetes_endpoints', 't3code')).toEqual({
      metadata: { name: 't3', namespace: 't3code' },
      subset: [{ address: [{ ip: '10.0.10.10' }], port: [{ name: 'http', port: 3780 }] }],
    });
  });

  it('main ingress (module.ingress): proxied, Authentik required for "T3 Users", homepage tile', () => {
    expect(r('kubernetes_ingress_v1', 't3_ingress')).toEqual({
      metadata: {
        name: 't3',
        namespace: 't3code',
        annotations: {
          'traefik.ingress.kubernetes.io/router.middlewares': [
            'traefik-retry@kubernetescrd',
            'traefik-error-pages@kubernetescrd',
            'traefik-rate-limit@kubernetescrd',
            'traefik-csp-headers@kubernetescrd',
            'traefik-authentik-forward-auth@kubernetescrd',
          ].join(','),
          'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
          'gethomepage.dev/enabled': 'true',
          'gethomepage.dev/name': 'T3 Code',
          'gethomepage.dev/description': 'Coding-agent GUI (per-user, t3 serve on DevVM)',
          'gethomepage.dev/icon': 'mdi-robot',
          'gethomepage.dev/group': 'Infrastructure',
          'gethomepage.dev/pod-selector': '',
          'gethomepage.dev/href': 'https://t3.viktorbarzin.me',
          'cloudflare.viktorbarzin.me/dns-type': 'proxied',
          'uptime.viktorbarzin.me/external-monitor': 'true',
          'authentik.viktorbarzin.me/allowed-groups': 'T3 Users',
        },
      },
      spec: {
        ingress_class_name: 'traefik',
        tls: [{ hosts: ['t3.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
        rule: [
          {
            host: 't3.viktorbarzin.me',
            http: { path: [{ path: '/', backend: { service: { name: 't3', port: { number: 80 } } } }] },
          },
        ],
      },
    });
  });

  it('native Service t3-native and Endpoints -> wizard t3-serve 10.0.10.10:3773', () => {
    expect(r('kubernetes_service', 't3_native')).toEqual({
      metadata: { name: 't3-native', namespace: 't3code', labels: { app: 't3' } },
      spec: { port: [{ name: 'http', port: 80, target_port: '3773' }] },
    });
    expect(r('kubernetes_endpoints', 't3_native')).toEqual({
      metadata: { name: 't3-native', namespace: 't3code' },
      subset: [{ address: [{ ip: '10.0.10.10' }], port: [{ name: 'http', port: 3773 }] }],
    });
  });

  it('IngressRoute t3-native: three priority-1000 routes, match strings byte for byte', () => {
    const route = (match: string) => ({
      kind: 'Rule',
      match,
      priority: 1000,
      middlewares: NATIVE_MIDDLEWARES,
      services: [{ name: 't3-native', port: 80 }],
    });
    expect(r('kubernetes_manifest', 't3_native_ingressroute')).toEqual({
      manifest: {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRoute',
        metadata: { name: 't3-native', namespace: 't3code' },
        spec: {
          entryPoints: ['websecure'],
          routes: [
            route('Host(`t3.viktorbarzin.me`) && HeaderRegexp(`Authorization`, `(?i)^Bearer `)'),
            route(
              'Host(`t3.viktorbarzin.me`) && (Path(`/.well-known/t3/environment`) || Path(`/oauth/token`)) && (!HeaderRegexp(`Cookie`, `authentik_proxy_`) || HeaderRegexp(`User-Agent`, `(?i)^T3Code/`))',
            ),
            route('Host(`t3.viktorbarzin.me`) && Path(`/ws`) && QueryRegexp(`wsTicket`, `.+`)'),
          ],
          tls: { secretName: SENSITIVE_TLS_SECRET_NAME },
        },
      },
    });
    // The services are references to the Service, like the tree (creation order).
    const raw = resource(json, 'kubernetes_manifest', 't3_native_ingressroute');
    for (const rt of raw.manifest.spec.routes) {
      expect(rt.services[0].name).toBe('${kubernetes_service.t3_native.metadata[0].name}');
    }
  });

  it('probe ingress (module.ingress_probe): /probe on t3.viktorbarzin.me, no auth, no anti-AI, no DNS, no tile', () => {
    expect(r('kubernetes_ingress_v1', 't3_probe_ingress')).toEqual({
      metadata: {
        name: 't3-probe',
        namespace: 't3code',
        annotations: {
          'traefik.ingress.kubernetes.io/router.middlewares': [
            'traefik-retry@kubernetescrd',
            'traefik-error-pages@kubernetescrd',
            'traefik-rate-limit@kubernetescrd',
            'traefik-csp-headers@kubernetescrd',
          ].join(','),
          'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
        },
      },
      spec: {
        ingress_class_name: 'traefik',
        tls: [{ hosts: ['t3.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
        rule: [
          {
            host: 't3.viktorbarzin.me',
            http: {
              path: [{ path: '/probe', backend: { service: { name: 't3', port: { number: 80 } } } }],
            },
          },
        ],
      },
    });
  });

  it('probe ConfigMap t3-probe: key probe.py (difference: our payloads/t3-probe.py as content)', () => {
    expect(r('kubernetes_config_map_v1', 't3_probe')).toEqual({
      metadata: { name: 't3-probe', namespace: 't3code' },
      data: { 'probe.py': terraformLiteral(readScript('t3-probe.py')) },
    });
  });

  it('probe Deployment: the tree values, plus the documented checksum and command differences', () => {
    const tree = {
      metadata: { name: 't3-probe', namespace: 't3code', labels: { app: 't3-probe' } },
      spec: {
        replicas: '1',
        selector: { match_labels: { app: 't3-probe' } },
        template: {
          metadata: {
            labels: { app: 't3-probe' },
            annotations: { 'checksum/probe': '<sha256 of probe.py>' },
          },
          spec: {
            container: [
              {
                name: 'probe',
                image: 'python:3.12-alpine',
                command: ['sh', '-c', '<pip install loop>; exec python /app/probe.py'],
                port: [{ container_port: 9108, name: 'metrics' }],
                volume_mount: [{ name: 'app', mount_path: '/app', read_only: true }],
                resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '192Mi' } },
              },
            ],
            volume: [{ name: 'app', config_map: { name: 't3-probe' } }],
          },
        },
      },
      lifecycle: {
        ignore_changes: [
          'spec[0].template[0].spec[0].dns_config',
          'metadata[0].annotations["keel.sh/policy"]',
          'metadata[0].annotations["keel.sh/trigger"]',
          'metadata[0].annotations["keel.sh/pollSchedule"]',
          'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
          'spec[0].template[0].spec[0].container[0].image',
          'metadata[0].labels["tier"]',
        ],
      },
    };
    const expected = structuredClone(tree) as Json;
    // The differences: checksum of our file; run it directly (stdlib only, no pip loop).
    expected.spec.template.metadata.annotations['checksum/probe'] = sha256(readScript('t3-probe.py'));
    expected.spec.template.spec.container[0].command = ['python', '/app/probe.py'];
    expect(r('kubernetes_deployment_v1', 't3_probe')).toEqual(expected);
  });

  it('probe Service t3-probe: metrics 9108 -> 9108, selecting the probe pods', () => {
    expect(r('kubernetes_service', 't3_probe')).toEqual({
      metadata: { name: 't3-probe', namespace: 't3code', labels: { app: 't3-probe' } },
      spec: {
        selector: { app: 't3-probe' },
        port: [{ name: 'metrics', port: 9108, target_port: '9108' }],
      },
    });
  });

  it('namespaced resources reference the namespace resource (created after it)', () => {
    const ref = '${kubernetes_namespace.t3code.metadata[0].name}';
    expect(resource(json, 'kubernetes_service', 't3code').metadata.namespace).toBe(ref);
    expect(resource(json, 'kubernetes_endpoints', 't3_native').metadata.namespace).toBe(ref);
    expect(resource(json, 'kubernetes_manifest', 't3_native_ingressroute').manifest.metadata.namespace).toBe(
      ref,
    );
    expect(resource(json, 'kubernetes_deployment_v1', 't3_probe').metadata.namespace).toBe(ref);
    expect(resource(json, 'kubernetes_ingress_v1', 't3_probe_ingress').metadata.namespace).toBe(ref);
  });
});

describe('t3code: no secrets in the synthesized JSON', () => {
  it('holds no key material or token, and reads nothing from Vault', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/-----BEGIN/);
    expect(text).not.toMatch(/secret_id|client_secret|Bearer [A-Za-z0-9]/);
    expect(json.data).toBeUndefined();
  });
});
