import type { SqlDriver, SqlRunResult, SqlValue } from './store.ts';

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

/**
 * The serverless driver: a Cloudflare D1 binding. D1 commits every statement on its own and runs a
 * `batch` as one transaction, which is what SqlDriver promises. There is no cheap way to learn that
 * another isolate wrote, so it offers no change marker and nothing is cached in memory.
 */
export function createD1Driver(database: D1DatabaseLike): SqlDriver {
  const prepare = (sql: string, params: readonly SqlValue[] = []) => {
    const statement = database.prepare(sql);
    return params.length > 0 ? statement.bind(...params) : statement;
  };
  const toRunResult = (result: { meta: { changes?: number } }): SqlRunResult => ({ changes: result.meta.changes ?? 0 });

  return {
    async run(sql, params) {
      return toRunResult(await prepare(sql, params).run());
    },
    async get<Row>(sql: string, params?: readonly SqlValue[]) {
      return (await prepare(sql, params).first<Row>()) ?? undefined;
    },
    async all<Row>(sql: string, params?: readonly SqlValue[]) {
      return (await prepare(sql, params).all<Row>()).results;
    },
    async batch(statements) {
      if (statements.length === 0) return [];
      const results = await database.batch(statements.map(({ sql, params }) => prepare(sql, params)));
      return results.map(toRunResult);
    },
    async close() {
      // The binding belongs to the Worker (or to wrangler's platform proxy), which closes it.
    },
  };
}
