import { readFileSync, rmSync } from 'node:fs';
import { glob, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localeKeys, locales, type Locale } from '../../i18n/locales.ts';
import { isIndexedByCharacter, prepareHtmlForCharacterIndex } from './character-index.ts';
import { getSearchBundlePath, getSearchPagesGlob } from './search-bundles.ts';

/** Pagefind's ready-made interfaces, written into every bundle; duizhao has its own, so they are not shipped. */
const unusedBundleFiles = [
  'pagefind-ui.js',
  'pagefind-ui.css',
  'pagefind-modular-ui.js',
  'pagefind-modular-ui.css',
  'pagefind-component-ui.js',
  'pagefind-component-ui.css',
  'pagefind-highlight.js',
];

export interface SearchIndexReport {
  locale: Locale;
  /** Pages read, with or without an essay in them. */
  fileCount: number;
  /** Pages whose essay went into the index. */
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
  return Promise.all(localeKeys.map((locale) => buildSearchIndex(root, locale)));
}

type Pagefind = typeof import('pagefind');

/**
 * Pagefind runs one service process per module instance, and that process works through its
 * indexes one after the other. Each language gets an instance of its own (the same module under
 * another URL), so the two indexes are built at once, on two cores.
 */
function loadPagefindInstance(name: string): Promise<Pagefind> {
  const url = new URL(import.meta.resolve('pagefind'));
  url.searchParams.set('instance', name);
  return importNatively(url.href) as Promise<Pagefind>;
}

/** Node's own import(), not the build's module runner (which has closed by the time the build is done, and ignores the URL's query). */
const importNatively = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function buildSearchIndex(root: string, locale: Locale): Promise<SearchIndexReport> {
  const started = performance.now();
  const pagefind = await loadPagefindInstance(locale);
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
    const added = isIndexedByCharacter(locales[locale].tag)
      ? await addPagesByCharacter(index, root, getSearchPagesGlob(locale))
      : await index.addDirectory({ path: root, glob: getSearchPagesGlob(locale) });
    if (added.errors.length > 0) throw new Error(`Pagefind could not index the ${locale} pages: ${added.errors.join('; ')}`);
    const outputPath = join(root, getSearchBundlePath(locale));
    const written = await index.writeFiles({ outputPath });
    if (written.errors.length > 0) throw new Error(`Pagefind could not write the ${locale} index: ${written.errors.join('; ')}`);
    for (const file of unusedBundleFiles) rmSync(join(outputPath, file), { force: true });
    await index.deleteIndex();
    return { locale, fileCount: added.page_count, pageCount: readIndexedPageCount(outputPath), milliseconds: performance.now() - started };
  } finally {
    await pagefind.close();
  }
}

type PagefindIndex = NonNullable<Awaited<ReturnType<Pagefind['createIndex']>>['index']>;

/**
 * Hands Pagefind each page of a character-indexed language as prepareHtmlForCharacterIndex
 * rewrites it, under its own path (Pagefind makes the result URL from it, as it does for a
 * folder). The built files stay as they are. Pages go in one at a time, in path order: Pagefind
 * numbers them in the order they arrive, so pages handed over side by side made a different
 * index on every build, and an incremental build could not be checked against a clean one
 * (tests/build/incremental.test.ts). The next page is read while Pagefind takes the current one.
 */
async function addPagesByCharacter(index: PagefindIndex, root: string, pattern: string): Promise<{ page_count: number; errors: string[] }> {
  const sourcePaths = (await Array.fromAsync(glob(pattern, { cwd: root }))).sort();
  const readPage = (sourcePath: string) => {
    const page = readFile(join(root, sourcePath), 'utf8').then(prepareHtmlForCharacterIndex);
    // Awaited on the next turn of the loop; until then a failed read must not count as unhandled.
    page.catch(() => undefined);
    return page;
  };
  const errors: string[] = [];
  let upcoming = sourcePaths[0] === undefined ? undefined : readPage(sourcePaths[0]);
  for (const [position, sourcePath] of sourcePaths.entries()) {
    const content = await (upcoming ?? readPage(sourcePath));
    const nextPath = sourcePaths[position + 1];
    upcoming = nextPath === undefined ? undefined : readPage(nextPath);
    const added = await index.addHTMLFile({ sourcePath, content });
    errors.push(...added.errors.map((error) => `${sourcePath}: ${error}`));
  }
  return { page_count: sourcePaths.length, errors };
}

/** How many pages a written bundle holds, from its entry file. */
function readIndexedPageCount(bundleDir: string): number {
  const entry = JSON.parse(readFileSync(join(bundleDir, 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  return Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0);
}
