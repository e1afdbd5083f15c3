/**
 * `npm run backup -- <file>`: a consistent copy of COMMENTS_DB, safe while the server runs, written
 * under a temporary name, checked (integrity, migrations) and then renamed to <file>.
 * D1 needs no such command: Cloudflare keeps its history (Time Travel; README, "Backups").
 */
import { join } from 'node:path';
import { readMigrationFiles } from '../src/lib/comments/cli-database.ts';
import { readCommentsConfig } from '../src/lib/comments/config.ts';
import { backupDatabase, d1BackupNote, describeDatabaseFile } from '../src/lib/db/sqlite-backup.ts';

const usage = 'Usage: npm run -s backup -- <file>   (copies COMMENTS_DB, default data/comments.db)';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--d1')) throw new Error(d1BackupNote);
  const [file, ...extra] = args;
  if (!file || file.startsWith('-') || extra.length > 0) {
    console.error(usage);
    return 2;
  }
  const { databasePath } = readCommentsConfig(process.env);
  const summary = await backupDatabase(databasePath, file, readMigrationFiles(join(import.meta.dirname, '..')));
  console.log(`Backed up ${databasePath} to ${file}: ${describeDatabaseFile(summary)}.`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
