import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localeKeys } from '../i18n/locales.ts';

const frontmatterPattern = /^---\r?\n([\s\S]*?)\r?\n---/;

/** Reads `draft: true` from an MDX file's frontmatter without a YAML parser (the schema validates it properly later). */
export function isDraftSource(source: string): boolean {
  const frontmatter = frontmatterPattern.exec(source)?.[1] ?? '';
  return /^draft:\s*true\s*(#.*)?$/m.test(frontmatter);
}

/**
 * Paths of essay pages that exist only as "not translated yet" notices: the sitemap
 * leaves them out. Read from the file system because the sitemap is configured before
 * content collections load.
 */
export function listUnpublishedEssayPaths(essaysDir: string, options: { includeDrafts: boolean }): Set<string> {
  const paths = new Set<string>();
  if (!existsSync(essaysDir)) return paths;
  for (const slug of readdirSync(essaysDir, { withFileTypes: true })) {
    if (!slug.isDirectory()) continue;
    const published = localeKeys.filter((locale) => {
      const file = join(essaysDir, slug.name, `${locale}.mdx`);
      if (!existsSync(file)) return false;
      return options.includeDrafts || !isDraftSource(readFileSync(file, 'utf8'));
    });
    if (published.length === 0) continue;
    for (const locale of localeKeys) {
      if (!published.includes(locale)) paths.add(`/${locale}/essays/${slug.name}/`);
    }
  }
  return paths;
}
