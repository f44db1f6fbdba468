// Runs payloads/vram-gate.sh against a fake metrics exporter, a fake queue API and a fake kubectl, under
// every awk available (the CronJob image decides which awk it ships).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scriptPath } from '../../lib/core/paths';
import {
  FakeBins,
  type FakeResponse,
  type FakeServer,
  type RunResult,
  closedPort,
  run,
  startFakeServer,
} from '../support/fakes';

const SCRIPT = scriptPath('vram-gate.sh');
const GiB = 1024 ** 3;
const TOTAL = 16 * GiB; // the script's default GPU_TOTAL
const FLOOR = 6 * GiB;

const GET = ['get', 'deployment', 'chatterbox-tts', '-n', 'tts', '-o', 'jsonpath={.spec.replicas}'];
const SCALE1 = ['scale', 'deployment/chatterbox-tts', '--replicas=1', '-n', 'tts'];
const SCALE0 = ['scale', 'deployment/chatterbox-tts', '--replicas=0', '-n', 'tts'];

const HEADER =
  '# HELP gpu_pod_memory_used_bytes GPU memory used by pod\n# TYPE gpu_pod_memory_used_bytes gauge\n';
const sample = (ns: string, value: string, extra = ''): string =>
  `gpu_pod_memory_used_bytes{namespace="${ns}",pod="${ns}-0",container="main",process_name="python",pid="42"} ${value}${extra}\n`;

type Metrics = FakeResponse | 'down';
interface Scrape {
  readonly name: string;
  readonly metrics: Metrics;
  /** Bytes the script must compute; undefined when the scrape must count as failed/unparseable. */
  readonly used?: number;
}

const ABOVE: Scrape = {
  name: 'free above floor',
  metrics: { body: HEADER + sample('immich', String(2 * GiB)) + sample('frigate', String(2 * GiB)) },
  used: 4 * GiB,
};
const AT: Scrape = {
  name: 'free exactly at floor',
  metrics: { body: HEADER + sample('immich', String(8 * GiB)) + sample('frigate', '2147483648.0') },
  used: 10 * GiB,
};
const BELOW: Scrape = {
  name: 'free one byte below floor',
  metrics: { body: HEADER + sample('immich', String(8 * GiB + 1)) + sample('frigate', '2147483648.0') },
  used: 10 * GiB + 1,
};
const IDLE: Scrape = {
  name: 'no samples (idle card)',
  metrics: { body: HEADER + '# HELP up whatever\n# TYPE up gauge\nup 1\n' },
  used: 0,
};
const EXPONENTS: Scrape = {
  name: 'float/exponent samples (3 x 4.294967296e+09)',
  metrics: { body: HEADER + ['a', 'b', 'c'].map((ns) => sample(ns, '4.294967296e+09')).join('') },
  used: 12884901888,
};
const DOWN: Scrape = { name: 'metrics down (connection refused)', metrics: 'down' };
const HTTP500: Scrape = { name: 'metrics HTTP 500', metrics: { status: 500, body: 'internal error' } };
const MALFORMED: Scrape = {
  name: 'metrics malformed (sample value is not a number)',
  metrics: { body: HEADER + sample('immich', String(2 * GiB)) + sample('frigate', '12abc') },
};
const HTML: Scrape = {
  name: 'metrics not exposition format (HTML)',
  metrics: { body: '<html><body>502</body></html>\n' },
};
const EMPTY: Scrape = { name: 'metrics empty body', metrics: { body: '' } };
const WRONG: Scrape = {
  name: 'metrics from another exporter (no gpu_pod_memory_used_bytes family)',
  metrics: { body: '# TYPE node_load1 gauge\nnode_load1 0.5\n' },
};
const NEGATIVE: Scrape = {
  name: 'metrics with a negative sample',
  metrics: { body: HEADER + sample('immich', String(8 * GiB)) + sample('frigate', '-4294967296') },
};
const NAN: Scrape = {
  name: 'metrics with a NaN sample',
  metrics: { body: HEADER + sample('immich', 'NaN') },
};
const TRUNCATED: Scrape = {
  name: 'metrics truncated inside a label set',
  metrics: { body: HEADER + sample('immich', String(2 * GiB)) + 'gpu_pod_memory_used_bytes{namespace="fri' },
};

