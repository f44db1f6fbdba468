import { App, TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  OPERATOR_VARIABLES,
  isOperatorVariable,
  operatorStandIns,
} from '../../../lib/conventions/operator-variables';
import { operatorVariable } from '../../../lib/terraform/operator-variable';
import { expectConfigError } from '../../support/synth';

describe('operator-supplied variables', () => {
  it('have deterministic stand-ins that name the variable', () => {
    for (const [name, v] of Object.entries(OPERATOR_VARIABLES)) {
      expect(v.standIn).toContain(`var.${name}`);
      expect(v.type).toBe('string');
    }
    expect(isOperatorVariable('discord_f1_channel_ids')).toBe(true);
    expect(isOperatorVariable('tls_secret_name')).toBe(false);
    expect(isOperatorVariable('constructor')).toBe(false);
  });

  it('stand-ins cover the declared operator variables without a default, nothing else', () => {
    const config = {
      variable: {
        discord_f1_channel_ids: { type: 'string' },
        discord_f1_guild_id: { type: 'string', default: 'x' },
        kube_config_path: { type: 'string', default: '~/.kube/config' },
        other: { type: 'string' },
      },
    };
    expect(operatorStandIns(config)).toEqual({
      discord_f1_channel_ids: OPERATOR_VARIABLES['discord_f1_channel_ids'].standIn,
    });
    expect(operatorStandIns({})).toEqual({});
    expect(operatorStandIns(null)).toEqual({});
  });

  it('declares the tree-named root variable once per stack, without a default', () => {
    const app = new App();
    const stack = new TerraformStack(app, 's');
    const a = operatorVariable(stack, 'discord_f1_channel_ids');
    expect(operatorVariable(stack, 'discord_f1_channel_ids')).toBe(a);
    expect(a.stringValue).toMatch(/^\$\{/);
    const json = JSON.parse(Testing.synth(stack)) as { variable: Record<string, Record<string, unknown>> };
    expect(json.variable).toEqual({
      discord_f1_channel_ids: {
        type: 'string',
        description: OPERATOR_VARIABLES['discord_f1_channel_ids'].description,
      },
    });
  });

  it('refuses a name that is not registered', () => {
    const stack = new TerraformStack(new App(), 's');
    expect(expectConfigError(() => operatorVariable(stack, 'not_a_registered_variable')).message).toMatch(
      /operator-variables\.ts/,
    );
  });
});
