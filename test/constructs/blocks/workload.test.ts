// The workload blocks against the tree's shapes (stacks at HEAD 0cd4afb6: echo, excalidraw, cyberchef,
// blog, tts, forgejo): what each kind renders, and what it derives (ignore groups, container indexes,
// Keel annotations, Sablier labels) from intent.
import { describe, expect, it } from 'vitest';
import { IngressFactory } from '../../../constructs/blocks/ingress-factory';
import { ScriptCronJob } from '../../../constructs/blocks/script-cron-job';
import { serviceFromName } from '../../../constructs/blocks/service';
import { TieredNamespace } from '../../../constructs/blocks/tiered-namespace';
import {
  CronJob,
  DaemonSet,
  Deployment,
  Job,
  Keel,
  KeelPolicy,
  Probe,
  StatefulSet,
  Volume,
} from '../../../constructs/blocks/workload';
import { Ignore, keelEnrolledWorkload } from '../../../lib/conventions/lifecycle';
import { Tier } from '../../../lib/conventions/tiers';
import { siteOf } from '../../../lib/conventions/site';
import { readScript } from '../../../lib/core/paths';
import { Duration, Size } from '../../../lib/core/units';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

const ECHO = { name: 'echo', image: 'mendhak/http-https-echo:36', ports: [8080, 8443] };
const res = { cpuRequest: '10m', memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(128) };

function setup() {
  const s = testStack('w');
  const ns = new TieredNamespace(s, 'echo', { tier: Tier.EDGE });
  return { s, ns };
}