const FAILED_SCRAPES = [DOWN, HTTP500, MALFORMED, HTML, EMPTY, WRONG, NEGATIVE, NAN, TRUNCATED];

/** Expected kubectl calls per action: 1 = scale to 1, 0 = scale to 0, null = no kubectl call. */
const ACTION_MATRIX: Array<[Scrape, { up: 1 | null; guard: 0 | null; down: 0 }]> = [
  [ABOVE, { up: 1, guard: null, down: 0 }],
  [AT, { up: 1, guard: null, down: 0 }],
  [BELOW, { up: null, guard: 0, down: 0 }],
  [IDLE, { up: 1, guard: null, down: 0 }],
  [EXPONENTS, { up: null, guard: 0, down: 0 }],
  // Unusable readings never scale up and never block yielding (guard/down continue with used=0).
  ...FAILED_SCRAPES.map((s): [Scrape, { up: null; guard: null; down: 0 }] => [
    s,
    { up: null, guard: null, down: 0 },
  ]),
];

function availableAwks(): Array<[string, string]> {
  const dirs = (process.env.PATH ?? '').split(':');
  const has = (bin: string): boolean => dirs.some((d) => d && fs.existsSync(path.join(d, bin)));
  const awks: Array<[string, string]> = [];
  if (has('mawk')) awks.push(['mawk', 'mawk']);
  if (has('busybox')) awks.push(['busybox awk', 'busybox awk']);
  if (has('gawk')) awks.push(['gawk', 'gawk']);
  if (has('original-awk')) awks.push(['original-awk', 'original-awk']);
  return awks;
}
const AWKS = availableAwks();

const KUBECTL = `
case "$1" in
  get)
    if [ "\${FAKE_GET_FAIL:-}" = 1 ]; then echo 'Error from server (Forbidden): deployments.apps is forbidden' >&2; exit 1; fi
    printf '%s' "\${FAKE_REPLICAS-0}" ;;
  scale)
    if [ "\${FAKE_SCALE_FAIL:-}" = 1 ]; then echo 'error: failed to patch scale' >&2; exit 1; fi
    echo "deployment.apps/$2 scaled" ;;
esac`;

// One fake HTTP server for every test; each gate run gets its own routes (/<id>/metrics and
// /<id>/api/tour/tts-queue), its own fake kubectl and its own awk wrapper, so tests run concurrently.
let srv: FakeServer;
let deadUrl: string;
const routes = new Map<string, FakeResponse>();
let nextId = 0;

