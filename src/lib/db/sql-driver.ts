/** A value SQLite, D1 and friends all bind and return. */
export type SqlValue = string | number | null;

export interface SqlStatement {
  sql: string;
  params?: readonly SqlValue[];
}

export interface SqlRunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface SqlWriteOptions {
  /**
   * The write may wait a little (tens of milliseconds) for other writes to commit with, instead of
   * committing on its own: for frequent writes nobody reads at once, such as view counts. It still
   * resolves only once committed. A driver without a shared commit ignores it.
   */
  mayWait?: boolean;
}

/**
 * What a database driver must offer; each driver (node:sqlite in sqlite.ts, Cloudflare D1 in d1.ts)
 * is a thin wrapper. `batch` runs its statements in one transaction: all or none.
 */
export interface SqlDriver {
  run(sql: string, params?: readonly SqlValue[]): Promise<SqlRunResult>;
  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  batch(statements: readonly SqlStatement[], options?: SqlWriteOptions): Promise<SqlRunResult[]>;
  /**
   * Optional: a value that changes whenever anyone (this process or another) commits a write,
   * so readers may cache. A driver that cannot tell cheaply leaves it out, and nothing is cached.
   */
  getChangeMarker?(): Promise<string>;
  close(): Promise<void>;
}
