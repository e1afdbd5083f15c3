/**
 * npm run import -- <file.md> [--slug <slug>] [--force]
 * Turns an existing Markdown article (a GitBook-style export, or one document with a Chinese
 * and an English part) into a draft essay folder, and reports what it dropped and could not convert.
 */
import '../src/lib/load-env.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultLocale } from '../src/i18n/locales.ts';
import { checkNewEssay } from '../src/lib/authoring/content-check.ts';
import { contentPaths, readContentSnapshot } from '../src/lib/authoring/content-files.ts';
import { formatDiagnostic } from '../src/lib/authoring/diagnostics.ts';
import { describeInvalidSlug, EssayFolderExistsError, writeEssayFolder } from '../src/lib/authoring/essay-folder.ts';
import { importDocument, importedCategoryId } from '../src/lib/authoring/import/import-document.ts';
import { formatImportReport } from '../src/lib/authoring/import/report.ts';
import { getEssayPath } from '../src/lib/authoring/links.ts';
import { formatLocalDate } from '../src/lib/authoring/scaffold.ts';

const usage = `Usage: npm run import -- <file.md> [--slug <slug>] [--force]
  Writes content/essays/<slug>/ as a draft in category “${importedCategoryId}”.
  --slug   the essay's folder and URL name (default: from the English title, else the file name)
  --force  replace an existing essay folder
  Example: npm run import -- ~/exports/article.md --slug who-welcomed-them`;

/** Far more than any essay (the longest demo essay is under 30 kB); larger files are not one article. */
const maximumBytes = 2_000_000;

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { slug: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(usage);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    console.error(`Cannot import ${file}: no such file. Nothing was written.`);
    return 1;
  }
  const slugOption = parsed.values.slug;
  const invalidOption = slugOption === undefined ? undefined : describeInvalidSlug(slugOption);
  if (invalidOption) {
    console.error(`Cannot import: ${invalidOption}. Nothing was written.`);
    return 1;
  }
  const size = statSync(file).size;
  if (size > maximumBytes) {
    console.error(
      `Cannot import ${file}: it is ${(size / 1e6).toFixed(1)} MB, more than an essay (the limit is ${maximumBytes / 1e6} MB). Check it is the article, or split it. Nothing was written.`,
    );
    return 1;
  }
  let source: string;
  try {
    // Fatal decoding: a GBK or binary file would otherwise import as mojibake without a word.
    source = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
    // NUL is valid UTF-8, but only binary files and UTF-16 text contain it.
    if (source.includes('\0')) throw new TypeError('NUL byte');
  } catch {
    console.error(
      `Cannot import ${file}: it is not UTF-8 text (an export saved as GBK can be converted with: iconv -f GBK -t UTF-8 ${basename(file)} > ${basename(file, extname(file))}.utf8${extname(file)}). Nothing was written.`,
    );
    return 1;
  }
  if (source.trim() === '') {
    console.error(`Cannot import ${file}: the file is empty. Nothing was written.`);
    return 1;
  }
  const snapshot = readContentSnapshot(process.cwd());
  if (!snapshot.categories.some((category) => category.id === importedCategoryId)) {
    console.error(
      `Cannot import: ${contentPaths.categories} has no “${importedCategoryId}” category for imported essays. Add it first. Nothing was written.`,
    );
    return 1;
  }
  let result: ReturnType<typeof importDocument>;
  try {
    result = importDocument(source, {
      tags: snapshot.tags,
      authors: snapshot.authors,
      today: formatLocalDate(new Date()),
      fileName: basename(file),
      slug: slugOption,
    });
  } catch (error) {
    // Thousands of quotes or lists inside each other exhaust the stack of every Markdown tool, the site's build included.
    if (!(error instanceof RangeError)) throw error;
    console.error(`Cannot import ${file}: its quotes or lists are nested too deeply to convert (${error.message}). Nothing was written.`);
    return 1;
  }
  const folder = join(contentPaths.essays, result.slug);
  if (existsSync(folder) && !parsed.values.force) {
    console.error(`Cannot import: ${folder} already exists. Choose another --slug, or add --force to replace it. Nothing was written.`);
    return 1;
  }
  const diagnostics = checkNewEssay(snapshot, result.slug, result.files);
  const broken = diagnostics.filter(
    (diagnostic) => diagnostic.level === 'error' && (diagnostic.rule === 'frontmatter' || diagnostic.rule === 'mdx'),
  );
  if (broken.length > 0) {
    console.error(`The importer produced files the site would refuse; nothing was written. Please report this with the source file:`);
    for (const diagnostic of broken) console.error(`  ${formatDiagnostic(diagnostic)}`);
    return 1;
  }
  try {
    writeEssayFolder(contentPaths.essays, result.slug, result.files, { force: parsed.values.force });
  } catch (error) {
    if (error instanceof EssayFolderExistsError) {
      console.error(`Cannot import: ${error.folder} already exists. Add --force to replace it. Nothing was written.`);
      return 1;
    }
    throw error;
  }
  console.log(formatImportReport(result, { source: file, essaysFolder: contentPaths.essays }));
  if (diagnostics.length > 0) {
    console.log('\nContent check of the new files:');
    for (const diagnostic of diagnostics) console.log(`  ${formatDiagnostic(diagnostic)}`);
  }
  const previewLocale = result.files[`${defaultLocale}.mdx`]
    ? defaultLocale
    : result.layout.kind === 'single'
      ? result.layout.locale
      : result.layout.first;
  console.log(
    `\nNext: review the files, npm run check:content, then npm run dev and open http://localhost:4321${getEssayPath(previewLocale, result.slug)}`,
  );
  return 0;
}

process.exitCode = main();
