/**
 * `npm run -s comments -- export > site.json` writes the whole site's data (format in README,
 * "Export and import"); `npm run comments -- import site.json [--replace]` brings a file back in one
 * transaction, or nothing. Comments-only files of earlier versions still import (added to what is there).
 * `import --from waline|twikoo|disqus|wordpress <file> [--map <file>] [--author <email>] [--dry-run]`
 * brings in another system's comments (README, "Importing comments from another system").
 * Uses COMMENTS_DB, or with `--d1 local|remote` the Cloudflare target's D1 database.
 */
import '../src/lib/load-env.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCommentStore } from '../src/lib/comments/store.ts';
import { d1Usage, describeDatabaseTarget, openDatabaseTarget, readDatabaseTarget } from '../src/lib/db/cli-database.ts';
import { parseArgs } from 'node:util';
import { formatImportReport, importSystems, mapSourceComments, parseMapFile } from '../src/lib/comments/importers/mapping.ts';
import { isImportSystem, listEssayVersions, parseSourceExport } from '../src/lib/comments/importers/source-import.ts';
import { formatSiteExport, importSite, exportSite, parseImportFile } from '../src/lib/db/site-export.ts';

const usage = `Usage: npm run -s comments -- export > site.json | import <file.json> [--replace] | import --from ${importSystems.join('|')} <file> [--map <file.json>] [--author <email or username>]… [--dry-run]  [${d1Usage}]`;
const projectRoot = join(import.meta.dirname, '..');

const formatRows = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([name, rows]) => `${name} ${rows}`)
    .join(', ');
const countRows = (counts: Record<string, number>) => {
  const rows = Object.values(counts).reduce((sum, tableRows) => sum + tableRows, 0);
  return `${rows} row${rows === 1 ? '' : 's'}`;
};

/** The file as text, refused when it is not UTF-8 (a wrong byte would otherwise come in as U+FFFD). */
function readUtf8File(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file} is not UTF-8 text.`);
  }
}

/**
 * Another system's comments: the report always goes to standard output; with --dry-run nothing more.
 * Any row that cannot come in stops the whole import, so a fixed file (or a --map entry) brings all.
 */
async function importFromSystem(args: string[], target: ReturnType<typeof readDatabaseTarget>['target']): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        map: { type: 'string' },
        author: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
      },
    });
  } catch {
    console.error(usage);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file, ...extra] = positionals;
  if (command !== 'import' || !file || extra.length > 0 || !isImportSystem(values.from)) {
    console.error(usage);
    return 2;
  }
  const system = values.from;
  const known = listEssayVersions(projectRoot);
  const map = values.map ? parseMapFile(readUtf8File(values.map), known) : new Map();
  const authors = new Set((values.author ?? []).map((author) => author.trim().toLowerCase()));
  const source = parseSourceExport(system, readUtf8File(file), authors);
  const result = mapSourceComments(system, source, known, map);
  process.stdout.write(formatImportReport(system, file, source, result));
  if (result.problems.length > 0) {
    console.error(
      `Nothing was imported: ${result.problems.length} row${result.problems.length === 1 ? '' : 's'} cannot be mapped (listed above).`,
    );
    return 1;
  }
  if (values['dry-run']) {
    console.error(`Dry run: nothing was written.`);
    return 0;
  }
  const database = await openDatabaseTarget(target, projectRoot);
  try {
    const count = await createCommentStore(database.driver).importComments(result.comments);
    console.error(`Imported ${count} ${system} comments into the ${describeDatabaseTarget(target)}.`);
    return 0;
  } catch (error) {
    throw new Error(
      `Nothing was imported: ${error instanceof Error ? error.message : String(error)} (was this file imported before? Its ids are already there.)`,
      { cause: error },
    );
  } finally {
    await database.close();
  }
}

async function main(): Promise<number> {
  const { target, rest } = readDatabaseTarget(process.argv.slice(2), process.env);
  if (rest.some((arg) => arg === '--from' || arg.startsWith('--from='))) return importFromSystem(rest, target);
  const replace = rest.includes('--replace');
  const [command, file, ...extra] = rest.filter((arg) => arg !== '--replace');
  if (extra.length > 0 || !((command === 'export' && !file && !replace) || (command === 'import' && file))) {
    console.error(usage);
    return 2;
  }
  // Opening would create an empty database, and a mistyped COMMENTS_DB would pass for an empty site.
  if (command === 'export' && target.kind === 'sqlite' && !existsSync(target.path))
    throw new Error(`There is no database at ${target.path} to export (COMMENTS_DB).`);
  // Read and check the file before the database is opened: a bad file changes nothing.
  const incoming = command === 'import' && file ? parseImportFile(readUtf8File(file)) : undefined;
  if (incoming?.kind === 'comments' && replace)
    throw new Error('--replace is for whole-site exports; a comments-only file is added to the comments already there.');
  const database = await openDatabaseTarget(target, projectRoot);
  const where = describeDatabaseTarget(target);
  try {
    if (!incoming) {
      const exported = await exportSite(database.driver, database.readSnapshot);
      process.stdout.write(formatSiteExport(exported));
      const counts = Object.fromEntries(Object.entries(exported.tables).map(([name, table]) => [name, table.rows.length]));
      const left = Object.keys(exported.omitted);
      console.error(
        `Exported ${countRows(counts)} of ${Object.keys(counts).length} tables from the ${where} (${formatRows(counts)})${left.length > 0 ? `; left out: ${left.join(', ')} (reasons in the file's "omitted")` : ''}.`,
      );
      return 0;
    }
    try {
      if (incoming.kind === 'comments') {
        const count = await createCommentStore(database.driver).importComments(incoming.comments);
        console.error(`Imported ${count} comments (a comments-only file) into the ${where}.`);
      } else {
        const counts = await importSite(database.driver, incoming.file, { shouldReplace: replace });
        console.error(
          `Imported ${countRows(counts)} into ${Object.keys(counts).length} tables of the ${where}${replace ? ', replacing what was there' : ''} (${formatRows(counts)}).`,
        );
      }
    } catch (error) {
      const hint = incoming.kind === 'comments' ? ' (does the database hold some of these ids already?)' : '';
      throw new Error(`Nothing was imported: ${error instanceof Error ? error.message : String(error)}${hint}`, { cause: error });
    }
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
