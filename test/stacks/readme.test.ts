import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/core/paths';
import { renderStackTable, replaceStackSection } from '../../lib/tooling/readme';
import { STACKS } from '../../stacks';

describe('README', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

  it('starts with the two quick-start commands', () => {
    const firstBlock = readme.split('```')[1];
    expect(firstBlock).toMatch(/^sh\nnpm ci && npm run synth\b.*\nnpm test\b/);
  });

  it('lists exactly the registered stacks (regenerate with `npm run docs:stacks`)', () => {
    // Prettier pads the table columns; compare without the padding.
    const norm = (t: string) => t.replace(/ *\| */g, '|').replace(/-{3,}/g, '---');
    expect(norm(replaceStackSection(readme, renderStackTable(STACKS)))).toBe(norm(readme));
    for (const def of STACKS) expect(readme).toMatch(new RegExp(`\\| \`${def.name}\` +\\|`));
  });
});
