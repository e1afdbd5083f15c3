import type { CollectionEntry } from 'astro:content';
import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { getLastUpdated } from '../charts/dataset-page.ts';
import { getEssayReferences } from '../essay-query.ts';
import { getEssayInLocale, type Essay } from '../essays.ts';
import { formatDate } from '../format.ts';
import type { ShareCardContent } from './render-share-card.ts';

/** What the site's card shows (home, archive, tags, search), in one language. */
export function getSiteCardContent(locale: Locale): ShareCardContent {
  const t = getTranslator(locale);
  return {
    title: t('site.tagline'),
    summary: t('site.description'),
    byline: t('footer.languages'),
    siteName: t('share.cardSiteName'),
    language: locale,
  };
}

/** What an essay's card shows to readers of one language. */
export async function getEssayCardContent(essay: Essay, locale: Locale): Promise<ShareCardContent> {
  const t = getTranslator(locale);
  const shown = getEssayInLocale(essay, locale);
  const { author } = await getEssayReferences(shown.entry);
  return {
    title: shown.entry.data.title,
    summary: shown.entry.data.summary,
    byline: t('share.cardByline', { author: author.data.name[locale], date: formatDate(shown.entry.data.published, locale) }),
    siteName: t('share.cardSiteName'),
    language: shown.entryLocale,
  };
}

/** What a data page's card shows: the dataset's title, its source, and when it last changed. */
export function getDatasetCardContent(entry: CollectionEntry<'datasets'>, locale: Locale): ShareCardContent {
  const t = getTranslator(locale);
  const { data } = entry;
  return {
    title: data.title[locale],
    summary: t('chart.source', { source: data.source.name[locale], date: formatDate(new Date(data.source.retrieved), locale) }),
    byline: t('data.lastUpdated', { date: formatDate(new Date(getLastUpdated(data)), locale) }),
    siteName: t('share.cardSiteName'),
    language: locale,
  };
}
