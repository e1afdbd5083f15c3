import type { Locale } from '../../i18n/locales.ts';
import { alignByKey } from './align.ts';
import { collectIds, rewriteIds, splitIntoBlocks, type ContentBlock } from './blocks.ts';

/** Put before each id of the other language's text on a page (`en--user-content-fn-1`), so its footnotes and headings cannot clash with the page's own. */
export function getCounterpartIdPrefix(locale: Locale): string {
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
  return alignByKey(splitIntoBlocks(ownHtml), other).map(({ left, right }) => ({ key: left?.key ?? right?.key ?? '', own: left, other: right }));
}
