import { fillTemplate, formatCount, parseExcerpt } from '../../lib/search/search-results.ts';

/**
 * <site-search>: the search island. It loads each language's Pagefind bundle from /pagefind/<lang>/
 * (its own language first, the other one as a second group) and shows the results with DOM
 * methods only. Pagefind's JavaScript is built with the site, so it is imported at run time
 * from its URL rather than bundled.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}

interface PagefindResponse {
  results: Array<{ id: string; data: () => Promise<PagefindResultData> }>;
}

interface PagefindApi {
  options: (options: Record<string, unknown>) => Promise<void>;
  init: () => Promise<void>;
  search: (term: string) => Promise<PagefindResponse | null>;
}

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
  countOne: string;
  countOther: string;
  none: string;
  loading: string;
  error: string;
  more: string;
}

/** Results shown per group before "show more". */
const pageSize = 10;
const typingDelayMs = 250;

interface Group {
  bundle: SearchBundle;
  results: PagefindResponse['results'];
  shown: number;
  list?: HTMLOListElement;
  more?: HTMLButtonElement;
}

class SiteSearch extends HTMLElement {
  #bundles: SearchBundle[] = [];
  #strings: SearchStrings | undefined;
  #apis: Promise<PagefindApi[]> | undefined;
  #input: HTMLInputElement | null = null;
  #status: HTMLElement | null = null;
  #output: HTMLElement | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #searchCount = 0;

  connectedCallback() {
    this.#bundles = JSON.parse(this.dataset.bundles ?? '[]') as SearchBundle[];
    this.#strings = JSON.parse(this.dataset.strings ?? '{}') as SearchStrings;
    this.#input = this.querySelector('input[type="search"]');
    this.#status = this.querySelector('[data-search-status]');
    this.#output = this.querySelector('[data-search-results]');
    const form = this.querySelector('form');
    form?.addEventListener('submit', (event) => {
      event.preventDefault();
      clearTimeout(this.#timer);
      void this.#search();
    });
    this.#input?.addEventListener('input', () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.#search(), typingDelayMs);
    });
    this.#input?.addEventListener('focus', () => void this.#loadPagefind().catch(() => undefined), { once: true });
    this.#input?.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowDown') return;
      const first = this.#output?.querySelector('a');
      if (!first) return;
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
  }

  #loadPagefind(): Promise<PagefindApi[]> {
    this.#apis ??= Promise.all(
      this.#bundles.map(async (bundle) => {
        // Each bundle URL is its own module, so each language gets its own Pagefind instance.
        const api = (await import(/* @vite-ignore */ `${bundle.path}pagefind.js`)) as PagefindApi;
        await api.options({ excerptLength: 24 });
        await api.init();
        return api;
      }),
    );
    return this.#apis;
  }

  async #search() {
    const strings = this.#strings;
    const query = this.#input?.value.trim() ?? '';
    const searchNumber = ++this.#searchCount;
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
    try {
      const apis = await this.#loadPagefind();
      const responses = await Promise.all(apis.map((api) => api.search(query)));
      if (searchNumber !== this.#searchCount) return;
      const groups: Group[] = this.#bundles.map((bundle, index) => ({ bundle, results: responses[index]?.results ?? [], shown: 0 }));
      await this.#render(groups, searchNumber);
      if (searchNumber !== this.#searchCount) return;
      const total = groups.reduce((sum, group) => sum + group.results.length, 0);
      const languageTag = document.documentElement.lang;
      this.#setStatus(total === 0 ? fillTemplate(strings.none, { query }) : formatCount({ one: strings.countOne, other: strings.countOther }, total, languageTag));
      this.dataset.state = 'done';
    } catch (error) {
      if (searchNumber !== this.#searchCount) return;
      console.error(error);
      this.#output?.replaceChildren();
      this.#setStatus(strings.error);
      this.dataset.state = 'error';
    } finally {
      if (searchNumber === this.#searchCount) this.removeAttribute('aria-busy');
    }
  }

  async #render(groups: Group[], searchNumber: number) {
    const sections: HTMLElement[] = [];
    for (const [index, group] of groups.entries()) {
      if (group.results.length === 0) continue;
      const section = document.createElement('section');
      section.className = 'search-group';
      const heading = document.createElement('h2');
      heading.id = `search-group-${index}`;
      heading.textContent = fillTemplate(group.bundle.heading, { count: group.results.length });
      section.setAttribute('aria-labelledby', heading.id);
      group.list = document.createElement('ol');
      group.list.className = 'search-results';
      section.append(heading, group.list);
      if (group.results.length > pageSize) {
        group.more = document.createElement('button');
        group.more.type = 'button';
        group.more.className = 'search-more';
        group.more.textContent = this.#strings?.more ?? '';
        group.more.addEventListener('click', () => void this.#showMore(group, searchNumber, true));
        section.append(group.more);
      }
      sections.push(section);
    }
    await Promise.all(groups.map((group) => this.#showMore(group, searchNumber, false)));
    if (searchNumber === this.#searchCount) this.#output?.replaceChildren(...sections);
  }

  async #showMore(group: Group, searchNumber: number, moveFocus: boolean) {
    const batch = group.results.slice(group.shown, group.shown + pageSize);
    const items = await Promise.all(batch.map(async (result) => this.#renderResult(await result.data(), group.bundle)));
    if (searchNumber !== this.#searchCount || !group.list) return;
    group.list.append(...items);
    group.shown += batch.length;
    if (group.shown >= group.results.length) group.more?.remove();
    if (moveFocus) items[0]?.querySelector('a')?.focus();
  }

  #renderResult(data: PagefindResultData, bundle: SearchBundle): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'search-result';
    if (bundle.badge) item.lang = bundle.languageTag;
    const title = document.createElement('h3');
    title.className = 'search-result-title';
    const link = document.createElement('a');
    link.href = data.url;
    link.textContent = data.meta.title ?? data.url;
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
    for (const part of parseExcerpt(data.excerpt)) {
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
