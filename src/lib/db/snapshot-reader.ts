import { DatabaseSync } from 'node:sqlite';
import type { D1DatabaseLike } from './d1.ts';
import type { SqlStatement } from './sql-driver.ts';

/**
 * Runs SELECTs that all see one snapshot of the database, whatever a running server writes
 * meanwhile: an export read table by table in separate reads could hold a reply without its comment.
 */
export type SnapshotReader = (queries: readonly SqlStatement[]) => Promise<Array<Array<Record<string, unknown>>>>;

/**
 * node:sqlite: a connection of its own with one read transaction around the queries (the comment
 * driver reads outside transactions, and its connection is shared with writes). In WAL mode the
 * reader neither waits for the server nor holds it up.
 */
export function createSqliteSnapshotReader(path: string): SnapshotReader {
  return async (queries) => {
    const database = new DatabaseSync(path);
    try {
      database.exec('PRAGMA busy_timeout = 5000');
      database.exec('BEGIN');
      const results = queries.map(({ sql, params = [] }) => database.prepare(sql).all(...params) as Array<Record<string, unknown>>);
      database.exec('COMMIT');
      return results;
    } finally {
      database.close();
    }
  };
}

/** D1: the queries as one batch, which D1 runs as one transaction. */
export function createD1SnapshotReader(database: D1DatabaseLike): SnapshotReader {
  return async (queries) => {
    if (queries.length === 0) return [];
    const statements = queries.map(({ sql, params = [] }) =>
      params.length > 0 ? database.prepare(sql).bind(...params) : database.prepare(sql),
    );
    // D1's batch answers each statement's rows as well (D1Result.results); D1DatabaseLike lists only what the comment driver uses.
    const results = (await database.batch(statements)) as Array<{ results?: Array<Record<string, unknown>> }>;
    return results.map((result) => result.results ?? []);
  };
}
