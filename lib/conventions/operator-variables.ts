// Root variables only the operator can supply: the tree's stacks read them from config.tfvars, which is
// git-crypt encrypted, and their values are not site facts this repository may hold. A port declares the
// same variable (lib/terraform/operator-variable.ts), so a real plan gets it exactly as terragrunt fed it
// (`-var-file config.tfvars` or `TF_VAR_<name>`). The offline checks (rehearse, validate) have no
// config.tfvars: they feed each one a deterministic stand-in, the same value on both sides of a rehearsal.
// Pure: no cdktf (the review tools use it).

export interface OperatorVariable {
  /** Terraform type, as the tree declares it. */
  readonly type: 'string';
  /** What the value is and which stack reads it. */
  readonly description: string;
  /** Deterministic value for rehearse and validate: names what it stands in for, never the real value. */
  readonly standIn: string;
}

const standIn = (name: string): string => `rehearsal stand-in for var.${name} (operator-supplied)`;

/** Every operator-supplied variable a ported (or rehearsed) tree stack declares without a default. */
export const OPERATOR_VARIABLES: Readonly<Record<string, OperatorVariable>> = Object.freeze({
  discord_f1_channel_ids: {
    type: 'string',
    description: 'Discord channel IDs f1-stream watches for stream links (DISCORD_CHANNELS)',
    standIn: standIn('discord_f1_channel_ids'),
  },
  // The tree's f1-stream declares it but reads it nowhere; its tree side still needs a value to plan.
  discord_f1_guild_id: {
    type: 'string',
    description: 'Discord guild of the f1-stream channels (declared by the tree, unused)',
    standIn: standIn('discord_f1_guild_id'),
  },
  slack_channel: {
    type: 'string',
    description: 'Slack channel yt-highlights posts video highlights to (SLACK_CHANNEL)',
    standIn: standIn('slack_channel'),
  },
});

/** Whether `name` is an operator-supplied variable. */
export function isOperatorVariable(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(OPERATOR_VARIABLES, name);
}

/**
 * Stand-in values for the operator variables a Terraform JSON configuration declares without a default
 * (its `variable` block), for an `*.auto.tfvars.json` next to it. Other variables are left alone.
 */
export function operatorStandIns(config: unknown): Record<string, string> {
  const declared = (config as { variable?: unknown } | null)?.variable;
  const out: Record<string, string> = {};
  if (!declared || typeof declared !== 'object') return out;
  for (const [name, body] of Object.entries(declared as Record<string, unknown>)) {
    const hasDefault = !!body && typeof body === 'object' && 'default' in body;
    if (!hasDefault && isOperatorVariable(name)) out[name] = OPERATOR_VARIABLES[name].standIn;
  }
  return out;
}
