import type { SqlDriver, SqlStatement } from './sql-driver.ts';

/** One numbered SQL file of ./migrations: the whole site's schema (comments, moderation, signals), one step. */
export interface Migration {
  id: number;
  name: string;
  /** `0001_init.sql`: how wrangler records it in D1's `d1_migrations` table. */
  fileName: string;
  sql: string;
}

/** Turns `{ './migrations/0001_init.sql': text }` into migrations ordered by number. */
export function parseMigrationFiles(files: Record<string, string>): Migration[] {
  return Object.entries(files)
    .map(([path, sql]) => {
      const match = /(\d+)_([\w-]+)\.sql$/.exec(path);
      if (!match?.[1] || !match[2]) throw new Error(`Migration file "${path}" must be named NNNN_name.sql`);
      return { id: Number(match[1]), name: match[2], fileName: match[0], sql };
    })
    .sort((a, b) => a.id - b.id);
}

/** Splits a migration into statements: each ends with `;` at the end of a line; `--` comments are dropped. */
function splitSqlStatements(sql: string): string[] {
  return sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trimEnd())
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter(Boolean);
}

/** Applies the migrations not applied yet, each in one batch together with its bookkeeping row. */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[]): Promise<void> {
  await driver.run(
    'CREATE TABLE IF NOT EXISTS comment_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const readApplied = async () => new Set((await driver.all<{ id: number }>('SELECT id FROM comment_migrations')).map((row) => row.id));
  const applied = await readApplied();
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    const statements: SqlStatement[] = splitSqlStatements(migration.sql).map((sql) => ({ sql }));
    statements.push({
      sql: 'INSERT INTO comment_migrations (id, name, applied_at) VALUES (?1, ?2, ?3)',
      params: [migration.id, migration.name, Date.now()],
    });
    try {
      await driver.batch(statements);
    } catch (error) {
      // Another process may have applied it a moment ago; that is fine, anything else is not.
      if (!(await readApplied()).has(migration.id)) throw error;
    }
  }
}

/**
 * On D1 the schema is applied by `wrangler d1 migrations apply`, which records each file in
 * `d1_migrations`; a Worker must not race other isolates to migrate, so it only checks, and says
 * which command to run when a migration is missing.
 */
export async function checkWranglerMigrations(driver: SqlDriver, migrations: readonly Migration[]): Promise<void> {
  const table = await driver.get<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'");
  const applied = table
    ? new Set((await driver.all<{ name: string }>('SELECT name FROM d1_migrations')).map((row) => row.name))
    : new Set<string>();
  const missing = migrations.filter((migration) => !applied.has(migration.fileName)).map((migration) => migration.fileName);
  if (missing.length > 0) {
    throw new Error(
      `The D1 database lacks migration(s) ${missing.join(', ')}: run \`npx wrangler d1 migrations apply DB --local\` (or --remote) first`,
    );
  }
}
