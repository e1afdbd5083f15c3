import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import {
  createBusyError,
  getLockRetryDelay,
  getRetryAfterSeconds,
  isLockHeldElsewhere,
  retryWhileLocked,
  toBusyErrorIfLocked,
} from './lock-wait.ts';
import type { SqlDriver, SqlRunResult, SqlStatement, SqlValue, SqlWriteOptions } from './sql-driver.ts';

interface WriteJob {
  statements: readonly SqlStatement[];
  /** When it stops waiting for a lock held elsewhere (Date.now() time). */
  givesUpAt: number;
  resolve(results: SqlRunResult[]): void;
  reject(error: unknown): void;
}

type WriteOutcome = { isDone: true; results: SqlRunResult[] } | { isDone: false; error: unknown };

/**
 * How long a write that may wait is held for company. Every commit stops the event loop for an
 * fsync, so hundreds of view counts a second, each committed alone, would hold up comment posts;
 * held this long they share a few commits a second, or ride along with a comment's.
 */
export const waitingWriteMilliseconds = 20;
/** Under heavy load the held writes are company enough: this many commit at once without waiting longer. */
const waitingWritesPerCommit = 32;
/**
 * How long a write, a read or opening waits for a lock another process holds (a second server on
 * the same file, `npm run comments -- import`, `sqlite3` in a transaction) before it fails with
 * DatabaseBusyError: long enough for a large import's commit, short enough that a reader gets a
 * "try again" answer before giving up on the page.
 */
export const defaultLockWaitMilliseconds = 4000;

export interface SqliteDriverOptions {
  /** See defaultLockWaitMilliseconds; tests shorten it. */
  lockWaitMilliseconds?: number;
}

/**
 * The embedded driver: Node's built-in SQLite. WAL with synchronous=FULL, so a write that
 * resolved survives the process being killed (and the machine losing power).
 *
 * node:sqlite is synchronous, and with synchronous=FULL every commit waits for the disk while
 * the event loop stands still. So writes are group-committed: the writes that arrive in one
 * turn of the event loop share one transaction and one fsync, each in a savepoint of its own
 * (one failing write undoes only itself), and each resolves only after the COMMIT returned.
 * A write that may wait (SqlWriteOptions) joins the next commit, or one of its own after
 * `waitingWriteMilliseconds` or once enough of them are waiting. Reads run at once.
 *
 * For the same reason SQLite's busy handler is off (busy_timeout 0): it sleeps on the event loop,
 * so a lock held by another process would freeze every request, static pages included. A commit
 * that finds the lock taken is tried again on a timer, its writes kept in order and joined by the
 * writes that arrive meanwhile; a write still waiting after `lockWaitMilliseconds` rejects with
 * DatabaseBusyError (it was never acknowledged, so nothing acknowledged is lost). Reads and the
 * settings at open (journal_mode=WAL needs a lock) are retried on timers the same way.
 */
