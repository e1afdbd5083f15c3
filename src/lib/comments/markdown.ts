import MarkdownIt, { type Token } from 'markdown-it';
import { commentLinkRel, splitCommentText } from './autolink.ts';

/**
 * The elements a Markdown comment may become, and nothing else: the allow-list of the rendering.
 * Kept as a structure (see comment-view.ts), never as HTML, so no sanitizer has HTML to clean: a
 * text is a text node or an escaped Astro expression, and an element outside this list cannot exist.
 */
export type MarkdownTag = 'p' | 'br' | 'em' | 'strong' | 'a' | 'code' | 'pre' | 'blockquote' | 'ul' | 'ol' | 'li';

interface MarkdownElement {
  tag: MarkdownTag;
  attributes: Record<string, string>;
  children: MarkdownNode[];
}

export type MarkdownNode = MarkdownElement | string;

const linkProtocols = new Set(['http:', 'https:', 'mailto:']);

/** An href a reader's link may carry: absolute http, https or mailto, as the URL parser reads it (so `jav&#x09;ascript:` is not). */
function toSafeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return linkProtocols.has(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

// The one parser, configured for the subset the issue allows: emphasis, links, code, quotes, lists,
// paragraphs. No raw HTML, no images, no headings, tables, rules or strikethrough; entities stay as
// typed (`&lt;` shows as `&lt;`, as it always did). A line break is a line break, as in plain text.
const parser = new MarkdownIt('default', { html: false, linkify: true, breaks: true, typographer: false, maxNesting: 20 });
parser.disable(['heading', 'lheading', 'image', 'table', 'hr', 'strikethrough', 'entity', 'html_block', 'html_inline']);
// Bare addresses ("someone@example.com") stay text: only a written mailto: link becomes one. Links
// without a scheme are found so that `www.` ones are; what becomes a link of an address found in the
// text is then decided as in plain-text comments (see linkFoundText).
parser.linkify.set({ fuzzyEmail: false, fuzzyLink: true });
parser.validateLink = (url) => toSafeHref(url.trim()) !== undefined;

const blockTags: Partial<Record<string, MarkdownTag>> = {
  paragraph_open: 'p',
  blockquote_open: 'blockquote',
  bullet_list_open: 'ul',
  ordered_list_open: 'ol',
  list_item_open: 'li',
  em_open: 'em',
  strong_open: 'strong',
  link_open: 'a',
};

/**
 * An address found in the text (not written as a link) is linked as plain-text comments always
 * linked it (autolink.ts): http, https and `www.` only, ending at a quote or a closing bracket it
 * did not open, sentence punctuation left out; so "readme.md" stays text, and a quote cannot be
 * carried into the address.
 */
function linkFoundText(text: string): MarkdownNode[] {
  return splitCommentText(text).map((part): MarkdownNode => {
    if (part.type === 'link') return { tag: 'a', attributes: { href: part.href, rel: commentLinkRel }, children: [part.text] };
    return part.type === 'text' ? part.text : { tag: 'br', attributes: {}, children: [] };
  });
}

function openElement(token: Token): MarkdownElement | undefined {
  const tag = blockTags[token.type];
  if (!tag) return undefined;
  if (tag === 'a') {
    const href = toSafeHref(String(token.attrGet('href') ?? ''));
    return href === undefined ? undefined : { tag, attributes: { href, rel: commentLinkRel }, children: [] };
  }
  const start = Number(token.attrGet('start'));
  const attributes: Record<string, string> = tag === 'ol' && Number.isSafeInteger(start) && start !== 1 ? { start: String(start) } : {};
  return { tag, attributes, children: [] };
}

function toNodes(tokens: readonly Token[]): MarkdownNode[] {
  const root: MarkdownNode[] = [];
  const stack: MarkdownNode[][] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (token.type === 'inline') top().push(...toNodes(token.children ?? []));
    else if (token.type === 'link_open' && token.markup === 'linkify') {
      // The found address's text and the link's close: one unit.
      top().push(...linkFoundText(tokens[index + 1]?.content ?? ''));
      index += 2;
    }
    // A tight list's paragraphs are hidden: their text sits right in the item.
    else if (token.hidden) continue;
    else if (token.nesting === 1) {
      const opened = openElement(token);
      // Anything outside the allow-list keeps its text and loses its element.
      if (opened) top().push(opened);
      stack.push(opened ? opened.children : top());
    } else if (token.nesting === -1) stack.pop();
    else if (token.type === 'code_inline') top().push({ tag: 'code', attributes: {}, children: [token.content] });
    else if (token.type === 'code_block' || token.type === 'fence')
      top().push({ tag: 'pre', attributes: {}, children: [{ tag: 'code', attributes: {}, children: [token.content.replace(/\n$/, '')] }] });
    else if (token.type === 'softbreak' || token.type === 'hardbreak') top().push({ tag: 'br', attributes: {}, children: [] });
    else if (token.content !== '') top().push(token.content);
  }
  return root;
}

/** A Markdown comment body as elements of the safe subset (see MarkdownTag). */
export function renderMarkdown(text: string): MarkdownNode[] {
  return toNodes(parser.parse(text, {}));
}

/** How many links a Markdown body would show (the per-comment link limit counts these). */
export function countMarkdownLinks(text: string): number {
  return listMarkdownLinks(text).length;
}

/** Every href a Markdown body's links would carry, in order. */
export function listMarkdownLinks(text: string): string[] {
  const hrefs: string[] = [];
  const visit = (nodes: readonly MarkdownNode[]) => {
    for (const node of nodes) {
      if (typeof node === 'string') continue;
      if (node.tag === 'a' && node.attributes.href) hrefs.push(node.attributes.href);
      visit(node.children);
    }
  };
  visit(renderMarkdown(text));
  return hrefs;
}