describe('Deployment', () => {
  it('renders the tree echo Deployment: tier label, string replicas, bare ports, enrolled Keel ignores', () => {
    const { s, ns } = setup();
    const d = new Deployment(s, 'echo', {
      namespace: ns,
      name: 'echo',
      containers: [{ ...ECHO, resources: res }],
    });
    const json = synth(s);
    const r = resource(json, 'kubernetes_deployment', 'echo');
    expect(r.metadata).toEqual({
      name: 'echo',
      namespace: '${kubernetes_namespace.echo.metadata[0].name}',
      labels: { app: 'echo', tier: '3-edge' },
    });
    expect(r.spec.replicas).toBe('1');
    expect(r.spec.selector).toEqual({ match_labels: { app: 'echo' } });
    expect(r.spec.template.metadata).toEqual({ labels: { app: 'echo' } });
    expect(r.spec.template.spec.container).toEqual([
      {
        name: 'echo',
        image: 'mendhak/http-https-echo:36',
        port: [{ container_port: 8080 }, { container_port: 8443 }],
        resources: { requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      },
    ]);
    expect(r.spec.strategy).toBeUndefined();
    expect(r.lifecycle.ignore_changes).toEqual(keelEnrolledWorkload([0]));
    // The construct id clashes with the namespace's: the Deployment qualifies it, the address stays.
    expect(d.node.id).toBe('kubernetes_deployment.echo');
    expect(d.addressName).toBe('echo');
  });

  it('derives Keel image indexes from container names', () => {
    const { s, ns } = setup();
    const two = [
      { name: 'app', image: 'a:1' },
      { name: 'exporter', image: 'nginx/nginx-prometheus-exporter:1.4.2' },
    ];
    new Deployment(s, 'all', { namespace: ns, name: 'all', containers: two });
    new Deployment(s, 'one', {
      namespace: ns,
      name: 'one',
      containers: two,
      keel: Keel.enrolled({ containers: ['exporter'] }),
    });
    new Deployment(s, 'init', {
      namespace: ns,
      name: 'init',
      containers: two,
      initContainers: [{ name: 'seed', image: 'busybox:1.37' }],
      keel: Keel.enrolled({ initContainers: ['seed'] }),
    });
    const json = synth(s);
    expect(resource(json, 'kubernetes_deployment', 'all').lifecycle.ignore_changes).toEqual(
      keelEnrolledWorkload([0, 1]),
    );
    expect(resource(json, 'kubernetes_deployment', 'one').lifecycle.ignore_changes).toEqual(
      keelEnrolledWorkload([1]),
    );
    expect(resource(json, 'kubernetes_deployment', 'init').lifecycle.ignore_changes).toEqual([
      ...keelEnrolledWorkload([0, 1]),
      ...Ignore.keelInitImage(0),
    ]);
    const err = expectConfigError(
      () =>
        new Deployment(s, 'bad', {
          namespace: ns,
          name: 'bad',
          containers: two,
          keel: Keel.enrolled({ containers: ['nope'] }),
        }),
    );
    expect(err.message).toBe(
      'w/bad: invalid keel.containers[0] = "nope"; allowed: a container name (app, exporter)',
    );
  });

  it('Keel never: the policy annotation, and Terraform keeps the image', () => {
    const { s, ns } = setup();
    new Deployment(s, 'app', {
      namespace: ns,
      name: 'app',
      containers: [{ name: 'app', image: 'codeberg.org/forgejo/forgejo:11.0.14' }],
      keel: Keel.never(),
      annotations: { 'reloader.stakater.com/auto': 'true' },
    });
    const r = resource(synth(s), 'kubernetes_deployment', 'app');
    expect(r.metadata.annotations).toEqual({
      'keel.sh/policy': 'never',
      'reloader.stakater.com/auto': 'true',
    });
    expect(r.lifecycle.ignore_changes).toEqual([
      ...Ignore.kyvernoPodDnsConfig,
      ...Ignore.keelPollAnnotations,
    ]);
  });

  it('Keel never with initContainers: the named init containers keep their image ignored', () => {
    const { s, ns } = setup();
    new Deployment(s, 'app', {
      namespace: ns,
      name: 'app',
      initContainers: [
        { name: 'fix-perms', image: 'busybox:1.37' },
        { name: 'seed', image: 'alpine:3.20' },
      ],
      containers: [{ name: 'app', image: 'codeberg.org/forgejo/forgejo:11.0.14' }],
      keel: Keel.never({ initContainers: ['seed'] }),
    });
    const r = resource(synth(s), 'kubernetes_deployment', 'app');
    expect(r.metadata.annotations).toEqual({ 'keel.sh/policy': 'never' });
    expect(r.lifecycle.ignore_changes).toEqual([
      ...Ignore.kyvernoPodDnsConfig,
      ...Ignore.keelPollAnnotations,
      ...Ignore.keelInitImage(1),
    ]);
    expect(
      () =>
        new Deployment(setup().s, 'bad', {
          namespace: ns,
          name: 'bad',
          containers: [{ name: 'app', image: 'a:1' }],
          keel: Keel.never({ initContainers: ['nope'] }),
        }),
    ).toThrow(/keel.initContainers\[0\]/);
  });

  it('Keel policy: recreate seeds for policy, trigger, match-tag and poll schedule; ignored like enrolled', () => {
    const { s, ns } = setup();
    new Deployment(s, 'app', {
      namespace: ns,
      name: 'app',
      containers: [{ name: 'app', image: 'ghcr.io/x/app:latest' }],
      keel: Keel.policy(KeelPolicy.FORCE, { pollEvery: Duration.minutes(1) }),
    });
    const r = resource(synth(s), 'kubernetes_deployment', 'app');
    expect(r.metadata.annotations).toEqual({
      'keel.sh/policy': 'force',
      'keel.sh/trigger': 'poll',
      'keel.sh/match-tag': 'true',
      'keel.sh/pollSchedule': '@every 1m',
    });
    expect(r.lifecycle.ignore_changes).toEqual(keelEnrolledWorkload([0]));
  });

  it('one Sablier declaration gives the labels, the replicas ignore and the ingress middleware', () => {
    const { s, ns } = setup();
    const d = new Deployment(s, 'app', {
      namespace: ns,
      name: 'app',
      containers: [{ name: 'app', image: 'a:1', ports: [8000] }],
      sablier: { readyAfter: Duration.seconds(10) },
    });
    const svc = d.exposeViaService({ name: 'cc', ports: [{ name: 'http', port: 80, targetPort: 8000 }] });
    expect(svc.sablier).toEqual({ group: 'app' });
    new IngressFactory(s, 'ingress', { name: 'cc', namespace: ns, service: svc });
    const json = synth(s);
    const r = resource(json, 'kubernetes_deployment', 'app');
    expect(r.metadata.labels).toEqual({
      app: 'app',
      tier: '3-edge',
      'sablier.enable': 'true',
      'sablier.group': 'app',
      'sablier.ready-after': '10s',
    });
    expect(r.lifecycle.ignore_changes).toEqual([...keelEnrolledWorkload([0]), ...Ignore.replicas]);
    const ingress = resource(json, 'kubernetes_ingress_v1', 'ingress');
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      '-sablier-cc@kubernetescrd',
    );
    expect(ingress.spec.rule[0].http.path[0].backend.service).toEqual({
      name: '${kubernetes_service.app.metadata[0].name}',
      port: { number: 80 },
    });
    expect(resource(json, 'kubectl_manifest', 'ingress_sablier').yaml_body).toContain('"group": "app"');
  });

  it('exposeViaService: target ports as strings, selector as labels, the workload address', () => {
    const { s, ns } = setup();
    const d = new Deployment(s, 'blog', {
      namespace: ns,
      name: 'blog',
      selector: { run: 'blog' },
      containers: [{ name: 'blog', image: 'b:1', ports: [80, 9113] }],
    });
    d.exposeViaService({
      ports: [
        { name: 'http', port: 80 },
        { name: 'prometheus', port: 9113 },
      ],
      annotations: { 'prometheus.io/scrape': 'true' },
    });
    const svc = resource(synth(s), 'kubernetes_service', 'blog');
    expect(svc.metadata).toEqual({
      name: 'blog',
      namespace: '${kubernetes_namespace.echo.metadata[0].name}',
      labels: { run: 'blog' },
      annotations: { 'prometheus.io/scrape': 'true' },
    });
    expect(svc.spec).toEqual({
      selector: { run: 'blog' },
      port: [
        { name: 'http', port: 80, target_port: '80' },
        { name: 'prometheus', port: 9113, target_port: '9113' },
      ],
    });
    expect(expectConfigError(() => d.exposeViaService({ ports: [] })).prop).toBe('exposeViaService.ports');
  });

  it('mounts only declared volumes and names the bad one', () => {
    const { s, ns } = setup();
    const data = Volume.fromPvc('data', 'claim');
    const err = expectConfigError(
      () =>
        new Deployment(s, 'app', {
          namespace: ns,
          name: 'app',
          containers: [{ name: 'app', image: 'a:1', volumeMounts: [{ volume: 'cache', mountPath: '/c' }] }],
          volumes: [data],
        }),
    );
    expect(err.message).toBe(
      'w/app: invalid containers[0].volumeMounts[0].volume = "cache"; allowed: a pod volume (data)',
    );
    expect(
      expectConfigError(
        () => new Deployment(s, 'r', { namespace: ns, name: 'r', containers: [ECHO], replicas: -1 }),
      ).message,
    ).toBe('w/r: invalid replicas = -1; allowed: an integer from 0 to 100');
  });
});

