import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import type { Locale } from '../i18n/locales.ts';
import { createPageCacheKeys } from './build/page-cache-keys.ts';
import { groupEssays, listEssaysInLocale, type Essay, type EssayInLocale } from './essays.ts';
import { getLastChangeDate } from './file-dates.ts';

async function loadEssays(): Promise<Essay[]> {
  return groupEssays(await getCollection('essays'), { includeDrafts: import.meta.env.DEV });
}

// Content cannot change during a production build or in the built server, and every essay
// page asks for the whole list (previous/next, related): grouping it once per build keeps
// the build linear in the number of essays. `astro dev` reloads content, so it is not cached there.
let essaysOnce: Promise<Essay[]> | undefined;
const essaysInLocaleOnce = new Map<Locale, Promise<EssayInLocale[]>>();

/** The one place that decides which essays a build shows (drafts only under `astro dev`). */
export function getEssays(): Promise<Essay[]> {
  if (import.meta.env.DEV) return loadEssays();
  essaysOnce ??= loadEssays();
  return essaysOnce;
}

/** Every essay as a reader of `locale` sees it, newest first. */
export function getEssaysInLocale(locale: Locale): Promise<EssayInLocale[]> {
  if (import.meta.env.DEV) return getEssays().then((essays) => listEssaysInLocale(essays, locale));
  let list = essaysInLocaleOnce.get(locale);
  if (!list) {
    list = getEssays().then((essays) => listEssaysInLocale(essays, locale));
    essaysInLocaleOnce.set(locale, list);
  }
  return list;
}

export async function getTags(): Promise<CollectionEntry<'tags'>[]> {
  return getCollection('tags');
}

/** Resolves an essay's author, category and tags for display. */
export async function getEssayReferences(entry: CollectionEntry<'essays'>) {
  const [author, category, tags] = await Promise.all([
    getEntry(entry.data.author),
    getEntry(entry.data.category),
    Promise.all(entry.data.tags.map((tag) => getEntry(tag))),
  ]);
  return { author, category, tags };
}

let pageCacheKeysOnce: Promise<ReturnType<typeof createPageCacheKeys>> | undefined;

/** The incremental build's page keys (lib/build/page-cache-keys.ts), from the collections read once per build. */
export function getPageCacheKeys(): Promise<ReturnType<typeof createPageCacheKeys>> {
  const load = async () => {
    const [essays, tags, categories, authors, datasets] = await Promise.all([
      getEssays(),
      getTags(),
      getCollection('categories'),
      getCollection('authors'),
      getCollection('datasets'),
    ]);
    return createPageCacheKeys({
      essays,
      tags,
      categories,
      authors,
      datasets,
      getFileDate: (entry) => getLastChangeDate(entry.filePath ?? ''),
    });
  };
  if (import.meta.env.DEV) return load();
  pageCacheKeysOnce ??= load();
  return pageCacheKeysOnce;
}