beforeAll(async () => {
  srv = await startFakeServer((req) => routes.get(req.url) ?? { status: 404, body: 'no such route' });
  deadUrl = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(async () => {
  await srv.close();
});

interface GateRun extends RunResult {
  readonly kubectl: string[][];
  /** Requests that reached the metrics / queue routes of this run, as "METHOD path-after-id". */
  readonly metricsRequests: string[];
  readonly queueRequests: string[];
  /** How many times the awk wrapper ran. */
  readonly awkRuns: number;
}

async function gate(
  env: Record<string, string | undefined>,
  opts: { metrics?: Metrics; queue?: FakeResponse | 'down'; awk?: string; direct?: boolean } = {},
): Promise<GateRun> {
  const id = `run${++nextId}`;
  const metrics = opts.metrics ?? ABOVE.metrics;
  const queue = opts.queue ?? { body: { queued: 0 } };
  const metricsPath = `/${id}/metrics`;
  const queuePath = `/${id}/api/tour/tts-queue`;
  if (metrics !== 'down') routes.set(metricsPath, metrics);
  if (queue !== 'down') routes.set(queuePath, queue);
  const bins = new FakeBins().add('kubectl', KUBECTL);
  // The awk wrapper is not a FakeBins.add fake: its call log cannot hold the multi-line awk program.
  const marker = path.join(bins.dir, '.awk-runs');
  if (opts.awk) {
    fs.writeFileSync(
      path.join(bins.dir, 'awk'),
      `#!/bin/sh\necho run >> '${marker}'\nexec ${opts.awk} "$@"\n`,
      {
        mode: 0o755,
      },
    );
  }
  try {
    const r = await run(opts.direct ? [SCRIPT] : ['bash', SCRIPT], {
      path: bins.path(),
      env: {
        FLOOR: String(FLOOR),
        METRICS_URL: (metrics === 'down' ? deadUrl : srv.url) + metricsPath,
        QUEUE_URL: (queue === 'down' ? deadUrl : srv.url) + queuePath,
        ...env,
      },
    });
    const mine = srv.requests.filter((q) => q.url.startsWith(`/${id}/`));
    return {
      ...r,
      kubectl: bins.calls('kubectl').map((c) => c.args),
      metricsRequests: mine.filter((q) => q.url === metricsPath).map((q) => `${q.method} /metrics`),
      queueRequests: mine.filter((q) => q.url === queuePath).map((q) => `${q.method} /api/tour/tts-queue`),
      awkRuns: fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0,
    };
  } finally {
    bins.cleanup();
    routes.delete(metricsPath);
    routes.delete(queuePath);
  }
}

const scaleCalls = (n: 0 | 1 | null): string[][] => (n === null ? [] : [n === 1 ? SCALE1 : SCALE0]);

describe('vram-gate.sh: the shipped file', () => {
  test('is an executable bash script that runs without an explicit interpreter', async () => {
    expect(fs.statSync(SCRIPT).mode & 0o111).toBe(0o111);
    expect(fs.readFileSync(SCRIPT, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env bash');
    const r = await gate({ ACTION: 'up' }, { direct: true });
    expect(r.code).toBe(0);
    expect(r.kubectl).toEqual([SCALE1]);
  });
});

describe.each(AWKS)('vram-gate.sh with %s', (_label, awk) => {
  // The awk only parses the scrape; what each action does with the sum is the script's own logic. So
  // the first awk runs every action, the others `up` (which prints the sum it parsed and acts on it).
  const actions = awk === AWKS[0]?.[1] ? (['up', 'guard', 'down'] as const) : (['up'] as const);
  test.concurrent.each(
    ACTION_MATRIX.flatMap(([s, exp]) => actions.map((a) => [a, s.name, s, exp[a]] as const)),
  )('ACTION=%s, %s', async (action, _name, scrape, expected) => {
    const r = await gate({ ACTION: action }, { metrics: scrape.metrics, awk });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.kubectl).toEqual(scaleCalls(expected));
    if (scrape.metrics !== 'down') {
      expect(r.metricsRequests).toEqual(['GET /metrics']);
      // A body was read: it went through the awk under test.
      expect(r.awkRuns).toBe(scrape.metrics.status === undefined ? 1 : 0);
    }
    expect(r.queueRequests).toEqual([]);
    if (scrape.used !== undefined) {
      expect(r.stdout).toContain(
        `used=${scrape.used} free=${TOTAL - scrape.used} floor=${FLOOR} total=${TOTAL}`,
      );
    } else if (action === 'up') {
      expect(r.stdout).toMatch(/NOT scaling up/);
    } else {
      expect(r.stdout).toContain(`used=0 free=${TOTAL} floor=${FLOOR}`);
    }
  });

  // Exact sums at the one-byte boundary: FLOOR = TOTAL - used admits, FLOOR + 1 refuses.
  const EXACT: Array<[string, string, number]> = [
    ['3 x 4.294967296e+09', ['a', 'b', 'c'].map((ns) => sample(ns, '4.294967296e+09')).join(''), 12884901888],
    [
      'mixed notations: 2147483648.0, 4.294967296E+09, +1073741824, 5e2, .5e1, 7.',
      [
        sample('a', '2147483648.0'),
        sample('b', '4.294967296E+09'),
        sample('c', '+1073741824'),
        sample('d', '5e2'),
        sample('e', '.5e1'),
        sample('f', '7.'),
      ].join(''),
      2147483648 + 4294967296 + 1073741824 + 500 + 5 + 7,
    ],
    [
      'timestamps, CRLF, label values with spaces, braces and escaped quotes, other metrics',
      [
        'gpu_pod_memory_used_bytes{namespace="a",pod="x } y",process_name="py \\"thon\\""} 3221225472 1718000000000\r\n',
        '  gpu_pod_memory_used_bytes{namespace="b"}\t1073741825\t\r\n',
        'gpu_pod_memory_used_bytes 1\n',
        'gpu_pod_memory_used_bytes_total{namespace="c"} 999999\n',
        'process_resident_memory_bytes 1.2e+08\n',
        'go_gc_duration_seconds{quantile="0.5"} NaN\n',
        '\n',
      ].join(''),
      3221225472 + 1073741825 + 1,
    ],
    ['one 15 GiB sample above 2^31 as a float', sample('a', '1.6106127360e+10'), 15 * GiB],
  ];
  test.concurrent.each(EXACT)('sums %s exactly', async (_name, samples, used) => {
    const body = HEADER + samples;
    const atFloor = await gate({ ACTION: 'up', FLOOR: String(TOTAL - used) }, { metrics: { body }, awk });
    expect(atFloor.code).toBe(0);
    expect(atFloor.stdout).toContain(`used=${used} free=${TOTAL - used}`);
    expect(atFloor.kubectl).toEqual([SCALE1]);

    const oneByteShort = await gate(
      { ACTION: 'up', FLOOR: String(TOTAL - used + 1) },
      { metrics: { body }, awk },
    );
    expect(oneByteShort.code).toBe(0);
    expect(oneByteShort.kubectl).toEqual([]);
  });

  // More bodies that must count as unparseable: up refuses (no kubectl), the reason is logged.
  const UNPARSEABLE: Array<[string, string]> = [
    ['a sample without a value', HEADER + 'gpu_pod_memory_used_bytes{namespace="a"}\n'],
    ['a bad timestamp', HEADER + sample('a', '1024', ' yesterday')],
    ['extra fields after the timestamp', HEADER + sample('a', '1024', ' 1718000000000 junk')],
    ['a hexadecimal value', HEADER + sample('a', '0x40000000')],
    ['an infinite value', HEADER + sample('a', '+Inf')],
    ['a JSON body', '{"gpu_pod_memory_used_bytes": 1024}\n'],
    ['only blank lines', '\n \n\t\n'],
  ];
  test.concurrent.each(UNPARSEABLE)('treats %s as unparseable', async (_name, body) => {
    const r = await gate({ ACTION: 'up' }, { metrics: { body }, awk });
    expect(r.code).toBe(0);
    expect(r.kubectl).toEqual([]);
    expect(r.stdout).toMatch(/unparseable: .+\n.*NOT scaling up/);
  });

  test('an absurdly large reading counts as a full card (up refuses, guard yields)', async () => {
    const metrics = { body: HEADER + sample('a', '1e300') };
    const up = await gate({ ACTION: 'up' }, { metrics, awk });
    expect(up.code).toBe(0);
    expect(up.kubectl).toEqual([]);
    const guard = await gate({ ACTION: 'guard' }, { metrics, awk });
    expect(guard.code).toBe(0);
    expect(guard.kubectl).toEqual([SCALE0]);
    expect(guard.stdout).toContain('used=9007199254740992');
  });
});

describe('vram-gate.sh ACTION=demand', () => {
  const q = (body: unknown, status?: number): FakeResponse => ({ body: body as object, status });
  const DEMAND: Array<{
    name: string;
    queue: FakeResponse | 'down';
    replicas?: string;
    metrics?: Scrape;
    calls: string[][];
    scraped: boolean;
  }> = [
    { name: 'queue down', queue: 'down', calls: [], scraped: false },
    { name: 'queue HTTP 500', queue: q({ queued: 3 }, 500), calls: [], scraped: false },
    { name: 'queue malformed (not JSON)', queue: { body: 'Bad Gateway' }, calls: [], scraped: false },
    { name: 'queue empty {}', queue: q({}), calls: [], scraped: false },
    { name: 'queued is a string', queue: q({ queued: '3' }), calls: [], scraped: false },
    { name: 'queued is negative', queue: q({ queued: -1 }), calls: [], scraped: false },
    { name: 'queued is fractional', queue: q({ queued: 2.5 }), calls: [], scraped: false },
    { name: 'queued 0, replicas 0', queue: q({ queued: 0 }), replicas: '0', calls: [GET], scraped: false },
    {
      name: 'queued 0, replicas 1 -> yields even with metrics down',
      queue: q({ queued: 0, done: 4 }),
      replicas: '1',
      metrics: DOWN,
      calls: [GET, SCALE0],
      scraped: false,
    },
    {
      name: 'queued 0, replicas 2',
      queue: q({ queued: 0 }),
      replicas: '2',
      calls: [GET, SCALE0],
      scraped: false,
    },
    { name: 'queued >0, replicas 1', queue: q({ queued: 3 }), replicas: '1', calls: [GET], scraped: false },
    {
      name: 'queued >0, replicas 0, free above floor',
      queue: q({ queued: 3 }),
      replicas: '0',
      metrics: ABOVE,
      calls: [GET, SCALE1],
      scraped: true,
    },
    {
      name: 'queued >0, replicas 0, free at floor',
      queue: q({ queued: 3 }),
      replicas: '0',
      metrics: AT,
      calls: [GET, SCALE1],
      scraped: true,
    },
    {
      name: 'queued >0, replicas 0, free below floor',
      queue: q({ queued: 3 }),
      replicas: '0',
      metrics: BELOW,
      calls: [GET],
      scraped: true,
    },
    {
      name: 'queued >0, replicas 0, idle card',
      queue: q({ queued: 1 }),
      replicas: '0',
      metrics: IDLE,
      calls: [GET, SCALE1],
      scraped: true,
    },
    {
      name: 'queued >0, replicas 0, exponent samples leave free < floor',
      queue: q({ queued: 1 }),
      replicas: '0',
      metrics: EXPONENTS,
      calls: [GET],
      scraped: true,
    },
    ...FAILED_SCRAPES.map((m) => ({
      name: `queued >0, replicas 0, ${m.name}`,
      queue: q({ queued: 3 }),
      replicas: '0',
      metrics: m,
      calls: [GET],
      scraped: m !== DOWN,
    })),
    {
      name: 'pretty-printed JSON with other keys',
      queue: { body: '{\n  "total": 9,\n  "queued" : 12,\n  "items": []\n}\n' },
      replicas: '0',
      metrics: ABOVE,
      calls: [GET, SCALE1],
      scraped: true,
    },
    {
      name: 'queued as the last key',
      queue: { body: '{"done":4,"queued":1}' },
      replicas: '0',
      metrics: ABOVE,
      calls: [GET, SCALE1],
      scraped: true,
    },
  ];

  test.concurrent.each(DEMAND)('$name', async ({ queue, replicas, metrics, calls, scraped }) => {
    const r = await gate(
      { ACTION: 'demand', FAKE_REPLICAS: replicas },
      { queue, metrics: (metrics ?? ABOVE).metrics },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.kubectl).toEqual(calls);
    expect(r.metricsRequests).toEqual(scraped ? ['GET /metrics'] : []);
    expect(r.queueRequests).toEqual(queue === 'down' ? [] : ['GET /api/tour/tts-queue']);
    if (calls.length === 0) expect(r.stdout).toMatch(/no action/);
  });
});

describe('vram-gate.sh when kubectl fails', () => {
  const FAILS: Array<[string, Record<string, string>, Metrics, FakeResponse | undefined, string[][]]> = [
    ['up: scale fails', { ACTION: 'up', FAKE_SCALE_FAIL: '1' }, ABOVE.metrics, undefined, [SCALE1]],
    ['guard: scale fails', { ACTION: 'guard', FAKE_SCALE_FAIL: '1' }, BELOW.metrics, undefined, [SCALE0]],
    ['down: scale fails', { ACTION: 'down', FAKE_SCALE_FAIL: '1' }, ABOVE.metrics, undefined, [SCALE0]],
    [
      'down: scale fails with metrics down',
      { ACTION: 'down', FAKE_SCALE_FAIL: '1' },
      'down',
      undefined,
      [SCALE0],
    ],
    [
      'demand: get fails',
      { ACTION: 'demand', FAKE_GET_FAIL: '1' },
      ABOVE.metrics,
      { body: { queued: 2 } },
      [GET],
    ],
    [
      'demand: get prints no number',
      { ACTION: 'demand', FAKE_REPLICAS: 'abc' },
      ABOVE.metrics,
      { body: { queued: 2 } },
      [GET],
    ],
    [
      'demand: get prints nothing',
      { ACTION: 'demand', FAKE_REPLICAS: '' },
      ABOVE.metrics,
      { body: { queued: 2 } },
      [GET],
    ],
    [
      'demand: scale up fails',
      { ACTION: 'demand', FAKE_REPLICAS: '0', FAKE_SCALE_FAIL: '1' },
      ABOVE.metrics,
      { body: { queued: 2 } },
      [GET, SCALE1],
    ],
    [
      'demand: scale down fails',
      { ACTION: 'demand', FAKE_REPLICAS: '1', FAKE_SCALE_FAIL: '1' },
      ABOVE.metrics,
      { body: { queued: 0 } },
      [GET, SCALE0],
    ],
  ];
  test.concurrent.each(FAILS)('%s -> non-zero exit', async (_name, env, metrics, queue, calls) => {
    const r = await gate(env, { metrics, queue });
    expect(r.code).toBe(1);
    expect(r.kubectl).toEqual(calls);
    expect(r.stderr).toMatch(/kubectl/);
  });
});

describe('vram-gate.sh configuration', () => {
  test('NAMESPACE, DEPLOYMENT and GPU_TOTAL are honoured', async () => {
    const r = await gate(
      {
        ACTION: 'demand',
        NAMESPACE: 'voice',
        DEPLOYMENT: 'tts-2',
        GPU_TOTAL: String(24 * GiB),
        FAKE_REPLICAS: '0',
      },
      { metrics: BELOW.metrics, queue: { body: { queued: 5 } } },
    );
    expect(r.code).toBe(0);
    // 24 GiB card: 14 GiB - 1 byte free is above the 6 GiB floor.
    expect(r.stdout).toContain(
      `used=${BELOW.used} free=${24 * GiB - BELOW.used!} floor=${FLOOR} total=${24 * GiB}`,
    );
    expect(r.kubectl).toEqual([
      ['get', 'deployment', 'tts-2', '-n', 'voice', '-o', 'jsonpath={.spec.replicas}'],
      ['scale', 'deployment/tts-2', '--replicas=1', '-n', 'voice'],
    ]);
  });

  test('numbers with leading zeros are decimal, not octal', async () => {
    const r = await gate(
      { ACTION: 'up', FLOOR: `0${TOTAL - 4 * GiB}`, GPU_TOTAL: `00${TOTAL}` },
      { metrics: ABOVE.metrics },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`free=${12 * GiB} floor=${12 * GiB} total=${TOTAL}`);
    expect(r.kubectl).toEqual([SCALE1]);
  });

  const INVALID: Array<[string, Record<string, string | undefined>, RegExp]> = [
    ['ACTION missing', { ACTION: undefined }, /ACTION is required/],
    ['ACTION unknown', { ACTION: 'sideways' }, /ACTION 'sideways'/],
    ['FLOOR missing', { ACTION: 'up', FLOOR: undefined }, /FLOOR .*required/],
    ['FLOOR empty', { ACTION: 'guard', FLOOR: '' }, /FLOOR .*required/],
    ['FLOOR not a number', { ACTION: 'up', FLOOR: '6GiB' }, /FLOOR '6GiB'/],
    ['FLOOR in exponent notation', { ACTION: 'up', FLOOR: '6e9' }, /FLOOR '6e9'/],
    ['FLOOR zero', { ACTION: 'up', FLOOR: '0' }, /FLOOR '0'/],
    ['FLOOR negative', { ACTION: 'down', FLOOR: '-5' }, /FLOOR '-5'/],
    ['FLOOR equal to GPU_TOTAL', { ACTION: 'up', FLOOR: String(TOTAL) }, /below GPU_TOTAL/],
    ['FLOOR above GPU_TOTAL', { ACTION: 'guard', FLOOR: String(TOTAL + 1) }, /below GPU_TOTAL/],
    ['FLOOR beyond 64 bits', { ACTION: 'up', FLOOR: '99999999999999999999999' }, /FLOOR '9+'/],
    ['GPU_TOTAL not a number', { ACTION: 'up', GPU_TOTAL: '16GiB' }, /GPU_TOTAL '16GiB'/],
    ['GPU_TOTAL zero', { ACTION: 'up', GPU_TOTAL: '0' }, /GPU_TOTAL '0'/],
    ['GPU_TOTAL float', { ACTION: 'down', GPU_TOTAL: '1.7e10' }, /GPU_TOTAL '1.7e10'/],
    ['demand without QUEUE_URL', { ACTION: 'demand', QUEUE_URL: undefined }, /QUEUE_URL is required/],
    [
      'demand with a QUEUE_URL that is not a URL',
      { ACTION: 'demand', QUEUE_URL: 'tripit:8080' },
      /QUEUE_URL 'tripit:8080'/,
    ],
    ['METRICS_URL not http', { ACTION: 'up', METRICS_URL: 'ftp://exporter/metrics' }, /METRICS_URL/],
    [
      'METRICS_URL without a host',
      { ACTION: 'up', METRICS_URL: 'http:///metrics' },
      /METRICS_URL 'http:\/\/\/metrics' is not an http\(s\) URL with a host/,
    ],
    [
      'QUEUE_URL with userinfo',
      { ACTION: 'demand', QUEUE_URL: 'http://u:p@tripit:8080/q' },
      /QUEUE_URL .* with a host/,
    ],
    ['NAMESPACE invalid', { ACTION: 'down', NAMESPACE: 'Bad Name' }, /NAMESPACE 'Bad Name'/],
    ['DEPLOYMENT invalid', { ACTION: 'down', DEPLOYMENT: 'x;rm -rf' }, /DEPLOYMENT 'x;rm -rf'/],
  ];
  test.concurrent.each(INVALID)(
    '%s -> exit 2, one line, no kubectl, no HTTP',
    async (_name, env, message) => {
      const r = await gate(env, { queue: { body: { queued: 3 } } });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.kubectl).toEqual([]);
      expect(r.metricsRequests).toEqual([]);
      expect(r.queueRequests).toEqual([]);
    },
  );
});
