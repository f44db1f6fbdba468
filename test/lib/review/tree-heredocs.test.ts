import { describe, expect, it } from 'vitest';
import {
  extractHeredoc,
  heredocPayloadFile,
  heredocs,
  parseHeredocPayloadFile,
} from '../../../lib/review/tree-heredocs';
import { payloadContent, payloadSource, standInPayload } from '../../../lib/review/tree-payloads';

// Our own HCL in the shapes the tree uses: a map key, a command list item on the opener line, a list item
// on its own line, a plain (non-flush) heredoc, a shell heredoc inside a script, a commented opener.
const HCL = [
  'resource "kubernetes_config_map" "c" {',
  '  data = {',
  '    "app.conf" = <<-EOF',
  '      listen ${local.port};',
  '',
  '        nested',
  '    EOF',
  '  }',
  '}',
  'resource "kubernetes_cron_job_v1" "j" {',
  '  command = ["/bin/sh", "-c", <<-EOT',
  '    cat <<EOF > /tmp/x',
  '    hi',
  '    EOF',
  '  EOT',
  '  ]',
  '  args = [',
  '    <<-EOT',
  '      second',
  '    EOT',
  '  ]',
  '  # note = <<-EOT (a comment, not an opener)',
  '  command = [<<EOT',
  '  plain',
  'EOT',
  '  ]',
  '}',
].join('\n');

describe('tree heredocs', () => {
  it('finds every heredoc in order with its key; shell heredocs and comments are not openers', () => {
    expect(heredocs(HCL).map((h) => [h.key, h.line])).toEqual([
      ['app.conf', 3],
      ['command', 11],
      ['args', 18],
      ['command', 23],
    ]);
  });

  it('flush heredocs lose the smallest indentation (blank lines stay empty); plain ones keep theirs', () => {
    expect(extractHeredoc(HCL, { key: 'app.conf', index: 0 })).toBe('listen ${local.port};\n\n  nested\n');
    expect(extractHeredoc(HCL, { key: 'command', index: 0 })).toBe('cat <<EOF > /tmp/x\nhi\nEOF\n');
    expect(extractHeredoc(HCL, { key: 'command', index: 1 })).toBe('  plain\n');
    expect(extractHeredoc(HCL, { key: '*', index: 2 })).toBe('second\n');
  });

  it('a locator that names nothing fails in one line listing what the file has', () => {
    expect(() => extractHeredoc(HCL, { key: 'command', index: 2 })).toThrow(
      'no heredoc #2 with key "command" (2 with that key); the file\'s heredocs: app.conf (line 3), command (line 11), args (line 18), command (line 23)',
    );
    expect(() => heredocs('x = <<-EOT\nnever closed\n')).toThrow('line 1: heredoc EOT has no closing EOT');
  });

  it('payload files round-trip, and the payload tools read them from the stack .tf file', () => {
    const file = heredocPayloadFile({ file: 'main.tf', key: 'app.conf', index: 0 });
    expect(file).toBe('_heredoc/main.tf/app.conf/0');
    expect(parseHeredocPayloadFile(file)).toEqual({ file: 'main.tf', key: 'app.conf', index: 0 });
    expect(parseHeredocPayloadFile(heredocPayloadFile({ file: 'cron.tf', key: '*', index: 3 }))).toEqual({
      file: 'cron.tf',
      key: '*',
      index: 3,
    });
    expect(parseHeredocPayloadFile('files/run.sh')).toBeUndefined();
    const p = { stack: 'demo', file };
    expect(payloadSource(p)).toEqual({ file: 'stacks/demo/main.tf', what: 'heredoc #0 with key app.conf' });
    expect(payloadContent(p, Buffer.from(HCL))).toBe('listen ${local.port};\n\n  nested\n');
    expect(standInPayload(p)).toMatch(
      /^# stand-in for the tree's stacks\/demo\/main.tf \(heredoc #0 with key app.conf\)/,
    );
  });
});
