import type { Locale } from '../../i18n/locales.ts';
import { stringifyFrontmatter } from './frontmatter.ts';

export interface ScaffoldOptions {
  slug: string;
  locales: readonly Locale[];
  /** The publication date to start from: today, as `YYYY-MM-DD`. */
  date: string;
  categoryId: string;
  authorId: string;
}

/** `after-the-deadline` → `After the deadline`: a working title until the author writes one. */
function createWorkingTitle(slug: string): string {
  const words = slug.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const placeholders: Record<Locale, (slug: string) => { title: string; summary: string; body: string }> = {
  zh: (slug) => ({
    title: `新文章：${slug}`,
    summary: '用一两句话说清这篇文章讲什么。',
    body: '## 第一节\n\n从这里开始写。Markdown 的写法和可用的组件见 README 的 “Writing an essay”。\n',
  }),
  en: (slug) => ({
    title: createWorkingTitle(slug),
    summary: 'One or two sentences on what the essay is about.',
    body: '## First section\n\nStart writing here. README, “Writing an essay”, lists the Markdown and components you can use.\n',
  }),
};

/** A new essay's files: valid frontmatter (a draft dated today) and a starting body, one per language. */
export function createEssayFiles(options: ScaffoldOptions): Partial<Record<`${Locale}.mdx`, string>> {
  const files: Partial<Record<`${Locale}.mdx`, string>> = {};
  for (const locale of options.locales) {
    const text = placeholders[locale](options.slug);
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
