import type { APIRoute, GetStaticPaths } from 'astro';
import type { CollectionEntry } from 'astro:content';
import { localeKeys, type Locale } from '../../../../i18n/locales.ts';
import { getTranslator } from '../../../../i18n/translator.ts';
import { getLastUpdated } from '../../../../lib/charts/dataset-page.ts';
import { getDatasets } from '../../../../lib/dataset-query.ts';
import { formatDate } from '../../../../lib/format.ts';
import { renderShareCardCached } from '../../../../lib/share/render-share-card.ts';

// No cacheKey: a card rendered again is read from the card cache (a hash of its contents), which
// also keeps that file from being pruned as unused; one card per dataset and language.
export const getStaticPaths = (async () =>
  (await getDatasets()).flatMap((entry) =>
    localeKeys.map((lang) => ({ params: { lang, dataset: entry.id }, props: { entry, locale: lang } })),
  )) satisfies GetStaticPaths;

/** A data page's share card: the dataset's title, its source, and when it last changed. */
export const GET: APIRoute<{ entry: CollectionEntry<'datasets'>; locale: Locale }> = async ({ props }) => {
  const { entry, locale } = props;
  const t = getTranslator(locale);
  const { data } = entry;
  const png = await renderShareCardCached({
    title: data.title[locale],
    summary: t('chart.source', { source: data.source.name[locale], date: formatDate(new Date(data.source.retrieved), locale) }),
    byline: t('data.lastUpdated', { date: formatDate(new Date(getLastUpdated(data)), locale) }),
    siteName: t('share.cardSiteName'),
    language: locale,
  });
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
