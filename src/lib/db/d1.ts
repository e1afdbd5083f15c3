import { toBusyErrorIfLocked } from './lock-wait.ts';
import type { SqlDriver, SqlRunResult, SqlValue } from './sql-driver.ts';

/** The part of a Cloudflare D1 prepared statement the driver uses. */
export interface D1StatementLike {
  bind(...values: SqlValue[]): D1StatementLike;
  run(): Promise<{ meta: { changes?: number } }>;
  first<Row>(): Promise<Row | null>;
  all<Row>(): Promise<{ results: Row[] }>;
}

/** The part of a Cloudflare D1 binding (`env.DB`) the driver uses. */
export interface D1DatabaseLike {
  prepare(sql: string): D1StatementLike;
  batch(statements: D1StatementLike[]): Promise<Array<{ meta: { changes?: number } }>>;
}

/** D1's error for a lock held by another connection ("database is locked", SQLITE_BUSY) becomes DatabaseBusyError. */
async function translateLockErrors<Result>(operation: () => Promise<Result>): Promise<Result> {
  try {
    return await operation();
  } catch (error) {
    throw toBusyErrorIfLocked(error);
  }
}

/**
 * The serverless driver: a Cloudflare D1 binding. D1 commits every statement on its own and runs a
 * `batch` as one transaction, which is what SqlDriver promises. There is no cheap way to learn that
 * another isolate wrote, so it offers no change marker and nothing is cached in memory. D1 waits
 * for locks itself; when it gives up (workerd's local D1 does at once), the error is DatabaseBusyError.
 */
export function createD1Driver(database: D1DatabaseLike): SqlDriver {
  const prepare = (sql: string, params: readonly SqlValue[] = []) => {
    const statement = database.prepare(sql);
    return params.length > 0 ? statement.bind(...params) : statement;
  };
  const toRunResult = (result: { meta: { changes?: number } }): SqlRunResult => ({ changes: result.meta.changes ?? 0 });

  return {
    run: (sql, params) => translateLockErrors(async () => toRunResult(await prepare(sql, params).run())),
    get: <Row>(sql: string, params?: readonly SqlValue[]) =>
      translateLockErrors(async () => (await prepare(sql, params).first<Row>()) ?? undefined),
    all: <Row>(sql: string, params?: readonly SqlValue[]) =>
      translateLockErrors(async () => (await prepare(sql, params).all<Row>()).results),
    batch: (statements) =>
      translateLockErrors(async () => {
        if (statements.length === 0) return [];
        const results = await database.batch(statements.map(({ sql, params }) => prepare(sql, params)));
        return results.map(toRunResult);
      }),
    async close() {
      // The binding belongs to the Worker (or to wrangler's platform proxy), which closes it.
    },
  };
}
