import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection, type CollectionEntry } from 'astro:content';
import { localeKeys, type Locale } from '../../i18n/locales.ts';
import { getDatasetCsv } from '../../lib/charts/csv.ts';
import { getPageCacheKeys } from '../../lib/essay-query.ts';

export const getStaticPaths = (async () => {
  const keys = await getPageCacheKeys();
  return (await getCollection('datasets')).flatMap((entry) =>
    localeKeys.map((lang) => ({ params: { dataset: entry.id, lang }, props: { entry, locale: lang }, cacheKey: keys.dataset(entry) })),
  );
}) satisfies GetStaticPaths;

/** A dataset as CSV with headers in one language (UTF-8 with a byte-order mark, for spreadsheet programs). */
export const GET: APIRoute<{ entry: CollectionEntry<'datasets'>; locale: Locale }> = ({ props }) =>
  new Response(getDatasetCsv(props.entry.data, props.locale), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