describe('pod details the tree writes for some workloads (Anubis, static sites)', () => {
  it('probes, security context, pod labels, topology spread, rolling update, Secret items, not-enrolled Keel', () => {
    const s = testStack('w');
    // Not Keel-enrolled, as the Anubis namespaces are: no Keel annotations to ignore.
    const ns = new TieredNamespace(s, 'echo', { tier: Tier.EDGE, keelEnrolled: false });
    const key = Volume.fromSecret('key', 'anubis-key', { items: [{ key: 'key', path: 'key' }] });
    new Deployment(s, 'anubis', {
      namespace: ns,
      name: 'anubis',
      tierLabel: false,
      podLabels: { 'app.kubernetes.io/name': 'anubis' },
      strategy: 'RollingUpdate',
      rollingUpdate: { maxSurge: '1', maxUnavailable: '0' },
      topologySpread: [{ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }],
      keel: Keel.notEnrolled(),
      containers: [
        {
          name: 'anubis',
          image: 'ghcr.io/techarohq/anubis:v1.21.3',
          ports: [{ name: 'metrics', containerPort: 9090 }],
          volumeMounts: [{ volume: key, mountPath: '/keys', readOnly: true }],
          readinessProbe: Probe.httpGet('/metrics', 'metrics', {
            initialDelay: Duration.seconds(2),
            period: Duration.seconds(5),
            failureThreshold: 2,
          }),
          livenessProbe: Probe.tcpSocket(9090, { period: Duration.seconds(30) }),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            readOnlyRootFilesystem: true,
            dropCapabilities: ['ALL'],
          },
        },
      ],
      volumes: [key],
    });
    const r = resource(synth(s), 'kubernetes_deployment', 'anubis');
    expect(r.metadata.labels).toEqual({ app: 'anubis' });
    expect(r.spec.template.metadata.labels).toEqual({ app: 'anubis', 'app.kubernetes.io/name': 'anubis' });
    expect(r.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rolling_update: { max_surge: '1', max_unavailable: '0' },
    });
    expect(r.spec.template.spec.topology_spread_constraint).toEqual([
      {
        max_skew: 1,
        topology_key: 'kubernetes.io/hostname',
        when_unsatisfiable: 'DoNotSchedule',
        label_selector: [{ match_labels: { app: 'anubis' } }],
      },
    ]);
    const c = r.spec.template.spec.container[0];
    expect(c.port).toEqual([{ name: 'metrics', container_port: 9090 }]);
    expect(c.readiness_probe).toEqual({
      http_get: { path: '/metrics', port: 'metrics' },
      initial_delay_seconds: 2,
      period_seconds: 5,
      failure_threshold: 2,
    });
    expect(c.liveness_probe).toEqual({ tcp_socket: [{ port: '9090' }], period_seconds: 30 });
    expect(c.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '1000',
      read_only_root_filesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(r.spec.template.spec.volume).toEqual([
      { name: 'key', secret: { secret_name: 'anubis-key', items: [{ key: 'key', path: 'key' }] } },
    ]);
    expect(r.lifecycle.ignore_changes).toEqual(Ignore.kyvernoPodDnsConfig);
    expect(
      expectConfigError(
        () =>
          new Deployment(s, 'bad', {
            namespace: ns,
            name: 'bad',
            containers: [ECHO],
            rollingUpdate: { maxSurge: '1' },
          }),
      ).message,
    ).toBe('w/bad: invalid rollingUpdate = {"maxSurge":"1"}; allowed: only with strategy "RollingUpdate"');
  });

  it('workloads nested in a construct take their address from the enclosing ids, or addressName', () => {
    const { s, ns } = setup();
    const parent = new TieredNamespace(s, 'site', { tier: Tier.AUX });
    const d = new Deployment(parent, 'web', { namespace: ns, name: 'web', containers: [ECHO] });
    const k = new Deployment(parent, 'kept', {
      namespace: ns,
      name: 'kept',
      containers: [ECHO],
      addressName: 'tree_name',
    });
    expect(d.addressName).toBe('site_web');
    expect(k.addressName).toBe('tree_name');
    const json = synth(s);
    expect(Object.keys(json.resource!.kubernetes_deployment).sort()).toEqual(['site_web', 'tree_name']);
  });
});

