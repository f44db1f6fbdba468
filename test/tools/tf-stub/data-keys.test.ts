// JSON-valued data keys: scanDataKeys records the access paths applied to a jsondecode()d data key
// (directly, through a local, a module argument and its variable type, lookup(), try(), for iterators),
// and jsonDocument / readData turn them into a deterministic JSON document of that shape.
import { describe, expect, it } from 'vitest';
import { jsonDocument, readData } from '../../../tools/tf-stub/behaviour';
import { scanDataKeys } from '../../../tools/tf-stub/data-keys';
import type { StubBlock } from '../../../tools/tf-stub/schema';

const paths = (hcl: string | string[], doc: string) => {
  const keys = scanDataKeys(...(Array.isArray(hcl) ? hcl : [hcl]));
  return new Set((keys[doc] ?? []).map((p) => JSON.parse(p) as unknown));
};
const set = (...ps: unknown[][]) => new Set(ps);

describe('scanDataKeys: paths into a jsondecode()d key', () => {
  const doc = 'kubernetes_secret.data.json["creds"]';

  it('after the call itself, in attribute and index form, in Terraform JSON', () => {
    const json = JSON.stringify({
      resource: {
        x: {
          a: {
            u: '${jsondecode(data.kubernetes_secret.s.data["creds"]).app.user}',
            p: '${jsondecode(data.kubernetes_secret.s.data["creds"])["app"]["pass"]}',
            l: '${lookup(jsondecode(lookup(data.kubernetes_secret.s.data, "creds", "")), "db", "")}',
          },
        },
      },
    });
    const keys = scanDataKeys(json);
    expect(keys['kubernetes_secret.data']).toEqual(['creds']);
    expect(keys['kubernetes_secret.data.json']).toEqual(['creds']);
    expect(new Set(keys[doc]!.map((p) => JSON.parse(p) as unknown))).toEqual(
      set(['app', 'pass'], ['app', 'user'], ['db']),
    );
  });

  it('through a local: index chains, lookup(), try(), list indexes', () => {
    const hcl = `
locals {
  c = jsondecode(data.kubernetes_secret.s.data["creds"]) # a comment
}
resource "x" "a" {
  one   = local.c["svc"]["key"]
  two   = lookup(local.c["svc"], "other", null)
  three = try(local.c.extra.deep, "")
  four  = local.c.list[1]
  five  = local.cx["not"]["ours"]
}`;
    expect(paths(hcl, doc)).toEqual(
      set([], ['extra', 'deep'], ['list', 1], ['svc', 'key'], ['svc', 'other']),
    );
  });

  it('for iterators inside their brackets, nested fors, keys(); the same name outside is not recorded', () => {
    const hcl = `
locals {
  people = jsondecode(data.kubernetes_secret.s.data["creds"])
  names  = keys(local.people)
  pairs = flatten([
    for name, p in local.people : [
      for g in p.groups : { who = name, group = g, mail = p.mail }
    ] if p.kind == "member"
  ])
  firsts = { for name, p in local.people : name => p.groups[0] }
}
output "o" { value = p.unrelated }`;
    expect(paths(hcl, doc)).toEqual(
      set(
        [],
        [null],
        [null, 'groups'],
        [null, 'groups', null],
        [null, 'groups', 0],
        [null, 'kind'],
        [null, 'mail'],
      ),
    );
  });

  it('each.value in a block whose for_each is the value or a `k => v` for over it', () => {
    const hcl = `
locals { people = jsondecode(data.kubernetes_secret.s.data["creds"]) }
resource "x" "direct" {
  for_each = local.people
  a        = each.value.mail
}
resource "x" "filtered" {
  for_each = nonsensitive({ for name, p in local.people : name => p if p.kind == "member" })
  b        = each.value.quota.cpu
}
resource "x" "derived" {
  for_each = { for name, p in local.people : name => { m = p.mail } }
  c        = each.value.not_recorded
}
resource "x" "other" { d = each.value.outside }`;
    expect(paths(hcl, doc)).toEqual(set([], [null], [null, 'mail'], [null, 'kind'], [null, 'quota', 'cpu']));
  });

  it('a module argument follows var.<name> into the module and adds the paths of its variable type', () => {
    const stack = `
locals { people = jsondecode(data.vault_kv_secret_v2.s.data["people"]) }
module "m" {
  source = "./m"
  people = local.people
}`;
    const module = `
variable "people" {
  type = map(object({
    kind   = string                     # a comment
    groups = optional(list(string), [])
    limits = optional(object({ cpu = optional(string, "1") }), {})
  }))
}
locals { members = [for name, p in var.people : name if p.kind == "member"] }`;
    expect(paths([stack, module], 'vault_kv_secret_v2.data.json["people"]')).toEqual(
      set([], [null], [null, 'groups', 0], [null, 'kind'], [null, 'limits', 'cpu']),
    );
    const lists = `
locals { ids = jsondecode(data.vault_kv_secret_v2.s.data["ids"]) }
module "m" {
  ids = local.ids
}
variable "ids" { type = list(map(string)) }`;
    expect(paths(lists, 'vault_kv_secret_v2.data.json["ids"]')).toEqual(set([0, null], []));
  });

  it('terminates on a module chain that passes a part of var.<name> on as <name>', () => {
    const hcl = `
locals { c = jsondecode(data.kubernetes_secret.s.data["creds"]) }
module "outer" {
  c = local.c
}
module "inner" {
  c = var.c["sub"]
}`;
    const found = paths(hcl, doc);
    expect(found).toContainEqual(['sub', 'sub']);
    expect(Math.max(...[...found].map((p) => (p as unknown[]).length))).toBeLessThanOrEqual(17);
  });

  it('Terraform JSON locals bind like HCL ones', () => {
    const json = JSON.stringify({
      locals: { c: '${jsondecode(data.kubernetes_secret.s.data["creds"])}' },
      resource: { x: { a: { v: '${local.c.svc.key}' } } },
    });
    expect(paths(json, doc)).toEqual(set([], ['svc', 'key']));
  });
});

