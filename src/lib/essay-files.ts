import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isLocale, localeKeys, type Locale } from '../i18n/locales.ts';
import { getCatalogLocales, type CatalogEssay } from './essay-catalog.ts';
import { defaultAuthorId } from './essay-schema.ts';

const frontmatterPattern = /^---\r?\n([\s\S]*?)\r?\n---/;

/** Reads `draft: true` from an MDX file's frontmatter without a YAML parser (the schema validates it properly later). */
export function isDraftSource(source: string): boolean {
  const frontmatter = frontmatterPattern.exec(source)?.[1] ?? '';
  return /^draft:\s*true\s*(#.*)?$/m.test(frontmatter);
}

/** title, draft and author from an MDX file's frontmatter; the content collection's schema validates the rest. */
function readVersionHeader(source: string): { title: string; draft: boolean; author: string } | undefined {
  const frontmatter = frontmatterPattern.exec(source)?.[1];
  let data: unknown;
  try {
    data = frontmatter === undefined ? undefined : parse(frontmatter);
  } catch {
    return undefined; // the content collection reports broken YAML, naming the file
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { title, draft, author } = data as { title?: unknown; draft?: unknown; author?: unknown };
  return typeof title === 'string'
    ? { title, draft: draft === true, author: typeof author === 'string' ? author : defaultAuthorId }
    : undefined;
}

/** Display names by author id, from `<authorsDir>/<id>.json`; a file the build would refuse only lacks names here. */
function readAuthorNames(authorsDir: string): Map<string, Partial<Record<Locale, string>>> {
  const names = new Map<string, Partial<Record<Locale, string>>>();
  if (!existsSync(authorsDir)) return names;
  for (const file of readdirSync(authorsDir)) {
    if (!file.endsWith('.json')) continue;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(authorsDir, file), 'utf8'));
    } catch {
      continue; // the content collection reports broken JSON, naming the file
    }
    const name = typeof data === 'object' && data !== null ? (data as { name?: unknown }).name : undefined;
    if (typeof name !== 'object' || name === null) continue;
    const byLocale = Object.fromEntries(
      Object.entries(name).filter(([key, value]) => isLocale(key) && typeof value === 'string' && value.trim() !== ''),
    );
    names.set(file.slice(0, -'.json'.length), byLocale);
  }
  return names;
}

/**
 * Essays with a visible version (drafts count only with `includeDrafts`), read from
 * `<essaysDir>/<slug>/<locale>.mdx`, sorted by slug. Read from the file system because the
 * sitemap is configured, and the server bundle built, without content collections. With
 * `authorsDir`, each essay also carries its author's display names.
 */
export function readEssayCatalog(essaysDir: string, options: { includeDrafts: boolean; authorsDir?: string }): CatalogEssay[] {
  if (!existsSync(essaysDir)) return [];
  const authors = options.authorsDir === undefined ? undefined : readAuthorNames(options.authorsDir);
  const catalog: CatalogEssay[] = [];
  for (const folder of readdirSync(essaysDir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    const essay: CatalogEssay = { slug: folder.name, titles: {} };
    const authorIds = new Map<Locale, string>();
    for (const locale of localeKeys) {
      const file = join(essaysDir, folder.name, `${locale}.mdx`);
      const version = existsSync(file) ? readVersionHeader(readFileSync(file, 'utf8')) : undefined;
      if (!version || (!options.includeDrafts && version.draft)) continue;
      essay.titles[locale] = version.title;
      authorIds.set(locale, version.author);
    }
    if (getCatalogLocales(essay).length === 0) continue;
    if (authors) essay.authorNames = getAuthorNames(authorIds, authors);
    catalog.push(essay);
  }
  return catalog.sort((a, b) => a.slug.localeCompare(b.slug));
}

/**
 * The author's name in each language: the one the version in that language names, else the one
 * the first published version names (a reply in English under a Chinese-only essay is still
 * signed in English).
 */
function getAuthorNames(
  authorIds: Map<Locale, string>,
  authors: Map<string, Partial<Record<Locale, string>>>,
): Partial<Record<Locale, string>> {
  const names: Partial<Record<Locale, string>> = {};
  const firstId = [...authorIds.values()][0];
  for (const locale of localeKeys) {
    const name = authors.get(authorIds.get(locale) ?? firstId ?? defaultAuthorId)?.[locale];
    if (name !== undefined) names[locale] = name;
  }
  return names;
}

/** Paths of essay pages that exist only as "not translated yet" notices: the sitemap leaves them out. */
export function listUnpublishedEssayPaths(essaysDir: string, options: { includeDrafts: boolean }): Set<string> {
  const paths = new Set<string>();
  for (const essay of readEssayCatalog(essaysDir, options)) {
    const published = getCatalogLocales(essay);
    for (const locale of localeKeys) {
      if (!published.includes(locale)) paths.add(`/${locale}/essays/${essay.slug}/`);
    }
  }
  return paths;
}
