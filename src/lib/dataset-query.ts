import { getCollection, type CollectionEntry } from 'astro:content';
import { localeKeys } from '../i18n/locales.ts';
import { findChartDatasetIds } from './charts/dataset-page.ts';
import { getEssays } from './essay-query.ts';
import type { Essay } from './essays.ts';

/** Every dataset of content/data, sorted by its id. */
export async function getDatasets(): Promise<CollectionEntry<'datasets'>[]> {
  return (await getCollection('datasets')).sort((a, b) => a.id.localeCompare(b.id));
}

let citationsOnce: Promise<Map<string, Essay[]>> | undefined;

async function findCitations(): Promise<Map<string, Essay[]>> {
  const citations = new Map<string, Essay[]>();
  for (const essay of await getEssays()) {
    const ids = new Set(localeKeys.flatMap((locale) => findChartDatasetIds(essay.versions[locale]?.body ?? '')));
    for (const id of ids) citations.set(id, [...(citations.get(id) ?? []), essay]);
  }
  return citations;
}

/** The published essays that draw each dataset in a `<Chart>` (in any of their versions), by dataset id. */
export function getDatasetCitations(): Promise<Map<string, Essay[]>> {
  // Every data page asks for the whole map; parsing each essay once per build keeps that linear (as essay-query.ts does).
  if (import.meta.env.DEV) return findCitations();
  citationsOnce ??= findCitations();
  return citationsOnce;
}
