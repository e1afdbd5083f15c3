import type { APIRoute, GetStaticPaths } from 'astro';
import { localeKeys, type Locale } from '../../i18n/locales.ts';
import { getFixedPageKey } from '../../lib/build/page-cache-keys.ts';
import { getSiteCardContent } from '../../lib/share/card-contents.ts';
import { keepShareCardsCached, renderShareCardCached } from '../../lib/share/render-share-card.ts';

export const getStaticPaths = (async () => {
  await keepShareCardsCached(localeKeys.map(getSiteCardContent));
  return localeKeys.map((lang) => ({ params: { lang }, props: { locale: lang }, cacheKey: getFixedPageKey(lang) }));
}) satisfies GetStaticPaths;

/** The share card for pages that are not essays (home, archive, tags, search), one per language. */
export const GET: APIRoute<{ locale: Locale }> = async ({ props }) => {
  const png = await renderShareCardCached(getSiteCardContent(props.locale));
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
