/// <reference lib="webworker" />
/**
 * The search worker: loads each language's Pagefind bundle and answers queries off the main
 * thread. Each bundle URL is its own module, so each language gets its own Pagefind instance
 * with its own word segmentation. Pagefind's JavaScript is written by the build after the
 * bundler has run, so it is imported at run time from its URL.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}

interface PagefindApi {
  options: (options: Record<string, unknown>) => Promise<void>;
  init: () => Promise<void>;
  search: (term: string) => Promise<{ results: Array<{ data: () => Promise<PagefindResultData> }> } | null>;
}

/** One result as the page shows it. */
export interface FoundEssay {
  url: string;
  title: string;
  excerpt: string;
}

/** What the page asks: a new search over the bundles, or more results of the last one. */
export type SearchQuestion =
  | { type: 'search'; query: string; bundlePaths: string[]; count: number }
  | { type: 'more'; group: number; offset: number; count: number };

export type SearchRequest = SearchQuestion & { id: number };

export type SearchReply =
  | { type: 'results'; id: number; groups: Array<{ total: number; results: FoundEssay[] }> }
  | { type: 'more'; id: number; group: number; results: FoundEssay[] }
  | { type: 'error'; id: number; message: string };

const instances = new Map<string, Promise<PagefindApi>>();
let lastResults: Array<Array<{ data: () => Promise<PagefindResultData> }>> = [];

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

async function readResults(results: Array<{ data: () => Promise<PagefindResultData> }>): Promise<FoundEssay[]> {
  const data = await Promise.all(results.map((result) => result.data()));
  return data.map((item) => {
    // Pagefind builds result URLs on the bundle's address, which is absolute inside a worker; links stay site-relative.
    const url = new URL(item.url, self.location.origin);
    return { url: url.pathname + url.search + url.hash, title: item.meta.title ?? url.pathname, excerpt: item.excerpt };
  });
}

self.addEventListener('message', async (event: MessageEvent<SearchRequest>) => {
  const request = event.data;
  let reply: SearchReply;
  try {
    if (request.type === 'search') {
      const apis = await Promise.all(request.bundlePaths.map(loadPagefind));
      const responses = await Promise.all(apis.map((api) => api.search(request.query)));
      lastResults = responses.map((response) => response?.results ?? []);
      const groups = await Promise.all(lastResults.map(async (results) => ({ total: results.length, results: await readResults(results.slice(0, request.count)) })));
      reply = { type: 'results', id: request.id, groups };
    } else {
      const results = lastResults[request.group] ?? [];
      reply = { type: 'more', id: request.id, group: request.group, results: await readResults(results.slice(request.offset, request.offset + request.count)) };
    }
  } catch (error) {
    reply = { type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
});
