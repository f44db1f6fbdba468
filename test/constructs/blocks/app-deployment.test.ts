import { describe, expect, it } from 'vitest';
import {
  AppDeployment,
  type AppDeploymentProps,
  KeelPolicy,
  REQUIRE_SECRETS_IMAGE,
} from '../../../constructs/blocks/app-deployment';
import { Ignore, keelEnrolledWorkload } from '../../../lib/conventions/lifecycle';
import { readScript } from '../../../lib/core/paths';
import { terraformUnescape } from '../../../lib/terraform/tf-literal';
import { Tier } from '../../../lib/conventions/tiers';
import { expectConfigError, resource, synth, testStack, type Json } from '../../support/synth';

const BASE: AppDeploymentProps = { name: 'web', namespace: 'apps', image: 'nginx:1.28-alpine' };

function deploy(props: Partial<AppDeploymentProps> = {}): Json {
  const s = testStack();
  new AppDeployment(s, 'web', { ...BASE, ...props });
  return resource(synth(s), 'kubernetes_deployment', 'web');
}
const container = (d: Json): Json => d.spec.template.spec.container[0];
const build = (props: Partial<AppDeploymentProps>) => () =>
  new AppDeployment(testStack(), 'web', { ...BASE, ...props });

describe('AppDeployment: shape', () => {
  it('defaults: one replica, app label/selector, requests cpu 10m / memory 128Mi, limit = request, no probes', () => {
    const d = deploy();
    expect(d.metadata).toEqual({
      name: 'web',
      namespace: 'apps',
      labels: { app: 'web' },
      annotations: { 'reloader.stakater.com/auto': 'true' },
    });
    expect(d.spec.replicas).toBe('1');
    expect(d.spec.strategy).toBeUndefined();
    expect(d.spec.selector).toEqual({ match_labels: { app: 'web' } });
    expect(d.spec.template.metadata).toEqual({ labels: { app: 'web' } });
    expect(container(d)).toEqual({
      name: 'web',
      image: 'nginx:1.28-alpine',
      resources: { requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    });
    expect(d.spec.template.spec.init_container).toBeUndefined();
  });

  it('env in declared order, then secret env from secretKeyRef with optional = false (no value, no default)', () => {
    const c = container(
      deploy({
        env: { B_FIRST: '1', A_SECOND: 'two' },
        secretEnv: [
          { name: 'DB_URL', secretName: 'db', key: 'DATABASE_URL' },
          { name: 'API_TOKEN', secretName: 'web-secrets', key: 'API_TOKEN' },
        ],
      }),
    );
    expect(c.env).toEqual([
      { name: 'B_FIRST', value: '1' },
      { name: 'A_SECOND', value: 'two' },
      {
        name: 'DB_URL',
        value_from: { secret_key_ref: { name: 'db', key: 'DATABASE_URL', optional: false } },
      },
      {
        name: 'API_TOKEN',
        value_from: { secret_key_ref: { name: 'web-secrets', key: 'API_TOKEN', optional: false } },
      },
    ]);
  });

  it('port, HTTP startup/readiness/liveness probes on the health path; startup budget from startupTimeoutSeconds', () => {
    const c = container(deploy({ port: 8000, healthCheckPath: '/health', startupTimeoutSeconds: 125 }));
    expect(c.port).toEqual([{ name: 'http', container_port: 8000, protocol: 'TCP' }]);
    const get = { path: '/health', port: '8000' };
    expect(c.startup_probe).toEqual({
      http_get: get,
      timeout_seconds: 5,
      period_seconds: 10,
      failure_threshold: 13,
    });
    expect(c.readiness_probe).toEqual({
      http_get: get,
      timeout_seconds: 5,
      period_seconds: 10,
      failure_threshold: 3,
    });
    expect(c.liveness_probe).toEqual({
      http_get: get,
      timeout_seconds: 5,
      period_seconds: 30,
      failure_threshold: 3,
    });
  });

  it('resources, replicas, command/args, pull secrets, fs_group, labels, tier label', () => {
    const d = deploy({
      cpuRequest: '50m',
      cpuLimit: '1',
      memoryRequest: '256Mi',
      memoryLimit: '1Gi',
      replicas: 2,
      command: ['celery'],
      args: ['worker'],
      imagePullSecrets: ['ghcr-credentials'],
      fsGroup: 1000,
      labels: { component: 'worker' },
      tier: Tier.AUX,
    });
    expect(d.metadata.labels).toEqual({ app: 'web', component: 'worker', tier: '4-aux' });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web', component: 'worker' });
    expect(d.spec.replicas).toBe('2');
    const c = container(d);
    expect(c.resources).toEqual({
      requests: { cpu: '50m', memory: '256Mi' },
      limits: { memory: '1Gi', cpu: '1' },
    });
    expect([c.command, c.args]).toEqual([['celery'], ['worker']]);
    expect(d.spec.template.spec.image_pull_secrets).toEqual([{ name: 'ghcr-credentials' }]);
    expect(d.spec.template.spec.security_context).toEqual({ fs_group: '1000' });
  });

  it('volumes: PVC mounts; a single-node volume switches the strategy to Recreate', () => {
    const d = deploy({
      volumes: [
        { name: 'data', claimName: 'web-data', mountPath: '/data', singleNode: true },
        { name: 'shared', claimName: 'nfs', mountPath: '/shared', readOnly: true },
      ],
    });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(container(d).volume_mount).toEqual([
      { name: 'data', mount_path: '/data', read_only: false },
      { name: 'shared', mount_path: '/shared', read_only: true },
    ]);
    expect(d.spec.template.spec.volume).toEqual([
      { name: 'data', persistent_volume_claim: { claim_name: 'web-data' } },
      { name: 'shared', persistent_volume_claim: { claim_name: 'nfs' } },
    ]);
    expect(
      deploy({ volumes: [{ name: 'shared', claimName: 'nfs', mountPath: '/s' }] }).spec.strategy,
    ).toBeUndefined();
  });

  it('waitFor becomes the Kyverno wait-for pod annotation; reloader can be turned off', () => {
    const d = deploy({
      waitFor: ['pg.dbaas:5432', 'redis.redis:6379'],
      podAnnotations: { 'x/y': 'z' },
      reloader: false,
    });
    expect(d.spec.template.metadata.annotations).toEqual({
      'x/y': 'z',
      'dependency.kyverno.io/wait-for': 'pg.dbaas:5432,redis.redis:6379',
    });
    expect(d.metadata.annotations).toBeUndefined();
  });
});

describe('AppDeployment: Keel / Kyverno conventions', () => {
  it('default (Keel enrolled): the canonical enrolled-workload ignore block, plus the tier label when the tier is unknown', () => {
    const d = deploy();
    expect(d.lifecycle.ignore_changes).toEqual([...keelEnrolledWorkload([0]), ...Ignore.tierLabel]);
    expect(d.metadata.annotations['keel.sh/policy']).toBeUndefined();
    expect(deploy({ tier: Tier.AUX }).lifecycle.ignore_changes).toEqual(keelEnrolledWorkload([0]));
  });

  it('keel: false sets keel.sh/policy=never and ignores only dns_config and the poll annotations', () => {
    const d = deploy({ keel: false, tier: Tier.AUX });
    expect(d.metadata.annotations['keel.sh/policy']).toBe('never');
    expect(d.lifecycle.ignore_changes).toEqual([
      ...Ignore.kyvernoPodDnsConfig,
      ...Ignore.keelPollAnnotations,
    ]);
    expect(d.lifecycle.ignore_changes).not.toContain(Ignore.keelImage(0)[0]);
  });

  it("keelPolicy: Terraform writes the policy (not ignored); image and rollout annotations are Keel's", () => {
    const d = deploy({ keelPolicy: KeelPolicy.FORCE, image: 'ghcr.io/x/app:latest', tier: Tier.AUX });
    expect(d.metadata.annotations['keel.sh/policy']).toBe('force');
    expect(d.lifecycle.ignore_changes).toEqual([
      ...Ignore.kyvernoPodDnsConfig,
      ...Ignore.keelPollAnnotations,
      ...Ignore.keelRollout,
      ...Ignore.keelImage(0),
    ]);
    expect(d.lifecycle.ignore_changes).not.toContain('metadata[0].annotations["keel.sh/policy"]');
  });

  it('the require-secrets init image is ignored too when Keel may bump it', () => {
    const props = {
      secretEnv: [{ name: 'TOKEN_VALUE', secretName: 's', key: 'k' }],
      dependsOnSecrets: ['TOKEN_VALUE'],
    };
    expect(deploy(props).lifecycle.ignore_changes).toContain(Ignore.keelInitImage(0)[0]);
    expect(deploy({ ...props, keel: false }).lifecycle.ignore_changes).not.toContain(
      Ignore.keelInitImage(0)[0],
    );
  });
});

describe('AppDeployment: dependsOnSecrets (fail closed)', () => {
  it('adds a require-secrets init container running payloads/require-env.sh over the same secret refs', () => {
    const d = deploy({
      env: { PLAIN: 'x' },
      secretEnv: [
        { name: 'API_TOKEN', secretName: 'web-secrets', key: 'API_TOKEN' },
        { name: 'OPTIONAL_THING', secretName: 'web-secrets', key: 'OPTIONAL_THING' },
        { name: 'DATABASE_URL', secretName: 'db', key: 'DATABASE_URL' },
      ],
      dependsOnSecrets: ['DATABASE_URL', 'API_TOKEN'],
    });
    const init = d.spec.template.spec.init_container;
    expect(init).toHaveLength(1);
    expect(init[0].name).toBe('require-secrets');
    expect(init[0].image).toBe(REQUIRE_SECRETS_IMAGE);
    expect(init[0].command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(terraformUnescape(init[0].command[2])).toBe(readScript('require-env.sh'));
    expect(init[0].env).toEqual([
      { name: 'REQUIRED_ENV', value: 'DATABASE_URL API_TOKEN' },
      {
        name: 'DATABASE_URL',
        value_from: { secret_key_ref: { name: 'db', key: 'DATABASE_URL', optional: false } },
      },
      {
        name: 'API_TOKEN',
        value_from: { secret_key_ref: { name: 'web-secrets', key: 'API_TOKEN', optional: false } },
      },
    ]);
    expect(init[0].resources.limits).toEqual({ memory: '32Mi' });
  });

  it('refuses a name that is not a secret variable, and duplicates', () => {
    const secretEnv = [{ name: 'API_TOKEN', secretName: 's', key: 'k' }];
    const e = expectConfigError(build({ env: { PLAIN: 'x' }, secretEnv, dependsOnSecrets: ['PLAIN'] }));
    expect(e.message).toBe(
      'test-stack/web: invalid dependsOnSecrets[0] = "PLAIN"; allowed: the name of a secret variable (API_TOKEN)',
    );
    expect(expectConfigError(build({ secretEnv, dependsOnSecrets: ['API_TOKEN', 'API_TOKEN'] })).prop).toBe(
      'dependsOnSecrets',
    );
  });
});

describe('AppDeployment: guards', () => {
  it('request > limit (memory and cpu)', () => {
    const mem = expectConfigError(build({ memoryRequest: '1Gi', memoryLimit: '512Mi' }));
    expect(mem.message).toBe(
      'test-stack/web: invalid memoryRequest = {"request":"1Gi","limit":"512Mi"}; allowed: a request no larger than the limit (1Gi > 512Mi)',
    );
    // The limit defaults to the request, so a bigger request alone is fine.
    expect(container(deploy({ memoryRequest: '1Gi' })).resources.limits.memory).toBe('1Gi');
    const cpu = expectConfigError(build({ cpuRequest: '2', cpuLimit: '500m' }));
    expect(cpu.prop).toBe('cpuRequest');
    expect(cpu.message).toMatch(/allowed: a request no larger than the limit \(2 > 500m\)$/);
    expect(expectConfigError(build({ memoryRequest: 'lots' })).prop).toBe('memoryRequest');
  });

  it('unpinned image: "latest" or no tag is refused unless Keel manages it with the force policy', () => {
    const allowed =
      'allowed: an image pinned by tag or digest (e.g. "nginx:1.28-alpine"); "latest" or no tag only when Keel manages it (keel: true with keelPolicy: KeelPolicy.FORCE)';
    for (const [image, extra] of [
      ['nginx:latest', {}],
      ['ghcr.io/x/app', {}],
      ['registry:5000/x/app', {}],
      ['nginx:latest', { keel: true }],
      ['nginx:latest', { keelPolicy: KeelPolicy.PATCH }],
    ] as const) {
      const e = expectConfigError(build({ image, ...extra }));
      expect(e.message).toBe(`test-stack/web: invalid image = ${JSON.stringify(image)}; ${allowed}`);
    }
    const forced = deploy({ image: 'ghcr.io/x/app', keelPolicy: KeelPolicy.FORCE });
    expect(container(forced).image).toBe('ghcr.io/x/app');
    expect(container(deploy({ image: `busybox@sha256:${'b'.repeat(64)}`, keel: false })).image).toMatch(
      /@sha256:/,
    );
  });

  it('keelPolicy with keel: false is a contradiction', () => {
    const e = expectConfigError(build({ keel: false, keelPolicy: KeelPolicy.FORCE }));
    expect(e.message).toBe(
      'test-stack/web: invalid keelPolicy = "force"; allowed: unset when keel is false (the policy is then "never")',
    );
  });

  it('env: C identifiers, non-empty values (no empty defaults), no credentials in plain env, each name once', () => {
    expect(expectConfigError(build({ env: { 'BAD-NAME': 'x' } })).prop).toBe('env.BAD-NAME');
    const empty = expectConfigError(build({ env: { OPTIONAL_FLAG: '' } }));
    expect(empty.message).toBe(
      'test-stack/web: invalid env.OPTIONAL_FLAG = ""; allowed: a non-empty string (omit the variable rather than default it to "")',
    );
    for (const name of ['DB_PASSWORD', 'API_TOKEN', 'AUTH_JWT_SECRET', 'OPENAI_API_KEY']) {
      const e = expectConfigError(build({ env: { [name]: 'hunter2' } }));
      expect(e.message).toBe(
        `test-stack/web: invalid env.${name} = "<redacted>"; allowed: no credential in plain text (${name} names a credential): read it from a Secret (secret env / a Vault path), never a literal`,
      );
      expect(e.message).not.toMatch(/hunter2/);
    }
    // Names that only mention a credential are fine.
    expect(
      container(deploy({ env: { VAULT_TOKEN_FILE: '/v/t', AUTH_COOKIE_SECURE: 'true' } })).env,
    ).toHaveLength(2);
    const dup = expectConfigError(
      build({ env: { API_URL: 'x' }, secretEnv: [{ name: 'API_URL', secretName: 's', key: 'k' }] }),
    );
    expect(dup.message).toBe(
      'test-stack/web: invalid secretEnv[0].name = "API_URL"; allowed: each variable name once across env and secret env',
    );
  });

  it('probes need a port; paths, ports, volumes, waitFor and replicas are checked', () => {
    expect(expectConfigError(build({ healthCheckPath: '/health' })).message).toBe(
      'test-stack/web: invalid healthCheckPath = "/health"; allowed: only with a port',
    );
    expect(expectConfigError(build({ port: 8000, healthCheckPath: 'health' })).prop).toBe('healthCheckPath');
    expect(expectConfigError(build({ port: 70000 })).prop).toBe('port');
    expect(expectConfigError(build({ replicas: -1 })).prop).toBe('replicas');
    expect(expectConfigError(build({ waitFor: ['pg.dbaas'] })).prop).toBe('waitFor[0]');
    expect(
      expectConfigError(build({ volumes: [{ name: 'd', claimName: 'c', mountPath: 'rel' }] })).prop,
    ).toBe('volumes[0].mountPath');
    const twice = { name: 'd', claimName: 'c', mountPath: '/d' };
    expect(expectConfigError(build({ volumes: [twice, twice] })).prop).toBe('volumes');
    expect(expectConfigError(build({ name: 'Web_App' })).prop).toBe('name');
    expect(expectConfigError(build({ tier: 'gold' as Tier })).prop).toBe('tier');
  });
});
