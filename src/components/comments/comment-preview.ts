import { defaultLocale, isLocale } from '../../i18n/locales.ts';
import { buildElement, element, loadCommentView } from './comment-dom.ts';

/** The preview follows typing after this pause, so a long comment is not parsed at every key. */
const previewDelayMs = 120;

/**
 * Shows the comment as readers will see it under the form's text field, rendered by the same code
 * as the list (lib/comments/comment-view.ts): on the essay page (comments-element.ts) and on the
 * comments page. The preview is hidden until this runs, so without JavaScript there is none.
 */
export function startCommentPreview(form: HTMLFormElement): void {
  const preview = form.querySelector<HTMLElement>('[data-comment-preview]');
  const target = preview?.querySelector<HTMLElement>('[data-preview-body]');
  const body = form.querySelector<HTMLTextAreaElement>('textarea[name="body"]');
  if (!preview || !target || !body) return;
  const lang = preview.dataset.lang ?? '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = async () => {
    const text = body.value.trim();
    if (text === '') {
      target.replaceChildren(element('p', 'comment-preview-empty', preview.dataset.empty ?? ''));
      return;
    }
    const { renderCommentBody } = await loadCommentView();
    target.replaceChildren(
      buildElement(renderCommentBody({ body: text, format: 'markdown', lang: isLocale(lang) ? lang : defaultLocale })),
    );
  };
  body.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void render(), previewDelayMs);
  });
  form.addEventListener('focusin', () => void loadCommentView(), { once: true });
  void render();
  preview.hidden = false;
}
