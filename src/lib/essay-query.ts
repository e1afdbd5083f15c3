import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import type { Locale } from '../i18n/locales.ts';
import { groupEssays, listEssaysInLocale, type Essay, type EssayInLocale } from './essays.ts';

/** The one place that decides which essays a build shows (drafts only under `astro dev`). */
export async function getEssays(): Promise<Essay[]> {
  return groupEssays(await getCollection('essays'), { includeDrafts: import.meta.env.DEV });
}

/** Every essay as a reader of `locale` sees it, newest first. */
export async function getEssaysInLocale(locale: Locale): Promise<EssayInLocale[]> {
  return listEssaysInLocale(await getEssays(), locale);
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
