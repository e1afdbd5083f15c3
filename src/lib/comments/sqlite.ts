import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqlDriver, SqlRunResult, SqlValue } from './store.ts';

/**
 * The embedded driver: Node's built-in SQLite. WAL with synchronous=FULL, so a write that
 * returned survives the process being killed (and the machine losing power). The database
 * calls are synchronous; the async interface is what D1 and other drivers need.
 */
export function createSqliteDriver(path: string): SqlDriver {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new DatabaseSync(path);
  // busy_timeout first: another process (a second server, a test) may hold the lock while we set up.
  database.exec('PRAGMA busy_timeout = 5000');
  database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA synchronous = FULL');
  database.exec('PRAGMA foreign_keys = ON');

  const prepared = new Map<string, StatementSync>();
  function prepare(sql: string): StatementSync {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      prepared.set(sql, statement);
    }
    return statement;
  }
  const bind = (params: readonly SqlValue[] = []) => params as SQLInputValue[];
  function runNow(sql: string, params?: readonly SqlValue[]): SqlRunResult {
    return { changes: Number(prepare(sql).run(...bind(params)).changes) };
  }

  return {
    async run(sql, params) {
      return runNow(sql, params);
    },
    async get<Row>(sql: string, params?: readonly SqlValue[]) {
      return prepare(sql).get(...bind(params)) as Row | undefined;
    },
    async all<Row>(sql: string, params?: readonly SqlValue[]) {
      return prepare(sql).all(...bind(params)) as Row[];
    },
    async batch(statements) {
      database.exec('BEGIN IMMEDIATE');
      try {
        const results = statements.map(({ sql, params }) => runNow(sql, params));
        database.exec('COMMIT');
        return results;
      } catch (error) {
        if (database.isTransaction) database.exec('ROLLBACK');
        throw error;
      }
    },
    async close() {
      prepared.clear();
      if (database.isOpen) database.close();
    },
  };
}
