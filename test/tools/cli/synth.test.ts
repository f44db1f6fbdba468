import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Construct } from 'constructs';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { IngressAuth, IngressFactory } from '../../../constructs/blocks/ingress-factory';
import { named } from '../../../lib/terraform/addresses';
import { defineStack, type StackDefinition } from '../../../lib/synth/stack';
import { runSynth, type SynthIo } from '../../../tools/cli/synth';
import { STACKS } from '../../../stacks';
import { distCli, run, tempDir } from '../../support/fakes';
import { namespaceNamed } from '../../support/synth';

const tmp = tempDir('synth-cli-');
afterAll(() => tmp.cleanup());

function capture(tty = false): SynthIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    tty,
    stdout: (t: string) => (io.out += t),
    stderr: (t: string) => (io.err += t),
  };
  return io;
}

const ok = (name: string): StackDefinition =>
  defineStack({
    name,
    description: `${name} test stack`,
    build: (s) => {
      named(s, ConfigMap, 'cm', { metadata: { name: 'cm', namespace: name } });
    },
  });
const badProp = defineStack({
  name: 'bad-prop',
  description: 'invalid ingress auth',
  build: (s) =>
    new IngressFactory(s, 'ingress', {
      name: 'web',
      namespace: namespaceNamed('web'),
      auth: 'private' as IngressAuth,
    }),
});
const badValidation = defineStack({
  name: 'bad-validation',
  description: 'two resources with one address',
  build: (s) => {
    named(s, ConfigMap, 'same', { metadata: { name: 'a' } }, 'a');
    named(s, ConfigMap, 'same', { metadata: { name: 'b' } }, 'b');
  },
});

