import { createHash } from 'node:crypto';
import type { CollectionEntry } from 'astro:content';
import { localeKeys, type Locale } from '../../i18n/locales.ts';
import {
  countTags,
  filterByTag,
  getAdjacentEssays,
  getEssayInLocale,
  getRelatedEssays,
  listEssaysInLocale,
  type Essay,
  type EssayEntry,
  type EssayInLocale,
} from '../essays.ts';
import { getStaleTranslation } from '../translation-status.ts';

/**
 * The `cacheKey` of every prerendered path, for Astro's incremental build
 * (`experimental.incrementalBuild`): a path whose key, route code and config are unchanged is
 * copied from the previous build instead of rendered. Astro's module graph covers code and UI
 * strings (the locale files are imported modules); content collections are data, outside that
 * graph, so a key must name every piece of content the page shows. Each key is a hash of that
 * content: leaving something out serves a stale page, adding too much only renders a page again.
 */

type NamedEntry = CollectionEntry<'tags'> | CollectionEntry<'categories'>;

/** Every collection a page can show, read once per build (see getPageCacheSnapshot in essay-query.ts). */
export interface PageCacheSnapshot {
  essays: readonly Essay[];
  tags: readonly NamedEntry[];
  categories: readonly NamedEntry[];
  authors: readonly CollectionEntry<'authors'>[];
  datasets: readonly CollectionEntry<'datasets'>[];
  /** When an original without `updated` last changed: a stale translation's notice shows it. */
  getFileDate: (entry: EssayEntry) => Date;
}

/** One short string from everything a page shows (Dates become ISO strings in JSON). */
function hashPageInputs(...inputs: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('base64url');
}

/** What a list item or a link to an essay shows: its frontmatter (title, summary, dates, tags) and in which language. */
function describeListedEssay(listed: EssayInLocale) {
  return [listed.slug, listed.entryLocale, listed.isTranslated, listed.entry.data];
}

function describeVersion(entry: EssayEntry | undefined) {
  return entry && [entry.data, entry.body ?? ''];
}

function findData<T extends { id: string; data: unknown }>(entries: readonly T[], id: string): T['data'] | undefined {
  return entries.find((entry) => entry.id === id)?.data;
}

/**
 * Everything an essay's versions show besides the essay itself: the names of their author,
 * category and tags, the datasets their charts embed, and any stale-translation notice.
 */
function describeEssayContext(snapshot: PageCacheSnapshot, essay: Essay) {
  const versions = localeKeys.flatMap((locale) => essay.versions[locale] ?? []);
  const bodies = versions.map((entry) => entry.body ?? '');
  // A dataset counts as embedded when its id appears anywhere in a body: a superset of the
  // `<Chart dataset="…">` and chart references there, found without parsing MDX for every path.
  const datasets = snapshot.datasets.filter((dataset) => bodies.some((body) => body.includes(dataset.id)));
  return {
    versions: localeKeys.map((locale) => describeVersion(essay.versions[locale])),
    references: versions.map((entry) => [
      findData(snapshot.authors, entry.data.author.id),
      findData(snapshot.categories, entry.data.category.id),
      entry.data.tags.map((tag) => findData(snapshot.tags, tag.id)),
    ]),
    datasets: datasets.map((dataset) => [dataset.id, dataset.data]),
    stale: localeKeys.map((locale) => getStaleTranslation(essay, getEssayInLocale(essay, locale), snapshot.getFileDate)),
  };
}

/**
 * The essays a data page lists as citing a dataset, as the page links them (slug and each version's
 * frontmatter): every essay whose text names the dataset's id, a superset of those whose charts use it.
 */
function describeCitingEssays(snapshot: PageCacheSnapshot, datasetId: string) {
  return snapshot.essays
    .filter((essay) => localeKeys.some((locale) => essay.versions[locale]?.body?.includes(datasetId)))
    .map((essay) => [essay.slug, localeKeys.map((locale) => essay.versions[locale]?.data)]);
}

