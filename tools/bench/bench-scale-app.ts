// The synthetic app of `npm run bench:scale`: N stacks built from the real constructs in the tree's
// proportions (lib/tooling/bench-plan.ts), never registered in stacks/index.ts. Run by the benchmark as a fresh
// process, exactly like `npm run synth` runs the real app:
//
//   node dist/bench-scale-app.js --stacks N --outdir DIR
//
// It prints runSynth's per-stack lines and total (stdout) and writes DIR/stacks/*/cdk.tf.json.
import { CronJobV1 } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { AnubisSite } from '../../constructs/patterns/anubis-site';
import { GpuGatedTts, T4_VRAM_BYTES } from '../../constructs/patterns/gpu-gated-tts';
import { DnsType, IngressAuth } from '../../constructs/blocks/ingress-factory';
import { NfsStaticSite } from '../../constructs/patterns/nfs-static-site';
import { NfsVolume } from '../../constructs/blocks/nfs-volume';
import { serviceFromName } from '../../constructs/blocks/service';
import { TieredNamespace } from '../../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../../constructs/blocks/tls-secret';
import { WebApp } from '../../constructs/patterns/web-app';
import { named } from '../../lib/terraform/addresses';
import { benchPlan, type BenchStackPlan } from '../../lib/tooling/bench-plan';
import { Ignore, ignoreChanges } from '../../lib/conventions/lifecycle';
import { defineStack, type InfraStack, type StackDefinition } from '../../lib/synth/stack';
import { runSynth } from '../../lib/synth/synth-run';
import { Tier } from '../../lib/conventions/tiers';

/** Anubis sites share one Redis with 16 DBs: the first 16 get a DB of their own, later ones run in memory. */
const ANUBIS_SHARED_STORES = 16;

const DNS: Record<BenchStackPlan['dns'], DnsType> = {
  proxied: DnsType.PROXIED,
  'non-proxied': DnsType.NON_PROXIED,
  internal: DnsType.INTERNAL,
};

/** A nightly backup-style CronJob (the most common kind of CronJob in the tree). */
function backupCronJob(stack: InfraStack, name: string, namespace: string, claimName?: string): void {
  named(stack, CronJobV1, 'backup', {
    metadata: { name: `${name}-backup`, namespace, labels: { app: name, component: 'backup' } },
    spec: {
      schedule: '15 3 * * *',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: {},
        spec: {
          backoffLimit: 1,
          template: {
            metadata: { labels: { app: name, component: 'backup' } },
            spec: {
              restartPolicy: 'OnFailure',
              container: [
                {
                  name: 'backup',
                  image: 'docker.io/library/alpine:3.22',
                  command: ['/bin/sh', '-c', `tar czf /backup/${name}-$(date +%F).tgz /data`],
                  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
                  volumeMount: claimName ? [{ name: 'data', mountPath: '/data', readOnly: true }] : [],
                },
              ],
              volume: claimName ? [{ name: 'data', persistentVolumeClaim: { claimName } }] : [],
            },
          },
        },
      },
    },
    lifecycle: ignoreChanges(Ignore.kyvernoCronJobDnsConfig),
  });
}

function webStack(stack: InfraStack, p: BenchStackPlan): void {
  const name = p.name;
  let nfsClaim: string | undefined;
  // The bench's namespace by literal name (the WebApp's; every resource's when none is created here).
  const literal = TieredNamespace.fromName(stack, 'literal_namespace', name, Tier.AUX);
  const ns = p.namespace ? new TieredNamespace(stack, name, { tier: Tier.AUX }) : undefined;
  const namespaceRef = ns ?? literal;
  if (p.tlsSecret) new TlsSecret(stack, 'tls_secret', { namespace: namespaceRef });
  if (p.nfs) {
    nfsClaim = new NfsVolume(stack, 'nfs_data', {
      name: `${name}-data`,
      namespace: namespaceRef,
      nfsPath: `/srv/nfs/${name}`,
      storage: '10Gi',
    }).claimName;
  }
  new WebApp(stack, 'app', {
    name,
    existingNamespace: literal,
    image: `ghcr.io/example/${name}:1.4.2`,
    port: 8080,
    healthCheckPath: '/healthz',
    env: { APP_MODE: 'production', LOG_LEVEL: 'info', TZ: 'Europe/London' },
    secretEnv: p.secretEnv
      ? [
          { name: 'APP_DB_PASSWORD', vault: { path: name, property: 'db_password' } },
          { name: 'APP_SESSION_KEY', vault: { path: name, property: 'session_key' } },
        ]
      : undefined,
    dataMountPath: p.dataVolume ? '/var/lib/app' : undefined,
    volumes: nfsClaim ? [{ name: 'media', claimName: nfsClaim, mountPath: '/media' }] : undefined,
    memoryRequest: '128Mi',
    memoryLimit: '512Mi',
    ingress: p.ingress,
    auth: IngressAuth.REQUIRED,
    dnsType: DNS[p.dns],
  });
  if (p.cronJob) backupCronJob(stack, name, namespaceRef.name, nfsClaim);
}

