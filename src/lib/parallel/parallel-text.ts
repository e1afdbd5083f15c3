import type { Locale } from '../../i18n/locales.ts';
import { alignByKey } from './align.ts';
import { collectIds, groupSections, removeAlignBreaks, rewriteIds, splitHeading, splitIntoBlocks, type ContentBlock } from './blocks.ts';

/** Put before each id of the other language's text on a page (`en--user-content-fn-1`), so its footnotes and headings cannot clash with the page's own. */
function getCounterpartIdPrefix(locale: Locale): string {
  return `${locale}--`;
}

/** A row of the parallel view: the page language's block first, the other's beside it; either may be missing. */
export interface ParallelRow {
  key: string;
  own?: ContentBlock;
  other?: ContentBlock;
}

/** The rows of the parallel view, from both versions' rendered HTML; the other version's ids are prefixed so none clashes. */
export function buildParallelRows(ownHtml: string, otherHtml: string, otherLocale: Locale): ParallelRow[] {
  const scope = { prefix: getCounterpartIdPrefix(otherLocale), present: collectIds(otherHtml) };
  const other = splitIntoBlocks(otherHtml).map((block) => ({ ...block, html: rewriteIds(block.html, scope) }));
  return alignByKey(splitIntoBlocks(ownHtml), other).map(({ left, right }) => ({
    key: left?.key ?? right?.key ?? '',
    own: left,
    other: right,
  }));
}

/** A run of the page's own text; after a section heading, the other language's section to reveal there. */
export interface EssayPart {
  html: string;
  counterpart?: {
    /** The id of the page's own heading the counterpart follows. */
    headingId?: string;
    /** The counterpart section's heading, as inline HTML. */
    headingContent: string;
    /** The rest of the counterpart section. */
    body: string;
  };
}

/**
 * The page's own text cut after each section heading whose section the other version has too,
 * with that section's HTML (without its `<h2>`, ids prefixed). Links to the other version's ids
 * outside the section (its footnotes) go to `parallelHref`, where the whole text is.
 */
export function buildEssayParts(
  ownHtml: string,
  otherHtml: string | undefined,
  options: { otherLocale: Locale; parallelHref: string },
): EssayPart[] {
  if (otherHtml === undefined) return [{ html: removeAlignBreaks(ownHtml) }];
  const sections = groupSections(splitIntoBlocks(otherHtml));
  const otherIds = collectIds(otherHtml);
  const prefix = getCounterpartIdPrefix(options.otherLocale);
  return splitIntoBlocks(ownHtml).flatMap((block): EssayPart[] => {
    const section = block.kind === 'section' ? sections.get(block.key) : undefined;
    const own = splitHeading(block.html);
    const otherHeading = section?.[0] && splitHeading(section[0].html);
    if (!section || !own || !otherHeading) return [{ html: block.html }];
    const body = [otherHeading.rest, ...section.slice(1).map((part) => part.html)].join('');
    const scope = { prefix, present: collectIds(body), elsewhere: { ids: otherIds, href: options.parallelHref } };
    return [
      {
        html: own.heading,
        counterpart: { headingId: own.id, headingContent: rewriteIds(otherHeading.headingContent, scope), body: rewriteIds(body, scope) },
      },
      { html: own.rest },
    ];
  });
}
