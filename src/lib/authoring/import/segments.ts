import { detectLanguage } from './language.ts';

/**
 * The first, line-level pass of the importer: GitBook `{% … %}` tags and multi-line link cards
 * are not Markdown, so they are cut out before the rest is parsed as Markdown.
 */
export type Segment =
  | { kind: 'markdown'; text: string; line: number }
  | { kind: 'tag'; name: string; args: string; isClosing: boolean; raw: string; line: number }
  | { kind: 'card'; url: string; text: string; line: number };

const tagNamePattern = /^(end)?([a-zA-Z][\w-]*)(?:\s+([\s\S]*))?$/;

/** A line that is one `{% name args %}` tag and nothing else. Not one regular expression: on long lines of spaces that would backtrack for minutes. */
function readTagLine(line: string): { isClosing: boolean; name: string; args: string } | undefined {
  const text = line.trim();
  if (!text.startsWith('{%') || !text.endsWith('%}') || text.length < 4) return undefined;
  const inner = text.slice(2, -2).trim();
  if (inner.includes('%}') || inner.includes('{%')) return undefined;
  const match = tagNamePattern.exec(inner);
  return match ? { isClosing: Boolean(match[1]), name: (match[2] ?? '').toLowerCase(), args: (match[3] ?? '').trim() } : undefined;
}
const fencePattern = /^\s*(`{3,}|~{3,})/;
const cardEndPattern = /^\s*\]\((\S+?)(?:\s+"[^"]*")?\)\s*$/;
/** How far a link card may reach; longer spans are not cards. */
const cardMaxLines = 30;

function isUnbalancedLinkStart(line: string): boolean {
  if (!line.trimStart().startsWith('[')) return false;
  let depth = 0;
  for (const character of line) {
    if (character === '[') depth++;
    else if (character === ']') depth--;
  }
  return depth > 0;
}

const listLinePattern = /^\s*(?:[-*+]|\d+[.)])\s/;

/** A Liquid tag or variable inside a line of text: `{% embed url="…" %}`, `{% youtube %}…{% endyoutube %}`, `{{ page.title }}`. */
export interface InlineTag {
  /** `''` for a `{{ … }}` variable. */
  name: string;
  args: string;
  /** What stood between an opening tag and its `{% end… %}` on the same line. */
  body: string | undefined;
  raw: string;
  line: number;
}

// Each repetition stops at the next `{%` or `{{`, so a line full of unclosed tags is scanned once, not once per tag.
const inlineTagPattern = /\{%\s*([a-zA-Z][\w-]*)((?:(?!%\}|\{%).)*)%\}(?:((?:(?!\{%).)*)\{%\s*end\1\s*%\})?|\{\{(?:(?!\}\}|\{\{).)*\}\}/g;
const codeSpanPattern = /(`+)(?:(?!\1).)+?\1/g;

/** Private-use characters no source contains: the importer strips them from its input. */
export const sentinelPattern = /\uE000(\d+)\uE001/g;
const writeSentinel = (index: number) => `\uE000${index}\uE001`;

/**
 * Replaces the Liquid syntax in a line of prose (not inside code spans) by sentinels that survive
 * Markdown parsing intact: parsed as it stands, `{% embed url="https://…" %}` would have its URL
 * autolinked and come out as escaped, half-linked text.
 */
function replaceInlineTags(line: string, lineNumber: number, into: InlineTag[]): string {
  const code = [...line.matchAll(codeSpanPattern)].map((match) => [match.index, match.index + match[0].length] as const);
  return line.replace(
    inlineTagPattern,
    (raw: string, name: string | undefined, args: string | undefined, body: string | undefined, offset: number) => {
      if (code.some(([start, end]) => offset >= start && offset < end)) return raw;
      into.push({ name: (name ?? '').toLowerCase(), args: (args ?? '').trim(), body, raw, line: lineNumber });
      return writeSentinel(into.length - 1);
    },
  );
}

/**
 * Splits a document into Markdown runs, GitBook tags on lines of their own and link cards (`[` …
 * `](url)` over several lines); Liquid inside a line becomes a sentinel indexing `inlineTags`.
 * With `onePerLine` every line is a paragraph of its own (consecutive list items stay one list).
 */
export function splitSegments(text: string, options: { onePerLine?: boolean } = {}): { segments: Segment[]; inlineTags: InlineTag[] } {
  const lines = text.split('\n');
  const segments: Segment[] = [];
  const inlineTags: InlineTag[] = [];
  let buffer: string[] = [];
  let bufferLine = 1;
  let fence: string | undefined;
  const flush = (nextLine: number) => {
    if (buffer.some((line) => line.trim() !== '')) segments.push({ kind: 'markdown', text: buffer.join('\n'), line: bufferLine });
    buffer = [];
    bufferLine = nextLine;
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const lineNumber = index + 1;
    const fenceMatch = fencePattern.exec(line);
    if (fence) {
      if (fenceMatch?.[1]?.startsWith(fence)) fence = undefined;
      buffer.push(line);
      continue;
    }
    if (fenceMatch?.[1]) {
      fence = fenceMatch[1].slice(0, 3);
      buffer.push(line);
      continue;
    }
    const tag = line.includes('{%') ? readTagLine(line) : undefined;
    if (tag) {
      flush(lineNumber + 1);
      segments.push({ kind: 'tag', ...tag, raw: line.trim(), line: lineNumber });
      continue;
    }
    if (isUnbalancedLinkStart(line)) {
      const end = lines.slice(index + 1, index + 1 + cardMaxLines).findIndex((candidate) => cardEndPattern.test(candidate));
      if (end !== -1) {
        const endIndex = index + 1 + end;
        flush(endIndex + 2);
        const url = cardEndPattern.exec(lines[endIndex] ?? '')?.[1] ?? '';
        segments.push({ kind: 'card', url, text: lines.slice(index, endIndex + 1).join('\n'), line: lineNumber });
        index = endIndex;
        continue;
      }
    }
    const previous = buffer.at(-1);
    const continuesList = previous !== undefined && listLinePattern.test(previous) && listLinePattern.test(line);
    if (options.onePerLine && line.trim() !== '' && !continuesList) flush(lineNumber);
    if (buffer.length === 0) bufferLine = lineNumber;
    buffer.push(line.includes('{') ? replaceInlineTags(line, lineNumber, inlineTags) : line);
  }
  flush(lines.length + 1);
  return { segments, inlineTags };
}

/** A GitBook tag argument: `style="info"` → `info`. */
export function readTagArgument(args: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|(\\S+))`).exec(args);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** A Chinese character takes two columns. */
function measureLine(line: string): number {
  return line.length + (line.match(/\p{Script=Han}/gu)?.length ?? 0);
}

/** A short line that does not run on (no comma or colon at its end): a heading in plain text, never a hard-wrapped line. */
function isHeadingLike(line: string): boolean {
  const text = line.trim();
  if (/[，,；;、：:]$/.test(text)) return false;
  return detectLanguage(text) === 'en' ? text.split(/\s+/).length <= 8 : measureLine(text) <= 40;
}

/**
 * Plain-text documents write one paragraph per line with few blank lines, where Markdown would
 * run those lines together. Told by how lines meet, not by how long they are or how many
 * headings there are: in plain text a line ends its paragraph (closing punctuation, a
 * heading-like line, or the other language on the next line); hard-wrapped Markdown breaks
 * lines mid-sentence and separates paragraphs with blank lines.
 */
export function isOneParagraphPerLine(text: string): boolean {
  let fence: string | undefined;
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const marker = fencePattern.exec(line)?.[1];
    if (fence) {
      if (marker?.startsWith(fence)) fence = undefined;
      continue;
    }
    if (marker) {
      fence = marker.slice(0, 3);
      continue;
    }
    lines.push(line);
  }
  let adjacent = 0;
  let separated = 0;
  let paragraphEnds = 0;
  let previous: string | undefined;
  let sawBlank = false;
  const lengths: number[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      sawBlank = true;
      continue;
    }
    lengths.push(measureLine(line));
    if (previous !== undefined && sawBlank) separated++;
    else if (previous !== undefined && !(listLinePattern.test(previous) && listLinePattern.test(line))) {
      adjacent++;
      const endsParagraph =
        /[。！？.!?…”"』」)）]$/.test(previous.trim()) || isHeadingLike(previous) || detectLanguage(previous) !== detectLanguage(line);
      if (endsParagraph) paragraphEnds++;
    }
    previous = line;
    sawBlank = false;
  }
  if (adjacent < 2 || separated > (adjacent + separated) / 4) return false;
  lengths.sort((a, b) => a - b);
  // Lines this long are never hard-wrapped.
  const hasLongLines = (lengths[Math.floor(lengths.length / 2)] ?? 0) > 150;
  return hasLongLines || paragraphEnds >= adjacent * 0.8;
}

/** Where an embed's address stands when the tag gives only an id. */
const embedIdUrls: Record<string, (id: string) => string> = {
  youtube: (id) => `https://www.youtube.com/watch?v=${encodeURIComponent(id)}`,
  vimeo: (id) => `https://vimeo.com/${encodeURIComponent(id)}`,
  bilibili: (id) => `https://www.bilibili.com/video/${encodeURIComponent(id)}`,
};
/** Liquid tags (GitBook, Jekyll, Hexo) that embed another page or a video. */
const embedTagNames = new Set(['embed', 'youtube', 'vimeo', 'bilibili', 'video', 'iframe', 'tweet', 'twitter', 'codepen']);

/** Whether a Liquid tag embeds another page or a video. */
export function isEmbedTag(name: string): boolean {
  return embedTagNames.has(name);
}

/** An embed tag's address and caption (`{% embed url="…" caption="…" %}`, `{% youtube id %}`, `{% youtube %}url{% endyoutube %}`). */
export function readEmbed(name: string, args: string, body: string | undefined): { url: string; caption: string } | undefined {
  if (!embedTagNames.has(name)) return undefined;
  const first = (text: string) => /https?:\/\/[^\s"'<>]+/.exec(text)?.[0];
  const bare = args.trim().replace(/^["']|["']$/g, '');
  const toUrl = embedIdUrls[name];
  const url =
    readTagArgument(args, 'url') ??
    readTagArgument(args, 'src') ??
    first(args) ??
    first(body ?? '') ??
    (toUrl && /^[\w-]+$/.test(bare) ? toUrl(bare) : undefined) ??
    (toUrl && body && /^[\w-]+$/.test(body.trim()) ? toUrl(body.trim()) : undefined);
  if (!url) return undefined;
  const caption = readTagArgument(args, 'caption') ?? readTagArgument(args, 'title') ?? (body && !body.includes(url) ? body.trim() : '');
  return { url, caption };
}