function anubisStack(stack: InfraStack, p: BenchStackPlan, store: number | undefined): void {
  const name = p.name;
  const ns = new TieredNamespace(stack, name, { tier: Tier.AUX });
  new TlsSecret(stack, 'tls_secret', { namespace: ns });
  const backend = new WebApp(stack, 'site', {
    name,
    existingNamespace: ns.byLiteralName,
    image: `ghcr.io/example/${name}:2.0.1`,
    port: 80,
    ingress: false,
  });
  new AnubisSite(stack, 'anubis', {
    name,
    namespace: ns,
    backend: serviceFromName(backend.service.metadata.name),
    sharedStoreUrl:
      store === undefined ? undefined : `redis://redis-master.redis.svc.cluster.local:6379/${store}`,
    ingress: { dnsType: DnsType.PROXIED, extraMiddlewares: ['traefik-x402@kubernetescrd'] },
    directPaths: ['/feed.xml'],
  });
}

function staticStack(stack: InfraStack, p: BenchStackPlan): void {
  const name = p.name;
  const ns = new TieredNamespace(stack, name, { tier: Tier.AUX, keelEnrolled: false });
  new TlsSecret(stack, 'tls_secret', { namespace: ns });
  new NfsStaticSite(stack, 'site', {
    namespace: ns,
    name,
    content: { nfsPath: `/srv/nfs/${name}-site` },
    ingress: { auth: IngressAuth.NONE, dnsType: DnsType.PROXIED },
    driveSync: { source: `gdrive:${name}/files`, requiredFile: 'index.html' },
  });
}

function gpuStack(stack: InfraStack, p: BenchStackPlan): void {
  const name = p.name;
  const ns = new TieredNamespace(stack, name, { tier: Tier.GPU });
  const models = new NfsVolume(stack, 'nfs_models', {
    name: `${name}-models`,
    namespace: ns,
    nfsPath: `/srv/nfs-ssd/${name}`,
    storage: '20Gi',
  });
  new GpuGatedTts(stack, 'tts', {
    namespace: ns,
    name: `${name}-tts`,
    image: 'ghcr.io/example/tts-server',
    imageTag: '915ae289',
    config: { server: { host: '0.0.0.0', port: 8004 }, model: { repo_id: name } },
    configMountPath: '/app/config.yaml',
    containerPort: 8004,
    servicePort: 8000,
    clientModel: name,
    env: { HF_HOME: '/data/hf_cache' },
    modelVolume: { claimName: models.claimName, mountPath: '/data' },
    resources: { requests: { cpu: '200m', memory: '2Gi' }, limits: { memory: '8Gi' } },
    gate: {
      floorBytes: 6442450944,
      totalBytes: T4_VRAM_BYTES,
      queueUrl: `http://${name}.${name}.svc.cluster.local:8080/api/queue`,
    },
  });
}

/** Stack definitions for a plan (default: the N-stack plan of lib/tooling/bench-plan.ts). */
export function benchStacks(plan: number | readonly BenchStackPlan[]): StackDefinition[] {
  const stacks = typeof plan === 'number' ? benchPlan(plan) : plan;
  let anubis = 0;
  return stacks.map((p) => {
    const store = p.kind === 'anubis' && anubis < ANUBIS_SHARED_STORES ? anubis++ : undefined;
    return defineStack({
      name: p.name,
      description: `bench: ${p.kind}`,
      after: ['platform'],
      build(stack) {
        if (p.kind === 'web') webStack(stack, p);
        else if (p.kind === 'anubis') anubisStack(stack, p, store);
        else if (p.kind === 'static') staticStack(stack, p);
        else gpuStack(stack, p);
      },
    });
  });
}

const USAGE = 'usage: node dist/bench-scale-app.js [--stacks N] [--outdir DIR]';

if (require.main === module) {
  const argv = process.argv.slice(2);
  let n = 154;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--stacks') n = Number(argv[++i]);
    else rest.push(argv[i]);
  }
  let defs: StackDefinition[] | undefined;
  try {
    defs = benchStacks(n);
  } catch (e) {
    process.stderr.write(`bench-scale-app: ${(e as Error).message} (${USAGE})\n`);
    process.exitCode = 2;
  }
  if (defs) process.exitCode = runSynth(defs, rest);
}
