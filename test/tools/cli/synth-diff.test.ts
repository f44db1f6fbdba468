// Runs the bundled synth diff CLI (dist/synth-diff.js) as `npm run diff` does:
// - on two synthetic app versions synthesized by the real runner (--base-dir / --head-dir);
// - end to end on a tiny git repository whose "synth" is a stub runner, so the temporary worktree,
//   the node_modules link, each side running its own code, cleanup and exit codes are exercised for real.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { Deployment } from '@cdktf/provider-kubernetes/lib/deployment';
import { Namespace } from '@cdktf/provider-kubernetes/lib/namespace';
import { PersistentVolumeClaim } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import { Service } from '@cdktf/provider-kubernetes/lib/service';
import { movedFrom, named } from '../../../lib/terraform/addresses';
import { COMMENT_LIMIT } from '../../../lib/core/markdown';
import { type InfraStack, type StackDefinition, defineStack } from '../../../lib/synth/stack';
import { SYNTH_DIFF_MARKER } from '../../../lib/review/synth-diff';
import { runSynth } from '../../../lib/synth/synth-run';
import { distCli, run, tempDir } from '../../support/fakes';
import { RULES, suppressRule } from '../../../lib/synth/rules';

const cli = distCli('synth-diff');
const tmp = tempDir('synth-diff-test-');
afterAll(() => tmp.cleanup());

function synthTo(name: string, defs: StackDefinition[]): string {
  const dir = path.join(tmp.dir, name);
  let err = '';
  const io = { stdout: () => undefined, stderr: (t: string) => void (err += t), tty: false };
  expect(runSynth(defs, ['--outdir', dir], io), err).toBe(0);
  return dir;
}

// ---------------------------------------------------------------------------------------------------------
// Two versions of a small app, synthesized by the real runner.

interface MediaOptions {
  replicas: number;
  image: string;
  password: string;
  /** Keep the PVC; with `pvcName` other than media_data, a moved block brings it from media_data. */
  pvc?: { name: string };
  configMap: { name: string; movedFromSettings: boolean };
  service: boolean;
}

const ns = (s: InfraStack, name: string) => named(s, Namespace, name, { metadata: { name } }, 'namespace');

