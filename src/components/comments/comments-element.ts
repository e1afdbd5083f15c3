import { createIslandTranslator, type IslandTranslate } from '../../i18n/island-translator.ts';
import { defaultLocale, isLocale } from '../../i18n/locales.ts';
import type { CommentViewKey } from '../../lib/comments/comment-view.ts';
import type { PublicThreadJson } from '../../lib/comments/schema.ts';
import { describeWait } from '../../lib/http/rate-limit.ts';
import { buildElement, element, loadCommentView } from './comment-dom.ts';
import { startCommentPreview } from './comment-preview.ts';

/** The UI strings the island needs, resolved on the server in the page's language. */
export interface CommentStrings {
  submit: string;
  submitting: string;
  received: string;
  receivedPrivate: string;
  /** With `{{name}}`. */
  replyingTo: string;
  /** With `{{count}}`. */
  count_one: string;
  /** With `{{count}}`. */
  count_other: string;
  empty: string;
  loadFailed: string;
  network: string;
  unknown: string;
  tooLarge: string;
  /** With `{{count}}` (minutes). */
  rateLimited_one: string;
  /** With `{{count}}` (minutes). */
  rateLimited_other: string;
  /** With `{{count}}` (seconds). */
  rateLimitedSeconds_one: string;
  /** With `{{count}}` (seconds). */
  rateLimitedSeconds_other: string;
  /** With `{{count}}` (seconds). */
  busy_one: string;
  /** With `{{count}}` (seconds). */
  busy_other: string;
  /** The templates the comment rendering (lib/comments/comment-view.ts) says. */
  view: Record<CommentViewKey, string>;
}

interface ErrorJson {
  error?: { code?: string; message?: string; fields?: Record<string, string> };
}

const visibleFields = ['name', 'email', 'body'];
/** How long a submit waits for the fill-time token before sending without one. */
const tokenWaitMs = 3000;

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
    startCommentPreview(form);
    void this.#loadComments();
  }

  #requestToken(): Promise<string> {
    this.#token ??= fetch(this.dataset.tokenApi ?? '', { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then((response) => (response.ok ? (response.json() as Promise<{ token?: string; notifyReplies?: boolean }>) : { token: '' }))
      .then((json) => {
        // A static page cannot know whether the server sends email; the token's answer says so.
        if (json.notifyReplies === true) this.#offerReplyEmails();
        return json.token ?? '';
      })
      .catch(() => '');
    return this.#token;
  }

  #offerReplyEmails() {
    const box = this.querySelector<HTMLElement>('[data-notify-replies]');
    if (!box) return;
    box.hidden = false;
    const input = box.querySelector('input');
    if (input) input.disabled = false;
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
        notifyReplies: data.has('notifyReplies'),
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
    if (response.status === 429 && seconds) {
      const wait = describeWait(seconds);
      return this.#t(wait.unit === 'seconds' ? 'rateLimitedSeconds' : 'rateLimited', { count: wait.count });
    }
    if (response.status === 503 && seconds) return this.#t('busy', { count: seconds });
    return this.#strings.unknown;
  }

  #showReceived(isPrivate: boolean) {
    const body = this.#field('body');
    if (body) {
      body.value = '';
      body.dispatchEvent(new Event('input'));
    }
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
      const json = (await response.json()) as { count: number; comments: PublicThreadJson[] };
      if (json.comments.length > 0)
        list.replaceChildren(element('h3', 'comments-count', this.#countText(json.count)), await this.#renderList(json.comments));
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

  async #renderList(threads: PublicThreadJson[]): Promise<HTMLElement> {
    const { renderCommentList } = await loadCommentView();
    const names = new Map<string, string>();
    const collectNames = (thread: PublicThreadJson): void => {
      names.set(thread.id, thread.name);
      thread.replies.forEach(collectNames);
    };
    threads.forEach(collectNames);
    const { lang = '', commentsPage = '' } = this.dataset;
    const viewT = createIslandTranslator(this.#strings.view, this.dataset.dateLocale ?? document.documentElement.lang);
    const list = buildElement(
      renderCommentList(threads, { locale: isLocale(lang) ? lang : defaultLocale, t: viewT, commentsPagePath: commentsPage }),
    );
    // A reply link opens the comments page's form without JavaScript; here it replies in place (a modified click still opens the page).
    list.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-reply-to]') : null;
      const id = link?.dataset.replyTo;
      const name = id === undefined ? undefined : names.get(id);
      if (id === undefined || name === undefined || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
        return;
      event.preventDefault();
      this.#setReply({ id, name });
    });
    return list;
  }
}

if (!customElements.get('duizhao-comments')) customElements.define('duizhao-comments', CommentsElement);
