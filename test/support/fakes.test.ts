import { afterEach, describe, expect, it } from 'vitest';
import { FakeBins, closedPort, run, startFakeServer } from './fakes';

describe('test fakes', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('fake binaries record their arguments verbatim under busybox sh and bash', async () => {
    const bins = new FakeBins().add('kubectl', 'echo scaled');
    cleanups.push(() => bins.cleanup());
    for (const shell of [['busybox', 'sh'], ['bash']]) {
      const r = await run(
        [...shell, '-c', 'kubectl scale "deployment/a b" --replicas=1 \'q"uote\' back\\\\slash'],
        {
          path: bins.path(),
        },
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('scaled\n');
    }
    expect(bins.calls('kubectl').map((c) => c.args)).toEqual([
      ['scale', 'deployment/a b', '--replicas=1', 'q"uote', 'back\\slash'],
      ['scale', 'deployment/a b', '--replicas=1', 'q"uote', 'back\\slash'],
    ]);
  });

  it('the fake server answers a child process and records the request', async () => {
    const srv = await startFakeServer((req) => ({
      status: req.url === '/ok' ? 200 : 404,
      body: { hello: 'x' },
    }));
    cleanups.push(() => srv.close());
    const ok = await run(['curl', '-s', '-H', 'Authorization: token t', `${srv.url}/ok`]);
    expect(JSON.parse(ok.stdout)).toEqual({ hello: 'x' });
    expect(srv.requests[0].headers.authorization).toBe('token t');
    const port = await closedPort();
    const down = await run(['curl', '-sf', `http://127.0.0.1:${port}/`]);
    expect(down.code).not.toBe(0);
  });
});
