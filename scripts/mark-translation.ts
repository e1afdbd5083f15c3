/**
 * npm run translation:mark -- <slug> <lang>
 * Marks content/essays/<slug>/<lang>.mdx as translated from the current version in the other language.
 */
import '../src/lib/load-env.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getCounterpartLocale, isLocale, localeKeys } from '../src/i18n/locales.ts';
import { contentPaths } from '../src/lib/authoring/content-files.ts';
import { markTranslation } from '../src/lib/authoring/translation-mark.ts';

const usage = `Usage: npm run translation:mark -- <slug> <${localeKeys.join('|')}>
  Marks <lang>.mdx as translated from the current text of the other language.
  Example: npm run translation:mark -- after-the-deadline en`;

function main(): number {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ allowPositionals: true, options: {} }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const [slug, lang, ...extra] = positionals;
  if (!slug || !lang || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  if (!isLocale(lang)) {
    console.error(`Unknown language “${lang}”: use ${localeKeys.join(' or ')}.\n${usage}`);
    return 2;
  }
  // A translation is marked against one original: the counterpart locale the site pairs it with.
  const originalLocale = getCounterpartLocale(lang);
  const folder = join(contentPaths.essays, slug);
  const translationPath = join(folder, `${lang}.mdx`);
  const originalPath = join(folder, `${originalLocale}.mdx`);
  for (const path of [translationPath, originalPath]) {
    if (!existsSync(path)) {
      console.error(`${path} does not exist: translation:mark needs both versions of the essay.`);
      return 1;
    }
  }
  let result;
  try {
    result = markTranslation(readFileSync(translationPath, 'utf8'), readFileSync(originalPath, 'utf8'), originalLocale);
  } catch (error) {
    console.error(`${translationPath}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (!result.changed) {
    console.log(`${translationPath} already records ${originalLocale} revision ${result.revision}: nothing to do.`);
    return 0;
  }
  writeFileSync(translationPath, result.source);
  console.log(`Marked ${translationPath} as translated from ${originalPath} (revision ${result.revision}).`);
  return 0;
}

process.exitCode = main();
