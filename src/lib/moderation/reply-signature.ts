import type { Locale } from '../../i18n/locales.ts';
import type { CatalogEssay } from '../essay-catalog.ts';

export interface ReplySignatureOptions {
  /** MODERATION_AUTHOR_NAME: when set, every reply carries it. */
  configuredName: string | undefined;
  /** The published essays, with their author's display names. */
  catalog: readonly CatalogEssay[];
  /** The word readers see for "the author" in a language: for a reply under an essay this build no longer has. */
  genericName: (lang: Locale) => string;
}

/**
 * The name an author's reply is signed with under an essay: MODERATION_AUTHOR_NAME if set, else
 * the essay author's display name in the comment's language (content/authors/). Never the
 * moderator's account name: that is a sign-in, not a byline, and readers must not learn it.
 */
export function createReplySignature(options: ReplySignatureOptions): (essay: string, lang: Locale) => string {
  const essays = new Map(options.catalog.map((essay) => [essay.slug, essay]));
  return (essay, lang) => options.configuredName ?? essays.get(essay)?.authorNames?.[lang] ?? options.genericName(lang);
}
