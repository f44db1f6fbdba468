import { describe, expect, it } from 'vitest';
import { Fn } from 'cdktf';
import { terraformLiteral, terraformUnescape } from '../../../lib/terraform/tf-literal';

describe('terraformLiteral', () => {
  it('escapes interpolation and directive openers', () => {
    expect(terraformLiteral('echo "${A:-x}" %{ if }')).toBe('echo "$${A:-x}" %%{ if }');
  });

  it('leaves everything else alone: $VAR, $(cmd), $((n)), $$, %s, newlines and quotes', () => {
    const text = 'a=$A b=$(date) c=$((1 + 2)) pid=$$ fmt=%s %% \n"q" \'s\' \\n';
    expect(terraformLiteral(text)).toBe(text);
  });

  it('escapes every occurrence, including after other dollars (Terraform reads $$${ as $${)', () => {
    expect(terraformLiteral('${a}${b}$${c}%{d}%%{e}')).toBe('$${a}$${b}$$${c}%%{d}%%%{e}');
  });

  it('round-trips through terraformUnescape', () => {
    for (const text of [
      '${x}',
      '$${x}',
      '$$${x}',
      '%{x}',
      '%%{x}',
      'plain',
      '${a%%b}',
      'v=${v#"${v%%[!0]*}"}',
    ]) {
      expect(terraformUnescape(terraformLiteral(text))).toBe(text);
    }
  });

  it('refuses a cdktf token, whose reference would become literal text', () => {
    expect(() => terraformLiteral(`prefix ${Fn.upper('x')}`)).toThrow(/contains a cdktf token/);
  });

  it('refuses a non-string', () => {
    expect(() => terraformLiteral(42 as unknown as string)).toThrow(/expected a string, got number/);
  });
});