describe('jsonDocument', () => {
  it('builds objects, lists and two entries per iterated value, deterministically from seed and path', () => {
    const p = (...ps: unknown[][]) => ps.map((x) => JSON.stringify(x));
    const d = jsonDocument('seed', p(['svc', 'user'], ['svc', 'pass'], ['ids', 1])) as {
      svc: Record<string, string>;
      ids: string[];
    };
    expect(Object.keys(d.svc)).toEqual(['user', 'pass']);
    expect(d.svc['user']).toMatch(/^stub-[0-9a-f]{12}$/);
    expect(d.svc['user']).not.toBe(d.svc['pass']);
    expect(d.ids).toHaveLength(2);
    expect(jsonDocument('seed', p(['svc', 'user'], ['svc', 'pass'], ['ids', 1]))).toEqual(d);
    expect((jsonDocument('other', p(['svc', 'user'])) as typeof d).svc['user']).not.toBe(d.svc['user']);

    const it = jsonDocument('seed', p([null, 'kind'], [null, 'groups', 0])) as Record<
      string,
      { kind: string; groups: string[] }
    >;
    expect(Object.keys(it)).toHaveLength(2);
    for (const e of Object.values(it)) {
      expect(Object.keys(e)).toEqual(['kind', 'groups']);
      expect(e.groups).toHaveLength(1);
    }
    // named entries take what every entry gets when iterated; no extra entries then
    expect(jsonDocument('s', p(['a', 'x'], [null, 'y']))).toEqual({
      a: { x: expect.stringMatching(/^stub-/), y: expect.stringMatching(/^stub-/) },
    });
    // no path beyond the value itself: a plain fake string
    expect(jsonDocument('s', p([]))).toMatch(/^stub-/);
  });

  it('readData returns the document as JSON for a key with recorded paths', () => {
    const ds: StubBlock = {
      attributes: {
        name: { type: 'string', required: true },
        data: { type: ['map', 'string'], computed: true },
      },
    };
    const keys = scanDataKeys('c = jsondecode(data.x_secret.s.data["j"])\nv = local.c.svc.user\n');
    const out = readData('x_secret', { name: 'n', data: null }, ds, keys) as { data: Record<string, string> };
    const decoded = JSON.parse(out.data['j']!) as { svc: { user: string } };
    expect(decoded.svc.user).toMatch(/^stub-/);
    expect(readData('x_secret', { name: 'n', data: null }, ds, keys)).toEqual(out);
  });
});
