// Parity of stacks/beads-server with the tree's stacks/beads-server (HEAD 0cd4afb6): every address the tree
// has is synthesized or moved, and the literal values and ignore_changes sets are the tree's. The SQL seed
// files, the workbench scripts and the dispatcher/reaper scripts (with their shared prelude) are the
// tree's inline heredocs, read at plan time (never copied).
import { describe, expect, it } from 'vitest';
import beadsServer, { BEADBOARD_TAG } from '../../stacks/beads-server';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  SENSITIVE_TLS_SECRET_NAME,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(beadsServer);
const TREE_ADDRESSES = [
  'kubernetes_namespace.beads',
  'kubernetes_persistent_volume_claim.dolt_data',
  'kubernetes_config_map.dolt_init',
  'kubernetes_deployment.dolt',
  'kubernetes_job.presence_schema_migrate',
  'kubernetes_service.dolt',
  'kubernetes_config_map.workbench_store',
  'kubernetes_deployment.workbench',
  'kubernetes_service.workbench',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress', // proxied, not the apex: no record
  'kubernetes_ingress_v1.graphql',
  'kubernetes_config_map.beadboard_config',
  'kubernetes_manifest.beadboard_agent_service_secret',
  'kubernetes_deployment.beadboard',
  'kubernetes_service.beadboard',
  'module.beadboard_ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_config_map.beads_metadata',
  'kubernetes_cron_job_v1.beads_dispatcher',
  'kubernetes_cron_job_v1.beads_reaper',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);
const payload = (file: string) =>
  `"\${path.root}/../../../tree-payloads/beads-server/_heredoc/main.tf/${file}"`;
const heredoc = (file: string) =>
  `\${fileexists(${payload(file)}) ? templatefile(${payload(file)}, {}) : null}`;
const ENROLLED = (init: boolean) =>
  [
    'spec[0].template[0].spec[0].dns_config',
    'metadata[0].annotations["keel.sh/policy"]',
    'metadata[0].annotations["keel.sh/trigger"]',
    'metadata[0].annotations["keel.sh/pollSchedule"]',
    'metadata[0].annotations["keel.sh/match-tag"]',
    ...(init ? ['spec[0].template[0].spec[0].init_container[0].image'] : []),
    'metadata[0].annotations["kubernetes.io/change-cause"]',
    'metadata[0].annotations["deployment.kubernetes.io/revision"]',
    'spec[0].template[0].metadata[0].annotations["keel.sh/update-time"]',
    'spec[0].template[0].spec[0].container[0].image',
  ].sort();

