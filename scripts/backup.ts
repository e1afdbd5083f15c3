/**
 * `npm run backup -- <file>`: a consistent copy of COMMENTS_DB, safe while the server runs, written
 * under a temporary name, checked (integrity, migrations) and then renamed to <file>.
 * `npm run restore -- <file>`: puts such a copy in place of COMMENTS_DB, with the server stopped;
 * refuses a file that is not a sound duizhao database or comes from a newer version, migrates an
 * older one forward, swaps the files atomically and keeps the replaced one as <COMMENTS_DB>.before-restore.
 * Neither takes --d1: D1 keeps its own history (Time Travel; README, "Backups").
 */
import { join } from 'node:path';
import { readMigrationFiles } from '../src/lib/db/cli-database.ts';
import { backupDatabase, d1BackupNote, describeDatabaseFile, restoreDatabase } from '../src/lib/db/sqlite-backup.ts';
import { readSiteConfig } from '../src/lib/server-config.ts';

const usages = {
  backup: 'Usage: npm run -s backup -- <file>   (copies COMMENTS_DB, default data/comments.db)',
  restore: 'Usage: npm run restore -- <file>   (replaces COMMENTS_DB, default data/comments.db; stop the server first)',
};

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (command !== 'backup' && command !== 'restore') {
    console.error(`${usages.backup}\n${usages.restore}`);
    return 2;
  }
  if (args.includes('--d1')) throw new Error(d1BackupNote);
  const [file, ...extra] = args;
  if (!file || file.startsWith('-') || extra.length > 0) {
    console.error(usages[command]);
    return 2;
  }
  const { databasePath } = readSiteConfig(process.env);
  const migrations = readMigrationFiles(join(import.meta.dirname, '..'));
  if (command === 'backup') {
    const summary = await backupDatabase(databasePath, file, migrations);
    console.log(`Backed up ${databasePath} to ${file}: ${describeDatabaseFile(summary)}.`);
    return 0;
  }
  const { summary, backupSchemaVersion, previousPath } = await restoreDatabase(file, databasePath, migrations);
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
