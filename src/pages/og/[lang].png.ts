import type { APIRoute, GetStaticPaths } from 'astro';
import { localeKeys, type Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { getFixedPageKey } from '../../lib/build/page-cache-keys.ts';
import { renderShareCardCached } from '../../lib/share/render-share-card.ts';

export const getStaticPaths = (() =>
  localeKeys.map((lang) => ({ params: { lang }, props: { locale: lang }, cacheKey: getFixedPageKey(lang) }))) satisfies GetStaticPaths;

/** The share card for pages that are not essays (home, archive, tags, search), one per language. */
export const GET: APIRoute<{ locale: Locale }> = async ({ props }) => {
  const t = getTranslator(props.locale);
  const png = await renderShareCardCached({
    title: t('site.tagline'),
    summary: t('site.description'),
    byline: t('footer.languages'),
    siteName: t('share.cardSiteName'),
    language: props.locale,
  });
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
