// The shape of the synthetic app `npm run bench:scale` synthesizes: N stacks in the proportions of the
// Terragrunt tree (docs/performance.md). Pure: which kind of stack each one is and which features it has;
// tools/bench/bench-scale-app.ts turns a plan into stack definitions made of the real constructs.
//
// Tree counts (reference survey, section 0), out of 154 stacks: 107 use ingress_factory, 7 Anubis,
// 9 request a GPU, 43 use nfs_volume, 97 a TLS secret, 143 declare a namespace, ~52 have CronJobs.

/** What the stack is built around. */
export type BenchKind =
  /** WebApp (namespace, deployment, service, IngressFactory) plus optional extras. */
  | 'web'
  /** A backend (WebApp without ingress) behind an AnubisSite with its own ingress. */
  | 'anubis'
  /** NfsStaticSite with a drive-sync CronJob (NFS volume, nginx, ingress, CronJob). */
  | 'static'
  /** GpuGatedTts on a GPU-tier namespace with an NFS model volume and its gate CronJobs. */
  | 'gpu';

export interface BenchStackPlan {
  /** Stack name: `bench-<index>`, zero-padded (a DNS label, so also the namespace name). */
  readonly name: string;
  readonly kind: BenchKind;
  /** Declares a namespace (false: deploys into an existing one). */
  readonly namespace: boolean;
  /** Has an IngressFactory (directly or through AnubisSite / NfsStaticSite). */
  readonly ingress: boolean;
  /** Has an NfsVolume (directly or through NfsStaticSite / the GPU model volume). */
  readonly nfs: boolean;
  /** Has at least one CronJob. */
  readonly cronJob: boolean;
  /** Has a TlsSecret. */
  readonly tlsSecret: boolean;
  /** WebApp reads secret env from Vault through an ExternalSecret. */
  readonly secretEnv: boolean;
  /** WebApp has an encrypted data volume. */
  readonly dataVolume: boolean;
  /** Cloudflare record kind of the main ingress: proxied (no record), non-proxied (A + AAAA), internal (A). */
  readonly dns: 'proxied' | 'non-proxied' | 'internal';
}

/** The tree's stack count: the reference the proportions are expressed in. */
export const TREE_STACK_COUNT = 154;

/** Stacks of each kind per 154. */
const KIND_WEIGHTS: ReadonlyArray<readonly [BenchKind, number]> = [
  ['web', 126],
  ['static', 12],
  ['gpu', 9],
  ['anubis', 7],
];

/** Feature counts among the 126 `web` stacks per 154, chosen so the app-wide totals match the tree. */
const WEB = {
  count: 126,
  ingress: 88, // 107 - 7 anubis - 12 static (GPU stacks have no ingress)
  nfs: 22, // 43 - 9 gpu - 12 static
  cronJob: 31, // 52 - 9 gpu - 12 static
  tlsSecret: 78, // 97 - 7 anubis - 12 static
  existingNamespace: 11, // 154 - 143
  secretEnv: 63,
  dataVolume: 25,
  nonProxied: 25,
  internal: 13,
} as const;

/**
 * Evenly spread selection: true for `count` of every `total` consecutive indices (exactly
 * floor(n * count / total) of the first n), never bunched at one end.
 */
export function spread(index: number, count: number, total: number): boolean {
  return Math.floor(((index + 1) * count) / total) > Math.floor((index * count) / total);
}

/**
 * Kinds for N stacks by smooth weighted round-robin: exact weights over every 154 stacks, and rare kinds
 * interleaved (not bunched at the end), so N = 10 or 40 already mixes them.
 */
function kinds(n: number): BenchKind[] {
  const total = KIND_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const current = KIND_WEIGHTS.map(() => 0);
  const out: BenchKind[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    KIND_WEIGHTS.forEach(([, w], k) => {
      current[k] += w;
      if (current[k] > current[best]) best = k;
    });
    current[best] -= total;
    out.push(KIND_WEIGHTS[best][0]);
  }
  return out;
}

/** The plan of an N-stack app (N >= 1). */
export function benchPlan(n: number): BenchStackPlan[] {
  if (!Number.isInteger(n) || n < 1 || n > 9999) {
    throw new RangeError(`bench app: invalid stack count ${n}; allowed: an integer from 1 to 9999`);
  }
  const width = Math.max(3, String(n - 1).length);
  let web = 0;
  return kinds(n).map((kind, i): BenchStackPlan => {
    const name = `bench-${String(i).padStart(width, '0')}`;
    switch (kind) {
      case 'static':
        return {
          name,
          kind,
          namespace: true,
          ingress: true,
          nfs: true,
          cronJob: true,
          tlsSecret: true,
          secretEnv: false,
          dataVolume: false,
          dns: 'proxied',
        };
      case 'anubis':
        return {
          name,
          kind,
          namespace: true,
          ingress: true,
          nfs: false,
          cronJob: false,
          tlsSecret: true,
          secretEnv: false,
          dataVolume: false,
          dns: 'proxied',
        };
      case 'gpu':
        return {
          name,
          kind,
          namespace: true,
          ingress: false,
          nfs: true,
          cronJob: true,
          tlsSecret: false,
          secretEnv: false,
          dataVolume: false,
          dns: 'proxied',
        };
      case 'web': {
        const w = web++;
        const has = (count: number) => spread(w, count, WEB.count);
        // Offsets decorrelate the features (otherwise every feature lands on the same stacks).
        const at = (offset: number, count: number) => spread((w + offset) % WEB.count, count, WEB.count);
        return {
          name,
          kind,
          namespace: !at(5, WEB.existingNamespace),
          ingress: has(WEB.ingress),
          nfs: at(3, WEB.nfs),
          cronJob: at(7, WEB.cronJob),
          tlsSecret: at(1, WEB.tlsSecret),
          secretEnv: at(2, WEB.secretEnv),
          dataVolume: at(11, WEB.dataVolume),
          dns: at(13, WEB.nonProxied) ? 'non-proxied' : at(17, WEB.internal) ? 'internal' : 'proxied',
        };
      }
    }
  });
}
