// Runs payloads/drive-sync.sh under `busybox sh` with a PATH holding only busybox applets and a fake
// rclone, like the rclone/rclone (alpine) image it ships in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scriptPath } from '../../lib/core/paths';
import { FakeBins, type RunResult, run, tempDir } from '../support/fakes';

const SCRIPT = scriptPath('drive-sync.sh');
const SRC = 'gdrive:stem claude/files';
const DEST = '/data';
const REQUIRED = 'stem_board.html';
const LSF = ['lsf', SRC, '--files-only'];
const sync = (maxDelete: string, src = SRC, dest = DEST): string[] => [
  'sync',
  src,
  dest,
  '--exclude',
  '.DS_Store',
  '--fast-list',
  '--transfers',
  '4',
  '--max-delete',
  maxDelete,
  '-v',
];

// The fake rclone prints $FAKE_LISTING for lsf and exits $FAKE_LSF_RC / $FAKE_SYNC_RC. For every call it
// records (in $FAKE_STATE/config-<verb>) which config rclone would use and whether it may rewrite it,
// then rewrites it as rclone does when it refreshes an OAuth token.
const RCLONE = `
if [ -n "\${RCLONE_CONFIG:-}" ]; then
  { echo "path=$RCLONE_CONFIG"; if [ -w "$RCLONE_CONFIG" ]; then echo writable; fi; cat "$RCLONE_CONFIG"; } > "$FAKE_STATE/config-$1"
  echo "token = refreshed-by-$1" >> "$RCLONE_CONFIG" || exit 99
else
  echo none > "$FAKE_STATE/config-$1"
fi
case "$1" in
  lsf) printf '%s' "\${FAKE_LISTING:-}"; exit "\${FAKE_LSF_RC:-0}" ;;
  sync) echo "synced" ; exit "\${FAKE_SYNC_RC:-0}" ;;
esac`;

