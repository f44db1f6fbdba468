// A root variable the operator supplies at plan time (lib/conventions/operator-variables.ts): declared
// once per stack with the tree's name and type, so `-var-file config.tfvars` / `TF_VAR_<name>` feed it as
// they fed the tree. No default: a plan without it stops and names it.
import { TerraformStack, TerraformVariable } from 'cdktf';
import type { IConstruct } from 'constructs';
import { named } from './addresses';
import { OPERATOR_VARIABLES, isOperatorVariable } from '../conventions/operator-variables';
import { invalid } from '../validation/errors';

/** `var.<name>` of the stack of `scope` (declared on first use); `.stringValue` is the reference. */
export function operatorVariable(scope: IConstruct, name: string): TerraformVariable {
  if (!isOperatorVariable(name)) {
    invalid(
      scope,
      'operator variable',
      name,
      `one of ${Object.keys(OPERATOR_VARIABLES).join(', ')} (add it to lib/conventions/operator-variables.ts)`,
    );
  }
  const stack = TerraformStack.of(scope);
  const id = `var-${name}`;
  const existing = stack.node.tryFindChild(id);
  if (existing) return existing as TerraformVariable;
  const v = OPERATOR_VARIABLES[name];
  return named(stack, TerraformVariable, name, { type: v.type, description: v.description }, id);
}