/** Builds every route's keys from one snapshot; lists per locale are sorted once. */
export function createPageCacheKeys(snapshot: PageCacheSnapshot) {
  const lists = new Map<Locale, EssayInLocale[]>();
  const listInLocale = (locale: Locale) => {
    let list = lists.get(locale);
    if (!list) {
      list = listEssaysInLocale(snapshot.essays, locale);
      lists.set(locale, list);
    }
    return list;
  };
  const usedTags = () => snapshot.tags.map((tag) => tag.data);
  return {
    /** An essay's page: the essay, its context, and the titles of the previous, next and related essays it links. */
    essay(essay: Essay, locale: Locale): string {
      const list = listInLocale(locale);
      const shown = getEssayInLocale(essay, locale);
      const { previous, next } = getAdjacentEssays(list, essay.slug);
      const linked = [previous, next, ...getRelatedEssays(list, shown)].map((listed) => listed && describeListedEssay(listed));
      return hashPageInputs('essay', locale, describeEssayContext(snapshot, essay), linked);
    },
    /** The side-by-side view: both versions and their context, no links to other essays. */
    parallel(essay: Essay, locale: Locale): string {
      return hashPageInputs('parallel', locale, describeEssayContext(snapshot, essay));
    },
    /** An essay's share card: title, summary, author's name and date of the version shown. */
    shareCard(essay: Essay, locale: Locale): string {
      const shown = getEssayInLocale(essay, locale);
      const { title, summary, published, author } = shown.entry.data;
      return hashPageInputs('share-card', locale, shown.entryLocale, title, summary, published, findData(snapshot.authors, author.id));
    },
    /** Home and archive: every essay the locale lists. */
    essayList(locale: Locale): string {
      return hashPageInputs('essay-list', locale, listInLocale(locale).map(describeListedEssay));
    },
    /** The RSS feed: the listed essays and the tag names its categories carry. */
    feed(locale: Locale): string {
      return hashPageInputs('feed', locale, listInLocale(locale).map(describeListedEssay), usedTags());
    },
    /** A tag's page: its name and the essays carrying it. */
    tag(tag: NamedEntry, locale: Locale): string {
      return hashPageInputs('tag', locale, tag.data, filterByTag(listInLocale(locale), tag.id).map(describeListedEssay));
    },
    /** The tag index: every tag's name and how many essays carry it. */
    tagIndex(locale: Locale): string {
      return hashPageInputs('tag-index', locale, usedTags(), [...countTags(listInLocale(locale))]);
    },
    /** A dataset's download (JSON, or CSV in one language), and its embed (the chart, title and source). */
    dataset(dataset: CollectionEntry<'datasets'>): string {
      return hashPageInputs('dataset', dataset.id, dataset.data);
    },
    /** A data page: the dataset (values, source, history) and the versions of the essays that may cite it, linked by title. */
    datasetPage(dataset: CollectionEntry<'datasets'>, locale: Locale): string {
      return hashPageInputs('dataset-page', locale, dataset.id, dataset.data, describeCitingEssays(snapshot, dataset.id));
    },
    /** The data list: every dataset and how many essays may cite each. */
    datasetList(locale: Locale): string {
      const datasets = snapshot.datasets.map((dataset) => [dataset.id, dataset.data, describeCitingEssays(snapshot, dataset.id)]);
      return hashPageInputs('dataset-list', locale, datasets);
    },
  };
}

/** A page that shows no content (search, the site's share card): code and UI strings alone decide it. */
export function getFixedPageKey(locale: Locale): string {
  return hashPageInputs('fixed', locale);
}

/** A page rendered from one content entry of its own (About). */
export function getEntryPageKey(entry: { data: unknown; body?: string }): string {
  return hashPageInputs('entry', entry.data, entry.body ?? '');
}
