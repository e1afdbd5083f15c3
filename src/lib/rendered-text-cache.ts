import type { Locale } from '../i18n/locales.ts';

/**
 * An essay version's rendered text, kept for the rest of the build: the essay page and the 中英对照
 * view show the same texts (a version as the page's own, and as the other language beside it),
 * so each is rendered once instead of twice. Under `astro dev` the text may change between
 * requests, so nothing is kept there.
 */
const renderedTexts = new Map<string, Promise<string>>();

/** How a version's text is rendered: as the page's own, or as the other language beside it (charts named, not drawn). */
export type TextRole = 'own' | 'counterpart';

/** Names one rendering: the same version, role and page language always render the same HTML. */
export function getRenderedTextKey(entryId: string, role: TextRole, pageLocale: Locale): string {
  return `${entryId}|${role}|${pageLocale}`;
}

export function renderTextOnce(key: string | undefined, render: () => Promise<string>): Promise<string> {
  if (import.meta.env.DEV || key === undefined) return render();
  let text = renderedTexts.get(key);
  if (!text) {
    text = render();
    renderedTexts.set(key, text);
    // A failed render fails its page; the next page that asks tries again.
    text.catch(() => renderedTexts.delete(key));
  }
  return text;
}
