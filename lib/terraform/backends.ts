// State backends exactly like the root terragrunt.hcl: tier-0 stacks keep local state under
// state/stacks/<stack>/, every other stack uses the pg backend with schema_name = <stack>. The pg
// connection string is never synthesized: terraform's pg backend reads PG_CONN_STR from the environment.
import type { Construct } from 'constructs';
import { TerraformBackend, type TerraformRemoteState } from 'cdktf';

/** Root terragrunt.hcl `tier0_stacks`. */
export const TIER0_STACKS: readonly string[] = [
  'infra',
  'platform',
  'cnpg',
  'vault',
  'dbaas',
  'external-secrets',
];

export function isTier0(stackName: string): boolean {
  return TIER0_STACKS.includes(stackName);
}

/**
 * Local state path relative to the directory terraform runs in (`cdktf.out/stacks/<stack>/`), i.e.
 * `<repo>/state/stacks/<stack>/terraform.tfstate`. Relative, so output is identical on every machine.
 */
export function localStatePath(stackName: string): string {
  return `../../../state/stacks/${stackName}/terraform.tfstate`;
}

export type BackendBlock = { local: { path: string } } | { pg: { schema_name: string } };

/** The backend block a stack gets. */
export function backendFor(stackName: string): BackendBlock {
  return isTier0(stackName)
    ? { local: { path: localStatePath(stackName) } }
    : { pg: { schema_name: stackName } };
}

/** A backend that emits exactly the given attributes (cdktf's PgBackend requires a conn_str). */
class StateBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    type: string,
    private readonly attributes: Record<string, string>,
  ) {
    super(scope, 'backend', type);
  }
  protected synthesizeAttributes(): Record<string, unknown> {
    return { ...this.attributes };
  }
  /** Cross-stack references are not used: stacks only order themselves (terragrunt skip_outputs). */
  getRemoteStateDataSource(): TerraformRemoteState {
    throw new Error('cross-stack references are not supported: stacks only declare ordering (after)');
  }
  protected synthesizeHclAttributes(): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(this.attributes).map(([k, value]) => [
        k,
        { value, type: 'simple', storageClassType: 'string' },
      ]),
    );
  }
}

/** Adds the stack's backend. */
export function addBackend(stack: Construct, stackName: string): void {
  const block = backendFor(stackName);
  const [type, attributes] = Object.entries(block)[0] as [string, Record<string, string>];
  new StateBackend(stack, type, attributes);
}
