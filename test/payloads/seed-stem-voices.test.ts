// Runs payloads/seed-stem-voices.sh (the init container of stack tts) under busybox sh and dash against
// temporary directories: the same file synth renders into the Deployment.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptPath } from '../../lib/core/paths';
import { FakeBins, run, tempDir } from '../support/fakes';

const SCRIPT = scriptPath('seed-stem-voices.sh');
const SHELLS: ReadonlyArray<readonly string[]> = [['busybox', 'sh'], ['dash']];

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function dirs(voices: Record<string, string>) {
  const t = tempDir('seed-voices-');
  cleanups.push(t.cleanup);
  const voicesDir = path.join(t.dir, 'voices');
  const targetDir = path.join(t.dir, 'data', 'reference_audio');
  fs.mkdirSync(voicesDir);
  for (const [name, body] of Object.entries(voices)) fs.writeFileSync(path.join(voicesDir, name), body);
  return { root: t.dir, voicesDir, targetDir };
}

const listing = (dir: string) => fs.readdirSync(dir).sort();

describe.each(SHELLS)('seed-stem-voices.sh under %s', (...shell) => {
  const seed = (env: Record<string, string>) => run([...shell, SCRIPT], { env });

  it('copies every .wav and .mp3 to its extension-less stem, creating the target directory', async () => {
    const d = dirs({
      'Emily.wav': 'RIFF-emily',
      'Abe.mp3': 'ID3-abe',
      'Old Man.wav': 'RIFF-old',
      'a.b.wav': 'ab',
    });
    const r = await seed({ VOICES_DIR: d.voicesDir, TARGET_DIR: d.targetDir });
    expect(r.code).toBe(0);
    expect(listing(d.targetDir)).toEqual(['Abe', 'Emily', 'Old Man', 'a.b']);
    expect(fs.readFileSync(path.join(d.targetDir, 'Emily'), 'utf8')).toBe('RIFF-emily');
    expect(fs.readFileSync(path.join(d.targetDir, 'Abe'), 'utf8')).toBe('ID3-abe');
    expect(fs.readFileSync(path.join(d.targetDir, 'Old Man'), 'utf8')).toBe('RIFF-old');
    expect(r.stdout).toContain(`copied 4, kept 0 existing, from ${d.voicesDir} to ${d.targetDir}`);
  });

  it('never overwrites a voice already seeded, and a second run copies nothing', async () => {
    const d = dirs({ 'Emily.wav': 'new', 'Abe.wav': 'abe' });
    fs.mkdirSync(d.targetDir, { recursive: true });
    fs.writeFileSync(path.join(d.targetDir, 'Emily'), 'narrator-tuned');
    const first = await seed({ VOICES_DIR: d.voicesDir, TARGET_DIR: d.targetDir });
    expect(first.code).toBe(0);
    expect(fs.readFileSync(path.join(d.targetDir, 'Emily'), 'utf8')).toBe('narrator-tuned');
    expect(first.stdout).toContain('copied 1, kept 1 existing');
    const second = await seed({ VOICES_DIR: d.voicesDir, TARGET_DIR: d.targetDir });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('copied 0, kept 2 existing');
    expect(listing(d.targetDir)).toEqual(['Abe', 'Emily']);
  });

  it('ignores other files and copes with no voices at all (an unmatched glob is not a file)', async () => {
    const d = dirs({ 'README.txt': 'x', 'voice.flac': 'y' });
    const r = await seed({ VOICES_DIR: d.voicesDir, TARGET_DIR: d.targetDir });
    expect(r.code).toBe(0);
    expect(listing(d.targetDir)).toEqual([]);
    expect(r.stdout).toContain('copied 0, kept 0 existing');
  });

  it('refuses a missing VOICES_DIR (exit 2, nothing created): seeding nothing would hide a moved image path', async () => {
    const d = dirs({});
    const r = await seed({ VOICES_DIR: path.join(d.root, 'nope'), TARGET_DIR: d.targetDir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `seed-stem-voices: invalid environment: VOICES_DIR '${path.join(d.root, 'nope')}' is not a directory`,
    );
    expect(fs.existsSync(d.targetDir)).toBe(false);
  });

  it('refuses relative directories (exit 2)', async () => {
    const d = dirs({ 'Emily.wav': 'x' });
    for (const env of [
      { VOICES_DIR: 'voices', TARGET_DIR: d.targetDir },
      { VOICES_DIR: d.voicesDir, TARGET_DIR: 'data' },
    ]) {
      const r = await seed(env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/must be an absolute path/);
    }
  });

  it('fails (the pod does not start half-seeded) when the target cannot be created', async () => {
    const d = dirs({ 'Emily.wav': 'x' });
    fs.mkdirSync(path.dirname(d.targetDir), { recursive: true });
    fs.writeFileSync(d.targetDir, 'a file where the directory should be');
    const r = await seed({ VOICES_DIR: d.voicesDir, TARGET_DIR: d.targetDir });
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain('copied');
  });

  it('fails when a copy fails, leaving no truncated voice under the stem name', async () => {
    const d = dirs({ 'Emily.wav': 'RIFF-emily' });
    const bins = new FakeBins().add('cp', 'printf partial > "$2"; exit 1');
    cleanups.push(() => bins.cleanup());
    const r = await run([...shell, SCRIPT], {
      env: { VOICES_DIR: d.voicesDir, TARGET_DIR: d.targetDir },
      path: bins.path(),
    });
    expect(r.code).not.toBe(0);
    expect(bins.calls('cp')).toHaveLength(1);
    expect(fs.existsSync(path.join(d.targetDir, 'Emily'))).toBe(false);
    expect(r.stdout).not.toContain('copied');
  });
});
