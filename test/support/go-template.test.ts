import { describe, expect, it } from 'vitest';
import { renderGoTemplate, TemplateError } from './go-template';

describe('renderGoTemplate (test renderer for ESO templates)', () => {
  it('renders keys, pipelines, if and range with Go semantics', () => {
    const tpl =
      '{{ .a | trim | quote }}|{{ range $x := .b | splitList "," }}{{ if $x }}<{{ $x }}>{{ end }}{{ end }}';
    expect(renderGoTemplate(tpl, { a: '  hi ', b: 'x,,y' })).toBe('"hi"|<x><y>');
    expect(renderGoTemplate('{{ .a | default "d" | b64enc }}', { a: '' })).toBe(
      Buffer.from('d').toString('base64'),
    );
    expect(renderGoTemplate('a  {{- .x -}}  b', { x: 'X' })).toBe('aXb');
  });

  it('fails on a missing key, fail, unknown functions and unbalanced blocks', () => {
    expect(() => renderGoTemplate('{{ .nope }}', {})).toThrow('map has no entry for key "nope"');
    expect(() => renderGoTemplate('{{ if .a | empty }}{{ fail "boom" }}{{ end }}', { a: '' })).toThrow(
      'fail: boom',
    );
    expect(() => renderGoTemplate('{{ .a | upper }}', { a: 'x' })).toThrow(TemplateError);
    expect(() => renderGoTemplate('{{ if .a }}x', { a: 'x' })).toThrow('missing {{ end }}');
  });
});
