// What the tree's modules/kubernetes/anubis_instance (HEAD 0cd4afb6) renders for one call, written out by
// hand from its HCL in the synthesized JSON's shape (snake_case, blocks as lists where the provider has
// lists), with every reference already resolved to its literal. The policy text is the tree's prose: our
// side reads it at plan time from tree payloads, so the policy value and its checksum are matched here by
// shape (the payloads read, the store block); test/constructs/patterns/anubis-policy-terraform.test.ts
// evaluates the expression under Terraform.
import { expect } from 'vitest';
import type { Json } from './synth';

/** The rendered policy the tree gives by default, reference material outside the repository (may be absent). */
export const REFERENCE_DEFAULT_POLICY = '/work/shared/reference/anubis-default-policy.yaml';

/** The tree's store block (`store_yaml_block` heredoc after `<<-` de-indent), as HCL string escapes. */
const storeBlockHcl = (url: string) =>
  `"\\nstore:\\n  backend: valkey\\n  parameters:\\n    url: \\"${url}\\"\\n"`;

const RULES = 'tree-payloads/_modules/anubis_instance/default-policy-rules.yaml';
const COMMENTS = 'tree-payloads/_modules/anubis_instance/trusted-local-rule-comments.yaml';

/**
 * Matches our policy expression: reads both payloads (the rules payload: the module's default rules, or the
 * stack's own `policy_rules_yaml` heredoc), ends with the store block when there is one.
 */
export function policyExpressionLike(sharedStoreUrl?: string, checksum = false, rules = RULES): unknown {
  const end = sharedStoreUrl ? `, ${storeBlockHcl(sharedStoreUrl)}])` : ')])';
  return expect.toSatisfy(
    (v: unknown) =>
      typeof v === 'string' &&
      v.includes(rules) &&
      v.includes(COMMENTS) &&
      v.includes(checksum ? ' ? sha256(join("\\n", ["bots:", ' : ' ? join("\\n", ["bots:", ') &&
      v.endsWith(`${end}${checksum ? ')' : ''} : null}`),
  );
}

export interface TreeAnubisCall {
  readonly name: string;
  readonly namespace: string;
  readonly targetUrl: string;
  readonly sharedStoreUrl?: string;
  /** The call's `policy_rules_yaml` heredoc as our tree payload path. @default the module's default rules */
  readonly rulesPayload?: string;
}