describe('StatefulSet and DaemonSet', () => {
  it('render kubernetes_stateful_set_v1 (service name, replicas) and kubernetes_daemon_set_v1', () => {
    const { s, ns } = setup();
    new StatefulSet(s, 'db', {
      namespace: ns,
      name: 'db',
      serviceName: 'db-headless',
      containers: [{ name: 'db', image: 'pg:16' }],
      keel: Keel.never(),
    });
    new DaemonSet(s, 'agent', {
      namespace: ns,
      name: 'agent',
      containers: [{ name: 'agent', image: 'agent:1' }],
    });
    const json = synth(s);
    const sts = resource(json, 'kubernetes_stateful_set_v1', 'db');
    expect(sts.spec.service_name).toBe('db-headless');
    expect(sts.spec.replicas).toBe('1');
    expect(sts.metadata.annotations).toEqual({ 'keel.sh/policy': 'never' });
    const ds = resource(json, 'kubernetes_daemon_set_v1', 'agent');
    expect(ds.spec.selector).toEqual({ match_labels: { app: 'agent' } });
    expect(ds.lifecycle.ignore_changes).toEqual(keelEnrolledWorkload([0]));
  });
});

describe('Deployment waitForRollout', () => {
  it('renders wait_for_rollout only when asked (anisette: false)', () => {
    const { s, ns } = setup();
    new Deployment(s, 'slow', { namespace: ns, name: 'slow', waitForRollout: false, containers: [ECHO] });
    new Deployment(s, 'plain', { namespace: ns, name: 'plain', containers: [ECHO] });
    const json = synth(s);
    expect(resource(json, 'kubernetes_deployment', 'slow').wait_for_rollout).toBe(false);
    expect(resource(json, 'kubernetes_deployment', 'plain')).not.toHaveProperty('wait_for_rollout');
  });
});

describe('container security context', () => {
  it('adds and drops capabilities (changedetection sockpuppetbrowser: add SYS_ADMIN)', () => {
    const { s, ns } = setup();
    new Deployment(s, 'browser', {
      namespace: ns,
      name: 'browser',
      containers: [
        { ...ECHO, name: 'a', securityContext: { addCapabilities: ['SYS_ADMIN'] } },
        {
          ...ECHO,
          name: 'b',
          securityContext: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
        },
      ],
    });
    const [a, b] = resource(synth(s), 'kubernetes_deployment', 'browser').spec.template.spec.container;
    expect(a.security_context).toEqual({ capabilities: { add: ['SYS_ADMIN'] } });
    expect(b.security_context).toEqual({ capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } });
  });
});

