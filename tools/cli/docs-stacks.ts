// `npm run docs:stacks`: rewrites the README's stack table from the registry.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/core/paths';
import { runCli } from '../../lib/tooling/cli-args';
import { renderStackTable, replaceStackSection } from '../../lib/tooling/readme';
import { STACKS } from '../../stacks';

const USAGE = 'usage: npm run docs:stacks   (rewrites the stack table of README.md from the registry)';

process.exitCode = runCli('docs:stacks', USAGE, process.argv.slice(2), {}, () => {
  const file = path.join(REPO_ROOT, 'README.md');
  fs.writeFileSync(file, replaceStackSection(fs.readFileSync(file, 'utf8'), renderStackTable(STACKS)));
  process.stdout.write(`README.md: ${STACKS.length} stacks\n`);
});