describe('stack beads-server', () => {
  it('is in the registry with no dependencies and pg state under schema "beads-server"', () => {
    expect(STACKS).toContain(beadsServer);
    expect(beadsServer.after).toEqual([]);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'beads-server' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('declares the seven tree heredocs as plan-time payloads', () => {
    expect(declaredPayloads(JSON.stringify(json)).map((p) => p.file)).toEqual([
      '_heredoc/main.tf/01-create-beads-user.sql/0',
      '_heredoc/main.tf/02-create-presence-table.sql/0',
      '_heredoc/main.tf/beads_script_prelude/0',
      '_heredoc/main.tf/command/0',
      '_heredoc/main.tf/command/1',
      '_heredoc/main.tf/command/2',
      '_heredoc/main.tf/command/3',
    ]);
  });

  it('declares the namespace without the istio label', () => {
    expect(comparable(at('kubernetes_namespace.beads')).metadata).toEqual({
      name: 'beads-server',
      labels: { tier: '4-aux', 'keel.sh/enrolled': 'true' },
    });
  });

  it('runs Dolt on a plain Proxmox volume with its seed SQL, Keel never, only dns_config and image ignored', () => {
    const pvc = comparable(at('kubernetes_persistent_volume_claim.dolt_data'));
    expect(pvc.spec.storage_class_name).toBe('proxmox-lvm');
    expect(pvc.spec.resources).toEqual({ requests: { storage: '2Gi' } });
    expect(pvc.metadata.annotations['resize.topolvm.io/storage_limit']).toBe('10Gi');
    expect(at('kubernetes_config_map.dolt_init').data).toEqual({
      '01-create-beads-user.sql': heredoc('01-create-beads-user.sql/0'),
      '02-create-presence-table.sql': heredoc('02-create-presence-table.sql/0'),
    });
    const d = comparable(at('kubernetes_deployment.dolt'));
    expect(d.metadata.annotations).toEqual({
      'keel.sh/policy': 'never',
      'keel.sh/match-tag': 'true',
      'keel.sh/trigger': 'poll',
      'keel.sh/pollSchedule': '@every 1h',
    });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const c = d.spec.template.spec.container[0];
    expect(c.image).toBe('dolthub/dolt-sql-server:2.0.3');
    expect(c.port).toEqual([{ name: 'mysql', container_port: 3306 }]);
    expect(c.startup_probe).toEqual({
      tcp_socket: [{ port: '3306' }],
      failure_threshold: 30,
      period_seconds: 2,
    });
    expect(c.liveness_probe).toEqual({
      tcp_socket: [{ port: '3306' }],
      initial_delay_seconds: 10,
      period_seconds: 30,
    });
    expect(c.readiness_probe).toEqual({
      tcp_socket: [{ port: '3306' }],
      initial_delay_seconds: 5,
      period_seconds: 10,
    });
    expect(d.lifecycle.ignore_changes).toEqual(
      ['spec[0].template[0].spec[0].dns_config', 'spec[0].template[0].spec[0].container[0].image'].sort(),
    );
  });

  it("names the presence migration after the script's hash and waits for it after Dolt", () => {
    const job = at('kubernetes_job.presence_schema_migrate');
    expect(job.metadata.name).toBe(
      'presence-schema-${substr(sha256(kubernetes_config_map.dolt_init.data["02-create-presence-table.sql"]), 0, 8)}',
    );
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts).toEqual({ create: '5m' });
    expect(job.depends_on).toEqual(['kubernetes_deployment.dolt']);
    expect(job.spec.template.spec.restart_policy).toBe('OnFailure');
    expect(job.spec.template.spec.container[0].args).toEqual([
      'mysql -h dolt.beads-server.svc.cluster.local -P 3306 -u root < /sql/02-create-presence-table.sql',
    ]);
  });

  it('publishes Dolt on the shared MetalLB IP under the deprecated annotation key, as the tree', () => {
    expect(comparable(at('kubernetes_service.dolt'))).toEqual({
      metadata: {
        name: 'dolt',
        namespace: 'beads-server',
        labels: { app: 'dolt' },
        annotations: {
          'metallb.universe.tf/loadBalancerIPs': '10.0.20.200',
          'metallb.io/allow-shared-ip': 'shared',
        },
      },
      spec: {
        type: 'LoadBalancer',
        external_traffic_policy: 'Cluster',
        selector: { app: 'dolt' },
        port: [{ name: 'mysql', port: 3306, target_port: '3306' }],
      },
      lifecycle: { ignore_changes: ['metadata[0].annotations["metallb.io/ip-allocated-from-pool"]'] },
    });
  });

  it("runs the workbench with the tree's scripts and store, and routes /graphql exactly to its API port", () => {
    expect(at('kubernetes_config_map.workbench_store').data['store.json']).toBe(
      '[{"connectionUrl":"mysql://beads@dolt.beads-server.svc.cluster.local:3306/code","hideDoltFeatures":false,"name":"beads","type":"Mysql","useSSL":false}]',
    );
    const d = comparable(at('kubernetes_deployment.workbench'));
    expect(d.spec.template.spec.init_container[0].command).toEqual(['sh', '-c', heredoc('command/0')]);
    expect(d.spec.template.spec.container[0].command).toEqual(['sh', '-c', heredoc('command/1')]);
    expect(d.spec.template.spec.container[0].port).toEqual([
      { name: 'http', container_port: 3000 },
      { name: 'graphql', container_port: 9002 },
    ]);
    expect(d.lifecycle.ignore_changes).toEqual(ENROLLED(true));
    expect(comparable(at('kubernetes_service.workbench')).spec.port).toEqual([
      { name: 'http', port: 80, target_port: '3000' },
      { name: 'graphql', port: 9002, target_port: '9002' },
    ]);
    expect(
      at('module.ingress.kubernetes_ingress_v1.proxied-ingress').metadata.annotations['gethomepage.dev/name'],
    ).toBe('Dolt Workbench');
    expect(comparable(at('kubernetes_ingress_v1.graphql'))).toEqual({
      metadata: { name: 'dolt-workbench-graphql', namespace: 'beads-server', annotations: {} },
      spec: {
        ingress_class_name: 'traefik',
        tls: [{ hosts: ['dolt-workbench.viktorbarzin.me'], secret_name: SENSITIVE_TLS_SECRET_NAME }],
        rule: [
          {
            host: 'dolt-workbench.viktorbarzin.me',
            http: {
              path: [
                {
                  path: '/graphql',
                  path_type: 'Exact',
                  backend: { service: { name: 'dolt-workbench', port: { number: 9002 } } },
                },
              ],
            },
          },
        ],
      },
    });
  });

  it('runs BeadBoard behind Authentik with its beads config and the agent-service bearer', () => {
    expect(at('kubernetes_config_map.beadboard_config').data).toEqual({
      'metadata.json':
        '{"backend":"dolt","database":"dolt","dolt_database":"code","dolt_mode":"server","dolt_server_host":"dolt.beads-server.svc.cluster.local","dolt_server_port":3306,"dolt_server_user":"root","project_id":"a8f8bae7-ce65-4145-a5db-a13d11d297da"}',
      'dolt-server.port': '3306',
    });
    const d = comparable(at('kubernetes_deployment.beadboard'));
    expect(d.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    expect(d.spec.template.spec.container[0].image).toBe(`ghcr.io/viktorbarzin/beadboard:${BEADBOARD_TAG}`);
    expect(d.spec.template.spec.container[0].env[1]).toEqual({
      name: 'CLAUDE_AGENT_BEARER_TOKEN',
      value_from: { secret_key_ref: { name: 'beadboard-agent-service', key: 'api_bearer_token' } },
    });
    expect(d.lifecycle.ignore_changes).toEqual(ENROLLED(true));
    const chain = at('module.beadboard_ingress.kubernetes_ingress_v1.proxied-ingress').metadata.annotations[
      'traefik.ingress.kubernetes.io/router.middlewares'
    ] as string;
    expect(chain).toContain('authentik');
  });

  it.each([
    ['beads_dispatcher', 'beads-dispatcher', '*/2 * * * *', 'command/2', 4],
    ['beads_reaper', 'beads-reaper', '*/10 * * * *', 'command/3', 2],
  ])(
    '%s: suspended, every run a fresh pod with the tree script and the prelude',
    (id, app, schedule, file, envs) => {
      const cj = comparable(at(`kubernetes_cron_job_v1.${id}`));
      expect(cj.metadata).toEqual({ name: app, namespace: 'beads-server' });
      const { job_template: jt, ...spec } = cj.spec;
      expect(spec).toEqual({
        schedule,
        concurrency_policy: 'Forbid',
        successful_jobs_history_limit: 3,
        failed_jobs_history_limit: 3,
        starting_deadline_seconds: 60,
        suspend: true,
      });
      expect(jt.metadata).toEqual({});
      expect(jt.spec).toMatchObject({ backoff_limit: 0, ttl_seconds_after_finished: '600' });
      expect(jt.spec.template.metadata).toEqual({ labels: { app } });
      const pod = jt.spec.template.spec;
      expect(pod.restart_policy).toBe('Never');
      const prelude = `templatefile(${payload('beads_script_prelude/0')}, {})`;
      expect(pod.container[0].command).toEqual([
        '/bin/sh',
        '-c',
        `\${fileexists(${payload(file)}) ? templatefile(${payload(file)}, { local = { beads_script_prelude = ${prelude} } }) : null}`,
      ]);
      expect(pod.container[0].env).toHaveLength(envs);
      expect(pod.volume).toEqual([{ name: 'beads-metadata', config_map: { name: 'beads-metadata' } }]);
      expect(at(`kubernetes_cron_job_v1.${id}`).lifecycle.precondition).toHaveLength(2);
    },
  );
});
