// The layering rules are enforced by lint: an import that points back up the layers fails `npm run lint`.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/core/paths';

const eslint = new ESLint({ cwd: REPO_ROOT });

/** The no-restricted-imports messages for `code` linted as if it were the file at `file`. */
async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${file}` });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint: layers point down (stacks -> constructs -> lib)', () => {
  it('lib importing a construct fails', async () => {
    const msgs = await restricted(
      'lib/conventions/example.ts',
      "import { TlsSecret } from '../../constructs/blocks/tls-secret';\nexport const x = TlsSecret;\n",
    );
    expect(msgs).toEqual([expect.stringContaining('lib/ never imports a construct')]);
  });

  it('lib or a construct importing a stack fails', async () => {
    for (const file of ['lib/synth/example.ts', 'constructs/patterns/example.ts']) {
      const msgs = await restricted(
        file,
        "import { blog } from '../../stacks/blog';\nexport const x = blog;\n",
      );
      expect(msgs, file).toEqual([expect.stringContaining('nothing below stacks/ imports a stack')]);
    }
  });

  it('the review tools importing cdktf fails', async () => {
    const msgs = await restricted(
      'lib/review/example.ts',
      "import { App } from 'cdktf';\nexport const x = App;\n",
    );
    expect(msgs).toEqual([expect.stringContaining('never imports cdktf')]);
  });

  it('a provider package root fails anywhere outside test/', async () => {
    const msgs = await restricted(
      'constructs/blocks/example.ts',
      "import { provider } from '@cdktf/provider-kubernetes';\nexport const x = provider;\n",
    );
    expect(msgs).toEqual([expect.stringContaining('Import a sub-path')]);
  });

  it('the same imports pointing down pass', async () => {
    expect(
      await restricted(
        'constructs/blocks/example.ts',
        "import { named } from '../../lib/terraform/addresses';\nexport const x = named;\n",
      ),
    ).toEqual([]);
    expect(
      await restricted(
        'stacks/example.ts',
        "import { TlsSecret } from '../constructs/blocks/tls-secret';\nexport const x = TlsSecret;\n",
      ),
    ).toEqual([]);
  });
});
