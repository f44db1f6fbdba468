import { describe, expect, it } from 'vitest';
import { staticServerBlock } from '../../../lib/domain/nginx';

describe('staticServerBlock', () => {
  it('renders the server block of the tree (stacks/stem95su at 21c6e711^) byte for byte', () => {
    expect(
      staticServerBlock({
        port: 80,
        root: '/usr/share/nginx/html',
        indexFiles: ['stem_board.html', 'index.html'],
      }),
    ).toBe(
      'server {\n' +
        '    listen       80;\n' +
        '    server_name  _;\n' +
        '    root   /usr/share/nginx/html;\n' +
        '    index  stem_board.html index.html;\n' +
        '}\n',
    );
  });

  it('uses the port, root and index files given, index files in order', () => {
    const conf = staticServerBlock({ port: 8080, root: '/srv/www', indexFiles: ['b.html', 'a.html'] });
    expect(conf).toContain('    listen       8080;\n');
    expect(conf).toContain('    root   /srv/www;\n');
    expect(conf).toContain('    index  b.html a.html;\n');
  });
});
