import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { localeKeys } from '../i18n/locales.ts';
import { getCatalogLocales, type CatalogEssay } from './essay-catalog.ts';

const frontmatterPattern = /^---\r?\n([\s\S]*?)\r?\n---/;

/** Reads `draft: true` from an MDX file's frontmatter without a YAML parser (the schema validates it properly later). */
export function isDraftSource(source: string): boolean {
  const frontmatter = frontmatterPattern.exec(source)?.[1] ?? '';
  return /^draft:\s*true\s*(#.*)?$/m.test(frontmatter);
}

/** title and draft from an MDX file's frontmatter; the content collection's schema validates the rest. */
function readVersionHeader(source: string): { title: string; draft: boolean } | undefined {
  const frontmatter = frontmatterPattern.exec(source)?.[1];
  let data: unknown;
  try {
    data = frontmatter === undefined ? undefined : parse(frontmatter);
  } catch {
    return undefined; // the content collection reports broken YAML, naming the file
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { title, draft } = data as { title?: unknown; draft?: unknown };
  return typeof title === 'string' ? { title, draft: draft === true } : undefined;
}

/**
 * Essays with a visible version (drafts count only with `includeDrafts`), read from
 * `<essaysDir>/<slug>/<locale>.mdx`, sorted by slug. Read from the file system because the
 * sitemap is configured, and the server bundle built, without content collections.
 */
export function readEssayCatalog(essaysDir: string, options: { includeDrafts: boolean }): CatalogEssay[] {
  if (!existsSync(essaysDir)) return [];
  const catalog: CatalogEssay[] = [];
  for (const folder of readdirSync(essaysDir, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    const essay: CatalogEssay = { slug: folder.name, titles: {} };
    for (const locale of localeKeys) {
      const file = join(essaysDir, folder.name, `${locale}.mdx`);
      const version = existsSync(file) ? readVersionHeader(readFileSync(file, 'utf8')) : undefined;
      if (version && (options.includeDrafts || !version.draft)) essay.titles[locale] = version.title;
    }
    if (getCatalogLocales(essay).length > 0) catalog.push(essay);
  }
  return catalog.sort((a, b) => a.slug.localeCompare(b.slug));
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