function media(o: MediaOptions): StackDefinition {
  return defineStack({
    name: 'media',
    description: 'media server',
    build: (s) => {
      // A fixture of raw bindings for the diff, not a convention-following workload.
      for (const rule of RULES) suppressRule(s, rule, 'synth-diff fixture of raw provider bindings');
      ns(s, 'media');
      named(
        s,
        Deployment,
        'media',
        {
          metadata: { name: 'media', namespace: 'media' },
          spec: {
            replicas: String(o.replicas),
            selector: { matchLabels: { app: 'media' } },
            template: {
              metadata: { labels: { app: 'media' } },
              spec: { container: [{ name: 'media', image: o.image }] },
            },
          },
        },
        'deployment',
      );
      named(s, Secret, 'creds', {
        metadata: { name: 'creds', namespace: 'media' },
        data: { password: o.password },
      });
      if (o.pvc) {
        const pvc = named(s, PersistentVolumeClaim, o.pvc.name, {
          metadata: { name: 'media-data', namespace: 'media' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
        });
        if (o.pvc.name !== 'media_data') movedFrom(pvc, 'kubernetes_persistent_volume_claim.media_data');
      }
      const cm = named(s, ConfigMap, o.configMap.name, {
        metadata: { name: 'media-settings', namespace: 'media' },
        data: { LOG_LEVEL: 'info' },
      });
      if (o.configMap.movedFromSettings) movedFrom(cm, 'kubernetes_config_map.settings');
      if (o.service) {
        named(
          s,
          Service,
          'media',
          {
            metadata: { name: 'media', namespace: 'media' },
            spec: { selector: { app: 'media' }, port: [{ port: 80, targetPort: '8096' }] },
          },
          'service',
        );
      }
    },
  });
}

const simple = (name: string) =>
  defineStack({ name, description: `${name} stack`, build: (s) => void ns(s, name) });

const v1Media: MediaOptions = {
  replicas: 1,
  image: 'jellyfin/jellyfin:10.9.0',
  password: 'hunter2-version-one',
  pvc: { name: 'media_data' },
  configMap: { name: 'settings', movedFromSettings: false },
  service: false,
};

let v1: string;
let v2: string;
let renamedNoMove: string;
let pvcMoved: string;

beforeAll(() => {
  v1 = synthTo('v1', [media(v1Media), simple('legacy'), simple('stable')]);
  // v2: replicas and image changed, config map renamed with a moved block, PVC dropped (a stateful
  // destroy), a service added, the secret's value changed, stack legacy removed, stack fresh added.
  v2 = synthTo('v2', [
    media({
      replicas: 2,
      image: 'jellyfin/jellyfin:10.10.0',
      password: 'hunter2-version-two',
      configMap: { name: 'config', movedFromSettings: true },
      service: true,
    }),
    simple('stable'),
    simple('fresh'),
  ]);
  // The config map renamed without a moved block (not stateful: a destroy + create, exit 0).
  renamedNoMove = synthTo('renamed-no-move', [
    media({ ...v1Media, configMap: { name: 'config', movedFromSettings: false } }),
    simple('legacy'),
    simple('stable'),
  ]);
  // The PVC renamed WITH a moved block: a rename, no destroy.
  pvcMoved = synthTo('pvc-moved', [
    media({ ...v1Media, pvc: { name: 'library' } }),
    simple('legacy'),
    simple('stable'),
  ]);
});

const diff = (...args: string[]) => run([process.execPath, cli, ...args], { cwd: tmp.dir });

// Concurrent: each case is one CLI run over the read-only outputs above (writes go to paths of its own).
describe.concurrent('synth diff of two synthesized apps (--base-dir / --head-dir)', () => {
  it('shows added, removed, changed, renamed resources and stacks; a stateful destroy exits 2', async () => {
    const r = await diff('--base-dir', v1, '--head-dir', v2);
    expect(r.code, r.stderr).toBe(2);
    const md = r.stdout;
    expect(md.startsWith(`${SYNTH_DIFF_MARKER}\n### Synth diff\n\n`)).toBe(true);
    expect(md).toContain('3 of 4 stacks differ; new: `fresh`; removed: `legacy`.');
    // Stateful destroys lead the comment: the PVC, and the namespace of the removed stack.
    expect(md).toContain('> [!CAUTION]');
    expect(md).toContain(
      '> - `kubernetes_persistent_volume_claim.media_data` in `media` — persistent volume claim',
    );
    expect(md).toContain(
      '> - `kubernetes_namespace.legacy` in `legacy` — namespace (deletes everything in it)',
    );
    // Per stack details.
    expect(md).toContain('#### `media` — 1 added, 1 removed, 2 changed, 1 renamed');
    expect(md).toContain(
      '- kubernetes_persistent_volume_claim.media_data  # removed; STATEFUL: persistent volume claim — would be destroyed',
    );
    expect(md).toContain(
      '> kubernetes_config_map.config  # renamed from kubernetes_config_map.settings (moved block)',
    );
    expect(md).toContain('+ kubernetes_service.media  # added');
    expect(md).toMatch(/~ kubernetes_deployment\.media {2}# changed\n~ +spec\.replicas: "1" -> "2"\n/);
    expect(md).toContain('"jellyfin/jellyfin:10.9.0" -> "jellyfin/jellyfin:10.10.0"');
    expect(md).toContain('~ kubernetes_secret.creds  # changed');
    expect(md).toContain('#### `fresh` (new stack)');
    expect(md).toContain('#### `legacy` (stack removed)');
    expect(md).not.toContain('#### `stable`');
    // Secrets never printed.
    expect(md).not.toContain('hunter2');
    expect(md).toContain('(sensitive)');
    expect(r.stderr).toContain('synth-diff: 3 of 4 stacks differ; 2 stateful resources would be destroyed');
    expect(r.stderr).toContain('exit 2: stateful resources would be destroyed');
  });

  it('--allow-destroy exits 0 with the same report', async () => {
    const r = await diff('--base-dir', v1, '--head-dir', v2, '--allow-destroy');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('> [!CAUTION]');
    expect(r.stderr).toContain('stateful destroys allowed (--allow-destroy)');
  });

  it('--format json: the result plus changedStacks (the stacks worth planning), secrets masked', async () => {
    const r = await diff('--base-dir', v1, '--head-dir', v2, '--format', 'json');
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.changedStacks).toEqual(['fresh', 'media']);
    expect(json.stacksAdded).toEqual(['fresh']);
    expect(json.stacksRemoved).toEqual(['legacy']);
    expect(json.statefulDestroys).toEqual([
      {
        stack: 'legacy',
        address: 'kubernetes_namespace.legacy',
        reason: 'namespace (deletes everything in it)',
      },
      {
        stack: 'media',
        address: 'kubernetes_persistent_volume_claim.media_data',
        reason: 'persistent volume claim',
      },
    ]);
    const m = json.stacks.find((s: { stack: string }) => s.stack === 'media');
    expect(m.renamed.map((x: { from: string; to: string }) => [x.from, x.to])).toEqual([
      ['kubernetes_config_map.settings', 'kubernetes_config_map.config'],
    ]);
    expect(m.added.map((x: { address: string }) => x.address)).toEqual(['kubernetes_service.media']);
    expect(m.changed.map((x: { address: string }) => x.address).sort()).toEqual([
      'kubernetes_deployment.media',
      'kubernetes_secret.creds',
    ]);
    expect(r.stdout).not.toContain('hunter2');
  });

  it('a rename without a moved block is a removal plus an addition (not stateful: exit 0)', async () => {
    const r = await diff('--base-dir', v1, '--head-dir', renamedNoMove);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('- kubernetes_config_map.settings  # removed\n');
    expect(r.stdout).toContain('+ kubernetes_config_map.config  # added\n');
    expect(r.stdout).not.toContain('[!CAUTION]');
  });

  it('a stateful resource renamed with a moved block is a rename: exit 0', async () => {
    const r = await diff('--base-dir', v1, '--head-dir', pvcMoved, '--format=json');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.statefulDestroys).toEqual([]);
    expect(json.stacks.find((s: { stack: string }) => s.stack === 'media').renamed).toEqual([
      {
        from: 'kubernetes_persistent_volume_claim.media_data',
        to: 'kubernetes_persistent_volume_claim.library',
        mode: 'managed',
        type: 'kubernetes_persistent_volume_claim',
        changes: [],
      },
    ]);
  });

  it('no changes: says so, exit 0', async () => {
    const r = await diff('--base-dir', v1, '--head-dir', v1);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${SYNTH_DIFF_MARKER}\n### Synth diff\n\n3 stacks synthesized: no changes.\n\n`);
  });

  it('--out writes the report to a file; --comment-dir writes comment-N.md parts', async () => {
    const out = path.join(tmp.dir, 'report.md');
    const comments = path.join(tmp.dir, 'comments');
    fs.mkdirSync(comments);
    fs.writeFileSync(path.join(comments, 'comment-7.md'), 'stale part');
    const r = await diff('--base-dir', v1, '--head-dir', v2, '--out', out, '--comment-dir', comments);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const report = fs.readFileSync(out, 'utf8');
    expect(report).toContain('#### `media`');
    expect(fs.readdirSync(comments)).toEqual(['comment-1.md']);
    const part = fs.readFileSync(path.join(comments, 'comment-1.md'), 'utf8');
    expect(part).toBe(report);
    expect(part.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  });

  it.each([
    [[], 'no base: give --base REF or --base-dir DIR'],
    [['--base', 'main', '--base-dir', 'x'], 'give --base REF or --base-dir DIR, not both'],
    [['--base-dir', 'x', '--format', 'yaml'], '--format must be markdown or json, not "yaml"'],
    [['--base-dir'], '--base-dir needs a value'],
    [['--base-dir', 'x', '--bogus'], 'unknown option --bogus'],
    [['--base-dir', 'x', 'extra'], 'unexpected argument extra'],
    [
      ['--base-dir', 'nope', '--head-dir', 'nope'],
      'nope: no such directory (expected a synth output directory)',
    ],
  ])('bad usage %j: one message, exit 1', async (args, message) => {
    const r = await diff(...args);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`synth-diff: ${message}`);
  });

  it('a broken cdk.tf.json is named', async () => {
    const broken = path.join(tmp.dir, 'broken');
    fs.cpSync(v1, broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'stacks/media/cdk.tf.json'), '{"resource": ');
    const r = await diff('--base-dir', broken, '--head-dir', v2);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`synth-diff: ${path.join(broken, 'stacks/media/cdk.tf.json')}: invalid JSON`);
  });
});

