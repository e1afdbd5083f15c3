import rss from '@astrojs/rss';
import type { APIRoute, GetStaticPaths } from 'astro';
import { getAbsoluteLocaleUrl } from 'astro:i18n';
import { isLocale, localeKeys, locales } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { getEssaysInLocale, getPageCacheKeys, getTags } from '../../lib/essay-query.ts';
import { pagePaths } from '../../lib/urls.ts';

export const getStaticPaths = (async () => {
  const keys = await getPageCacheKeys();
  return localeKeys.map((lang) => ({ params: { lang }, cacheKey: keys.feed(lang) }));
}) satisfies GetStaticPaths;

/** One feed per language, with only the essays written in it. */
export const GET: APIRoute = async ({ params, site }) => {
  if (!isLocale(params.lang) || !site) return new Response(null, { status: 404 });
  const locale = params.lang;
  const t = getTranslator(locale);
  const essays = (await getEssaysInLocale(locale)).filter((essay) => essay.isTranslated);
  // Feed readers show categories as they are: the tag's name in the feed's language, not its id.
  const tagNames = new Map((await getTags()).map((tag) => [tag.id, tag.data[locale]]));
  return rss({
    title: t('rss.title'),
    description: t('site.description'),
    site,
    customData: `<language>${locales[locale].tag}</language>`,
    items: essays.map(({ slug, entry }) => ({
      title: entry.data.title,
      description: entry.data.summary,
      pubDate: entry.data.published,
      link: getAbsoluteLocaleUrl(locale, pagePaths.essay(slug)),
      categories: entry.data.tags.map((tag) => tagNames.get(tag.id) ?? tag.id),
    })),
  });
};
