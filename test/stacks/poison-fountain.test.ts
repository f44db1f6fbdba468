// Parity of stacks/poison-fountain with the tree's stacks/poison-fountain (HEAD 0cd4afb6): every tree
// address is synthesized or moved, the literal values and ignore_changes are the tree's, and the server and
// fetcher script are the tree's files read at plan time (tree payloads), never copies.
import { describe, expect, it } from 'vitest';
import poisonFountain, { FETCH_SCRIPT, SERVER_PY } from '../../stacks/poison-fountain';
import { STACKS } from '../../stacks';
import { declaredPayloads } from '../../lib/review/tree-payloads';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(poisonFountain);
const TREE_ADDRESSES = [
  'kubernetes_namespace.poison_fountain',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_data_host.kubernetes_persistent_volume.this',
  'module.nfs_data_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_config_map.poison_fountain_code',
  'kubernetes_config_map.poison_fountain_fetcher',
  'kubernetes_deployment.poison_fountain',
  'kubernetes_service.poison_fountain',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'kubernetes_cron_job_v1.poison_fetcher',
  'data.vault_kv_secret_v2.cf_platform', // Terragrunt's generated cloudflare_provider.tf
];
const at = (a: string): Json => atTreeAddress(json, a);
const payload = (f: string) => `"\${path.root}/../../../tree-payloads/poison-fountain/${f}"`;

describe('stack poison-fountain', () => {
  it('is in the registry, after platform, with pg state under schema "poison-fountain"', () => {
    expect(STACKS).toContain(poisonFountain);
    expect(poisonFountain.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'poison-fountain' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('reads server.py and fetch-poison.sh from the tree at plan time, guarded', () => {
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'poison-fountain', file: FETCH_SCRIPT },
      { stack: 'poison-fountain', file: SERVER_PY },
    ]);
    const code = at('kubernetes_config_map.poison_fountain_code');
    expect(code.metadata.name).toBe('poison-fountain-code');
    expect(code.data['server.py']).toBe(
      `\${fileexists(${payload(SERVER_PY)}) ? file(${payload(SERVER_PY)}) : null}`,
    );
    expect(code.lifecycle.precondition[0].condition).toBe(`\${fileexists(${payload(SERVER_PY)})}`);
    const fetcher = at('kubernetes_config_map.poison_fountain_fetcher');
    expect(Object.keys(fetcher.data)).toEqual(['fetch-poison.sh']);
    expect(fetcher.lifecycle.precondition[0].condition).toBe(`\${fileexists(${payload(FETCH_SCRIPT)})}`);
  });

  it('runs the server parked at 0 replicas, spread by host, probed on /healthz', () => {
    const d = comparable(at('kubernetes_deployment.poison_fountain'));
    expect(d.metadata.labels).toEqual({ app: 'poison-fountain', tier: '1-cluster' });
    expect(d.spec.replicas).toBe('0');
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_unavailable: '0', max_surge: '1' },
    });
    const pod = d.spec.template.spec;
    expect(pod.topology_spread_constraint).toEqual([
      {
        max_skew: 1,
        topology_key: 'kubernetes.io/hostname',
        when_unsatisfiable: 'DoNotSchedule',
        label_selector: [{ match_labels: { app: 'poison-fountain' } }],
      },
    ]);
    const c = pod.container[0];
    expect(c.image).toBe('python:3.12-slim');
    expect(c.command).toEqual(['python', '/app/server.py']);
    expect(c.env.map((e: Json) => e.name)).toEqual([
      'CACHE_DIR',
      'DRIP_BYTES',
      'DRIP_DELAY',
      'POISON_DOMAIN',
    ]);
    expect(c.liveness_probe).toEqual({
      http_get: { path: '/healthz', port: '8080' },
      initial_delay_seconds: 5,
      period_seconds: 30,
    });
    expect(c.readiness_probe.initial_delay_seconds).toBe(3);
    expect(c.readiness_probe.period_seconds).toBe(10);
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '64Mi' } });
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('exposes the trap on poison without rate limit, anti-AI or monitor, behind Authentik', () => {
    const svc = at('kubernetes_service.poison_fountain');
    expect(svc.spec.port).toEqual([{ name: 'http', port: 8080, target_port: '8080' }]);
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    const a = ingress.metadata.annotations;
    const chain = a['traefik.ingress.kubernetes.io/router.middlewares'] as string;
    expect(chain).not.toContain('rate-limit');
    expect(chain).not.toContain('ai-bot');
    expect(chain).toContain('authentik');
    expect(a['uptime.viktorbarzin.me/external-monitor']).toBe('false');
    expect(ingress.spec.rule[0].host).toBe('poison.viktorbarzin.me');
    expect(ingress.spec.rule[0].http.path[0].backend.service.port.number).toBe(8080);
  });

  it('refills the cache every six hours as root, with the tree script mounted 0755', () => {
    const cj = comparable(at('kubernetes_cron_job_v1.poison_fetcher'));
    expect(cj.spec.schedule).toBe('0 */6 * * *');
    expect(cj.spec.successful_jobs_history_limit).toBe(1);
    expect(cj.spec.failed_jobs_history_limit).toBe(1);
    expect(cj.spec.job_template.metadata).toEqual({ name: 'poison-fountain-fetcher' });
    const pod = cj.spec.job_template.spec.template;
    expect(pod.metadata).toEqual({ name: 'poison-fountain-fetcher' });
    expect(pod.spec.security_context).toEqual({ run_as_user: '0' });
    expect(pod.spec.restart_policy).toBe('Never');
    expect(pod.spec.volume[0]).toEqual({
      name: 'scripts',
      config_map: { name: 'poison-fountain-fetcher', default_mode: '0755' },
    });
    expect(cj.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
  });
});
