import type { APIRoute, GetStaticPaths } from 'astro';
import type { CollectionEntry } from 'astro:content';
import { localeKeys, type Locale } from '../../../../i18n/locales.ts';
import { getDatasets } from '../../../../lib/dataset-query.ts';
import { getPageCacheKeys } from '../../../../lib/essay-query.ts';
import { getDatasetCardContent } from '../../../../lib/share/card-contents.ts';
import { keepShareCardsCached, renderShareCardCached } from '../../../../lib/share/render-share-card.ts';

export const getStaticPaths = (async () => {
  const [datasets, keys] = await Promise.all([getDatasets(), getPageCacheKeys()]);
  const paths = datasets.flatMap((entry) =>
    localeKeys.map((lang) => ({ params: { lang, dataset: entry.id }, props: { entry, locale: lang }, cacheKey: keys.dataset(entry) })),
  );
  // A card copied by an incremental build is never read from the card cache: mark it used there.
  await keepShareCardsCached(paths.map(({ props }) => getDatasetCardContent(props.entry, props.locale)));
  return paths;
}) satisfies GetStaticPaths;

/** A data page's share card, made at build time. */
export const GET: APIRoute<{ entry: CollectionEntry<'datasets'>; locale: Locale }> = async ({ props }) => {
  const png = await renderShareCardCached(getDatasetCardContent(props.entry, props.locale));
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