// ---------------------------------------------------------------------------------------------------------
// --base REF end to end, in a tiny git repository with a stub synth runner.

const STUB_BUILD = `import fs from 'node:fs';
fs.mkdirSync('dist', { recursive: true });
fs.copyFileSync('scripts/synth-stub.cjs', 'dist/synth.js');
`;

/** The stub "synth": writes app.json's stacks plus a resource naming the runner version. */
const stubSynth = (runner: string) => `const fs = require('node:fs');
const path = require('node:path');
require('stub-dep'); // resolved through node_modules (a link in the base worktree)
const out = process.argv[process.argv.indexOf('--outdir') + 1];
const app = JSON.parse(fs.readFileSync('app.json', 'utf8'));
if (app.fail) {
  console.error('synth failed: ' + app.fail);
  process.exit(1);
}
for (const [name, json] of Object.entries(app.stacks)) {
  const dir = path.join(out, 'stacks', name);
  fs.mkdirSync(dir, { recursive: true });
  json.resource = { ...json.resource, null_resource: { ${runner}: {} } };
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json));
}
fs.writeFileSync(path.join(out, 'manifest.json'), '{}');
`;

const appV1 = {
  stacks: {
    media: {
      resource: {
        kubernetes_namespace: { media: { metadata: { name: 'media' } } },
        kubernetes_persistent_volume_claim: { data: { metadata: { name: 'data' } } },
      },
    },
  },
};
const appV2 = {
  stacks: {
    media: {
      resource: {
        kubernetes_namespace: { media: { metadata: { name: 'media', labels: { tier: '3-edge' } } } },
        kubernetes_config_map: { cfg: { metadata: { name: 'cfg' } } },
      },
    },
  },
};

