import { createIslandTranslator } from '../../i18n/island-translator.ts';

/**
 * The essay's reader signals in the browser: <essay-signals> reports the view once the page is
 * shown and writes the counts into the byline; <collect-button> keeps the essay on this device.
 * Counting stores nothing in the browser: only collecting writes to localStorage.
 */

export interface SignalStrings {
  /** With `{{views}}`, the count as readers say it short. */
  views_one: string;
  views_other: string;
  /** With `{{collects}}`, likewise. */
  collects_one: string;
  collects_other: string;
  collected: string;
  uncollected: string;
  storageUnavailable: string;
  network: string;
}

interface SignalCounts {
  views: number;
  collects: number;
}

const readerStorageKey = 'duizhao.reader';
const collectedStorageKey = 'duizhao.collected';
const countsEvent = 'duizhao:signal-counts';

/**
 * Short numbers as the page's readers say them (zh 1.2万, en 12K), with the options of
 * formatCompactNumber in lib/format.ts; written out here so the island needs no shared chunk.
 */
function formatCompact(count: number, intlLocale: string): string {
  return new Intl.NumberFormat(intlLocale, { notation: 'compact', maximumFractionDigits: 1 }).format(count);
}

function readStrings(host: HTMLElement): SignalStrings {
  return JSON.parse(host.dataset.strings ?? '{}') as SignalStrings;
}

function announceCounts(essay: string, counts: SignalCounts) {
  document.dispatchEvent(new CustomEvent(countsEvent, { detail: { essay, counts } }));
}

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    keepalive: true,
  });
}

/** The view counts once the reader can see the page: a prerendered or background tab waits until it is shown. */
function whenShown(callback: () => void) {
  if (document.visibilityState === 'visible') {
    callback();
    return;
  }
  const onChange = () => {
    if (document.visibilityState !== 'visible') return;
    document.removeEventListener('visibilitychange', onChange);
    callback();
  };
  document.addEventListener('visibilitychange', onChange);
}

class EssaySignals extends HTMLElement {
  connectedCallback() {
    const { essay = '', lang = 'zh', api = '' } = this.dataset;
    document.addEventListener(countsEvent, this.#onCounts);
    whenShown(() => {
      postJson(api, { essay, lang })
        .then(async (response) => {
          if (!response.ok) return;
          announceCounts(essay, (await response.json()) as SignalCounts);
        })
        .catch(() => {
          // A view that could not be reported leaves the byline as it was; the page reads fine without counts.
        });
    });
  }

  disconnectedCallback() {
    document.removeEventListener(countsEvent, this.#onCounts);
  }

  #onCounts = (event: Event) => {
    const { essay, counts } = (event as CustomEvent<{ essay: string; counts: SignalCounts }>).detail;
    if (essay !== this.dataset.essay) return;
    const intlLocale = this.dataset.intlLocale ?? 'zh-Hans-CN';
    const t = createIslandTranslator(readStrings(this), intlLocale);
    const views = this.querySelector<HTMLElement>('[data-views]');
    const collects = this.querySelector<HTMLElement>('[data-collects]');
    if (views) {
      views.textContent = t('views', { count: counts.views, views: formatCompact(counts.views, intlLocale) });
      views.hidden = false;
    }
    if (collects) {
      collects.textContent = t('collects', { count: counts.collects, collects: formatCompact(counts.collects, intlLocale) });
      collects.hidden = counts.collects === 0;
    }
  };
}

/** localStorage, or undefined where the browser refuses it (privacy modes, blocked storage). */
function getStorage(): Storage | undefined {
  try {
    const storage = window.localStorage;
    storage.getItem(collectedStorageKey);
    return storage;
  } catch {
    return undefined;
  }
}

function readCollected(storage: Storage): Set<string> {
  try {
    const value: unknown = JSON.parse(storage.getItem(collectedStorageKey) ?? '[]');
    return new Set(Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  } catch {
    return new Set();
  }
}

/** This device's reader id: 128 random bits, made up on the first collect. */
function getReaderId(storage: Storage): string {
  const stored = storage.getItem(readerStorageKey);
  if (stored && /^[A-Za-z0-9_-]{22,64}$/.test(stored)) return stored;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  storage.setItem(readerStorageKey, id);
  return id;
}

class CollectButton extends HTMLElement {
  #button: HTMLButtonElement | null = null;
  #status: HTMLElement | null = null;

  connectedCallback() {
    this.#button = this.querySelector('button');
    this.#status = this.querySelector('[data-collect-status]');
    const storage = getStorage();
    if (!this.#button) return;
    if (!storage) {
      this.#button.disabled = true;
      this.#say(readStrings(this).storageUnavailable);
      return;
    }
    this.#button.setAttribute('aria-pressed', String(readCollected(storage).has(this.dataset.essay ?? '')));
    this.#button.addEventListener('click', this.#toggle);
    document.addEventListener(countsEvent, this.#onCounts);
  }

  disconnectedCallback() {
    this.#button?.removeEventListener('click', this.#toggle);
    document.removeEventListener(countsEvent, this.#onCounts);
  }

  #say(message: string) {
    if (this.#status) this.#status.textContent = message;
  }

  #onCounts = (event: Event) => {
    const { essay, counts } = (event as CustomEvent<{ essay: string; counts: SignalCounts }>).detail;
    if (essay !== this.dataset.essay) return;
    const count = this.querySelector<HTMLElement>('[data-collect-count]');
    if (count) count.textContent = formatCompact(counts.collects, this.dataset.intlLocale ?? 'zh-Hans-CN');
  };

  #toggle = async () => {
    const button = this.#button;
    const storage = getStorage();
    if (!button || !storage || button.dataset.busy === 'true') return;
    const { essay = '', lang = 'zh', api = '' } = this.dataset;
    const strings = readStrings(this);
    const wantsCollected = button.getAttribute('aria-pressed') !== 'true';
    button.dataset.busy = 'true';
    try {
      const response = await postJson(api, { essay, lang, reader: getReaderId(storage), collected: wantsCollected });
      const answer = (await response.json().catch(() => ({}))) as Partial<SignalCounts> & { error?: { message?: string } };
      if (!response.ok) {
        this.#say(answer.error?.message ?? strings.network);
        return;
      }
      const collected = readCollected(storage);
      if (wantsCollected) collected.add(essay);
      else collected.delete(essay);
      storage.setItem(collectedStorageKey, JSON.stringify([...collected]));
      button.setAttribute('aria-pressed', String(wantsCollected));
      this.#say(wantsCollected ? strings.collected : strings.uncollected);
      announceCounts(essay, { views: answer.views ?? 0, collects: answer.collects ?? 0 });
    } catch {
      this.#say(strings.network);
    } finally {
      delete button.dataset.busy;
    }
  };
}

if (!customElements.get('essay-signals')) customElements.define('essay-signals', EssaySignals);
if (!customElements.get('collect-button')) customElements.define('collect-button', CollectButton);
