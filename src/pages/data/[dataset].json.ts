import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection, type CollectionEntry } from 'astro:content';
import { getPageCacheKeys } from '../../lib/essay-query.ts';

export const getStaticPaths = (async () => {
  const keys = await getPageCacheKeys();
  return (await getCollection('datasets')).map((entry) => ({ params: { dataset: entry.id }, props: { entry }, cacheKey: keys.dataset(entry) }));
}) satisfies GetStaticPaths;

/** A dataset as authored and validated, in both languages, for readers who take the data away. */
export const GET: APIRoute<{ entry: CollectionEntry<'datasets'> }> = ({ props }) =>
  new Response(`${JSON.stringify(props.entry.data, null, 2)}\n`, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
