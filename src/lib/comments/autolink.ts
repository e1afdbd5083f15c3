/** A piece of a comment's text as readers see it: plain text, a link, or a line break. */
export type CommentTextPart = { type: 'text'; text: string } | { type: 'link'; text: string; href: string } | { type: 'break' };

/** The rel every link in a reader's comment carries. */
export const commentLinkRel = 'nofollow ugc noopener';

// ASCII URL characters only: a URL written straight into Chinese prose ends where the prose starts.
const urlPattern = /(?:https?:\/\/|www\.)[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/gi;
const trailingPunctuation = /[.,;:!?'*]+$/;

/** Drops sentence punctuation after a URL, and a closing bracket that the URL did not open. */
function trimUrl(candidate: string): string {
  let url = candidate.replace(trailingPunctuation, '');
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
  ] as const) {
    while (url.endsWith(close) && url.split(close).length > url.split(open).length) {
      url = url.slice(0, -1).replace(trailingPunctuation, '');
    }
  }
  return url;
}

function toHref(url: string): string | undefined {
  const absolute = /^www\./i.test(url) ? `https://${url}` : url;
  try {
    const parsed = new URL(absolute);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function splitLine(line: string): CommentTextPart[] {
  const parts: CommentTextPart[] = [];
  let position = 0;
  for (const match of line.matchAll(urlPattern)) {
    const url = trimUrl(match[0]);
    const href = toHref(url);
    // A match right after a letter is the tail of a word ("awww.example"), not a link.
    const isWordTail = match.index > 0 && /[A-Za-z0-9]/.test(line[match.index - 1] ?? '');
    if (!href || url.length < 5 || isWordTail) continue;
    if (match.index > position) parts.push({ type: 'text', text: line.slice(position, match.index) });
    parts.push({ type: 'link', text: url, href });
    position = match.index + url.length;
  }
  if (position < line.length) parts.push({ type: 'text', text: line.slice(position) });
  return parts;
}

/** Splits a comment's plain text into text, links (http, https and www. only) and line breaks. */
export function splitCommentText(text: string): CommentTextPart[] {
  return text.split('\n').flatMap((line, index) => [...(index > 0 ? [{ type: 'break' } as const] : []), ...splitLine(line)]);
}

/** How many links a comment's text would show. */
export function countLinks(text: string): number {
  return splitCommentText(text).filter((part) => part.type === 'link').length;
}
