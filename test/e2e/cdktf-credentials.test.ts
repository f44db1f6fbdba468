// (e) `cdktf diff` of a pg stack without PG_CONN_STR fails naming the variable and the stack, before
// terraform init dials 127.0.0.1:5432; synth, list and tier-0 stacks need no credentials.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/core/paths';
import { missingBackendCredentials } from '../../lib/synth/credentials';
import { run } from '../support/fakes';

const stacks = [
  { name: 'blog', tier0: false },
  { name: 'vault', tier0: true },
];
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cred-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('cdktf diff|deploy without PG_CONN_STR', () => {
  it('names the variable for commands that reach the state of a pg stack, only those', () => {
    const msg = missingBackendCredentials(stacks, ['diff', 'blog'], {});
    expect(msg).toMatch(/^cdktf diff: PG_CONN_STR is not set\. Stack blog keeps its state in the pg backend/);
    expect(missingBackendCredentials(stacks, ['deploy', 'blog', '--auto-approve'], {})).toContain(
      'cdktf deploy:',
    );
    expect(
      missingBackendCredentials(stacks, ['diff', 'blog'], { PG_CONN_STR: 'postgres://x' }),
    ).toBeUndefined();
    expect(missingBackendCredentials(stacks, ['synth'], {})).toBeUndefined();
    expect(missingBackendCredentials(stacks, ['list'], {})).toBeUndefined();
    expect(missingBackendCredentials(stacks, ['diff', 'vault'], {})).toBeUndefined();
    expect(missingBackendCredentials(stacks, undefined, {})).toBeUndefined(); // not run by cdktf
  });

  it('the real cdktf CLI stops with that message, not a connection error', async () => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      PG_CONN_STR: undefined,
      CHECKPOINT_DISABLE: '1',
      CI: '1',
    };
    // The app is dist/main.js (built by the global setup); the type check in front of it (cdktf.json) is
    // test/tools/typecheck-app.test.ts. Output goes to a temp dir: the working tree is untouched.
    const r = await run(
      [
        path.join(REPO_ROOT, 'node_modules', '.bin', 'cdktf'),
        'diff',
        'blog',
        '--app',
        `node ${path.join(REPO_ROOT, 'dist', 'main.js')}`,
        '--output',
        out,
      ],
      { cwd: REPO_ROOT, env, timeoutMs: 120_000 },
    );
    const text = r.stdout + r.stderr;
    expect(r.code).not.toBe(0);
    expect(text).toContain(
      'cdktf diff: PG_CONN_STR is not set. Stack blog keeps its state in the pg backend',
    );
    expect(text).not.toContain('connection refused'); // terraform init never ran
  }, 120_000);
});