describe('runSynth', () => {
  it('writes cdktf.out/stacks/<stack>/cdk.tf.json and prints one line per stack and a total', () => {
    const outdir = path.join(tmp.dir, 'ok');
    const io = capture();
    expect(runSynth([ok('alpha'), ok('beta')], ['--outdir', outdir], io)).toBe(0);
    expect(fs.existsSync(path.join(outdir, 'stacks/alpha/cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
    const lines = io.out.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^alpha\s+resources\s+1\s+data\s+0\s+moved\s+0\s+\d+ ms$/);
    expect(lines[2]).toMatch(/^total \(2 stacks\)\s+resources\s+2\s+data\s+0\s+moved\s+0\s+\d+ ms$/);
    expect(io.err).toContain('synth [1/2] alpha\n');
  });

  it('synthesizes only the stacks named', () => {
    const outdir = path.join(tmp.dir, 'only');
    const io = capture();
    expect(runSynth([ok('alpha'), ok('beta')], ['beta', '--outdir', outdir], io)).toBe(0);
    expect(fs.readdirSync(path.join(outdir, 'stacks'))).toEqual(['beta']);
  });

  it.each([
    [
      badProp,
      'synth failed: bad-prop/ingress: invalid auth = "private"; allowed: one of "required", "app", "public", "none"',
    ],
    [
      badValidation,
      'address kubernetes_config_map.same is declared twice: bad-validation/a and bad-validation/b',
    ],
  ])(
    'a failing stack leaves the previous output untouched and no temporary directory (%#)',
    (bad, message) => {
      const outdir = path.join(tmp.dir, `keep-${bad.name}`);
      expect(runSynth([ok('alpha')], ['--outdir', outdir], capture())).toBe(0);
      const before = fs.readFileSync(path.join(outdir, 'stacks/alpha/cdk.tf.json'), 'utf8');
      const io = capture();
      expect(runSynth([ok('alpha'), bad], ['--outdir', outdir], io)).toBe(1);
      expect(io.err).toContain(message);
      expect(io.err).not.toMatch(/\n\s+at /); // no stack trace
      expect(io.out).toBe('');
      expect(fs.readFileSync(path.join(outdir, 'stacks/alpha/cdk.tf.json'), 'utf8')).toBe(before);
      expect(fs.existsSync(path.join(outdir, `stacks/${bad.name}`))).toBe(false);
      expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    },
  );

  it('on a TTY, progress redraws one line (declaring, then synthesizing) and is cleared before the results', () => {
    const io = capture(true);
    expect(runSynth([ok('alpha'), ok('beta')], ['--outdir', path.join(tmp.dir, 'tty')], io)).toBe(0);
    const progress = io.err.slice(0, io.err.indexOf('synth: wrote'));
    expect(progress).toBe(
      '\r\x1b[Kdeclare [1/2] alpha\r\x1b[Kdeclare [2/2] beta' +
        '\r\x1b[Ksynth [1/2] alpha\r\x1b[Ksynth [2/2] beta\r\x1b[K',
    );
    expect(io.out.split('\n')[0]).toMatch(/^alpha\s+resources\s+1/);
    // Plain lines otherwise (CI, pipes): one per stack, no escape sequences.
    const plain = capture(false);
    expect(runSynth([ok('alpha'), ok('beta')], ['--outdir', path.join(tmp.dir, 'plain')], plain)).toBe(0);
    expect(plain.err).toMatch(/^synth \[1\/2\] alpha\nsynth \[2\/2\] beta\nsynth: wrote .*\n$/);
  });

  it('an error thrown while declaring a stack names the stack and the construct path near it', () => {
    class Thing extends Construct {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        named(this, ConfigMap, 'thing_config', { metadata: { name: 'thing' } });
        throw new Error('image tag missing');
      }
    }
    const badBuild = defineStack({
      name: 'bad-build',
      description: 'throws a plain Error',
      build: (s) => {
        named(s, ConfigMap, 'first', { metadata: { name: 'first' } });
        new Thing(s, 'thing');
      },
    });
    const io = capture(true);
    expect(runSynth([ok('alpha'), badBuild], ['--outdir', path.join(tmp.dir, 'bad-build')], io)).toBe(1);
    expect(
      io.err.endsWith(
        '\r\x1b[Ksynth failed: stack bad-build: image tag missing ' +
          '(while declaring the stack; near construct bad-build/thing/thing_config)\n',
      ),
    ).toBe(true);
    expect(io.out).toBe('');
  });

  it('an unknown stack or option is a one-line error', () => {
    const io = capture();
    expect(runSynth([ok('alpha')], ['nope', '--outdir', path.join(tmp.dir, 'x')], io)).toBe(1);
    expect(io.err).toContain('synth failed: synth: invalid stack = "nope"; allowed: one of: alpha');
    const io2 = capture();
    expect(runSynth([ok('alpha')], ['--bogus'], io2)).toBe(2);
    expect(io2.err).toBe(
      'synth: unknown option --bogus (usage: npm run synth [-- <stack>...] [--outdir DIR] [--list])\n',
    );
  });

  it('--list shows name, backend and dependencies', () => {
    const io = capture();
    const vault = defineStack({ name: 'vault', description: 'Vault', build: () => undefined });
    expect(runSynth([ok('alpha'), vault], ['--list'], io)).toBe(0);
    expect(io.out).toMatch(/^alpha\s+pg\s+alpha test stack\nvault\s+local\s+Vault\n$/);
  });
});

describe('npm run synth (bundled CLI) on the real registry', () => {
  it('--list into a reader that stops early (| head) exits 0 without an EPIPE trace', async () => {
    // `true` has exited before node writes its first line: every write meets a closed pipe.
    const r = await run([
      'bash',
      '-c',
      `"${process.execPath}" "${distCli('synth')}" --list | true; exit \${PIPESTATUS[0]}`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  const synthTo = async (dir: string) =>
    run([process.execPath, distCli('synth'), '--outdir', dir], { env: { CI: 'true' } });

  it('synthesizes every registered stack, and two runs are byte-identical', async () => {
    const a = path.join(tmp.dir, 'real-a');
    const b = path.join(tmp.dir, 'real-b');
    // two independent processes at once: both cores work while this worker waits
    const [ra, rb] = await Promise.all([synthTo(a), synthTo(b)]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    for (const def of STACKS)
      expect(fs.existsSync(path.join(a, 'stacks', def.name, 'cdk.tf.json'))).toBe(true);
    const files = (dir: string) =>
      (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => fs.statSync(path.join(dir, f)).isFile())
        .sort();
    expect(files(b)).toEqual(files(a));
    for (const f of files(a))
      expect(fs.readFileSync(path.join(b, f)).equals(fs.readFileSync(path.join(a, f))), f).toBe(true);
    const lines = ra.stdout.split('\n').filter(Boolean);
    expect(lines.filter((l) => !l.startsWith('suppressed '))).toHaveLength(STACKS.length + 1);
    // The rule pack's tree-parity exceptions are listed, each with its reason.
    expect(lines).toContainEqual(
      expect.stringMatching(/^suppressed blog  images-pinned  kubernetes_deployment\.blog: tree parity/),
    );
  });
});
