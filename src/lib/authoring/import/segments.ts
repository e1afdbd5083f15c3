/**
 * The first, line-level pass of the importer: GitBook `{% … %}` tags and multi-line link cards
 * are not Markdown, so they are cut out before the rest is parsed as Markdown.
 */
export type Segment =
  | { kind: 'markdown'; text: string; line: number }
  | { kind: 'tag'; name: string; args: string; isClosing: boolean; raw: string; line: number }
  | { kind: 'card'; url: string; text: string; line: number };

const tagPattern = /^\s*\{%\s*(end)?([a-zA-Z][\w-]*)\s*(.*?)\s*%\}\s*$/;
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

/**
 * Splits a document into Markdown runs, GitBook tags and link cards (`[` … `](url)` over several
 * lines). With `onePerLine` every line is a paragraph of its own (consecutive list items stay one list).
 */
export function splitSegments(text: string, options: { onePerLine?: boolean } = {}): Segment[] {
  const lines = text.split('\n');
  const segments: Segment[] = [];
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
    const tag = tagPattern.exec(line);
    if (tag) {
      flush(lineNumber + 1);
      segments.push({ kind: 'tag', name: (tag[2] ?? '').toLowerCase(), args: tag[3] ?? '', isClosing: Boolean(tag[1]), raw: line.trim(), line: lineNumber });
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
    buffer.push(line);
  }
  flush(lines.length + 1);
  return segments;
}

/** A GitBook tag argument: `style="info"` → `info`. */
export function readTagArgument(args: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|(\\S+))`).exec(args);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/**
 * Plain-text documents write one paragraph per line with no blank lines between; Markdown would
 * run those lines together. Long lines (a median over 150 columns, a Chinese character being
 * two) mark such a document; hard-wrapped Markdown stays under 100.
 */
export function isOneParagraphPerLine(text: string): boolean {
  const lengths = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.length + (line.match(/\p{Script=Han}/gu)?.length ?? 0))
    .sort((a, b) => a - b);
  if (lengths.length === 0 || /^#{1,6}\s/m.test(text)) return false;
  return (lengths[Math.floor(lengths.length / 2)] ?? 0) > 150;
}
