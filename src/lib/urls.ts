import type { Locale } from '../i18n/locales.ts';

/** Locale-independent page paths, joined to a locale by astro:i18n's helpers. */
export const pagePaths = {
  home: '',
  essay: (slug: string) => `essays/${slug}/`,
  /** An essay's two language versions side by side (only for essays in both languages). */
  parallel: (slug: string) => `essays/${slug}/parallel/`,
  essayComments: (slug: string) => `essays/${slug}/comments/`,
  tags: 'tags/',
  tag: (tagId: string) => `tags/${tagId}/`,
  archive: 'archive/',
  about: 'about/',
  search: 'search/',
  data: 'data/',
  /** A dataset's page: its chart, table, sources, history and downloads. */
  dataset: (datasetId: string) => `data/${datasetId}/`,
  /** The page other sites show in a frame: one dataset's chart and nothing else of the site. */
  chartEmbed: (datasetId: string) => `embed/charts/${datasetId}/`,
  rss: 'rss.xml',
} as const;

/** Whether a URL path is a parallel view, `/{lang}/essays/{slug}/parallel/` (kept out of the sitemap). */
export function isParallelPagePath(pathname: string): boolean {
  const segments = pathname.split('/');
  return segments.length === 6 && segments[2] === 'essays' && segments[4] === 'parallel' && segments[5] === '';
}

/** Whether a URL path is a chart embed, `/{lang}/embed/…` (framed by other sites; kept out of the sitemap). */
export function isEmbedPagePath(pathname: string): boolean {
  return pathname.split('/')[2] === 'embed';
}

/** Share card images (1200×630 PNG): one per essay and language, and one per language for other pages. */
export const shareCardPaths = {
  essay: (locale: Locale, slug: string) => `/og/${locale}/${slug}.png`,
  site: (locale: Locale) => `/og/${locale}.png`,
  dataset: (locale: Locale, datasetId: string) => `/og/${locale}/data/${datasetId}.png`,
} as const;
