import { describe, expect, it } from 'vitest';
import { codeSpan, fenceFor, splitComments } from '../../../lib/core/markdown';

describe('codeSpan / fenceFor', () => {
  it('uses a delimiter longer than any backtick run', () => {
    expect(codeSpan('plain')).toBe('`plain`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    expect(fenceFor('x\n```\ny')).toBe('````');
    expect(fenceFor('x')).toBe('```');
  });
});

describe('splitComments', () => {
  const section = (name: string, blocks: string[]) => ({
    open: `<${name}>\n`,
    continuedOpen: `<${name} continued>\n`,
    close: `</${name}>\n`,
    blocks,
  });
  const opts = {
    marker: '<!-- m -->',
    head: (label: string) => `HEAD${label}\n`,
    continuationHeader: (k: number, n: number) => `PART ${k}/${n}\n`,
  };

  it('keeps everything in one body when it fits', () => {
    expect(splitComments({ ...opts, sections: [section('a', ['x\n'])], limit: 1000 })).toEqual([
      '<!-- m -->\nHEAD\n<a>\nx\n</a>\n',
    ]);
  });

  it('moves a whole section to the next body rather than splitting it', () => {
    const bodies = splitComments({
      ...opts,
      sections: [section('a', ['1'.repeat(300) + '\n']), section('b', ['2'.repeat(300) + '\n'])],
      limit: 400,
    });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain('HEAD (part 1/2)');
    expect(bodies[1].startsWith('<!-- m -->\nPART 2/2\n<b>\n')).toBe(true);
  });

  it('splits a section bigger than a body between blocks, then lines, then cuts a giant line', () => {
    const blocks = Array.from({ length: 30 }, (_, i) => `block ${i}\n${'y'.repeat(40)}\n`);
    blocks.push('z'.repeat(1000) + '\n');
    const bodies = splitComments({ ...opts, sections: [section('s', blocks)], limit: 300 });
    for (const b of bodies) {
      expect(b.length).toBeLessThanOrEqual(300);
      expect(b.split('<s').length).toBe(b.split('</s>').length);
    }
    expect(bodies.filter((b) => b.includes('<s>\n'))).toHaveLength(1);
    expect(bodies.slice(1).every((b) => b.includes('<s continued>'))).toBe(true);
    for (let i = 0; i < 30; i++) expect(bodies.join('')).toContain(`block ${i}\n`);
    expect(bodies.join('')).toContain('…');
  });

  it('refuses a head larger than the limit', () => {
    expect(() => splitComments({ ...opts, head: () => 'H'.repeat(500), sections: [], limit: 100 })).toThrow(
      /larger than the comment limit/,
    );
  });
});
