// Runs payloads/local-path-volume.sh as the local-path provisioner's helper pod does (`/bin/sh
// /script/<action>` under busybox sh, VOL_DIR in the environment), against a temporary root.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readScript } from '../../lib/core/paths';
import { run } from '../support/fakes';

let busybox: string;
let tmp: string;
let root: string;
let scripts: string;
beforeAll(async () => {
  busybox = (await run(['sh', '-c', 'command -v busybox'])).stdout.trim();
  expect(busybox).toMatch(/^\//);
});
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'local-path-'));
  root = path.join(tmp, 'opt', 'local-path-provisioner');
  scripts = path.join(tmp, 'script');
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(scripts);
  for (const key of ['setup', 'teardown'])
    fs.writeFileSync(path.join(scripts, key), readScript('local-path-volume.sh'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const hook = (action: string, volDir: string | undefined) =>
  run([busybox, 'sh', path.join(scripts, action)], { env: { VOL_DIR: volDir, LOCAL_PATH_ROOT: root } });

describe('local-path-volume.sh (provisioner setup/teardown hook)', () => {
  it('setup creates the volume directory world-writable, teardown removes it', async () => {
    const dir = path.join(root, 'pvc-1_ns_data');
    const s = await hook('setup', dir);
    expect(s.code, s.stderr).toBe(0);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o777);
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    const t = await hook('teardown', dir);
    expect(t.code, t.stderr).toBe(0);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.existsSync(root)).toBe(true);
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
    ['the root itself', '<root>'],
    ['outside the root', '<tmp>/etc'],
    ['escaping with ..', '<root>/../../etc'],
    ['a sibling with the root as prefix', '<root>-other/x'],
  ])('refuses a VOL_DIR that is %s and deletes nothing', async (_what, value) => {
    const victim = path.join(tmp, 'etc');
    fs.mkdirSync(victim);
    const v = value?.replace('<root>', root).replace('<tmp>', tmp);
    const r = await hook('teardown', v);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing/);
    expect(fs.existsSync(victim)).toBe(true);
    expect(fs.existsSync(root)).toBe(true);
  });

  it('refuses an unknown action', async () => {
    const r = await run([busybox, 'sh', '-c', readScript('local-path-volume.sh'), 'resize'], {
      env: { VOL_DIR: path.join(root, 'x'), LOCAL_PATH_ROOT: root },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown action 'resize'/);
  });
});
