import { createIslandTranslator, fillTemplate, type IslandTranslate } from '../../i18n/island-translator.ts';
import type { FoundEssay, SearchQuestion, SearchReply, SearchRequest } from './search-worker.ts';

/**
 * <site-search>: the search island. Queries go to a worker that runs Pagefind over each
 * language's bundle (the page's own language first, then each other language as a badged group);
 * results are shown with DOM methods only, never as HTML.
 */

export interface SearchBundle {
  /** URL of the Pagefind bundle, ending in `/`. */
  path: string;
  /** BCP 47 tag of the language the bundle's essays are written in. */
  languageTag: string;
  /** The group heading, with a `{{count}}` placeholder. */
  heading: string;
  /** Shown on each result of the other language; absent for the page's own. */
  badge?: string;
}

export interface SearchStrings {
  /** With `{{count, number}}`. */
  count_one: string;
  count_other: string;
  /** With `{{query}}`. */
  none: string;
  loading: string;
  error: string;
  more: string;
}

/** Results shown per group, and added by each "show more". */
const pageSize = 10;
const typingDelayMs = 250;

class SiteSearch extends HTMLElement {
  #bundles: SearchBundle[] = [];
  #strings: SearchStrings | undefined;
  #t: IslandTranslate<SearchStrings> | undefined;
  #worker: Worker | undefined;
  #input: HTMLInputElement | null = null;
  #status: HTMLElement | null = null;
  #output: HTMLElement | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #requestId = 0;
  #searchId = 0;
  #pending = new Map<number, (reply: SearchReply) => void>();

  connectedCallback() {
    this.#bundles = JSON.parse(this.dataset.bundles ?? '[]') as SearchBundle[];
    this.#strings = JSON.parse(this.dataset.strings ?? '{}') as SearchStrings;
    this.#t = createIslandTranslator(this.#strings, document.documentElement.lang);
    this.#input = this.querySelector('input[type="search"]');
    this.#status = this.querySelector('[data-search-status]');
    this.#output = this.querySelector('[data-search-results]');
    this.querySelector('form')?.addEventListener('submit', (event) => {
      event.preventDefault();
      clearTimeout(this.#timer);
      void this.#search();
    });
    this.#input?.addEventListener('input', () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.#search(), typingDelayMs);
    });
    this.#input?.addEventListener('keydown', (event) => {
      const first = this.#output?.querySelector('a');
      if (event.key !== 'ArrowDown' || !first) return;
      event.preventDefault();
      first.focus();
    });
    const query = new URLSearchParams(location.search).get('q');
    if (query && this.#input) {
      this.#input.value = query;
      void this.#search();
    }
  }

  disconnectedCallback() {
    clearTimeout(this.#timer);
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  /** Sends a request to the search worker (started on first use) and waits for its reply. */
  #ask(question: SearchQuestion): Promise<SearchReply> {
    if (!this.#worker) {
      this.#worker = new Worker(new URL('./search-worker.ts', import.meta.url), { type: 'module' });
      this.#worker.addEventListener('message', (event: MessageEvent<SearchReply>) => {
        this.#pending.get(event.data.id)?.(event.data);
        this.#pending.delete(event.data.id);
      });
      this.#worker.addEventListener('error', () => {
        for (const [id, resolve] of this.#pending) resolve({ type: 'error', id, message: 'the search worker failed' });
        this.#pending.clear();
      });
    }
    const id = ++this.#requestId;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      const request: SearchRequest = { ...question, id };
      this.#worker?.postMessage(request);
    });
  }

  async #search() {
    const strings = this.#strings;
    const query = this.#input?.value.trim() ?? '';
    const searchId = ++this.#searchId;
    this.#keepQueryInUrl(query);
    if (!strings) return;
    if (query === '') {
      this.#setStatus('');
      this.#output?.replaceChildren();
      this.dataset.state = 'idle';
      return;
    }
    this.dataset.state = 'searching';
    this.setAttribute('aria-busy', 'true');
    this.#setStatus(strings.loading);
    const reply = await this.#ask({
      type: 'search',
      query,
      bundles: this.#bundles.map(({ path, languageTag }) => ({ path, languageTag })),
      count: pageSize,
    });
    if (searchId !== this.#searchId) return;
    this.removeAttribute('aria-busy');
    if (reply.type !== 'results') {
      if (reply.type === 'error') console.error(`Search failed: ${reply.message}`);
      this.#output?.replaceChildren();
      this.#setStatus(strings.error);
      this.dataset.state = 'error';
      return;
    }
    this.#output?.replaceChildren(
      ...reply.groups.flatMap((group, index) => this.#renderGroup(index, group.total, group.results, searchId)),
    );
    const total = reply.groups.reduce((sum, group) => sum + group.total, 0);
    this.#setStatus(this.#t?.(total === 0 ? 'none' : 'count', { query, count: total }) ?? '');
    this.dataset.state = 'done';
  }

  #renderGroup(index: number, total: number, results: FoundEssay[], searchId: number): HTMLElement[] {
    const bundle = this.#bundles[index];
    if (!bundle || total === 0) return [];
    const section = document.createElement('section');
    section.className = 'search-group';
    const heading = document.createElement('h2');
    heading.id = `search-group-${index}`;
    heading.textContent = fillTemplate(bundle.heading, { count: total }, document.documentElement.lang);
    section.setAttribute('aria-labelledby', heading.id);
    const list = document.createElement('ol');
    list.className = 'search-results';
    list.append(...results.map((result) => this.#renderResult(result, bundle)));
    section.append(heading, list);
    if (results.length < total) {
      const more = document.createElement('button');
      more.type = 'button';
      more.className = 'search-more';
      more.textContent = this.#strings?.more ?? '';
      more.addEventListener('click', async () => {
        const reply = await this.#ask({ type: 'more', group: index, offset: list.children.length, count: pageSize });
        if (searchId !== this.#searchId || reply.type !== 'more') return;
        const items = reply.results.map((result) => this.#renderResult(result, bundle));
        list.append(...items);
        items[0]?.querySelector('a')?.focus();
        if (list.children.length >= total) more.remove();
      });
      section.append(more);
    }
    return [section];
  }

  #renderResult(result: FoundEssay, bundle: SearchBundle): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'search-result';
    if (bundle.badge) item.lang = bundle.languageTag;
    const title = document.createElement('h3');
    title.className = 'search-result-title';
    const link = document.createElement('a');
    link.href = result.url;
    link.textContent = result.title;
    if (bundle.badge) link.hreflang = bundle.languageTag;
    title.append(link);
    if (bundle.badge) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.lang = document.documentElement.lang;
      badge.textContent = bundle.badge;
      title.append(' ', badge);
    }
    const excerpt = document.createElement('p');
    excerpt.className = 'search-excerpt';
    for (const part of result.excerpt) {
      if (part.isHit) {
        const mark = document.createElement('mark');
        mark.textContent = part.text;
        excerpt.append(mark);
      } else {
        excerpt.append(part.text);
      }
    }
    item.append(title, excerpt);
    return item;
  }

  #setStatus(text: string) {
    if (this.#status && this.#status.textContent !== text) this.#status.textContent = text;
  }

  /** The query goes into the address (to reload or share it) and into the language switch, so switching keeps it. */
  #keepQueryInUrl(query: string) {
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    history.replaceState(history.state, '', url);
    for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-lang-choice]')) {
      const target = new URL(link.href);
      target.search = url.search;
      link.href = target.href;
    }
  }
}

customElements.define('site-search', SiteSearch);
