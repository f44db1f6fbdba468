// The README's stack table, generated from the registry (`npm run docs:stacks`) and checked by a test,
// so the list a new user reads is the list `npm run synth` builds.
import { backendFor } from '../terraform/backends';
import type { StackDefinition } from '../synth/stack';

export const STACKS_BEGIN = '<!-- stacks:begin -->';
export const STACKS_END = '<!-- stacks:end -->';

export function renderStackTable(definitions: readonly StackDefinition[]): string {
  const rows = [...definitions]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => {
      const backend = Object.keys(backendFor(d.name))[0];
      const after = d.after?.length ? d.after.join(', ') : '—';
      return `| \`${d.name}\` | ${d.description} | ${backend} | ${after} |`;
    });
  return ['| Stack | What it is | Backend | After |', '|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the text between the stack markers of a README. */
export function replaceStackSection(readme: string, table: string): string {
  const start = readme.indexOf(STACKS_BEGIN);
  const end = readme.indexOf(STACKS_END);
  if (start < 0 || end < start) throw new Error(`README has no ${STACKS_BEGIN} ... ${STACKS_END} section`);
  return `${readme.slice(0, start + STACKS_BEGIN.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
