// Module payloads: text a tree module ships inline (heredocs, string lists) is extracted from its HCL at
// payload time. Fixtures here are our own HCL, shaped like the module's.
import { describe, expect, it } from 'vitest';
import { flushHeredoc, MODULE_PAYLOADS, stringListAfter } from '../../../lib/review/tree-module-payloads';
import {
  describeSource,
  payloadContent,
  payloadSource,
  standInPayload,
} from '../../../lib/review/tree-payloads';

const HCL = [
  'locals {',
  '  rules = <<-EOT',
  '      # first',
  '      - name: a',
  '',
  '        action: ALLOW',
  '  EOT',
  '  trusted_local_rule_yaml = join("\\n", concat([',
  '    "# one \\"quoted\\"",',
  '    "#",',
  '    "- name: trusted-local-networks",',
  '    "  action: ALLOW",',
  '    "  remote_addresses:",',
  '    ], [for c in var.cidrs : c]',
  '  ))',
  '  default_policy_rules_yaml = <<-EOT',
  '    - name: b',
  '  EOT',
  '}',
].join('\n');

describe('module payload extraction', () => {
  it('de-indents a <<- heredoc by its smallest indentation, keeping blank lines and the final newline', () => {
    expect(flushHeredoc(HCL, 'rules')).toBe('# first\n- name: a\n\n  action: ALLOW\n');
    expect(() => flushHeredoc(HCL, 'nope')).toThrow('no "nope = <<-MARKER" heredoc');
    expect(() => flushHeredoc('x = <<-EOT\n  ${var.y}\nEOT\n', 'x')).toThrow('is a template');
  });

  it('decodes the string literals of a list', () => {
    expect(stringListAfter(HCL, 'trusted_local_rule_yaml')).toEqual([
      '# one "quoted"',
      '#',
      '- name: trusted-local-networks',
      '  action: ALLOW',
      '  remote_addresses:',
    ]);
  });

  it('extracts the anubis payloads: the default rules and the trusted rule comment lines', () => {
    const rules = { stack: '_modules', file: 'anubis_instance/default-policy-rules.yaml' };
    const comments = { stack: '_modules', file: 'anubis_instance/trusted-local-rule-comments.yaml' };
    expect(payloadSource(rules).file).toBe('modules/kubernetes/anubis_instance/main.tf');
    expect(payloadContent(rules, Buffer.from(HCL))).toBe('- name: b\n');
    expect(payloadContent(comments, Buffer.from(HCL))).toBe('# one "quoted"\n#\n');
    expect(() => payloadContent(comments, Buffer.from(HCL.replace('ALLOW",', 'DENY",')))).toThrow(
      /main\.tf \(the comment lines of trusted_local_rule_yaml\): trusted_local_rule_yaml is no longer/,
    );
    expect(describeSource(rules)).toBe(
      'modules/kubernetes/anubis_instance/main.tf (the default_policy_rules_yaml heredoc)',
    );
    expect(standInPayload(rules)).toMatch(
      /^# stand-in for the tree's modules\/kubernetes\/anubis_instance\/main\.tf \(the default_policy_rules_yaml heredoc\)/,
    );
    expect(() => payloadSource({ stack: '_modules', file: 'x/y' })).toThrow('no module payload of that name');
    expect(Object.keys(MODULE_PAYLOADS).sort()).toEqual([
      'anubis_instance/default-policy-rules.yaml',
      'anubis_instance/trusted-local-rule-comments.yaml',
    ]);
  });

  it('leaves stack payloads as the tree file itself', () => {
    const p = { stack: 'forgejo', file: 'files/cleanup.sh' };
    expect(payloadSource(p)).toEqual({ file: 'stacks/forgejo/files/cleanup.sh' });
    expect(payloadContent(p, Buffer.from('x'))).toEqual(Buffer.from('x'));
  });
});
