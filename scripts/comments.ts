/**
 * `npm run comments -- export > comments.json` writes every comment (format in README, "Export and import");
 * `npm run comments -- import comments.json` adds a file's comments in one transaction, or none.
 * Uses COMMENTS_DB, or with `--d1 local|remote` the Cloudflare target's D1 database.
 */
import '../src/lib/load-env.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { d1Usage, describeDatabaseTarget, openDatabaseTarget, readDatabaseTarget } from '../src/lib/comments/cli-database.ts';
import { createCommentStore } from '../src/lib/comments/store.ts';
import { parseExportFile, toExportFile } from '../src/lib/comments/transfer.ts';

const usage = `Usage: npm run -s comments -- export > comments.json | import <file.json>  [${d1Usage}]`;

async function main(): Promise<number> {
  const { target, rest } = readDatabaseTarget(process.argv.slice(2), process.env);
  const [command, file] = rest;
  if (command !== 'export' && !(command === 'import' && file)) {
    console.error(usage);
    return 2;
  }
  // Read and check the file before the database is opened: a bad file changes nothing.
  const incoming = command === 'import' && file ? parseExportFile(readFileSync(file, 'utf8')) : undefined;
  const database = await openDatabaseTarget(target, join(import.meta.dirname, '..'));
  try {
    const store = createCommentStore(database.driver);
    if (incoming) {
      try {
        const count = await store.importComments(incoming);
        console.error(`Imported ${count} comments into the ${describeDatabaseTarget(target)}.`);
      } catch (error) {
        throw new Error(`Nothing was imported: ${error instanceof Error ? error.message : String(error)} (does the database hold some of these ids already?)`);
      }
    } else {
      process.stdout.write(`${JSON.stringify(toExportFile(await store.exportComments()), null, 2)}\n`);
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
