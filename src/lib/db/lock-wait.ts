// No Node imports: the D1 driver, which runs in a Worker, shares this module.
import { DatabaseBusyError } from './errors.ts';

// SQLITE_BUSY; extended codes (SQLITE_BUSY_RECOVERY, _SNAPSHOT, _TIMEOUT) keep it in the low byte.
const sqliteBusy = 5;

/**
 * Whether a database error means that another connection holds a lock this one needs: node:sqlite's
 * SQLITE_BUSY (its `errcode`), or D1's error text for it ("database is locked", "SQLITE_BUSY").
 */
export function isLockHeldElsewhere(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { errcode } = error as Error & { errcode?: unknown };
  if (typeof errcode === 'number') return (errcode & 0xff) === sqliteBusy;
  return /\bSQLITE_BUSY\b|\bdatabase is locked\b/i.test(error.message);
}

/** A client waiting this long has given the lock as long again as the server did. */
export function getRetryAfterSeconds(lockWaitMilliseconds: number): number {
  return Math.max(1, Math.ceil(lockWaitMilliseconds / 1000));
}

/** DatabaseBusyError for a lock held elsewhere, keeping the database's own error as its cause. */
export function createBusyError(message: string, retryAfterSeconds: number, cause?: unknown): DatabaseBusyError {
  const error = new DatabaseBusyError(message, retryAfterSeconds);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** The error to pass on: DatabaseBusyError when the lock was held elsewhere, the error itself otherwise. */
export function toBusyErrorIfLocked(error: unknown, retryAfterSeconds?: number): unknown {
  if (!isLockHeldElsewhere(error) || error instanceof DatabaseBusyError) return error;
  const message = `the database is busy: another connection holds its lock (${error instanceof Error ? error.message : String(error)})`;
  return createBusyError(message, retryAfterSeconds ?? new DatabaseBusyError().retryAfterSeconds, error);
}

/**
 * The wait before the next try on a lock held elsewhere: short at first, since most locks are another
 * connection's commit of a few milliseconds, then every 25 ms, so a write follows within 25 ms of
 * the lock's release. A failed try costs microseconds, so trying often is cheap.
 */
export function getLockRetryDelay(attempt: number): number {
  return Math.min(2 ** attempt, 25);
}

/**
 * Runs a synchronous database operation (node:sqlite) and, while it meets a lock held elsewhere,
 * runs it again after a timer: the event loop keeps serving meanwhile, where SQLite's own busy
 * handler would sleep on it. After `lockWaitMilliseconds` it gives up with DatabaseBusyError.
 * Hand-written rather than p-retry: the write queue (sqlite.ts) must schedule its own retries to
 * keep its group commit, and both share one delay schedule and one meaning of "busy". Not async:
 * the first try runs at once and costs a read no more than the promise it returns anyway.
 */
export function retryWhileLocked<Result>(operation: () => Result, lockWaitMilliseconds: number, description: string): Promise<Result> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    if (!isLockHeldElsewhere(error)) return Promise.reject(error);
    return retryLater(operation, Date.now() + lockWaitMilliseconds, lockWaitMilliseconds, description, error);
  }
}

async function retryLater<Result>(
  operation: () => Result,
  givesUpAt: number,
  lockWaitMilliseconds: number,
  description: string,
  firstError: unknown,
): Promise<Result> {
  let lastError = firstError;
  for (let attempt = 0; ; attempt += 1) {
    const remaining = givesUpAt - Date.now();
    if (remaining <= 0) {
      throw createBusyError(
        `${description}: another connection held the lock for ${lockWaitMilliseconds} ms`,
        getRetryAfterSeconds(lockWaitMilliseconds),
        lastError,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(getLockRetryDelay(attempt), remaining)));
    try {
      return operation();
    } catch (error) {
      if (!isLockHeldElsewhere(error)) throw error;
      lastError = error;
    }
  }
}