let busyboxDir: { dir: string; cleanup(): void };
beforeAll(async () => {
  busyboxDir = tempDir('busybox-');
  const which = await run(['sh', '-c', 'command -v busybox']);
  const busybox = which.stdout.trim();
  expect(busybox).toMatch(/^\//);
  const r = await run([busybox, '--install', '-s', busyboxDir.dir]);
  expect(r.code).toBe(0);
  fs.symlinkSync(busybox, path.join(busyboxDir.dir, 'busybox'));
});
afterAll(() => busyboxDir.cleanup());

interface SyncRun extends RunResult {
  readonly rclone: string[][];
  readonly configSeen: Record<string, string>;
}

async function driveSync(
  env: Record<string, string | undefined>,
  shell: string[] = ['busybox', 'sh'],
): Promise<SyncRun> {
  const bins = new FakeBins().add('rclone', RCLONE);
  const state = tempDir('drive-sync-state-');
  try {
    const r = await run([...shell, SCRIPT], {
      // Only busybox applets and the fake: nothing from the host's coreutils.
      path: `${bins.dir}:${busyboxDir.dir}`,
      env: { SRC, DEST, REQUIRED_FILE: REQUIRED, FAKE_STATE: state.dir, ...env },
    });
    const configSeen: Record<string, string> = {};
    for (const f of fs.readdirSync(state.dir))
      configSeen[f] = fs.readFileSync(path.join(state.dir, f), 'utf8');
    return { ...r, rclone: bins.calls('rclone').map((c) => c.args), configSeen };
  } finally {
    bins.cleanup();
    state.cleanup();
  }
}

const listing = (...files: string[]): string => files.map((f) => `${f}\n`).join('');

describe('drive-sync.sh: the shipped file', () => {
  test('is an executable POSIX sh script', async () => {
    expect(fs.statSync(SCRIPT).mode & 0o111).toBe(0o111);
    expect(fs.readFileSync(SCRIPT, 'utf8').split('\n')[0]).toBe('#!/bin/sh');
    const r = await driveSync({ FAKE_LISTING: listing(REQUIRED) }, []);
    expect(r.code).toBe(0);
    expect(r.rclone).toEqual([LSF, sync('25')]);
  });
});

describe('drive-sync.sh under busybox sh', () => {
  const SYNCS: Array<[string, Record<string, string>, string[][]]> = [
    [
      'listing holds the required file: sync with MAX_DELETE 25 by default',
      { FAKE_LISTING: listing('a.png', REQUIRED, 'b.pdf') },
      [LSF, sync('25')],
    ],
    [
      'empty MAX_DELETE means the default',
      { FAKE_LISTING: listing(REQUIRED), MAX_DELETE: '' },
      [LSF, sync('25')],
    ],
    ['custom MAX_DELETE', { FAKE_LISTING: listing(REQUIRED), MAX_DELETE: '3' }, [LSF, sync('3')]],
    ['MAX_DELETE 1', { FAKE_LISTING: listing(REQUIRED), MAX_DELETE: '1' }, [LSF, sync('1')]],
    ['listing without a trailing newline', { FAKE_LISTING: `x.png\n${REQUIRED}` }, [LSF, sync('25')]],
    [
      'other SRC, DEST and a required file with spaces',
      {
        SRC: 'drive:My Site',
        DEST: '/srv/www root',
        REQUIRED_FILE: 'index page.html',
        FAKE_LISTING: listing('index page.html'),
      },
      [['lsf', 'drive:My Site', '--files-only'], sync('25', 'drive:My Site', '/srv/www root')],
    ],
  ];
  test.concurrent.each(SYNCS)('%s', async (_name, env, calls) => {
    const r = await driveSync(env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.rclone).toEqual(calls);
    expect(r.stdout).toMatch(/sync complete/);
    expect(r.configSeen).toEqual({ 'config-lsf': 'none\n', 'config-sync': 'none\n' });
  });

  const SKIPS: Array<[string, Record<string, string>, RegExp]> = [
    [
      'empty listing',
      { FAKE_LISTING: '' },
      /listing of gdrive:stem claude\/files is empty; leaving \/data untouched/,
    ],
    ['listing of blank lines only', { FAKE_LISTING: '\n\n' }, /is empty/],
    [
      'required file missing',
      { FAKE_LISTING: listing('index.html', 'logo.png') },
      /stem_board.html is not among the 2 file\(s\)/,
    ],
    [
      'only near misses of the required file',
      {
        FAKE_LISTING: listing(
          'old_stem_board.html',
          'stem_board.html.bak',
          'stem_board.htm',
          ' stem_board.html',
          'STEM_BOARD.HTML',
        ),
      },
      /stem_board.html is not among the 5 file\(s\)/,
    ],
    [
      'the required name is matched literally, not as a regex',
      { FAKE_LISTING: listing('stemXboardXhtml'), REQUIRED_FILE: 'stem.board.html' },
      /not among/,
    ],
    ['required file only inside a sub-folder', { FAKE_LISTING: listing('old/stem_board.html') }, /not among/],
  ];
  test.concurrent.each(SKIPS)('%s -> exit 0, site untouched', async (_name, env, message) => {
    const r = await driveSync(env);
    expect(r.code).toBe(0);
    expect(r.rclone).toEqual([LSF]);
    expect(r.stdout).toMatch(message);
  });

  test.concurrent.each([
    ['expired token', '1'],
    ['other rclone error', '5'],
  ])('listing fails (%s) -> exit 1, no sync', async (_name, rc) => {
    const r = await driveSync({ FAKE_LISTING: listing(REQUIRED), FAKE_LSF_RC: rc });
    expect(r.code).toBe(1);
    expect(r.rclone).toEqual([LSF]);
    expect(r.stderr).toMatch(/listing gdrive:stem claude\/files failed/);
  });

  test.concurrent.each([
    ['1', 1],
    ['7 (max-delete exceeded)', 7],
  ])('sync fails with %s -> its exit code', async (_name, rc) => {
    const r = await driveSync({ FAKE_LISTING: listing(REQUIRED), FAKE_SYNC_RC: String(rc) });
    expect(r.code).toBe(rc);
    expect(r.rclone).toEqual([LSF, sync('25')]);
    expect(r.stderr).toMatch(new RegExp(`rclone sync failed with exit code ${rc}`));
  });

  test.concurrent(
    'RCLONE_CONFIG_SRC is copied to a private writable file that rclone uses and that is removed',
    async () => {
      const secret = tempDir('secret-');
      try {
        const conf = path.join(secret.dir, 'rclone.conf');
        const content = '[gdrive]\ntype = drive\nscope = drive.readonly\ntoken = {"access_token":"old"}\n';
        fs.writeFileSync(conf, content, { mode: 0o444 });
        const r = await driveSync({ FAKE_LISTING: listing(REQUIRED), RCLONE_CONFIG_SRC: conf });
        expect(r.code).toBe(0);
        expect(r.rclone).toEqual([LSF, sync('25')]);
        const seenLsf = r.configSeen['config-lsf'].split('\n');
        const copy = seenLsf[0].replace(/^path=/, '');
        expect(copy).not.toBe(conf);
        expect(seenLsf[1]).toBe('writable');
        expect(seenLsf.slice(2).join('\n')).toBe(content);
        // sync sees the same copy, including what rclone wrote into it during the listing.
        expect(r.configSeen['config-sync']).toBe(
          `path=${copy}\nwritable\n${content}token = refreshed-by-lsf\n`,
        );
        expect(fs.readFileSync(conf, 'utf8')).toBe(content); // the secret itself is never written
        expect(fs.existsSync(copy)).toBe(false); // the copy (with its token) is cleaned up
        expect(fs.existsSync(path.dirname(copy))).toBe(false);
      } finally {
        secret.cleanup();
      }
    },
  );

  test.concurrent('the config copy is removed on failure too', async () => {
    const secret = tempDir('secret-');
    try {
      const conf = path.join(secret.dir, 'rclone.conf');
      fs.writeFileSync(conf, '[gdrive]\ntype = drive\n');
      const r = await driveSync({ FAKE_LSF_RC: '1', RCLONE_CONFIG_SRC: conf });
      expect(r.code).toBe(1);
      const copy = r.configSeen['config-lsf'].split('\n')[0].replace(/^path=/, '');
      expect(copy).toMatch(/rclone\.conf$/);
      expect(fs.existsSync(copy)).toBe(false);
    } finally {
      secret.cleanup();
    }
  });

  const INVALID: Array<[string, Record<string, string | undefined>, RegExp]> = [
    ['SRC missing', { SRC: undefined }, /SRC .*required/],
    ['SRC empty', { SRC: '' }, /SRC .*required/],
    ['DEST missing', { DEST: undefined }, /DEST .*required/],
    ['DEST relative', { DEST: 'data' }, /DEST must be an absolute path, got 'data'/],
    ['SRC without a remote', { SRC: 'stem claude/files' }, /SRC must name an rclone remote as "remote:path"/],
    ['SRC a local path', { SRC: '/srv/site' }, /SRC must name an rclone remote/],
    ['REQUIRED_FILE missing', { REQUIRED_FILE: undefined }, /REQUIRED_FILE .*required/],
    ['REQUIRED_FILE empty', { REQUIRED_FILE: '' }, /REQUIRED_FILE .*required/],
    [
      'REQUIRED_FILE with a path',
      { REQUIRED_FILE: 'site/stem_board.html' },
      /REQUIRED_FILE must be a plain file name/,
    ],
    ['MAX_DELETE zero', { MAX_DELETE: '0' }, /MAX_DELETE must be an integer >= 1, got '0'/],
    ['MAX_DELETE negative', { MAX_DELETE: '-1' }, /MAX_DELETE .*'-1'/],
    ['MAX_DELETE not a number', { MAX_DELETE: 'lots' }, /MAX_DELETE .*'lots'/],
    ['MAX_DELETE fractional', { MAX_DELETE: '2.5' }, /MAX_DELETE .*'2.5'/],
    ['MAX_DELETE with a leading zero', { MAX_DELETE: '025' }, /MAX_DELETE .*'025'/],
    ['MAX_DELETE with spaces', { MAX_DELETE: ' 5' }, /MAX_DELETE .*' 5'/],
    ['MAX_DELETE huge', { MAX_DELETE: '99999999999999999999' }, /MAX_DELETE .*too large/],
    [
      'RCLONE_CONFIG_SRC unreadable',
      { RCLONE_CONFIG_SRC: '/nonexistent/rclone.conf' },
      /RCLONE_CONFIG_SRC .*not a readable file/,
    ],
  ];
  test.concurrent.each(INVALID)('%s -> exit 2, one message, no rclone call', async (_name, env, message) => {
    const r = await driveSync({ FAKE_LISTING: listing(REQUIRED), ...env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.rclone).toEqual([]);
  });
});
