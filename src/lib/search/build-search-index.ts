import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { localeKeys, type Locale } from '../../i18n/locales.ts';
import { getSearchBundlePath, getSearchPagesGlob } from './search-bundles.ts';

export interface SearchIndexReport {
  locale: Locale;
  pageCount: number;
  milliseconds: number;
}

/**
 * Indexes the built essays of each language into its own Pagefind bundle under `clientDir`.
 * Only elements marked `data-pagefind-body` are indexed (the essay article), so list pages,
 * notices and anything rendered outside the article never reach the index.
 */
export async function buildSearchIndexes(clientDir: string | URL): Promise<SearchIndexReport[]> {
  const root = typeof clientDir === 'string' ? clientDir : fileURLToPath(clientDir);
  const reports: SearchIndexReport[] = [];
  try {
    for (const locale of localeKeys) {
      const started = performance.now();
      const { index, errors } = await pagefind.createIndex({});
      if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
      const added = await index.addDirectory({ path: root, glob: getSearchPagesGlob(locale) });
      if (added.errors.length > 0) throw new Error(`Pagefind could not index the ${locale} pages: ${added.errors.join('; ')}`);
      const written = await index.writeFiles({ outputPath: join(root, getSearchBundlePath(locale)) });
      if (written.errors.length > 0) throw new Error(`Pagefind could not write the ${locale} index: ${written.errors.join('; ')}`);
      await index.deleteIndex();
      reports.push({ locale, pageCount: added.page_count, milliseconds: performance.now() - started });
    }
  } finally {
    await pagefind.close();
  }
  return reports;
}