/** The five resources of one `module "anubis"` call, keyed by module-relative address. */
export function treeAnubisInstance(call: TreeAnubisCall): Record<string, Json> {
  const full = `anubis-${call.name}`;
  const labels = {
    app: full,
    'app.kubernetes.io/name': 'anubis',
    'app.kubernetes.io/instance': full,
    'app.kubernetes.io/component': 'ai-bot-challenge',
    'app.kubernetes.io/managed-by': 'terraform',
  };
  const ns = call.namespace;
  const env = [
    ['BIND', ':8923'],
    ['METRICS_BIND', ':9090'],
    ['TARGET', call.targetUrl],
    ['DIFFICULTY', '2'],
    ['COOKIE_EXPIRATION_TIME', '720h'],
    ['COOKIE_DOMAIN', 'viktorbarzin.me'],
    ['COOKIE_SECURE', 'true'],
    ['COOKIE_SAME_SITE', 'Lax'],
    ['SERVE_ROBOTS_TXT', 'true'],
    ['XFF_STRIP_PRIVATE', 'true'],
    ['SLOG_LEVEL', 'INFO'],
    ['ED25519_PRIVATE_KEY_HEX_FILE', '/keys/key'],
    ['POLICY_FNAME', '/config/botPolicies.yaml'],
  ].map(([name, value]) => ({ name, value }));
  const probe = (initial: number, period: number, failure: number) => ({
    http_get: { path: '/metrics', port: 'metrics' },
    initial_delay_seconds: initial,
    period_seconds: period,
    failure_threshold: failure,
  });
  return {
    'kubernetes_config_map.policy': {
      metadata: { name: `${full}-policy`, namespace: ns, labels },
      data: { 'botPolicies.yaml': policyExpressionLike(call.sharedStoreUrl, false, call.rulesPayload) },
    },
    'kubernetes_manifest.ed25519_secret': {
      field_manager: { force_conflicts: true },
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: `${full}-key`, namespace: ns },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { name: 'vault-kv', kind: 'ClusterSecretStore' },
          target: { name: `${full}-key`, creationPolicy: 'Owner' },
          data: [{ secretKey: 'key', remoteRef: { key: 'viktor', property: 'anubis_ed25519_key' } }],
        },
      },
    },
    'kubernetes_deployment.anubis': {
      metadata: { name: full, namespace: ns, labels },
      spec: {
        replicas: call.sharedStoreUrl ? '2' : '1',
        selector: { match_labels: { app: full } },
        strategy: { type: 'RollingUpdate', rolling_update: { max_surge: '1', max_unavailable: '0' } },
        template: {
          metadata: {
            labels,
            annotations: {
              'checksum/policy': policyExpressionLike(call.sharedStoreUrl, true, call.rulesPayload),
            },
          },
          spec: {
            topology_spread_constraint: [
              {
                max_skew: 1,
                topology_key: 'kubernetes.io/hostname',
                when_unsatisfiable: 'DoNotSchedule',
                label_selector: [{ match_labels: { app: full } }],
              },
            ],
            container: [
              {
                name: 'anubis',
                image: 'ghcr.io/techarohq/anubis:v1.25.0',
                port: [
                  { name: 'http', container_port: 8923 },
                  { name: 'metrics', container_port: 9090 },
                ],
                env,
                volume_mount: [
                  { name: 'ed25519-key', mount_path: '/keys', read_only: true },
                  { name: 'policy', mount_path: '/config', read_only: true },
                ],
                resources: { requests: { cpu: '20m', memory: '128Mi' }, limits: { memory: '128Mi' } },
                liveness_probe: probe(10, 30, 3),
                readiness_probe: probe(2, 5, 2),
                security_context: {
                  run_as_non_root: true,
                  run_as_user: '1000',
                  run_as_group: '1000',
                  allow_privilege_escalation: false,
                  read_only_root_filesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
            volume: [
              {
                name: 'ed25519-key',
                secret: { secret_name: `${full}-key`, items: [{ key: 'key', path: 'key' }] },
              },
              { name: 'policy', config_map: { name: `${full}-policy` } },
            ],
          },
        },
      },
      lifecycle: {
        ignore_changes: [
          'spec[0].template[0].spec[0].dns_config',
          'metadata[0].annotations',
          'metadata[0].labels',
        ],
      },
    },
    'kubernetes_service.anubis': {
      metadata: {
        name: full,
        namespace: ns,
        labels,
        annotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/path': '/metrics',
          'prometheus.io/port': '9090',
        },
      },
      spec: {
        selector: { app: full },
        port: [
          { name: 'http', port: 8080, target_port: '8923', protocol: 'TCP' },
          { name: 'metrics', port: 9090, target_port: '9090', protocol: 'TCP' },
        ],
      },
    },
    'kubernetes_pod_disruption_budget_v1.anubis': {
      metadata: { name: full, namespace: ns },
      spec: { max_unavailable: '1', selector: { match_labels: { app: full } } },
    },
  };
}

/** A resource without `depends_on` or preconditions, ignore_changes sorted (order does not matter to Terraform). */
export function comparable(resource: Json): Json {
  const { depends_on: _dependsOn, ...rest } = resource;
  if (rest.lifecycle) {
    // Our missing-payload guards (preconditions) are ours alone.
    const { precondition: _precondition, ...lifecycle } = rest.lifecycle;
    if (lifecycle.ignore_changes) lifecycle.ignore_changes = [...lifecycle.ignore_changes].sort();
    if (Object.keys(lifecycle).length) rest.lifecycle = lifecycle;
    else delete rest.lifecycle;
  }
  return rest;
}
