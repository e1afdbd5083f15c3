import type { MarkdownHeading } from 'astro';

/** The id GFM gives the (visually hidden) footnotes heading: not a section of the essay. */
const footnotesHeadingId = 'footnote-label';

/** Headings a table of contents lists: sections and subsections, without the footnotes heading. */
export function getTocHeadings(headings: readonly MarkdownHeading[]): MarkdownHeading[] {
  return headings.filter((heading) => (heading.depth === 2 || heading.depth === 3) && heading.slug !== footnotesHeadingId);
}

/** How many top-level sections an essay has. */
export function countSections(headings: readonly MarkdownHeading[]): number {
  return getTocHeadings(headings).filter((heading) => heading.depth === 2).length;
}
