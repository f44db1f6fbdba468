// Checks every registered stack shares: backend by tier, exact provider constraints, strings Terraform
// reads verbatim, and no secret material in the synthesized JSON.
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../lib/terraform/backends';
import { PROVIDER_REQUIREMENTS } from '../../lib/terraform/providers';
import { TREE_STACKS } from '../../lib/conventions/tree-stacks';
import { STACKS } from '../../stacks';
import { synthRegistered, unescapedTemplates } from '../support/synth';

// Shapes of real credentials; none may appear in synthesized output.
const SECRET_SHAPES = [
  /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/,
  /\bghp_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bglpat-[A-Za-z0-9_-]{20,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bxox[abp]-[A-Za-z0-9-]{10,}/,
  /AGE-SECRET-KEY-1/,
];

describe.each(STACKS.map((d) => [d.name, d] as const))('stack %s', (name, def) => {
  const json = () => synthRegistered(def);

  it('has the backend of its tier', () => {
    expect(json().terraform.backend).toEqual(backendFor(name));
  });

  it('declares only the root terragrunt provider constraints, for providers it configures', () => {
    const required = json().terraform.required_providers ?? {};
    expect(Object.keys(required).sort()).toEqual(Object.keys(json().provider ?? {}).sort());
    for (const [p, constraint] of Object.entries(required)) {
      expect(constraint).toEqual(PROVIDER_REQUIREMENTS[p as keyof typeof PROVIDER_REQUIREMENTS]);
    }
  });

  it('has no unescaped ${...} or %{...} text (Terraform would evaluate it)', () => {
    expect(unescapedTemplates(json().resource ?? {})).toEqual([]);
  });

  it('contains no secret material', () => {
    const text = JSON.stringify(json());
    for (const shape of SECRET_SHAPES) expect(text).not.toMatch(shape);
  });

  it('depends only on stacks of the tree or of this app', () => {
    const known = new Set([...TREE_STACKS, ...STACKS.map((d) => d.name)]);
    for (const dep of def.after ?? []) expect(known.has(dep)).toBe(true);
  });
});

describe('unescapedTemplates', () => {
  it('finds shell interpolations and directives, not references, functions or escapes', () => {
    expect(
      unescapedTemplates({
        a: 'echo ${SRC:-x} $${OK} ${var.kube_config_path} ${file("x")} ${kubernetes_namespace.x.metadata[0].name}',
        b: ['%{ if x }', '%%{ok}', '$$${BAD}'],
      }),
    ).toEqual(['${SRC:-x', '%{', '${BAD']);
  });
  it('a template nested in an expression is part of the expression (owntracks: a for over a map)', () => {
    expect(
      unescapedTemplates({
        auth: '${join("\\n", [ for key, val in local.users: "${key}:${bcrypt(val, 10)}"])} then ${OOPS}',
      }),
    ).toEqual(['${OOPS']);
  });
});
