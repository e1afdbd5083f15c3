import type { APIRoute, GetStaticPaths } from 'astro';
import { localeKeys, type Locale } from '../../../i18n/locales.ts';
import { recordBuildTiming } from '../../../lib/build/build-timings.ts';
import { getEssays, getPageCacheKeys } from '../../../lib/essay-query.ts';
import type { Essay } from '../../../lib/essays.ts';
import { getEssayCardContent } from '../../../lib/share/card-contents.ts';
import { keepShareCardsCached, renderShareCardCached } from '../../../lib/share/render-share-card.ts';

export const getStaticPaths = (async () => {
  const keys = await getPageCacheKeys();
  const paths = (await getEssays()).flatMap((essay) =>
    localeKeys.map((lang) => ({
      params: { lang, slug: essay.slug },
      props: { essay, locale: lang },
      cacheKey: keys.shareCard(essay, lang),
    })),
  );
  await keepShareCardsCached(await Promise.all(paths.map(({ props }) => getEssayCardContent(props.essay, props.locale))));
  return paths;
}) satisfies GetStaticPaths;

/** An essay's share card (Open Graph image) for readers of one language, made at build time. */
export const GET: APIRoute<{ essay: Essay; locale: Locale }> = async ({ props }) => {
  const started = performance.now();
  const png = await renderShareCardCached(await getEssayCardContent(props.essay, props.locale));
  recordBuildTiming('share-card', performance.now() - started);
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
