import type { Migration } from './migrate.ts';
import type { SqlDriver } from './sql-driver.ts';

export interface DatabaseHealth {
  status: 'ok' | 'error';
  /** `ok`, or why the database did not answer. */
  database: string;
  /** `current`, or which migrations are missing (`missing: 0005_view_networks.sql`), or `unknown` when the database did not answer. */
  migrations: string;
}

/**
 * Whether the database answers and has every migration this build knows (as recorded by
 * `migrate()` in `comment_migrations`). Reads only, so a health probe never takes the write lock.
 */
export async function checkDatabaseHealth(driver: SqlDriver, migrations: readonly Migration[]): Promise<DatabaseHealth> {
  let applied: Set<number>;
  try {
    const table = await driver.get<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'comment_migrations'");
    applied = new Set(table ? (await driver.all<{ id: number }>('SELECT id FROM comment_migrations')).map((row) => Number(row.id)) : []);
  } catch (error) {
    return { status: 'error', database: `unreachable: ${error instanceof Error ? error.message : String(error)}`, migrations: 'unknown' };
  }
  const missing = migrations.filter((migration) => !applied.has(migration.id)).map((migration) => migration.fileName);
  return missing.length === 0
    ? { status: 'ok', database: 'ok', migrations: 'current' }
    : { status: 'error', database: 'ok', migrations: `missing: ${missing.join(', ')}` };
}
