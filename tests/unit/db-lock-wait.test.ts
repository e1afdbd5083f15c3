import { describe, expect, it } from 'vitest';
import { createD1Driver, type D1DatabaseLike, type D1StatementLike } from '../../src/lib/db/d1.ts';
import { DatabaseBusyError } from '../../src/lib/db/errors.ts';
import {
  getLockRetryDelay,
  getRetryAfterSeconds,
  isLockHeldElsewhere,
  retryWhileLocked,
  toBusyErrorIfLocked,
} from '../../src/lib/db/lock-wait.ts';

/** An error as node:sqlite throws it. */
const sqliteError = (errcode: number, message: string) =>
  Object.assign(new Error(message), { code: 'ERR_SQLITE_ERROR', errcode, errstr: message });

describe('isLockHeldElsewhere', () => {
  it('recognises SQLITE_BUSY from node:sqlite in its plain and extended forms', () => {
    expect(isLockHeldElsewhere(sqliteError(5, 'database is locked'))).toBe(true);
    expect(isLockHeldElsewhere(sqliteError(261, 'database is locked'))).toBe(true); // SQLITE_BUSY_RECOVERY
    expect(isLockHeldElsewhere(sqliteError(517, 'database is locked'))).toBe(true); // SQLITE_BUSY_SNAPSHOT
  });

  it('recognises D1 reporting a lock', () => {
    expect(isLockHeldElsewhere(new Error('D1_ERROR: database is locked: SQLITE_BUSY'))).toBe(true);
    expect(isLockHeldElsewhere(new Error('SQLITE_BUSY'))).toBe(true);
  });

  it('leaves every other error alone, SQLITE_LOCKED (a conflict inside one connection) included', () => {
    expect(isLockHeldElsewhere(sqliteError(6, 'database table is locked'))).toBe(false);
    expect(isLockHeldElsewhere(sqliteError(19, 'UNIQUE constraint failed: comments.id'))).toBe(false);
    // The text does not count when node:sqlite gave a code: a comment body may say anything.
    expect(isLockHeldElsewhere(sqliteError(1, 'near "database is locked": syntax error'))).toBe(false);
    expect(isLockHeldElsewhere(new Error('D1_ERROR: UNIQUE constraint failed: items.id: SQLITE_CONSTRAINT'))).toBe(false);
    expect(isLockHeldElsewhere('database is locked')).toBe(false);
    expect(isLockHeldElsewhere(undefined)).toBe(false);
  });
});

describe('toBusyErrorIfLocked', () => {
  it('turns a lock error into DatabaseBusyError keeping the original as its cause, and passes others through', () => {
    const locked = sqliteError(5, 'database is locked');
    const busy = toBusyErrorIfLocked(locked, 3);
    expect(busy).toBeInstanceOf(DatabaseBusyError);
    expect((busy as DatabaseBusyError).retryAfterSeconds).toBe(3);
    expect((busy as Error).cause).toBe(locked);
    expect(toBusyErrorIfLocked(busy)).toBe(busy);
    const other = sqliteError(19, 'UNIQUE constraint failed');
    expect(toBusyErrorIfLocked(other)).toBe(other);
  });
});

describe('lock wait schedule', () => {
  it('tries again soon at first, then every 25 ms, and tells clients to wait the bound in whole seconds', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(getLockRetryDelay)).toEqual([1, 2, 4, 8, 16, 25, 25, 25]);
    expect(getRetryAfterSeconds(4000)).toBe(4);
    expect(getRetryAfterSeconds(4001)).toBe(5);
    expect(getRetryAfterSeconds(300)).toBe(1);
  });
});

describe('retryWhileLocked', () => {
  it('tries again on timers while the lock is held, letting other work run in between, and returns the result', async () => {
    let attempts = 0;
    let timerRuns = 0;
    const ticker = setInterval(() => (timerRuns += 1), 1);
    const result = await retryWhileLocked(
      () => {
        attempts += 1;
        if (attempts < 6) throw sqliteError(5, 'database is locked');
        return 'rows';
      },
      1000,
      'could not read test.db',
    );
    clearInterval(ticker);
    expect(result).toBe('rows');
    expect(attempts).toBe(6);
    expect(timerRuns).toBeGreaterThan(0);
  });

  it('gives up with DatabaseBusyError after the bound, naming what it did', async () => {
    const startedAt = performance.now();
    const error = await retryWhileLocked(
      () => {
        throw sqliteError(5, 'database is locked');
      },
      200,
      'could not read test.db',
    ).catch((caught: unknown) => caught);
    const waitedMs = performance.now() - startedAt;
    expect(error).toBeInstanceOf(DatabaseBusyError);
    expect((error as Error).message).toBe('could not read test.db: another connection held the lock for 200 ms');
    expect((error as DatabaseBusyError).retryAfterSeconds).toBe(1);
    expect(waitedMs).toBeGreaterThanOrEqual(195);
    expect(waitedMs).toBeLessThan(400);
  });

  it('does not retry an error of another kind', async () => {
    let attempts = 0;
    const failure = sqliteError(19, 'UNIQUE constraint failed');
    await expect(
      retryWhileLocked(
        () => {
          attempts += 1;
          throw failure;
        },
        1000,
        'x',
      ),
    ).rejects.toBe(failure);
    expect(attempts).toBe(1);
  });
});

describe('D1 driver errors', () => {
  /** A binding whose every call fails with `error`, as a D1 that meets a lock does. */
  function createFailingBinding(error: Error): D1DatabaseLike {
    const statement: D1StatementLike = {
      bind: () => statement,
      run: () => Promise.reject(error),
      first: () => Promise.reject(error),
      all: () => Promise.reject(error),
    };
    return { prepare: () => statement, batch: () => Promise.reject(error) };
  }

  it('turns D1 reporting a lock into DatabaseBusyError on every method', async () => {
    const driver = createD1Driver(createFailingBinding(new Error('D1_ERROR: database is locked: SQLITE_BUSY')));
    for (const call of [
      driver.run('UPDATE t SET n = 1'),
      driver.get('SELECT 1', [1]),
      driver.all('SELECT 1'),
      driver.batch([{ sql: 'UPDATE t SET n = 1' }]),
    ]) {
      await expect(call).rejects.toBeInstanceOf(DatabaseBusyError);
    }
  });

  it('passes every other D1 error through unchanged', async () => {
    const failure = new Error('D1_ERROR: UNIQUE constraint failed: items.id: SQLITE_CONSTRAINT');
    const driver = createD1Driver(createFailingBinding(failure));
    await expect(driver.run('INSERT INTO items (id) VALUES (1)')).rejects.toBe(failure);
    await expect(driver.batch([{ sql: 'INSERT INTO items (id) VALUES (1)' }])).rejects.toBe(failure);
  });
});
