/// <reference lib="webworker" />
/**
 * The search worker: loads each language's Pagefind bundle and answers queries off the main
 * thread. Each bundle URL is its own module, so each language gets its own Pagefind instance.
 * Pagefind's JavaScript is written by the build after the bundler has run, so it is imported
 * at run time from its URL.
 *
 * Chinese bundles are indexed character by character (lib/search/character-index.ts): the
 * worker cuts the query the same way, keeps only the essays that hold each term with its
 * characters side by side, and builds the excerpt itself so that it marks whole terms. In a
 * worker Pagefind cannot see the page's `<html lang>` and leaves the query as it gets it, which
 * is what lets the worker do the cutting.
 */
import { isIndexedByCharacter, restoreIndexedText } from '../../lib/search/character-index.ts';
import { buildCharacterExcerpt, parseExcerpt, type ExcerptPart } from '../../lib/search/search-results.ts';
import { parseCharacterQuery } from '../../lib/search/search-query.ts';

interface PagefindResultData {
  url: string;
  excerpt: string;
  /** The indexed text of the page. */
  content: string;
  meta: { title?: string };
}

interface PagefindResult {
  /** The page's id, the same in every search of one bundle. */
  id: string;
  data: () => Promise<PagefindResultData>;
}

interface PagefindApi {
  options: (options: Record<string, unknown>) => Promise<void>;
  init: () => Promise<void>;
  search: (term: string) => Promise<{ results: PagefindResult[] } | null>;
}

/** One result as the page shows it. */
export interface FoundEssay {
  url: string;
  title: string;
  excerpt: ExcerptPart[];
}

/** A Pagefind bundle to search, and the language its essays are written in. */
export interface BundleToSearch {
  path: string;
  languageTag: string;
}

/** What the page asks: a new search over the bundles, or more results of the last one. */
export type SearchQuestion =
  | { type: 'search'; query: string; bundles: BundleToSearch[]; count: number }
  | { type: 'more'; group: number; offset: number; count: number };

export type SearchRequest = SearchQuestion & { id: number };

export type SearchReply =
  | { type: 'results'; id: number; groups: Array<{ total: number; results: FoundEssay[] }> }
  | { type: 'more'; id: number; group: number; results: FoundEssay[] }
  | { type: 'error'; id: number; message: string };

/** The matches of one bundle; `terms` are what the excerpt marks in a character-indexed bundle, null where Pagefind's excerpt is used. */
interface GroupMatches {
  results: PagefindResult[];
  terms: string[] | null;
}

const instances = new Map<string, Promise<PagefindApi>>();
let lastGroups: GroupMatches[] = [];

function loadPagefind(path: string): Promise<PagefindApi> {
  let instance = instances.get(path);
  if (!instance) {
    instance = (async () => {
      const api = (await import(/* @vite-ignore */ new URL(`${path}pagefind.js`, self.location.origin).href)) as PagefindApi;
      await api.options({ excerptLength: 24 });
      await api.init();
      return api;
    })();
    instances.set(path, instance);
  }
  return instance;
}

async function searchBundle(bundle: BundleToSearch, query: string): Promise<GroupMatches> {
  const api = await loadPagefind(bundle.path);
  if (!isIndexedByCharacter(bundle.languageTag)) return { results: (await api.search(query))?.results ?? [], terms: null };
  const { terms, allWords, phrases } = parseCharacterQuery(query);
  if (allWords === '') return { results: [], terms };
  // Pagefind ranks the essays holding every character; the exact phrases keep those holding each term in one piece.
  const ranked = (await api.search(allWords))?.results ?? [];
  let results = ranked;
  for (const phrase of phrases) {
    if (results.length === 0) break;
    const holding = new Set(((await api.search(phrase))?.results ?? []).map((result) => result.id));
    results = results.filter((result) => holding.has(result.id));
  }
  return { results, terms };
}

async function readResults(group: GroupMatches, offset: number, count: number): Promise<FoundEssay[]> {
  const data = await Promise.all(group.results.slice(offset, offset + count).map((result) => result.data()));
  return data.map((item) => {
    // Pagefind builds result URLs on the bundle's address, which is absolute inside a worker; links stay site-relative.
    const url = new URL(item.url, self.location.origin);
    const path = url.pathname + url.search + url.hash;
    if (!group.terms) return { url: path, title: item.meta.title ?? url.pathname, excerpt: parseExcerpt(item.excerpt) };
    const title = item.meta.title ?? '';
    return {
      url: path,
      title: restoreIndexedText(title) || url.pathname,
      excerpt: buildCharacterExcerpt(item.content, title, group.terms),
    };
  });
}

self.addEventListener('message', async (event: MessageEvent<SearchRequest>) => {
  const request = event.data;
  let reply: SearchReply;
  try {
    if (request.type === 'search') {
      const groups = await Promise.all(request.bundles.map((bundle) => searchBundle(bundle, request.query)));
      lastGroups = groups;
      reply = {
        type: 'results',
        id: request.id,
        groups: await Promise.all(
          groups.map(async (group) => ({ total: group.results.length, results: await readResults(group, 0, request.count) })),
        ),
      };
    } else {
      const group = lastGroups[request.group] ?? { results: [], terms: null };
      reply = { type: 'more', id: request.id, group: request.group, results: await readResults(group, request.offset, request.count) };
    }
  } catch (error) {
    reply = { type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
});
