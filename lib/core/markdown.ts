// Markdown helpers for PR comments, and the splitter that keeps every comment under the forge's size limit.
//
// Size limit: GitHub rejects a comment body longer than 65,536 characters and Forgejo/Gitea have a similar
// character-based limit; both count characters, not bytes. We stay at most COMMENT_LIMIT (65,535) measured
// as the JavaScript string length (UTF-16 code units), which is never less than the character count, so
// the margin is on the safe side for astral characters (emoji) too.

export const COMMENT_LIMIT = 65_535;

/** Inline code that survives backticks inside the text (the delimiter is longer than any run in it). */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A code fence longer than any backtick run at the start of a line in `body` (at least three). */
export function fenceFor(body: string): string {
  const longest = Math.max(0, ...(body.match(/`{3,}/g) ?? []).map((r) => r.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Text for a Markdown table cell: no line breaks, `|` escaped. */
export function tableCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/**
 * One splittable part of a comment: `open` + blocks + `close`. When it does not fit, it is cut between
 * blocks (or, for a block bigger than a comment, between lines); every later piece starts with
 * `continuedOpen` and every piece ends with `close`, so each comment is well-formed on its own.
 */
export interface CommentSection {
  readonly open: string;
  readonly continuedOpen: string;
  readonly close: string;
  /** Each block is whole lines, each ending with "\n". */
  readonly blocks: readonly string[];
}

export interface SplitOptions {
  /** First line of every comment (hidden marker used to find and update the comments). */
  readonly marker: string;
  /** The leading part of the first comment; `partLabel` is "" or " (part 1/n)". */
  readonly head: (partLabel: string) => string;
  /** Title line(s) of comment k (k >= 2) of n, after the marker. */
  readonly continuationHeader: (k: number, n: number) => string;
  readonly sections: readonly CommentSection[];
  readonly limit?: number;
}

/** The whole comment in one piece (no size limit): marker, head, every section whole. */
export function joinComment(opts: Pick<SplitOptions, 'marker' | 'head' | 'sections'>): string {
  return `${opts.marker}\n${opts.head('')}${opts.sections.map((s) => s.open + s.blocks.join('') + s.close).join('')}`;
}

function splitLines(block: string): string[] {
  const lines = block.split(/(?<=\n)/);
  return lines.filter((l) => l !== '');
}

/**
 * Splits into comments of at most `limit` characters each: sections stay whole when they fit in a comment
 * (moving to the next comment rather than splitting), a section bigger than a comment is split inside.
 * The head always leads the first comment; it must leave room for content (it is the caller's job to
 * keep it bounded).
 */
export function splitComments(opts: SplitOptions): string[] {
  const limit = opts.limit ?? COMMENT_LIMIT;
  const markerLine = `${opts.marker}\n`;
  const worstLabel = ' (part 999999/999999)';
  const firstOverhead = markerLine.length + opts.head(worstLabel).length;
  const contOverhead = markerLine.length + opts.continuationHeader(999_999, 999_999).length;
  if (firstOverhead >= limit || contOverhead >= limit) {
    throw new Error(`comment head is larger than the comment limit (${limit} characters)`);
  }

  const parts: string[][] = [[]];
  const used: number[] = [firstOverhead];
  const cur = (): number => parts.length - 1;
  const room = (): number => limit - used[cur()];
  const newPart = (): void => {
    parts.push([]);
    used.push(contOverhead);
  };
  const put = (text: string): void => {
    parts[cur()].push(text);
    used[cur()] += text.length;
  };
  const isEmptyPart = (): boolean => parts[cur()].length === 0;

  for (const section of opts.sections) {
    const whole = section.open + section.blocks.join('') + section.close;
    if (whole.length <= room()) {
      put(whole);
      continue;
    }
    if (whole.length <= limit - contOverhead) {
      if (!isEmptyPart() || cur() === 0) newPart();
      put(whole);
      continue;
    }
    // Split inside the section.
    const fullRoom = limit - contOverhead;
    let header = section.open;
    let chunk = '';
    let chunkHasContent = false;
    const minUseful = header.length + section.close.length + 200;
    if (room() < minUseful && !isEmptyPart()) newPart();
    const flush = (): void => {
      if (!chunkHasContent) return;
      put(header + chunk + section.close);
      header = section.continuedOpen;
      chunk = '';
      chunkHasContent = false;
    };
    // A fresh comment for the next piece (part 1 may be left holding only the head).
    const nextPart = (): void => {
      if (!isEmptyPart() || cur() === 0) newPart();
    };
    const fits = (text: string): boolean =>
      header.length + chunk.length + text.length + section.close.length <= room();
    const addLine = (line: string): void => {
      if (!fits(line)) {
        flush();
        nextPart();
      }
      const max = room() - header.length - chunk.length - section.close.length;
      // A single line bigger than a whole comment is cut hard (never happens with cut values).
      chunk += line.length > max ? `${line.slice(0, Math.max(0, max - 2))}…\n` : line;
      chunkHasContent = true;
    };
    for (const block of section.blocks) {
      if (fits(block)) {
        chunk += block;
        chunkHasContent = true;
        continue;
      }
      if (
        Math.max(section.open.length, section.continuedOpen.length) + block.length + section.close.length <=
        fullRoom
      ) {
        flush();
        nextPart();
        chunk = block;
        chunkHasContent = true;
        continue;
      }
      for (const line of splitLines(block)) addLine(line);
    }
    flush();
  }

  const n = parts.length;
  return parts.map((p, i) => {
    const lead = i === 0 ? opts.head(n > 1 ? ` (part 1/${n})` : '') : opts.continuationHeader(i + 1, n);
    return markerLine + lead + p.join('');
  });
}
