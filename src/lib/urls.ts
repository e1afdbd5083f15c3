import type { Locale } from '../i18n/locales.ts';

/** Locale-independent page paths, joined to a locale by astro:i18n's helpers. */
export const pagePaths = {
  home: '',
  essay: (slug: string) => `essays/${slug}/`,
  tags: 'tags/',
  tag: (tagId: string) => `tags/${tagId}/`,
  archive: 'archive/',
  about: 'about/',
  search: 'search/',
  rss: 'rss.xml',
} as const;


/** Share card images (1200×630 PNG): one per essay and language, and one per language for other pages. */
export const shareCardPaths = {
  essay: (locale: Locale, slug: string) => `/og/${locale}/${slug}.png`,
  site: (locale: Locale) => `/og/${locale}.png`,
} as const;
