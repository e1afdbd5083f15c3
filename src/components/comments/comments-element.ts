import { createIslandTranslator, type IslandTranslate } from '../../i18n/island-translator.ts';
import { commentLinkRel, splitCommentText } from '../../lib/comments/autolink.ts';

/** The UI strings the island needs, resolved on the server in the page's language. */
export interface CommentStrings {
  submit: string;
  submitting: string;
  received: string;
  receivedPrivate: string;
  reply: string;
  /** With `{{name}}`. */
  replyTo: string;
  /** With `{{name}}`. */
  replyingTo: string;
  author: string;
  /** With `{{count}}`. */
  count_one: string;
  /** With `{{count}}`. */
  count_other: string;
  empty: string;
  loadFailed: string;
  network: string;
  unknown: string;
  tooLarge: string;
  /** With `{{minutes}}`. */
  rateLimited: string;
  /** With `{{count}}` (seconds). */
  busy_one: string;
  /** With `{{count}}` (seconds). */
  busy_other: string;
  /** Per comment language: the badge text, its longer title, and the BCP 47 tag. */
  languages: Record<string, { badge: string; title: string; tag: string }>;
}

interface ThreadJson {
  id: string;
  lang: string;
  name: string;
  body: string;
  createdAt: string;
  isAuthor: boolean;
  replies: ThreadJson[];
}

interface ErrorJson {
  error?: { code?: string; message?: string; fields?: Record<string, string> };
}

const visibleFields = ['name', 'email', 'body'];
/** How long a submit waits for the fill-time token before sending without one. */
const tokenWaitMs = 3000;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * `<duizhao-comments>`: posts the server-rendered form without a reload, shows errors inline,
 * and lists the approved comments from the API. Without JavaScript the form posts normally.
 */
class CommentsElement extends HTMLElement {
  #strings!: CommentStrings;
  #t!: IslandTranslate<CommentStrings>;
  #form!: HTMLFormElement;
  #token: Promise<string> | undefined;
  #isSending = false;

  connectedCallback() {
    const form = this.querySelector<HTMLFormElement>('form[data-comment-form]');
    if (!form || !this.dataset.strings) return;
    this.#form = form;
    this.#strings = JSON.parse(this.dataset.strings) as CommentStrings;
    this.#t = createIslandTranslator(this.#strings, this.dataset.dateLocale ?? document.documentElement.lang);
    // The server checks everything and answers in the page's language; the browser's own bubbles would not.
    form.noValidate = true;
    form.addEventListener('focusin', () => this.#requestToken(), { once: true });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#submit();
    });
    this.querySelector('[data-cancel-reply]')?.addEventListener('click', (event) => {
      event.preventDefault();
      this.#setReply(undefined);
    });
    this.querySelector('[data-write-another]')?.addEventListener('click', () => this.#showForm());
    void this.#loadComments();
  }