describe('Job and CronJob', () => {
  it('Job: labels on the Job and its pods, no tier, Never, ttl in seconds, wait and timeout (tts models_dir_init)', () => {
    const { s, ns } = setup();
    const root = Volume.fromNfs('nfs-ssd-root', '/srv/nfs-ssd');
    new Job(s, 'models_dir_init', {
      namespace: ns,
      name: 'chatterbox-models-dir-init',
      labels: { app: 'chatterbox-tts' },
      backoffLimit: 3,
      ttlAfterFinished: Duration.days(1),
      containers: [
        { name: 'mkdir', image: 'busybox:1.37', volumeMounts: [{ volume: root, mountPath: '/mnt' }] },
      ],
      volumes: [root],
      waitForCompletion: true,
      createTimeout: Duration.minutes(3),
    });
    const r = resource(synth(s), 'kubernetes_job', 'models_dir_init');
    expect(r.metadata.labels).toEqual({ app: 'chatterbox-tts' });
    expect(r.spec.backoff_limit).toBe(3);
    expect(r.spec.ttl_seconds_after_finished).toBe('86400');
    expect(r.spec.template.metadata).toEqual({ labels: { app: 'chatterbox-tts' } });
    expect(r.spec.template.spec.restart_policy).toBe('Never');
    expect(r.spec.template.spec.volume).toEqual([
      { name: 'nfs-ssd-root', nfs: { server: siteOf(s).nfsServer, path: '/srv/nfs-ssd' } },
    ]);
    expect(r.wait_for_completion).toBe(true);
    expect(r.timeouts).toEqual({ create: '3m' });
    expect(r.lifecycle.ignore_changes).toEqual(Ignore.kyvernoPodDnsConfig);
  });

  it('CronJob: Forbid, empty template metadata, OnFailure, the CronJob dns_config ignore; bad schedule named', () => {
    const { s, ns } = setup();
    new CronJob(s, 'nightly', {
      namespace: ns,
      name: 'nightly',
      schedule: '0 4 * * *',
      containers: [{ name: 'job', image: 'alpine:3.20' }],
    });
    const r = resource(synth(s), 'kubernetes_cron_job_v1', 'nightly');
    expect(r.spec.concurrency_policy).toBe('Forbid');
    expect(r.spec.job_template.metadata).toEqual({});
    expect(r.spec.job_template.spec.template.metadata).toEqual({});
    expect(r.spec.job_template.spec.template.spec.restart_policy).toBe('OnFailure');
    expect(r.lifecycle.ignore_changes).toEqual(Ignore.kyvernoCronJobDnsConfig);
    expect(
      expectConfigError(
        () => new CronJob(s, 'bad', { namespace: ns, name: 'bad', schedule: 'daily', containers: [ECHO] }),
      ).prop,
    ).toBe('schedule');
  });

  it('CronJob: time zone (the binding key `timezone`), deadlines in seconds, labelled Jobs (chesscom-streak)', () => {
    const { s, ns } = setup();
    new CronJob(s, 'solve', {
      namespace: ns,
      name: 'solve',
      labels: { app: 'solve' },
      labelJobs: true,
      schedule: '0 12-16 * * *',
      timeZone: 'Europe/Sofia',
      startingDeadline: Duration.minutes(10),
      activeDeadline: Duration.minutes(45),
      containers: [{ name: 'job', image: 'alpine:3.20' }],
    });
    const r = resource(synth(s), 'kubernetes_cron_job_v1', 'solve');
    expect(r.spec.timezone).toBe('Europe/Sofia');
    expect(r.spec.starting_deadline_seconds).toBe(600);
    expect(r.spec.job_template.metadata).toEqual({ labels: { app: 'solve' } });
    expect(r.spec.job_template.spec.active_deadline_seconds).toBe(2700);
    expect(r.spec.job_template.spec.template.metadata).toEqual({ labels: { app: 'solve' } });
    expect(
      expectConfigError(
        () =>
          new CronJob(s, 'tz', {
            namespace: ns,
            name: 'tz',
            schedule: '0 4 * * *',
            timeZone: 'Mars/Olympus',
            containers: [ECHO],
          }),
      ).prop,
    ).toBe('timeZone');
  });

  it('ScriptCronJob: the payload file in a ConfigMap, run from /scripts, with the tree cleanup job defaults', () => {
    const { s, ns } = setup();
    const job = new ScriptCronJob(s, 'cleanup', {
      namespace: ns,
      name: 'forgejo-cleanup',
      schedule: '0 4 * * *',
      script: 'forgejo-retention.sh',
      scriptKey: 'cleanup.sh',
      containerName: 'cleanup',
      image: 'docker.io/library/alpine:3.20',
      env: { DRY_RUN: 'true', FORGEJO_TOKEN: { secretName: 'forgejo-cleanup-token', key: 'FORGEJO_TOKEN' } },
      resources: { cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '96Mi' },
    });
    const json = synth(s);
    const cm = resource(json, 'kubernetes_config_map', 'cleanup_script');
    expect(cm.metadata.name).toBe('forgejo-cleanup-script');
    expect(Object.keys(cm.data)).toEqual(['cleanup.sh']);
    expect(cm.data['cleanup.sh'].length).toBeGreaterThanOrEqual(readScript('forgejo-retention.sh').length);
    const r = resource(json, 'kubernetes_cron_job_v1', 'cleanup');
    expect(r.spec.failed_jobs_history_limit).toBe(3);
    expect(r.spec.successful_jobs_history_limit).toBe(3);
    const spec = r.spec.job_template.spec;
    expect(spec.backoff_limit).toBe(1);
    expect(spec.ttl_seconds_after_finished).toBe('3600');
    expect(spec.template.spec.container[0]).toMatchObject({
      name: 'cleanup',
      command: ['/bin/sh', '/scripts/cleanup.sh'],
      volume_mount: [{ name: 'scripts', mount_path: '/scripts' }],
      env: [
        { name: 'DRY_RUN', value: 'true' },
        {
          name: 'FORGEJO_TOKEN',
          value_from: { secret_key_ref: { name: 'forgejo-cleanup-token', key: 'FORGEJO_TOKEN' } },
        },
      ],
    });
    expect(spec.template.spec.volume).toEqual([
      {
        name: 'scripts',
        config_map: {
          name: '${kubernetes_config_map.cleanup_script.metadata[0].name}',
          default_mode: '0755',
        },
      },
    ]);
    expect(job.configMap.metadata.name).toBeDefined();
  });
});

