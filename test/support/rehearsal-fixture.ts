// The rehearsal fixture: a Terragrunt-shaped tree (test/fixtures/rehearsal/tree, our own HCL) with one
// stack `demo`, and our side of it (test/fixtures/rehearsal/ours/demo.cdk.tf.json, hand-written like
// cdktf output). Each case is a copy of the stack under its own name with one deliberate difference.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'rehearsal');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CASES = ['clean', 'reviewed', 'changed', 'unmoved', 'sensitivity', 'nopayload'] as const;
export type Case = (typeof CASES)[number];

function base(): Json {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE, 'ours', 'demo.cdk.tf.json'), 'utf8')) as Json;
}

/** Our JSON for a case: the clean one with the case's difference, the stack renamed. */
export function oursFor(c: Case): Json {
  const d = base();
  const text = JSON.stringify(d)
    .replace(/tree-payloads\/demo\//g, `tree-payloads/${c}/`)
    .replace(/stack demo:/g, `stack ${c}:`);
  const out = JSON.parse(text) as Json;
  out.terraform.backend.pg.schema_name = c;
  const cm = out.resource.kubernetes_config_map;
  if (c === 'changed' || c === 'reviewed') cm.window_down.data.direction = 'DOWN';
  if (c === 'unmoved')
    out.moved = out.moved.filter((m: Json) => m.from !== 'kubernetes_config_map.window["up"]');
  if (c === 'sensitivity') cm.site_settings.data.secret = 'tls-secret';
  if (c === 'nopayload') {
    cm.script = JSON.parse(JSON.stringify(cm.script).replace(/files\/run\.sh/g, 'files/gone.sh'));
  }
  return out;
}

/** The reviewed differences the cases ship with (only `reviewed` has one). */
export const REVIEWED: Partial<Record<Case, Json>> = {
  reviewed: {
    stack: 'reviewed',
    reviewed: [
      {
        address: 'kubernetes_config_map.window_down',
        action: 'update',
        paths: ['data["direction"]'],
        reason: 'fixture: upper-case direction is the intended improvement',
      },
    ],
  },
};

/** Writes a tree with one copy of stacks/demo per case, our cdktf.out and the reviewed dir under `dir`. */
export function writeFixture(
  dir: string,
  cases: readonly Case[] = CASES,
): { tree: string; ours: string; reviewed: string } {
  const tree = path.join(dir, 'tree');
  fs.cpSync(path.join(FIXTURE, 'tree', 'modules'), path.join(tree, 'modules'), { recursive: true });
  const ours = path.join(dir, 'ours');
  const reviewed = path.join(dir, 'reviewed');
  fs.mkdirSync(reviewed, { recursive: true });
  for (const c of cases) {
    fs.cpSync(path.join(FIXTURE, 'tree', 'stacks', 'demo'), path.join(tree, 'stacks', c), {
      recursive: true,
    });
    fs.mkdirSync(path.join(ours, 'stacks', c), { recursive: true });
    fs.writeFileSync(path.join(ours, 'stacks', c, 'cdk.tf.json'), JSON.stringify(oursFor(c), null, 2));
    const r = REVIEWED[c];
    if (r) fs.writeFileSync(path.join(reviewed, `${c}.json`), JSON.stringify(r, null, 2));
  }
  return { tree, ours, reviewed };
}