  #requestToken(): Promise<string> {
    this.#token ??= fetch(this.dataset.tokenApi ?? '', { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then((response) => (response.ok ? (response.json() as Promise<{ token?: string }>) : { token: '' }))
      .then((json) => json.token ?? '')
      .catch(() => '');
    return this.#token;
  }

  async #waitForToken(): Promise<string> {
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve(''), tokenWaitMs));
    return Promise.race([this.#requestToken(), timeout]);
  }

  #field(name: string): HTMLInputElement | HTMLTextAreaElement | null {
    return this.#form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`);
  }

  #setBusy(isBusy: boolean) {
    this.#isSending = isBusy;
    const button = this.#form.querySelector<HTMLButtonElement>('[data-submit]');
    if (button) {
      button.disabled = isBusy;
      button.textContent = isBusy ? this.#strings.submitting : this.#strings.submit;
    }
    this.#form.toggleAttribute('aria-busy', isBusy);
  }

  #clearErrors() {
    for (const name of visibleFields) {
      const field = this.#field(name);
      const error = this.querySelector<HTMLElement>(`#comment-${name}-error`);
      if (!field || !error) continue;
      field.removeAttribute('aria-invalid');
      const describedBy = (field.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== error.id);
      if (describedBy.length > 0) field.setAttribute('aria-describedby', describedBy.join(' '));
      else field.removeAttribute('aria-describedby');
      error.hidden = true;
      error.textContent = '';
    }
    const formError = this.querySelector<HTMLElement>('[data-form-error]');
    if (formError) {
      formError.hidden = true;
      formError.textContent = '';
    }
  }

  #showErrors(message: string, fields: Record<string, string> = {}) {
    let firstInvalid: HTMLElement | undefined;
    const otherMessages: string[] = [];
    for (const [name, text] of Object.entries(fields)) {
      const field = this.#field(name);
      const error = this.querySelector<HTMLElement>(`#comment-${name}-error`);
      if (!visibleFields.includes(name) || !field || !error) {
        otherMessages.push(text);
        continue;
      }
      error.textContent = text;
      error.hidden = false;
      field.setAttribute('aria-invalid', 'true');
      const describedBy = (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
      field.setAttribute('aria-describedby', [...describedBy, error.id].join(' '));
      firstInvalid ??= field;
    }
    const formError = this.querySelector<HTMLElement>('[data-form-error]');
    if (formError) {
      formError.textContent = [message, ...otherMessages].join(' ');
      formError.hidden = false;
    }
    firstInvalid?.focus();
  }

  async #submit() {
    if (this.#isSending) return;
    this.#setBusy(true);
    this.#clearErrors();
    try {
      const data = new FormData(this.#form);
      const text = (name: string) => {
        const value = data.get(name);
        return typeof value === 'string' ? value : '';
      };
      const payload = {
        essay: text('essay'),
        lang: text('lang'),
        name: text('name'),
        email: text('email'),
        body: text('body'),
        private: data.has('private'),
        parent: text('parent'),
        website: text('website'),
        formToken: await this.#waitForToken(),
      };
      let response: Response;
      try {
        response = await fetch(this.#form.action, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(payload),
        });
      } catch {
        this.#showErrors(this.#strings.network);
        return;
      }
      if (response.status === 201) {
        this.#showReceived(payload.private);
        return;
      }
      const json = (await response.json().catch(() => ({}))) as ErrorJson;
      this.#showErrors(json.error?.message ?? this.#describeStatus(response), json.error?.fields);
    } finally {
      this.#setBusy(false);
    }
  }

  /** An answer without our JSON (a proxy's error page): what to do next, from its status and Retry-After. */
  #describeStatus(response: Response): string {
    const retryAfter = Number(response.headers.get('retry-after'));
    const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : undefined;
    if (response.status === 413) return this.#strings.tooLarge;
    if (response.status === 429 && seconds) return this.#t('rateLimited', { minutes: Math.ceil(seconds / 60) });
    if (response.status === 503 && seconds) return this.#t('busy', { count: seconds });
    return this.#strings.unknown;
  }

  #showReceived(isPrivate: boolean) {
    const body = this.#field('body');
    if (body) body.value = '';
    this.#setReply(undefined);
    this.#form.hidden = true;
    const received = this.querySelector<HTMLElement>('[data-received]');
    const message = this.querySelector<HTMLElement>('[data-received-message]');
    if (!received || !message) return;
    message.textContent = isPrivate ? this.#strings.receivedPrivate : this.#strings.received;
    received.hidden = false;
    received.focus();
  }

  #showForm() {
    const received = this.querySelector<HTMLElement>('[data-received]');
    if (received) received.hidden = true;
    this.#form.hidden = false;
    this.#field('body')?.focus();
  }

  #setReply(comment: { id: string; name: string } | undefined) {
    const parent = this.#field('parent');
    const banner = this.querySelector<HTMLElement>('[data-reply-banner]');
    const label = this.querySelector<HTMLElement>('[data-reply-label]');
    if (parent) parent.value = comment?.id ?? '';
    if (banner) banner.hidden = !comment;
    if (label) label.textContent = comment ? this.#t('replyingTo', { name: comment.name }) : '';
    if (comment) {
      this.#showForm();
    }
  }

  async #loadComments() {
    const list = this.querySelector<HTMLElement>('[data-comment-list]');
    if (!list) return;
    const url = new URL(this.dataset.api ?? '', location.href);
    url.searchParams.set('essay', this.dataset.essay ?? '');
    try {
      // no-cache: revalidate with the ETag, so a reader sees new approvals at once and pays little when nothing changed.
      const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
      if (!response.ok) throw new Error(String(response.status));
      const json = (await response.json()) as { count: number; comments: ThreadJson[] };
      if (json.comments.length > 0) list.replaceChildren(element('h3', 'comments-count', this.#countText(json.count)), this.#renderList(json.comments, false));
      else list.replaceChildren(element('p', 'comments-empty', this.#strings.empty));
      for (const link of document.querySelectorAll<HTMLElement>('[data-comment-count]')) link.textContent = this.#countText(json.count);
    } catch {
      list.replaceChildren(element('p', 'comments-empty', this.#strings.loadFailed));
    }
    list.removeAttribute('aria-busy');
  }

  #countText(count: number): string {
    return this.#t('count', { count });
  }

  #renderList(threads: ThreadJson[], isNested: boolean): HTMLOListElement {
    const list = element('ol', isNested ? 'comment-list comment-replies' : 'comment-list');
    for (const thread of threads) list.append(this.#renderComment(thread));
    return list;
  }

  #renderComment(comment: ThreadJson): HTMLLIElement {
    const strings = this.#strings;
    const item = element('li', comment.isAuthor ? 'comment comment-by-author' : 'comment');
    item.id = `comment-${comment.id}`;
    const card = element('article', 'comment-card');
    const meta = element('header', 'comment-meta');
    meta.append(element('span', 'comment-name', comment.name));
    if (comment.isAuthor) meta.append(element('span', 'badge comment-author-badge', strings.author));
    const language = strings.languages[comment.lang];
    if (language && comment.lang !== this.dataset.lang) {
      const badge = element('span', 'badge comment-language-badge', language.badge);
      badge.title = language.title;
      meta.append(badge);
    }
    const date = new Date(comment.createdAt);
    const time = element('time', undefined, new Intl.DateTimeFormat(this.dataset.dateLocale, { dateStyle: 'long', timeZone: 'UTC' }).format(date));
    time.dateTime = date.toISOString().slice(0, 10);
    meta.append(time);

    const body = element('p', 'comment-body');
    if (language) body.lang = language.tag;
    for (const part of splitCommentText(comment.body)) {
      if (part.type === 'break') body.append(element('br'));
      else if (part.type === 'text') body.append(part.text);
      else {
        const link = element('a', undefined, part.text);
        link.href = part.href;
        link.rel = commentLinkRel;
        body.append(link);
      }
    }

    const reply = element('button', 'comment-reply link-button', strings.reply);
    reply.type = 'button';
    reply.setAttribute('aria-label', this.#t('replyTo', { name: comment.name }));
    reply.addEventListener('click', () => this.#setReply(comment));

    card.append(meta, body, reply);
    item.append(card);
    if (comment.replies.length > 0) item.append(this.#renderList(comment.replies, true));
    return item;
  }
}

if (!customElements.get('duizhao-comments')) customElements.define('duizhao-comments', CommentsElement);
