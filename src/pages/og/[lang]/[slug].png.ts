import type { APIRoute, GetStaticPaths } from 'astro';
import { localeKeys, type Locale } from '../../../i18n/locales.ts';
import { getTranslator } from '../../../i18n/translator.ts';
import { recordBuildTiming } from '../../../lib/build-timings.ts';
import { getEssayReferences, getEssays, getPageCacheKeys } from '../../../lib/essay-query.ts';
import { getEssayInLocale, type Essay } from '../../../lib/essays.ts';
import { formatDate } from '../../../lib/format.ts';
import { renderShareCardCached } from '../../../lib/share/render-share-card.ts';

export const getStaticPaths = (async () => {
  const keys = await getPageCacheKeys();
  return (await getEssays()).flatMap((essay) =>
    localeKeys.map((lang) => ({
      params: { lang, slug: essay.slug },
      props: { essay, locale: lang },
      cacheKey: keys.shareCard(essay, lang),
    })),
  );
}) satisfies GetStaticPaths;

/** An essay's share card (Open Graph image) for readers of one language, made at build time. */
export const GET: APIRoute<{ essay: Essay; locale: Locale }> = async ({ props }) => {
  const started = performance.now();
  const { essay, locale } = props;
  const t = getTranslator(locale);
  const shown = getEssayInLocale(essay, locale);
  const { author } = await getEssayReferences(shown.entry);
  const png = await renderShareCardCached({
    title: shown.entry.data.title,
    summary: shown.entry.data.summary,
    byline: t('share.cardByline', { author: author.data.name[locale], date: formatDate(shown.entry.data.published, locale) }),
    siteName: t('share.cardSiteName'),
    language: shown.entryLocale,
  });
  recordBuildTiming('share-card', performance.now() - started);
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
