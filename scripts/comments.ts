/**
 * `npm run -s comments -- export > site.json` writes the whole site's data (format in README,
 * "Export and import"); `npm run comments -- import site.json [--replace]` brings a file back in one
 * transaction, or nothing. Comments-only files of earlier versions still import (added to what is there).
 * Uses COMMENTS_DB, or with `--d1 local|remote` the Cloudflare target's D1 database.
 */
import '../src/lib/load-env.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCommentStore } from '../src/lib/comments/store.ts';
import { d1Usage, describeDatabaseTarget, openDatabaseTarget, readDatabaseTarget } from '../src/lib/db/cli-database.ts';
import { formatSiteExport, importSite, exportSite, parseImportFile, type ImportFile } from '../src/lib/db/site-export.ts';

const usage = `Usage: npm run -s comments -- export > site.json | import <file.json> [--replace]  [${d1Usage}]`;

const formatRows = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([name, rows]) => `${name} ${rows}`)
    .join(', ');
const countRows = (counts: Record<string, number>) => {
  const rows = Object.values(counts).reduce((sum, tableRows) => sum + tableRows, 0);
  return `${rows} row${rows === 1 ? '' : 's'}`;
};

/** The file as text, refused when it is not UTF-8 (a wrong byte would otherwise come in as U+FFFD). */
function readImportFile(file: string): ImportFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file} is not UTF-8 text.`);
  }
  return parseImportFile(text);
}

async function main(): Promise<number> {
  const { target, rest } = readDatabaseTarget(process.argv.slice(2), process.env);
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
  const incoming = command === 'import' && file ? readImportFile(file) : undefined;
  if (incoming?.kind === 'comments' && replace)
    throw new Error('--replace is for whole-site exports; a comments-only file is added to the comments already there.');
  const database = await openDatabaseTarget(target, join(import.meta.dirname, '..'));
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
