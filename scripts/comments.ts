/**
 * `npm run comments -- export > comments.json` writes every comment (format in README, "Export and import");
 * `npm run comments -- import comments.json` adds a file's comments in one transaction, or none. Uses COMMENTS_DB.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCommentsConfig } from '../src/lib/comments/config.ts';
import { createSqliteDriver } from '../src/lib/comments/sqlite.ts';
import { createCommentStore, migrate, parseMigrationFiles } from '../src/lib/comments/store.ts';
import { parseExportFile, toExportFile } from '../src/lib/comments/transfer.ts';

const usage = 'Usage: npm run -s comments -- export > comments.json | import <file.json>';

async function main(): Promise<number> {
  const [command, file] = process.argv.slice(2);
  if (command !== 'export' && !(command === 'import' && file)) {
    console.error(usage);
    return 2;
  }
  // Read and check the file before the database is opened: a bad file changes nothing.
  const incoming = command === 'import' && file ? parseExportFile(readFileSync(file, 'utf8')) : undefined;
  const config = readCommentsConfig(process.env);
  const migrationsDir = join(import.meta.dirname, '..', 'src', 'lib', 'comments', 'migrations');
  const files = Object.fromEntries(readdirSync(migrationsDir).filter((name) => name.endsWith('.sql')).map((name) => [name, readFileSync(join(migrationsDir, name), 'utf8')]));
  const driver = createSqliteDriver(config.databasePath);
  try {
    await migrate(driver, parseMigrationFiles(files));
    const store = createCommentStore(driver);
    if (incoming) {
      try {
        const count = await store.importComments(incoming);
        console.error(`Imported ${count} comments into ${config.databasePath}.`);
      } catch (error) {
        throw new Error(`Nothing was imported: ${error instanceof Error ? error.message : String(error)} (does the database hold some of these ids already?)`);
      }
    } else {
      process.stdout.write(`${JSON.stringify(toExportFile(await store.exportComments()), null, 2)}\n`);
    }
    return 0;
  } finally {
    await driver.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