export function createSqliteDriver(
  path: string,
  { lockWaitMilliseconds = defaultLockWaitMilliseconds }: SqliteDriverOptions = {},
): SqlDriver {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new DatabaseSync(path);
  database.exec('PRAGMA busy_timeout = 0');
  const retryAfterSeconds = getRetryAfterSeconds(lockWaitMilliseconds);
  const configure = () => {
    database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA synchronous = FULL');
    database.exec('PRAGMA foreign_keys = ON');
  };

  // Until the settings are in place (only when another process held a lock at open), everything waits for them.
  let opening: Promise<void> | undefined;
  try {
    configure();
  } catch (error) {
    if (!isLockHeldElsewhere(error)) {
      database.close();
      throw error;
    }
    opening = retryWhileLocked(configure, lockWaitMilliseconds, `could not open ${path}`).then(() => {
      opening = undefined;
    });
    // Each operation reports a failed open itself; this copy only keeps it from counting as unhandled.
    opening.catch(() => {});
  }

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
  function runNow({ sql, params }: SqlStatement): SqlRunResult {
    return { changes: Number(prepare(sql).run(...bind(params)).changes) };
  }
  function read<Result>(operation: () => Result): Promise<Result> {
    const retry = () => retryWhileLocked(operation, lockWaitMilliseconds, `could not read ${path}`);
    return opening ? opening.then(retry) : retry();
  }

  let queue: WriteJob[] = [];
  let isFlushScheduled = false;
  let waitingFlush: NodeJS.Timeout | undefined;
  let waitingWrites = 0;
  // Set while the queue waits for a lock held elsewhere: this timer's flush is the next one.
  let lockRetry: NodeJS.Timeout | undefined;
  let lockAttempts = 0;
  // data_version changes when other connections commit; our own commits are counted here.
  let committedFlushes = 0;
  // Once close() has begun, no write waits for the lock beyond this time.
  let closesAt = Number.POSITIVE_INFINITY;
  const idleWaiters: Array<() => void> = [];

  function runJob(job: WriteJob): WriteOutcome {
    database.exec('SAVEPOINT write_job');
    try {
      const results = job.statements.map(runNow);
      database.exec('RELEASE write_job');
      return { isDone: true, results };
    } catch (error) {
      database.exec('ROLLBACK TO write_job');
      database.exec('RELEASE write_job');
      return { isDone: false, error: toBusyErrorIfLocked(error, retryAfterSeconds) };
    }
  }

  function notifyIfIdle() {
    if (queue.length === 0 && !lockRetry) for (const notify of idleWaiters.splice(0)) notify();
  }

  /** The lock is held elsewhere: the jobs go back to the head of the queue, in order, and the commit is tried again on a timer. */
  function waitForLock(jobs: WriteJob[], cause: unknown) {
    const now = Date.now();
    const waiting: WriteJob[] = [];
    for (const job of jobs) {
      if (now < job.givesUpAt) waiting.push(job);
      else
        job.reject(
          createBusyError(
            `could not write ${path}: another connection held its write lock for ${lockWaitMilliseconds} ms`,
            retryAfterSeconds,
            cause,
          ),
        );
    }
    queue = [...waiting, ...queue];
    const first = queue[0];
    if (!first) {
      lockAttempts = 0;
      return notifyIfIdle();
    }
    // Never past the first write's deadline, so a write gives up on time, not a retry later.
    const delay = Math.max(0, Math.min(getLockRetryDelay(lockAttempts), first.givesUpAt - now));
    lockAttempts += 1;
    lockRetry = setTimeout(flush, delay);
  }

  function flush() {
    isFlushScheduled = false;
    clearTimeout(waitingFlush);
    waitingFlush = undefined;
    clearTimeout(lockRetry);
    lockRetry = undefined;
    waitingWrites = 0;
    const jobs = queue;
    queue = [];
    if (jobs.length === 0) return notifyIfIdle();
    let outcomes: WriteOutcome[];
    try {
      database.exec('BEGIN IMMEDIATE');
      outcomes = jobs.map(runJob);
      database.exec('COMMIT');
      committedFlushes += 1;
    } catch (error) {
      // A closed database has no transaction to undo; its writes must still fail rather than hang.
      if (database.isOpen && database.isTransaction) database.exec('ROLLBACK');
      // Nothing was committed, so the whole group can simply be tried again.
      if (isLockHeldElsewhere(error)) return waitForLock(jobs, error);
      for (const job of jobs) job.reject(error);
      return notifyIfIdle();
    }
    lockAttempts = 0;
    jobs.forEach((job, index) => {
      const outcome = outcomes[index];
      if (outcome?.isDone) job.resolve(outcome.results);
      else job.reject(outcome?.error);
    });
    notifyIfIdle();
  }

  function enqueue(statements: readonly SqlStatement[], { mayWait = false }: SqlWriteOptions): Promise<SqlRunResult[]> {
    return new Promise((resolve, reject) => {
      queue.push({ statements, givesUpAt: Math.min(Date.now() + lockWaitMilliseconds, closesAt), resolve, reject });
      // While the lock is held elsewhere the retry timer commits everything queued; nothing else may.
      if (isFlushScheduled || lockRetry) return;
      if (mayWait) waitingWrites += 1;
      if (!mayWait || waitingWrites >= waitingWritesPerCommit) {
        isFlushScheduled = true;
        setImmediate(flush);
      } else if (!waitingFlush) {
        waitingFlush = setTimeout(flush, waitingWriteMilliseconds);
      }
    });
  }

  function write(statements: readonly SqlStatement[], options: SqlWriteOptions = {}): Promise<SqlRunResult[]> {
    return opening ? opening.then(() => enqueue(statements, options)) : enqueue(statements, options);
  }

  return {
    async run(sql, params) {
      const [result] = await write([{ sql, params }]);
      if (!result) throw new Error('a write returned no result');
      return result;
    },
    get: <Row>(sql: string, params?: readonly SqlValue[]) => read(() => prepare(sql).get(...bind(params)) as Row | undefined),
    all: <Row>(sql: string, params?: readonly SqlValue[]) => read(() => prepare(sql).all(...bind(params)) as Row[]),
    batch: write,
    async getChangeMarker() {
      const row = await read(() => prepare('PRAGMA data_version').get() as { data_version: number } | undefined);
      return `${row?.data_version ?? 0}:${committedFlushes}`;
    },
    /**
     * Commits every waiting write before closing (at shutdown). If another process holds the
     * lock, it waits at most `lockWaitMilliseconds`; writes still waiting then reject with
     * DatabaseBusyError rather than vanish.
     */
    async close() {
      closesAt = Math.min(closesAt, Date.now() + lockWaitMilliseconds);
      // A failed open already failed every operation; there is nothing to flush.
      if (opening) await opening.catch(() => {});
      for (const job of queue) job.givesUpAt = Math.min(job.givesUpAt, closesAt);
      while (queue.length > 0 || lockRetry) {
        if (!lockRetry) flush();
        if (queue.length > 0 || lockRetry) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      }
      prepared.clear();
      if (database.isOpen) database.close();
    },
  };
}
