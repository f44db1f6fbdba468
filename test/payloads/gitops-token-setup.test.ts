import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptPath } from '../../lib/core/paths';
import { FakeBins, run, tempDir } from '../support/fakes';

const SCRIPT = scriptPath('gitops-token-setup.sh');

// Two POSIX environments: dash + mawk (Debian) and busybox sh + busybox awk (the minimal case).
const busyboxDir = tempDir('busybox-awk-');
const hasBusybox = fs.existsSync('/usr/bin/busybox') || fs.existsSync('/bin/busybox');
beforeAll(() => {
  const bb = fs.existsSync('/usr/bin/busybox') ? '/usr/bin/busybox' : '/bin/busybox';
  if (hasBusybox) for (const tool of ['awk', 'sort']) fs.symlinkSync(bb, path.join(busyboxDir.dir, tool));
});
afterAll(() => busyboxDir.cleanup());

interface Case {
  dir: string;
  tokens: string;
  nix: string;
  git: string;
  fakes: FakeBins;
  cleanup(): void;
}

function setup(userExists = true): Case {
  const t = tempDir('gitops-');
  const fakes = new FakeBins()
    .add('chown')
    .add(
      'id',
      userExists
        ? 'case "$1" in -un) echo tester;; esac; exit 0'
        : 'case "$1" in -un) echo tester; exit 0;; esac; exit 1',
    );
  return {
    dir: t.dir,
    tokens: path.join(t.dir, 'etc/gitops/tokens.json'),
    nix: path.join(t.dir, 'etc/nix/access-tokens.conf'),
    git: path.join(t.dir, 'var/lib/nix-gitops/.git-credentials'),
    fakes,
    cleanup: () => {
      fakes.cleanup();
      t.cleanup();
    },
  };
}

function writeTokens(c: Case, text: string): void {
  fs.mkdirSync(path.dirname(c.tokens), { recursive: true });
  fs.writeFileSync(c.tokens, text);
}

const shells = [
  { name: 'sh (dash + mawk)', argv: ['sh', SCRIPT], extraPath: '' },
  ...(hasBusybox
    ? [{ name: 'busybox sh + awk', argv: ['busybox', 'sh', SCRIPT], extraPath: busyboxDir.dir }]
    : []),
];

describe.each(shells)('gitops-token-setup.sh under $name', ({ argv, extraPath }) => {
  const exec = (c: Case) =>
    run(argv, {
      path: c.fakes.path(`${extraPath ? `${extraPath}:` : ''}${process.env.PATH}`),
      env: {
        TOKENS_FILE: c.tokens,
        NIX_ACCESS_TOKENS_FILE: c.nix,
        GIT_CREDENTIALS_FILE: c.git,
        TMPDIR: c.dir,
      },
    });
  const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);

  it('writes nix access-tokens and git credentials (sorted, 0600, prefix stripped and URL-encoded for git)', async () => {
    const c = setup();
    try {
      writeTokens(
        c,
        JSON.stringify(
          { 'github.com': 'ghp_abc123', 'gitlab.com': 'PAT:glpat-x/y+z', 'git.example.org:3000': 'tok~1' },
          null,
          2,
        ),
      );
      const r = await exec(c);
      expect(r.stderr).toContain('wrote 3 token(s)');
      expect(r.code).toBe(0);
      expect(fs.readFileSync(c.nix, 'utf8')).toBe(
        'access-tokens = git.example.org:3000=tok~1 github.com=ghp_abc123 gitlab.com=PAT:glpat-x/y+z\n',
      );
      expect(fs.readFileSync(c.git, 'utf8')).toBe(
        [
          'https://oauth2:tok~1@git.example.org:3000',
          'https://oauth2:ghp_abc123@github.com',
          'https://oauth2:glpat-x%2Fy%2Bz@gitlab.com',
          '',
        ].join('\n'),
      );
      expect(mode(c.nix)).toBe('600');
      expect(mode(c.git)).toBe('600');
      expect(c.fakes.calls('chown')).toEqual([{ name: 'chown', args: ['nix-gitops', c.git] }]);
      // No temporary files left next to the outputs.
      expect(fs.readdirSync(path.dirname(c.git))).toEqual(['.git-credentials']);
    } finally {
      c.cleanup();
    }
  });

  it('accepts compact JSON and an empty object', async () => {
    const c = setup();
    try {
      writeTokens(c, '{"a.example":"t1","b.example":"OAuth2:t2"}');
      expect((await exec(c)).code).toBe(0);
      expect(fs.readFileSync(c.nix, 'utf8')).toBe('access-tokens = a.example=t1 b.example=OAuth2:t2\n');
      expect(fs.readFileSync(c.git, 'utf8')).toContain('https://oauth2:t2@b.example');
      writeTokens(c, ' { } \n');
      const r = await exec(c);
      expect(r.code).toBe(0);
      expect(fs.readFileSync(c.nix, 'utf8')).toBe('');
      expect(fs.readFileSync(c.git, 'utf8')).toBe('');
    } finally {
      c.cleanup();
    }
  });

  it('does nothing (exit 0) without a tokens file', async () => {
    const c = setup();
    try {
      const r = await exec(c);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('nothing to set up');
      expect(fs.existsSync(c.nix)).toBe(false);
      expect(fs.existsSync(c.git)).toBe(false);
    } finally {
      c.cleanup();
    }
  });

  it('keeps ownership when the gitops user does not exist', async () => {
    const c = setup(false);
    try {
      writeTokens(c, '{"github.com":"x"}');
      const r = await exec(c);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('user nix-gitops does not exist');
      expect(c.fakes.calls('chown')).toEqual([]);
    } finally {
      c.cleanup();
    }
  });

  it.each([
    ['[]', 'must be a JSON object'],
    ['{"github.com": {"token": "x"}}', 'must be a string token'],
    ['{"github.com": 42}', 'must be a string token'],
    ['{"github.com": "a\\"b"}', 'escape sequences are not supported'],
    ['{"https://github.com": "x"}', 'invalid host "https://github.com"'],
    ['{"github.com": ""}', 'must be non-empty printable ASCII'],
    ['{"github.com": "a b"}', 'must be non-empty printable ASCII'],
    ['{"github.com": "a", "github.com": "b"}', 'appears twice'],
    ['{"github.com": "a"} x', 'unexpected content after the JSON object'],
    ['{"github.com": "a"', 'expected , or }'],
    ['{"github.com": "a', 'unterminated string'],
    ['', 'must be a JSON object'],
  ])('refuses %j with one message and changes nothing', async (text, message) => {
    const c = setup();
    try {
      fs.mkdirSync(path.dirname(c.nix), { recursive: true });
      fs.writeFileSync(c.nix, 'access-tokens = old=1\n');
      writeTokens(c, text);
      const r = await exec(c);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain(`invalid ${c.tokens}; nothing was changed`);
      expect(fs.readFileSync(c.nix, 'utf8')).toBe('access-tokens = old=1\n');
      expect(fs.existsSync(c.git)).toBe(false);
    } finally {
      c.cleanup();
    }
  });
});

it('holds no Go template delimiters (it is embedded in an External Secrets template)', () => {
  const text = fs.readFileSync(SCRIPT, 'utf8');
  expect(text).not.toContain('{{');
  expect(text).not.toContain('}}');
});