describe('namespaces and services as objects', () => {
  it('TieredNamespace and TieredNamespace.fromName both give name + tier', () => {
    const { s, ns } = setup();
    expect(ns.tier).toBe(Tier.EDGE);
    expect(TieredNamespace.fromName(s, 'redis', 'redis', Tier.CLUSTER)).toEqual({
      name: 'redis',
      tier: Tier.CLUSTER,
    });
    expect(
      expectConfigError(() => TieredNamespace.fromName(s, 'bad', 'Redis', Tier.CLUSTER)).message,
    ).toContain('w/bad: invalid name = "Redis"');
    expect(expectConfigError(() => TieredNamespace.fromName(s, 'bad2', 'x', 'gold' as Tier)).prop).toBe(
      'tier',
    );
    expect(resource(synth(s), 'kubernetes_namespace', 'echo').metadata.name).toBe('echo');
  });

  it('serviceFromName: external references with port 80 by default', () => {
    expect(serviceFromName('redis-master')).toEqual({ name: 'redis-master', port: 80 });
    expect(serviceFromName('pg', 5432).port).toBe(5432);
    expect(expectConfigError(() => serviceFromName('pg', 0)).prop).toBe('port');
  });
});

describe('Size and Duration', () => {
  it('render the tree strings', () => {
    expect(String(Size.mebibytes(128))).toBe('128Mi');
    expect(Size.gibibytes(6).toBytes()).toBe(6442450944);
    expect(Size.kibibytes(512).toString()).toBe('512Ki');
    expect(Duration.minutes(5).toString()).toBe('5m');
    expect(Duration.hours(1).toSecondsString()).toBe('3600');
    expect(Duration.days(1).toSecondsString()).toBe('86400');
    expect(Duration.seconds(5).toString()).toBe('5s');
  });

  it('refuse fractional and negative amounts with a ConfigError', () => {
    expect(expectConfigError(() => Size.mebibytes(1.5)).message).toBe(
      'Size: invalid amount = 1.5; allowed: a whole number >= 0',
    );
    expect(expectConfigError(() => Duration.minutes(-1)).prop).toBe('amount');
  });
});
