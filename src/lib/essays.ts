import type { CollectionEntry } from 'astro:content';
import { getCounterpartLocale, isLocale, localeKeys, type Locale } from '../i18n/locales.ts';

export type EssayEntry = CollectionEntry<'essays'>;

/** One essay: the translations that share a folder. */
export interface Essay {
  slug: string;
  versions: Partial<Record<Locale, EssayEntry>>;
}

/** What a page in one language shows for an essay: its own version, or the one that exists. */
export interface EssayInLocale {
  slug: string;
  entry: EssayEntry;
  /** The language `entry` is written in. */
  entryLocale: Locale;
  isTranslated: boolean;
}

/** Splits a collection id `slug/zh` into the essay's slug and the version's locale. */
export function parseEssayId(id: string): { slug: string; locale: Locale } {
  const [slug, locale, ...rest] = id.split('/');
  if (!slug || !isLocale(locale) || rest.length > 0) {
    throw new Error(`Essay file "${id}" must be content/essays/<slug>/zh.mdx or en.mdx`);
  }
  return { slug, locale };
}

/** Drafts are visible while writing (dev) and never in the production build. */
function isVisible(entry: Pick<EssayEntry, 'data'>, options: { includeDrafts: boolean }): boolean {
  return options.includeDrafts || !entry.data.draft;
}

/** Groups visible versions by essay; essays with no visible version are left out. */
export function groupEssays(entries: readonly EssayEntry[], options: { includeDrafts: boolean }): Essay[] {
  const bySlug = new Map<string, Essay>();
  for (const entry of entries) {
    if (!isVisible(entry, options)) continue;
    const { slug, locale } = parseEssayId(entry.id);
    const essay = bySlug.get(slug) ?? { slug, versions: {} };
    essay.versions[locale] = entry;
    bySlug.set(slug, essay);
  }
  return [...bySlug.values()];
}

/** The version a reader of `locale` gets: theirs if translated, else the first that exists. */
export function getEssayInLocale(essay: Essay, locale: Locale): EssayInLocale {
  const own = essay.versions[locale];
  if (own) return { slug: essay.slug, entry: own, entryLocale: locale, isTranslated: true };
  const fallbackLocale = getAvailableLocales(essay)[0];
  const fallback = fallbackLocale && essay.versions[fallbackLocale];
  if (!fallbackLocale || !fallback) throw new Error(`Essay "${essay.slug}" has no version`);
  return { slug: essay.slug, entry: fallback, entryLocale: fallbackLocale, isTranslated: false };
}

/** Locales in which the essay exists. */
export function getAvailableLocales(essay: Essay): Locale[] {
  return localeKeys.filter((key) => essay.versions[key] !== undefined);
}

/** Whether the essay exists in every language: only then has it a parallel view. */
export function isInAllLocales(essay: Essay): boolean {
  return getAvailableLocales(essay).length === localeKeys.length;
}

/**
 * The version in the counterpart locale of `locale` (the one the side-by-side view and the
 * per-section disclosures pair it with), when there is one.
 */
export function getCounterpart(essay: Essay, locale: Locale): EssayEntry | undefined {
  return essay.versions[getCounterpartLocale(locale)];
}

/** Newest first; ties broken by slug so the order is stable between builds. */
function sortByPublished<T extends EssayInLocale>(essays: readonly T[]): T[] {
  return [...essays].sort((a, b) => b.entry.data.published.getTime() - a.entry.data.published.getTime() || a.slug.localeCompare(b.slug));
}

/** All essays as seen from one locale, newest first. */
export function listEssaysInLocale(essays: readonly Essay[], locale: Locale): EssayInLocale[] {
  return sortByPublished(essays.map((essay) => getEssayInLocale(essay, locale)));
}

/** The essays before and after one in a newest-first list: `previous` is older, `next` newer. */
export function getAdjacentEssays<T extends { slug: string }>(sorted: readonly T[], slug: string): { previous?: T; next?: T } {
  const index = sorted.findIndex((essay) => essay.slug === slug);
  if (index === -1) return {};
  return { previous: sorted[index + 1], next: sorted[index - 1] };
}

/** Groups a newest-first list by publication year, newest year first. */
export function groupByYear<T extends EssayInLocale>(sorted: readonly T[]): Array<{ year: number; essays: T[] }> {
  const years = new Map<number, T[]>();
  for (const essay of sorted) {
    const year = essay.entry.data.published.getUTCFullYear();
    years.set(year, [...(years.get(year) ?? []), essay]);
  }
  return [...years.entries()].sort(([a], [b]) => b - a).map(([year, list]) => ({ year, essays: list }));
}

/** Essays carrying a tag, in the given list's order. */
export function filterByTag<T extends EssayInLocale>(list: readonly T[], tagId: string): T[] {
  return list.filter((essay) => essay.entry.data.tags.some((tag) => tag.id === tagId));
}

/** Tag ids in use, with how many essays carry each. */
export function countTags(list: readonly EssayInLocale[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const essay of list) {
    for (const tag of essay.entry.data.tags) counts.set(tag.id, (counts.get(tag.id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Essays to read next: those sharing the most tags with `current`, then the newest, at most
 * `limit`. Leaves out `current`, drafts and essays with no tag in common.
 */
export function getRelatedEssays<T extends EssayInLocale>(list: readonly T[], current: EssayInLocale, limit = 3): T[] {
  const tags = new Set(current.entry.data.tags.map((tag) => tag.id));
  if (tags.size === 0) return [];
  const recency = getRecencyRanks(list);
  const isBetter = (a: { shared: number; rank: number }, b: { shared: number; rank: number }) =>
    a.shared > b.shared || (a.shared === b.shared && a.rank < b.rank);
  // The best `limit` so far, best first: one pass, no sort of the whole list for each page.
  const best: Array<{ essay: T; shared: number; rank: number }> = [];
  for (const essay of list) {
    if (essay.slug === current.slug || essay.entry.data.draft) continue;
    const shared = essay.entry.data.tags.reduce((count, tag) => count + (tags.has(tag.id) ? 1 : 0), 0);
    if (shared === 0) continue;
    const candidate = { essay, shared, rank: recency.get(essay) ?? 0 };
    const worst = best.at(-1);
    if (best.length === limit && worst && !isBetter(candidate, worst)) continue;
    const at = best.findIndex((kept) => isBetter(candidate, kept));
    best.splice(at === -1 ? best.length : at, 0, candidate);
    if (best.length > limit) best.pop();
  }
  return best.map(({ essay }) => essay);
}

/** Each essay's place in `list` newest first; kept per list, since every essay page asks of the same one. */
const recencyRanksByList = new WeakMap<readonly EssayInLocale[], Map<EssayInLocale, number>>();
function getRecencyRanks(list: readonly EssayInLocale[]): Map<EssayInLocale, number> {
  let ranks = recencyRanksByList.get(list);
  if (!ranks) {
    ranks = new Map(sortByPublished(list).map((essay, index) => [essay, index]));
    recencyRanksByList.set(list, ranks);
  }
  return ranks;
}
