import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { stringifyFrontmatter } from './frontmatter.ts';

export interface ScaffoldOptions {
  slug: string;
  locales: readonly Locale[];
  /** The publication date to start from: today, as `YYYY-MM-DD`. */
  date: string;
  categoryId: string;
  authorId: string;
}

/** The stand-in title, summary and body of a new essay, in its language. */
function getPlaceholders(locale: Locale, slug: string): { title: string; summary: string; body: string } {
  const t = getTranslator(locale);
  return { title: t('scaffold.title', { slug }), summary: t('scaffold.summary'), body: t('scaffold.body') };
}

/** A new essay's files: valid frontmatter (a draft dated today) and a starting body, one per language. */
export function createEssayFiles(options: ScaffoldOptions): Partial<Record<`${Locale}.mdx`, string>> {
  const files: Partial<Record<`${Locale}.mdx`, string>> = {};
  for (const locale of options.locales) {
    const text = getPlaceholders(locale, options.slug);
    const frontmatter = stringifyFrontmatter({
      title: text.title,
      summary: text.summary,
      published: options.date,
      author: options.authorId,
      category: options.categoryId,
      tags: [],
      draft: true,
    });
    files[`${locale}.mdx`] = `${frontmatter}\n${text.body}`;
  }
  return files;
}

/** Today in the author's time zone, as frontmatter writes dates. */
export function formatLocalDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
