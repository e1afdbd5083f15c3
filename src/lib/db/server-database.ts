import { constants, accessSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { migrate, type Migration } from './migrate.ts';
import type { SqlDriver } from './sql-driver.ts';
import { createSqliteDriver } from './sqlite.ts';

/** Where the launcher leaves the open database for the built server's platform module (a separate bundle, so one global slot). */
const slot = Symbol.for('duizhao.serverDatabase');

/** The server process opened the database before it listened: routes use that one connection. */
export function provideServerDatabase(driver: SqlDriver): void {
  (globalThis as Record<symbol, unknown>)[slot] = driver;
}

/** The database the server process opened, if it did (not under `astro dev`). */
export function getProvidedServerDatabase(): SqlDriver | undefined {
  return (globalThis as Record<symbol, unknown>)[slot] as SqlDriver | undefined;
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}

/**
 * Opens the SQLite file, migrates it and proves it can be written (a write that changes nothing),
 * so a server that starts can also store a comment. Throws one line naming the file and the problem.
 */
export async function openServerDatabase(path: string, migrations: readonly Migration[]): Promise<SqlDriver> {
  const file = resolve(path);
  const folder = dirname(file);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new Error(`the database ${path} cannot be written: ${describe(error)}`, { cause: error });
  }
  let driver: SqlDriver | undefined;
  try {
    driver = createSqliteDriver(file);
    await migrate(driver, migrations);
    await driver.batch([{ sql: 'DELETE FROM comment_migrations WHERE id < 0' }]);
    return driver;
  } catch (error) {
    await driver?.close().catch(() => undefined);
    throw new Error(`the database ${path} cannot be opened and written: ${describe(error)}`, { cause: error });
  }
}
