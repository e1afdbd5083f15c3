import type { Locale } from '../../i18n/locales.ts';

/**
 * Each language gets its own Pagefind bundle, holding one index keyed by that language's
 * `<html lang>`. Two bundles, not one with two indexes, because a page can only run one
 * Pagefind instance per bundle and that instance always picks the index of the page's own
 * language; a separate bundle is what lets a search page query the other language too,
 * with that language's own word segmentation.
 */
export function getSearchBundlePath(locale: Locale): `/pagefind/${Locale}/` {
  return `/pagefind/${locale}/`;
}

/**
 * The built pages that go into a language's index, relative to the client output folder: the
 * essay pages only (`*` stops at a slash, so the parallel views under them stay out; they repeat
 * two essays and are not indexed). Every other page has no `data-pagefind-body` anyway, and
 * reading thousands of them only slowed the build.
 */
export function getSearchPagesGlob(locale: Locale): string {
  return `${locale}/essays/*/index.html`;
}
