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

