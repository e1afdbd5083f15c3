/**
 * npm run new -- <slug> [--lang zh|en]
 * Creates content/essays/<slug>/ with a draft in both languages (or one) and prints where to preview it.
 */
import '../src/lib/load-env.ts';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultLocale, isLocale, localeKeys, type Locale } from '../src/i18n/locales.ts';
import { contentPaths, readContentSnapshot } from '../src/lib/authoring/content-files.ts';
import { describeInvalidSlug, EssayFolderExistsError, writeEssayFolder } from '../src/lib/authoring/essay-folder.ts';
import { createEssayFiles, formatLocalDate } from '../src/lib/authoring/scaffold.ts';
import { getEssayPath } from '../src/lib/authoring/links.ts';
import { defaultAuthorId } from '../src/lib/essay-schema.ts';

const usage = `Usage: npm run new -- <slug> [--lang ${localeKeys.join('|')}]
  Creates content/essays/<slug>/ with a draft in both languages, or only in --lang.
  Example: npm run new -- after-the-deadline`;

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { lang: { type: 'string' }, help: { type: 'boolean' } } });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(usage);
    return 0;
  }
  const [slug, ...extra] = parsed.positionals;
  if (slug === undefined || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  const lang = parsed.values.lang;
  if (lang !== undefined && !isLocale(lang)) {
    console.error(`Unknown language “${lang}”: use ${localeKeys.join(' or ')}.`);
    return 2;
  }
  const invalid = describeInvalidSlug(slug);
  if (invalid) {
    console.error(`Cannot create the essay: ${invalid}. Nothing was written.`);
    return 1;
  }
  const locales: Locale[] = lang ? [lang] : localeKeys;
  const snapshot = readContentSnapshot(process.cwd());
  const categoryId = snapshot.categories[0]?.id;
  if (!categoryId) {
    console.error(`${contentPaths.categories} has no category to start from. Nothing was written.`);
    return 1;
  }
  const authorIds = snapshot.authors.map((author) => author.id);
  const authorId = authorIds.includes(defaultAuthorId) ? defaultAuthorId : (authorIds[0] ?? defaultAuthorId);
  const files = createEssayFiles({ slug, locales, date: formatLocalDate(new Date()), categoryId, authorId });
  try {
    writeEssayFolder(contentPaths.essays, slug, files);
  } catch (error) {
    if (error instanceof EssayFolderExistsError) {
      console.error(`Cannot create the essay: ${error.folder} already exists. Choose another slug. Nothing was written.`);
      return 1;
    }
    throw error;
  }
  for (const name of Object.keys(files)) console.log(`Created ${join(contentPaths.essays, slug, name)}`);
  const previewLocale = locales.includes(defaultLocale) ? defaultLocale : locales[0];
  if (previewLocale) console.log(`Preview: npm run dev, then open http://localhost:4321${getEssayPath(previewLocale, slug)}`);
  console.log(`It is a draft (draft: true): it shows in npm run dev and stays out of the production build until you remove that line.`);
  return 0;
}

process.exitCode = main();