describe('synth diff --base REF (git worktree, end to end)', () => {
  let repo: string;
  let tmpdir: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', ...args], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
  const diffIn = (...args: string[]) =>
    run([process.execPath, cli, ...args], { cwd: repo, env: { TMPDIR: tmpdir } });

  beforeAll(() => {
    repo = path.join(tmp.dir, 'repo');
    tmpdir = path.join(tmp.dir, 'tmpdir');
    fs.mkdirSync(repo);
    fs.mkdirSync(tmpdir);
    git('init', '-q', '-b', 'main');
    write('.gitignore', 'node_modules/\ndist/\n');
    write('app.json', JSON.stringify(appV1));
    git('add', '-A');
    git('commit', '-q', '-m', 'before the synth runner');
    git('tag', 'norunner');
    write('tools/build.mjs', STUB_BUILD);
    write('scripts/synth-stub.cjs', stubSynth('runner_v1'));
    git('add', '-A');
    git('commit', '-q', '-m', 'v1');
    git('tag', 'v1');
    write('app.json', JSON.stringify({ fail: 'base is broken' }));
    git('commit', '-q', '-am', 'broken');
    git('tag', 'broken');
    git('reset', '-q', '--hard', 'v1');
    // Working tree: app v2 and a newer runner, uncommitted. node_modules exists only here (ignored).
    write('node_modules/stub-dep/index.js', 'module.exports = 1;\n');
    write('app.json', JSON.stringify(appV2));
    write('scripts/synth-stub.cjs', stubSynth('runner_v2'));
  });

  const expectCleanedUp = () => {
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(fs.readdirSync(tmpdir)).toEqual([]);
    expect(fs.readFileSync(path.join(repo, 'node_modules/stub-dep/index.js'), 'utf8')).toBe(
      'module.exports = 1;\n',
    );
    expect(git('status', '--porcelain')).toBe(' M app.json\n M scripts/synth-stub.cjs'.trim());
  };

  it('synthesizes the base in a temporary worktree with its own code, diffs, cleans up', async () => {
    const r = await diffIn('--base', 'v1');
    expect(r.stderr).toMatch(/synth-diff: synthesizing base v1 \([0-9a-f]{12}\)/);
    expect(r.stderr).toContain('synth-diff: synthesizing the working tree');
    expect(r.code, r.stderr).toBe(2);
    // Each side ran its own runner.
    expect(r.stdout).toContain('- null_resource.runner_v1  # removed\n');
    expect(r.stdout).toContain('+ null_resource.runner_v2  # added\n');
    expect(r.stdout).toContain(
      '- kubernetes_persistent_volume_claim.data  # removed; STATEFUL: persistent volume claim — would be destroyed',
    );
    expect(r.stdout).toContain('+ kubernetes_config_map.cfg  # added');
    expect(r.stdout).toMatch(
      /~ kubernetes_namespace\.media {2}# changed\n\+ +metadata\.labels\.tier: "3-edge"\n/,
    );
    expectCleanedUp();
  });

  it('--base with --head-dir uses an existing head output (as the pipeline does after npm run synth)', async () => {
    const head = path.join(tmp.dir, 'repo-head');
    fs.mkdirSync(path.join(head, 'stacks/media'), { recursive: true });
    fs.writeFileSync(
      path.join(head, 'stacks/media/cdk.tf.json'),
      JSON.stringify({
        resource: {
          ...appV1.stacks.media.resource,
          null_resource: { runner_v1: {} },
        },
      }),
    );
    const r = await diffIn('--base', 'v1', '--head-dir', head, '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('synthesizing the working tree');
    expect(JSON.parse(r.stdout).changedStacks).toEqual([]);
    expectCleanedUp();
  });

  it('a base without a synth runner fails with a clear message and cleans up', async () => {
    const r = await diffIn('--base', 'norunner');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /synth-diff: base norunner \([0-9a-f]{12}\) has no synth runner \(no tools\/build\.mjs\); .*diff against a newer base/,
    );
    expectCleanedUp();
  });

  it('a base that fails to synthesize: exit 1 naming the base, its error shown, cleaned up', async () => {
    const r = await diffIn('--base', 'broken');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('synth failed: base is broken');
    expect(r.stderr).toMatch(/synth-diff: synthesizing base broken \([0-9a-f]{12}\) failed \(exit 1\)/);
    expectCleanedUp();
  });

  it('a working tree that fails to synthesize: exit 1, nothing left behind', async () => {
    const good = fs.readFileSync(path.join(repo, 'app.json'), 'utf8');
    write('app.json', JSON.stringify({ fail: 'head is broken' }));
    try {
      const r = await diffIn('--base', 'v1');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('synth failed: head is broken');
      expect(r.stderr).toContain('synth-diff: synthesizing the working tree failed (exit 1)');
    } finally {
      write('app.json', good);
    }
    expectCleanedUp();
  });

  it('an unknown base ref is one message', async () => {
    const r = await diffIn('--base', 'no-such-branch', '--head-dir', v1);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('synth-diff: unknown base ref "no-such-branch" (not a commit here)');
    expectCleanedUp();
  });
});
