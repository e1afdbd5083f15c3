import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseBusyError } from '../../src/lib/db/errors.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { holdDatabaseLock, isMachineOverloaded, measureLongestStall } from '../support/lock-holder.ts';

/**
 * The node:sqlite driver while another process holds the database's lock: nothing may sleep on
 * the event loop (a timer every 10 ms must never see a longer gap than this), writes wait on
 * timers and then commit in order, or give up with DatabaseBusyError after the driver's bound.
 * SQLite's busy handler would show as a gap of the whole lock (400 ms and more here).
 */
const isOverloaded = isMachineOverloaded();
const longestAllowedStallMs = isOverloaded ? 250 : 60;
/** How late a timer may fire: a write gives up at its bound, not a retry or a scheduling delay later. */
const lateMs = isOverloaded ? 400 : 150;

const folder = mkdtempSync(join(tmpdir(), 'duizhao-lock-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let databases = 0;
const newDatabasePath = () => join(folder, `lock-${(databases += 1)}.db`);

const insert = (label: string) => ({ sql: 'INSERT INTO entries (label) VALUES (?1)', params: [label] });
const runInsert = (driver: SqlDriver, label: string) => driver.run(insert(label).sql, insert(label).params);
const readLabels = async (driver: SqlDriver) =>
  (await driver.all<{ label: string }>('SELECT label FROM entries ORDER BY id')).map((row) => row.label);
/** Commits this driver made so far (the second half of its change marker). */
const countCommits = async (driver: SqlDriver) => Number((await driver.getChangeMarker?.())?.split(':')[1]);

async function openWithEntries(path: string, lockWaitMilliseconds: number): Promise<SqlDriver> {
  const driver = createSqliteDriver(path, { lockWaitMilliseconds });
  await driver.run('CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL UNIQUE)');
  await runInsert(driver, 'before');
  return driver;
}

/** Settles a write into what it became and when (performance.now()). */
async function settle<Result>(write: Promise<Result>): Promise<{ value?: Result; error?: unknown; at: number }> {
  try {
    const value = await write;
    return { value, at: performance.now() };
  } catch (error) {
    return { error, at: performance.now() };
  }
}

describe('node:sqlite driver with the write lock held by another process', () => {
  it('keeps the event loop free, serves reads at once, and commits 50 waiting writes in order in one commit once the lock is released', async () => {
    const path = newDatabasePath();
    const driver = await openWithEntries(path, 3000);
    // SQLite's own busy handler, which sleeps on the event loop, is off.
    expect(await driver.get('PRAGMA busy_timeout')).toEqual({ timeout: 0 });
    const commitsBefore = await countCommits(driver);
    const holdMs = 800;
    const holder = await holdDatabaseLock(path, { holdMs });

    const { result, longestStallMs } = await measureLongestStall(async () => {
      const first = Array.from({ length: 25 }, (_, index) => runInsert(driver, `a${index}`));
      const pair = driver.batch([insert('pair-1'), insert('pair-2')]);
      const mayWait = driver.batch([insert('may-wait')], { mayWait: true });
      await sleep(200);
      const readStartedAt = performance.now();
      const labelsWhileLocked = await readLabels(driver);
      const readMs = performance.now() - readStartedAt;
      const later = Array.from({ length: 23 }, (_, index) => runInsert(driver, `b${index}`));
      const results = await Promise.all([Promise.all(first), pair, mayWait, Promise.all(later)]);
      return { labelsWhileLocked, readMs, results, committedAt: performance.now() };
    });
    await holder.released;

    expect(result.labelsWhileLocked).toEqual(['before']);
    expect(result.readMs).toBeLessThan(longestAllowedStallMs);
    expect(result.results).toEqual([
      Array.from({ length: 25 }, () => ({ changes: 1 })),
      [{ changes: 1 }, { changes: 1 }],
      [{ changes: 1 }],
      Array.from({ length: 23 }, () => ({ changes: 1 })),
    ]);
    // No write resolved before the holder let go of the lock (less the pipe's few milliseconds).
    expect(result.committedAt - holder.lockedAt).toBeGreaterThan(holdMs - 50);
    expect(await readLabels(driver)).toEqual([
      'before',
      ...Array.from({ length: 25 }, (_, index) => `a${index}`),
      'pair-1',
      'pair-2',
      'may-wait',
      ...Array.from({ length: 23 }, (_, index) => `b${index}`),
    ]);
    expect((await countCommits(driver)) - commitsBefore).toBe(1);
    expect(longestStallMs).toBeLessThan(longestAllowedStallMs);
    await driver.close();
  });

  it('fails a waiting write that is wrong on its own alone, and commits the others with it', async () => {
    const path = newDatabasePath();
    const driver = await openWithEntries(path, 3000);
    const holder = await holdDatabaseLock(path, { holdMs: 400 });
    const [good, duplicate, alsoGood] = await Promise.all([
      settle(runInsert(driver, 'x')),
      settle(runInsert(driver, 'before')),
      settle(runInsert(driver, 'y')),
    ]);
    await holder.released;
    expect(good.value).toEqual({ changes: 1 });
    expect(alsoGood.value).toEqual({ changes: 1 });
    expect(duplicate.error).toBeInstanceOf(Error);
    expect(duplicate.error).not.toBeInstanceOf(DatabaseBusyError);
    expect(String(duplicate.error)).toMatch(/UNIQUE constraint failed/);
    expect(await readLabels(driver)).toEqual(['before', 'x', 'y']);
    await driver.close();
  });

  it('rejects each write with DatabaseBusyError once it has waited the bound, and writes again once the lock is free', async () => {
    const path = newDatabasePath();
    const lockWaitMs = 500;
    const driver = await openWithEntries(path, lockWaitMs);
    const holder = await holdDatabaseLock(path, { holdMs: 10_000 });

    const { result, longestStallMs } = await measureLongestStall(async () => {
      const startedAt = performance.now();
      const early = settle(runInsert(driver, 'early'));
      await sleep(300);
      const laterStartedAt = performance.now();
      const later = settle(driver.batch([insert('later-1'), insert('later-2')], { mayWait: true }));
      return { startedAt, laterStartedAt, early: await early, later: await later };
    });
    await holder.release();

    for (const [outcome, startedAt] of [
      [result.early, result.startedAt],
      [result.later, result.laterStartedAt],
    ] as const) {
      expect(outcome.error).toBeInstanceOf(DatabaseBusyError);
      expect((outcome.error as DatabaseBusyError).retryAfterSeconds).toBe(1);
      expect((outcome.error as Error).message).toMatch(/another connection held its write lock for 500 ms/);
      // Each write waits its own bound: not less, and not a retry's worth more.
      expect(outcome.at - startedAt).toBeGreaterThanOrEqual(lockWaitMs - 5);
      expect(outcome.at - startedAt).toBeLessThan(lockWaitMs + lateMs);
    }
    expect(longestStallMs).toBeLessThan(longestAllowedStallMs);

    expect(await runInsert(driver, 'after')).toEqual({ changes: 1 });
    expect(await readLabels(driver)).toEqual(['before', 'after']);
    await driver.close();
  });

  it('commits the writes waiting at close once the lock is released', async () => {
    const path = newDatabasePath();
    const driver = await openWithEntries(path, 3000);
    const holdMs = 500;
    const holder = await holdDatabaseLock(path, { holdMs });
    const writes = [settle(runInsert(driver, 'one')), settle(driver.batch([insert('two')], { mayWait: true }))];
    await sleep(50);
    const { longestStallMs } = await measureLongestStall(() => driver.close());
    const closedAt = performance.now();
    await holder.released;
    expect((await Promise.all(writes)).map((outcome) => outcome.value)).toEqual([{ changes: 1 }, [{ changes: 1 }]]);
    expect(closedAt - holder.lockedAt).toBeGreaterThan(holdMs - 50);
    expect(longestStallMs).toBeLessThan(longestAllowedStallMs);

    const reopened = createSqliteDriver(path);
    expect(await readLabels(reopened)).toEqual(['before', 'one', 'two']);
    await reopened.close();
  });

  it('at close, rejects writes still waiting after the bound with DatabaseBusyError instead of losing them silently', async () => {
    const path = newDatabasePath();
    const lockWaitMs = 400;
    const driver = await openWithEntries(path, lockWaitMs);
    const holder = await holdDatabaseLock(path, { holdMs: 10_000 });
    const writes = [settle(runInsert(driver, 'one')), settle(driver.batch([insert('two')], { mayWait: true }))];
    const closeStartedAt = performance.now();
    await driver.close();
    const closeMs = performance.now() - closeStartedAt;
    await holder.release();

    for (const outcome of await Promise.all(writes)) expect(outcome.error).toBeInstanceOf(DatabaseBusyError);
    expect(closeMs).toBeGreaterThanOrEqual(lockWaitMs - 5);
    expect(closeMs).toBeLessThan(lockWaitMs + lateMs);
    const reopened = createSqliteDriver(path);
    expect(await readLabels(reopened)).toEqual(['before']);
    await reopened.close();
  });
});

describe('node:sqlite driver with the whole file locked by another process (exclusive locking mode)', () => {
  async function createEntriesFile(): Promise<string> {
    const path = newDatabasePath();
    const driver = await openWithEntries(path, 3000);
    await driver.close();
    return path;
  }

  it('opens at once, and its settings, reads and writes wait on timers until the lock is released', async () => {
    const path = await createEntriesFile();
    const holdMs = 600;
    const holder = await holdDatabaseLock(path, { holdMs, mode: 'exclusive' });

    const { result, longestStallMs } = await measureLongestStall(async () => {
      const openStartedAt = performance.now();
      const driver = createSqliteDriver(path, { lockWaitMilliseconds: 3000 });
      const openMs = performance.now() - openStartedAt;
      const [labels, journal, write] = await Promise.all([
        readLabels(driver),
        driver.get('PRAGMA journal_mode'),
        runInsert(driver, 'after'),
      ]);
      return { driver, openMs, labels, journal, write, answeredAt: performance.now() };
    });
    await holder.released;

    expect(result.openMs).toBeLessThan(longestAllowedStallMs);
    expect(result.answeredAt - holder.lockedAt).toBeGreaterThan(holdMs - 50);
    expect(result.labels).toEqual(['before']);
    expect(result.journal).toEqual({ journal_mode: 'wal' });
    expect(result.write).toEqual({ changes: 1 });
    expect(await result.driver.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(longestStallMs).toBeLessThan(longestAllowedStallMs);
    await result.driver.close();
  });

  it('fails reads and writes with DatabaseBusyError naming the file when the lock outlasts the bound, and closes at once', async () => {
    const path = await createEntriesFile();
    const holder = await holdDatabaseLock(path, { holdMs: 10_000, mode: 'exclusive' });
    const { result, longestStallMs } = await measureLongestStall(async () => {
      const driver = createSqliteDriver(path, { lockWaitMilliseconds: 300 });
      const outcomes = await Promise.all([
        settle(readLabels(driver)),
        settle(runInsert(driver, 'lost')),
        settle(driver.getChangeMarker?.() ?? Promise.resolve('')),
      ]);
      const closeStartedAt = performance.now();
      await driver.close();
      return { outcomes, closeMs: performance.now() - closeStartedAt };
    });
    await holder.release();

    for (const outcome of result.outcomes) {
      expect(outcome.error).toBeInstanceOf(DatabaseBusyError);
      expect((outcome.error as Error).message).toContain(`could not open ${path}`);
    }
    expect(result.closeMs).toBeLessThan(longestAllowedStallMs);
    expect(longestStallMs).toBeLessThan(longestAllowedStallMs);

    const reopened = createSqliteDriver(path);
    expect(await readLabels(reopened)).toEqual(['before']);
    await reopened.close();
  });
});
