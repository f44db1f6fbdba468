// Runs payloads/require-env.sh the way the `require-secrets` init container does: `/bin/sh -c <script>`
// under busybox sh (the busybox image), with only the variables Kubernetes would inject.
import { beforeAll, describe, expect, it } from 'vitest';
import { readScript } from '../../lib/core/paths';
import { run } from '../support/fakes';

let busybox: string;
beforeAll(async () => {
  const which = await run(['sh', '-c', 'command -v busybox']);
  busybox = which.stdout.trim();
  expect(busybox).toMatch(/^\//);
});

const check = (env: Record<string, string | undefined>, shell: 'busybox' | 'sh' = 'busybox') =>
  run(
    shell === 'busybox'
      ? [busybox, 'sh', '-c', readScript('require-env.sh')]
      : ['sh', '-c', readScript('require-env.sh')],
    {
      env,
    },
  );

describe('require-env.sh (fail-closed secret gate)', () => {
  it('passes when every required variable is set and non-empty', async () => {
    const r = await check({ REQUIRED_ENV: 'API_TOKEN PASSWORD_HASH', API_TOKEN: 't0k', PASSWORD_HASH: 'h' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('require-env: all required variables are set: API_TOKEN PASSWORD_HASH\n');
  });

  it('fails naming every missing or empty variable, and never prints a value', async () => {
    const r = await check({ REQUIRED_ENV: 'A EMPTY B UNSET', A: 'value-of-a', EMPTY: '', B: 'value-of-b' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('require-env: missing or empty: EMPTY UNSET\n');
    expect(r.stdout + r.stderr).not.toMatch(/value-of/);
  });

  it('a value that is only a newline counts as empty', async () => {
    const r = await check({ REQUIRED_ENV: 'X', X: '\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing or empty: X$/m);
  });

  it('refuses to pass with nothing to check (exit 2)', async () => {
    for (const env of [{}, { REQUIRED_ENV: '' }, { REQUIRED_ENV: '   ' }]) {
      const r = await check(env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/REQUIRED_ENV is empty/);
    }
  });

  it('refuses names that are not C identifiers (exit 2) instead of evaluating them', async () => {
    for (const bad of ['1ABC', 'A-B', 'A;touch_x', '$(id)', '*']) {
      const r = await check({ REQUIRED_ENV: bad });
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toBe(`require-env: invalid variable name in REQUIRED_ENV: ${bad}\n`);
    }
  });

  it('behaves the same under the system sh', async () => {
    expect((await check({ REQUIRED_ENV: 'A', A: '1' }, 'sh')).code).toBe(0);
    const r = await check({ REQUIRED_ENV: 'A B', A: '1' }, 'sh');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('require-env: missing or empty: B\n');
  });
});
