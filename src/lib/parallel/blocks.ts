/**
 * Rendered essay HTML cut into blocks that can be paired with the other language's.
 *
 * The `alignBlocks` Markdown plugin puts an `<AlignBreak>` before every top-level `##` heading,
 * at every `<Align id="…" />` an author writes and before the footnotes; rendered, each one is a
 * comment (`formatAlignBreak`), and this module cuts the HTML there. The breaks are only ever at
 * the top level of the document, so every block is balanced HTML.
 */

export type BreakKind = 'section' | 'marker' | 'footnotes';

/** What an author may name an alignment point, `<Align id="…" />`: the same id goes in both language versions. */
export const alignIdPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A run of top-level content: the text before the first heading, a section, the part after a marker, or the footnotes. */
export interface ContentBlock {
  /** What pairs it with the other language's block: `intro`, `section:2`, `align:<id>`, `align:<id>/section:1`, `footnotes`. */
  key: string;
  kind: 'intro' | BreakKind;
  html: string;
}

const breakPattern = /<!--duizhao:align (section|marker|footnotes)(?: ([a-z0-9-]+))?-->/g;

/** The comment an `<AlignBreak>` renders. */
export function formatAlignBreak(kind: BreakKind, id?: string): string {
  return `<!--duizhao:align ${kind}${id ? ` ${id}` : ''}-->`;
}

/** Removes the break comments from HTML shown as a whole. */
export function removeAlignBreaks(html: string): string {
  return html.replace(breakPattern, '');
}

interface Piece {
  kind: ContentBlock['kind'];
  id?: string;
  html: string;
}

function cutAtBreaks(html: string): Piece[] {
  const pieces: Piece[] = [];
  let current: Piece = { kind: 'intro', html: '' };
  let start = 0;
  for (const match of html.matchAll(breakPattern)) {
    current.html = html.slice(start, match.index);
    pieces.push(current);
    current = { kind: match[1] as BreakKind, id: match[2], html: '' };
    start = match.index + match[0].length;
  }
  current.html = html.slice(start);
  pieces.push(current);
  return pieces;
}

/**
 * Cuts rendered essay HTML into keyed blocks. Sections are numbered in order, counting again
 * from each marker, so one marker brings two versions back in step after a section only one
 * of them has. A marker written just before a heading names that heading's section. Empty
 * blocks (no text before the first heading, a marker at the very end) are left out.
 */
export function splitIntoBlocks(html: string): ContentBlock[] {
  const pieces = cutAtBreaks(html);
  const blocks: ContentBlock[] = [];
  let anchor: string | undefined;
  let sectionNumber = 0;
  let pinnedKey: string | undefined;
  pieces.forEach((piece, index) => {
    let key: string;
    if (piece.kind === 'intro' || piece.kind === 'footnotes') {
      key = piece.kind;
    } else if (piece.kind === 'marker') {
      anchor = `align:${piece.id ?? ''}`;
      sectionNumber = 0;
      key = anchor;
      if (piece.html.trim() === '' && pieces[index + 1]?.kind === 'section') {
        pinnedKey = anchor;
        return;
      }
    } else if (pinnedKey) {
      key = pinnedKey;
      pinnedKey = undefined;
    } else {
      sectionNumber += 1;
      key = anchor ? `${anchor}/section:${sectionNumber}` : `section:${sectionNumber}`;
    }
    if (piece.html.trim() !== '') blocks.push({ key, kind: piece.kind, html: piece.html });
  });
  return blocks;
}

/**
 * The sections of a version, by the key of their heading block: the heading's block and the
 * marker blocks that follow it up to the next heading.
 */
export function groupSections(blocks: readonly ContentBlock[]): Map<string, ContentBlock[]> {
  const sections = new Map<string, ContentBlock[]>();
  let current: ContentBlock[] | undefined;
  for (const block of blocks) {
    if (block.kind === 'section') {
      current = [block];
      sections.set(block.key, current);
    } else if (block.kind === 'marker' && current) {
      current.push(block);
    } else {
      current = undefined;
    }
  }
  return sections;
}

const headingPattern = /^\s*<h2\b([^>]*)>([\s\S]*?)<\/h2>/;

/** A section block's `<h2>` (whole, its id and its inner HTML) and what follows it. */
export function splitHeading(html: string): { heading: string; id?: string; headingContent: string; rest: string } | undefined {
  const match = headingPattern.exec(html);
  if (!match) return undefined;
  const id = /\sid="([^"]*)"/.exec(match[1] ?? '')?.[1];
  return { heading: match[0], id, headingContent: match[2] ?? '', rest: html.slice(match[0].length) };
}

/** Where the other version's ids are, when its HTML is shown beside the page's own. */
export interface IdScope {
  /** Put before every id of the other version, so that none clashes with the page's own. */
  prefix: string;
  /** Ids of the other version shown on this page: links and references to them stay on the page. */
  present: ReadonlySet<string>;
  /** The page that shows the rest of the other version (the parallel view), for links to ids not shown here. */
  elsewhere?: { ids: ReadonlySet<string>; href: string };
}

const tagPattern = /<[a-zA-Z][^>]*>/g;
const idPattern = /\sid="([^"]*)"/g;
const idReferenceAttributes = ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-owns', 'for', 'headers'];
const attributePattern = new RegExp(`(\\s)(id|href|${idReferenceAttributes.join('|')})="([^"]*)"`, 'g');

function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Every `id` in rendered HTML. */
export function collectIds(html: string): Set<string> {
  const ids = new Set<string>();
  for (const tag of html.match(tagPattern) ?? []) {
    for (const match of tag.matchAll(idPattern)) ids.add(match[1] ?? '');
  }
  return ids;
}

/**
 * Rewrites the ids of the other version's HTML so it can sit on a page beside the page's own:
 * ids get the prefix, in-page links follow them (to the parallel view when the target is not
 * shown here), and ARIA references to ids not shown here are dropped rather than left dangling.
 */
export function rewriteIds(html: string, scope: IdScope): string {
  return html.replace(tagPattern, (tag) =>
    tag.replace(attributePattern, (whole, space: string, name: string, value: string) => {
      if (name === 'id') return `${space}id="${scope.prefix}${value}"`;
      if (name === 'href') {
        if (!value.startsWith('#')) return whole;
        const target = decodeFragment(value.slice(1));
        if (scope.present.has(target)) return `${space}href="#${scope.prefix}${target}"`;
        if (scope.elsewhere?.ids.has(target)) return `${space}href="${scope.elsewhere.href}#${scope.prefix}${target}"`;
        return whole;
      }
      const kept = value
        .split(/\s+/)
        .filter((id) => scope.present.has(id))
        .map((id) => `${scope.prefix}${id}`);
      return kept.length > 0 ? `${space}${name}="${kept.join(' ')}"` : '';
    }),
  );
}
