// plan-comment: renders `terraform show -json` plans (one per stack) as one PR comment.
//
//   npm run --silent plan-comment -- [--out-dir DIR] [--stack NAME] <plan.json>...
//
// The stack name is the file name without `.json` (`tts.json` -> tts), or the `--stack NAME` given just
// before the file. Without --out-dir the whole comment goes to stdout (no size limit). With --out-dir DIR
// it writes DIR/comment-1.md, comment-2.md, ... each at most 65,535 characters (GitHub and Forgejo count
// characters; see lib/core/markdown.ts), removes comment-N.md files left over from an earlier run, and prints
// the written paths one per line. Exit 0 on success, 2 on bad usage or a bad plan file (one message on
// stderr).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  PlanFormatError,
  type StackPlan,
  parsePlan,
  renderPlanComment,
  renderPlanComments,
} from '../../lib/review/plan-render';
import { writeCommentFiles } from '../../lib/review/comment-files';

const USAGE = 'usage: plan-comment [--out-dir DIR] [--stack NAME] <plan.json>...';

class UsageError extends Error {}

interface Args {
  outDir?: string;
  files: { file: string; stack: string }[];
}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { files: [] };
  let pendingStack: string | undefined;
  let onlyFiles = false;
  const value = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!onlyFiles && a === '--') {
      onlyFiles = true;
    } else if (!onlyFiles && (a === '-h' || a === '--help')) {
      return 'help';
    } else if (!onlyFiles && a === '--out-dir') {
      args.outDir = value(++i, '--out-dir');
    } else if (!onlyFiles && a.startsWith('--out-dir=')) {
      args.outDir = a.slice('--out-dir='.length);
      if (!args.outDir) throw new UsageError('--out-dir needs a value');
    } else if (!onlyFiles && a === '--stack') {
      if (pendingStack !== undefined)
        throw new UsageError(`--stack ${pendingStack} is not followed by a plan file`);
      pendingStack = value(++i, '--stack');
    } else if (!onlyFiles && a.startsWith('--stack=')) {
      if (pendingStack !== undefined)
        throw new UsageError(`--stack ${pendingStack} is not followed by a plan file`);
      pendingStack = a.slice('--stack='.length);
      if (!pendingStack) throw new UsageError('--stack needs a value');
    } else if (!onlyFiles && a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      const stack = pendingStack ?? path.basename(a).replace(/\.json$/, '');
      if (!stack) throw new UsageError(`cannot name the stack of ${a}; use --stack NAME`);
      args.files.push({ file: a, stack });
      pendingStack = undefined;
    }
  }
  if (pendingStack !== undefined)
    throw new UsageError(`--stack ${pendingStack} is not followed by a plan file`);
  if (args.files.length === 0) throw new UsageError('no plan files given');
  const seen = new Map<string, string>();
  for (const { file, stack } of args.files) {
    const other = seen.get(stack);
    if (other !== undefined)
      throw new UsageError(`stack ${stack} is given twice (${other} and ${file}); use --stack`);
    seen.set(stack, file);
  }
  return args;
}

function readPlan(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new PlanFormatError(`${file}: cannot read plan file (${why})`);
  }
}

function main(argv: readonly string[]): number {
  try {
    const args = parseArgs(argv);
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const stacks: StackPlan[] = args.files.map(({ file, stack }) => ({
      stack,
      plan: parsePlan(readPlan(file), file),
    }));
    if (args.outDir === undefined) {
      process.stdout.write(renderPlanComment(stacks));
    } else {
      const files = writeCommentFiles(args.outDir, renderPlanComments(stacks));
      process.stdout.write(files.map((f) => `${f}\n`).join(''));
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`plan-comment: ${err.message} (${USAGE})\n`);
      return 2;
    }
    if (err instanceof PlanFormatError) {
      process.stderr.write(`plan-comment: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`plan-comment: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
