import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqlDriver, SqlRunResult, SqlStatement, SqlValue, SqlWriteOptions } from './store.ts';

interface WriteJob {
  statements: readonly SqlStatement[];
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
 * The embedded driver: Node's built-in SQLite. WAL with synchronous=FULL, so a write that
 * resolved survives the process being killed (and the machine losing power).
 *
 * node:sqlite is synchronous, and with synchronous=FULL every commit waits for the disk while
 * the event loop stands still. So writes are group-committed: the writes that arrive in one
 * turn of the event loop share one transaction and one fsync, each in a savepoint of its own
 * (one failing write undoes only itself), and each resolves only after the COMMIT returned.
 * A write that may wait (SqlWriteOptions) joins the next commit, or one of its own after
 * `waitingWriteMilliseconds` or once enough of them are waiting. Reads run at once.
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
  function runNow({ sql, params }: SqlStatement): SqlRunResult {
    return { changes: Number(prepare(sql).run(...bind(params)).changes) };
  }

  let queue: WriteJob[] = [];
  let isFlushScheduled = false;
  let waitingFlush: NodeJS.Timeout | undefined;
  let waitingWrites = 0;
  // data_version changes when other connections commit; our own commits are counted here.
  let committedFlushes = 0;

  function runJob(job: WriteJob): WriteOutcome {
    database.exec('SAVEPOINT write_job');
    try {
      const results = job.statements.map(runNow);
      database.exec('RELEASE write_job');
      return { isDone: true, results };
    } catch (error) {
      database.exec('ROLLBACK TO write_job');
      database.exec('RELEASE write_job');
      return { isDone: false, error };
    }
  }

  function flush() {
    isFlushScheduled = false;
    clearTimeout(waitingFlush);
    waitingFlush = undefined;
    waitingWrites = 0;
    const jobs = queue;
    queue = [];
    if (jobs.length === 0) return;
    let outcomes: WriteOutcome[];
    try {
      database.exec('BEGIN IMMEDIATE');
      outcomes = jobs.map(runJob);
      database.exec('COMMIT');
      committedFlushes += 1;
    } catch (error) {
      if (database.isTransaction) database.exec('ROLLBACK');
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, index) => {
      const outcome = outcomes[index];
      if (outcome?.isDone) job.resolve(outcome.results);
      else job.reject(outcome?.error);
    });
  }

  function write(statements: readonly SqlStatement[], { mayWait = false }: SqlWriteOptions = {}): Promise<SqlRunResult[]> {
    return new Promise((resolve, reject) => {
      queue.push({ statements, resolve, reject });
      if (isFlushScheduled) return;
      if (mayWait) waitingWrites += 1;
      if (!mayWait || waitingWrites >= waitingWritesPerCommit) {
        isFlushScheduled = true;
        setImmediate(flush);
      } else if (!waitingFlush) {
        waitingFlush = setTimeout(flush, waitingWriteMilliseconds);
      }
    });
  }

  return {
    async run(sql, params) {
      const [result] = await write([{ sql, params }]);
      if (!result) throw new Error('a write returned no result');
      return result;
    },
    async get<Row>(sql: string, params?: readonly SqlValue[]) {
      return prepare(sql).get(...bind(params)) as Row | undefined;
    },
    async all<Row>(sql: string, params?: readonly SqlValue[]) {
      return prepare(sql).all(...bind(params)) as Row[];
    },
    batch: write,
    async getChangeMarker() {
      const row = prepare('PRAGMA data_version').get() as { data_version: number } | undefined;
      return `${row?.data_version ?? 0}:${committedFlushes}`;
    },
    async close() {
      flush();
      prepared.clear();
      if (database.isOpen) database.close();
    },
  };
}
