import { localeKeys, type Locale } from '../i18n/locales.ts';

/**
 * What the on-demand routes (comments, moderation) know of an essay: that it is published, in
 * which languages, and under which titles. Built from the essay files at build time, so the
 * server bundle carries a few bytes per essay instead of every essay's compiled MDX.
 */
export interface CatalogEssay {
  slug: string;
  titles: Partial<Record<Locale, string>>;
  /**
   * The essay author's display name in each language (from content/authors/), whichever version
   * names the author; what the author's replies to comments are signed with. Absent where the
   * author has no name in that language.
   */
  authorNames?: Partial<Record<Locale, string>>;
}

/** The languages the essay is published in, in the site's order. */
export function getCatalogLocales(essay: CatalogEssay): Locale[] {
  return localeKeys.filter((locale) => essay.titles[locale] !== undefined);
}

/** The version a reader of `locale` is shown: theirs if translated, else the first that exists. */
export function getCatalogVersion(essay: CatalogEssay, locale: Locale): { locale: Locale; title: string } {
  const shownLocale = essay.titles[locale] !== undefined ? locale : getCatalogLocales(essay)[0];
  const title = shownLocale && essay.titles[shownLocale];
  if (!shownLocale || title === undefined) throw new Error(`Essay "${essay.slug}" has no published version`);
  return { locale: shownLocale, title };
}
