/**
 * `npm run restore -- <file>`: puts a backup made by `npm run backup` in place of COMMENTS_DB, with
 * the server stopped. Refuses a file that is not a sound duizhao database or comes from a newer
 * version; migrates an older one forward; swaps the files atomically and keeps the replaced
 * database as <COMMENTS_DB>.before-restore.
 */
import { join } from 'node:path';
import { readMigrationFiles } from '../src/lib/comments/cli-database.ts';
import { readCommentsConfig } from '../src/lib/comments/config.ts';
import { restoreDatabase, d1BackupNote, describeDatabaseFile } from '../src/lib/db/sqlite-backup.ts';

const usage = 'Usage: npm run restore -- <file>   (replaces COMMENTS_DB, default data/comments.db; stop the server first)';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--d1')) throw new Error(d1BackupNote);
  const [file, ...extra] = args;
  if (!file || file.startsWith('-') || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  const { databasePath } = readCommentsConfig(process.env);
  const { summary, backupSchemaVersion, previousPath } = await restoreDatabase(file, databasePath, readMigrationFiles(join(import.meta.dirname, '..')));
  const migrated = backupSchemaVersion < summary.schemaVersion ? `, migrated from ${backupSchemaVersion}` : '';
  const kept = previousPath ? `; the database it replaced is kept as ${previousPath}` : '';
  console.log(`Restored ${file} into ${databasePath}: ${describeDatabaseFile(summary)}${migrated}${kept}.`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
