import { afterEach, describe, expect, it, vi } from 'vitest';
import { pruneAfterSomeWrites, pruneIntervalMs, startPruneTimer } from '../../src/lib/db/pruning.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';

describe('pruning on a Worker: after some writes', () => {
  async function setUp(randomValues: number[]) {
    const database = createSqliteDriver(':memory:');
    await database.run('CREATE TABLE items (n INTEGER)');
    const scheduled: (() => Promise<unknown>)[] = [];
    const pruned: SqlDriver[] = [];
    const driver = pruneAfterSomeWrites(database, async (given) => void pruned.push(given), {
      runAfterResponse: (task) => void scheduled.push(task),
      chance: 0.01,
      random: () => randomValues.shift() ?? 1,
    });
    return { database, driver, scheduled, pruned };
  }

  it('schedules a pruning after the answer for the writes the dice pick, and only for writes', async () => {
    const { database, driver, scheduled, pruned } = await setUp([0.5, 0.005, 0.2, 0.009]);
    await driver.run('INSERT INTO items (n) VALUES (1)');
    await driver.batch([{ sql: 'INSERT INTO items (n) VALUES (2)' }]);
    expect(await driver.all('SELECT n FROM items ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
    await driver.get('SELECT n FROM items');
    await driver.run('INSERT INTO items (n) VALUES (3)');
    await driver.run('INSERT INTO items (n) VALUES (4)');
    expect(scheduled).toHaveLength(2);
    // The pruning itself writes through the unwrapped driver, so it never schedules another.
    for (const task of scheduled) await task();
    expect(pruned).toEqual([database, database]);
    await database.close();
  });

  it('answers the write whether or not a pruning follows', async () => {
    const { driver, scheduled } = await setUp([0]);
    expect(await driver.run('INSERT INTO items (n) VALUES (1)')).toEqual({ changes: 1 });
    expect(scheduled).toHaveLength(1);
    await expect(driver.run('INSERT INTO missing_table (n) VALUES (1)')).rejects.toThrow();
  });
});

describe('pruning on Node: a timer', () => {
  afterEach(() => vi.useRealTimers());

  it('prunes at once and then every interval until stopped', async () => {
    vi.useFakeTimers();
    const prune = vi.fn(async () => undefined);
    const stop = startPruneTimer(prune);
    expect(prune).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(pruneIntervalMs * 3);
    expect(prune).toHaveBeenCalledTimes(4);
    stop();
    await vi.advanceTimersByTimeAsync(pruneIntervalMs * 3);
    expect(prune).toHaveBeenCalledTimes(4);
  });

  it('logs a failed pruning and keeps the timer going', async () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const prune = vi.fn(async () => {
      throw new Error('database is locked');
    });
    const stop = startPruneTimer(prune, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(prune).toHaveBeenCalledTimes(2);
    expect(errors).toHaveBeenCalledWith('pruning expired rows:', expect.any(Error));
    stop();
    errors.mockRestore();
  });
});
