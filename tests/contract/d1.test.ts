import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getPlatformProxy } from 'wrangler';
import { cloudflareConfigPath } from '../../src/lib/db/cli-database.ts';
import { createD1Driver, type D1DatabaseLike } from '../../src/lib/db/d1.ts';
import { DatabaseBusyError } from '../../src/lib/db/errors.ts';
import { checkWranglerMigrations } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { getWranglerEnvironment } from '../../src/lib/db/wrangler-environment.ts';
import { holdDatabaseLock } from '../support/lock-holder.ts';
import {
  describeCommentStoreContract,
  describeModerationAccountsContract,
  describeModerationStoreContract,
} from './comment-store.contract.ts';
import { describeEmailStoreContract } from './email-store.contract.ts';
import { describePruningContract } from './pruning.contract.ts';
import { describeSignalStoreContract } from './signal-store.contract.ts';
import { describeSpamToolsContract } from './spam-tools.contract.ts';

const projectRoot = join(import.meta.dirname, '..', '..');
Object.assign(process.env, getWranglerEnvironment(projectRoot, process.env));

// The D1 binding of the project's wrangler config, in workerd, kept in memory only.
const proxy = await getPlatformProxy<{ DB: D1DatabaseLike }>({
  configPath: join(projectRoot, cloudflareConfigPath),
  persist: false,
  remoteBindings: false,
});
afterAll(() => proxy.dispose());
const driver = createD1Driver(proxy.env.DB);

/** D1 cannot make a new database per test: empty the one there is instead (newest table first, for foreign keys). */
async function openEmptyDatabase(): Promise<SqlDriver> {
  const tables = await driver.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY rowid DESC",
  );
  for (const { name } of tables) await driver.run(`DROP TABLE "${name}"`);
  return driver;
}

describeCommentStoreContract('Cloudflare D1 (workerd)', openEmptyDatabase);
describeModerationStoreContract('Cloudflare D1 (workerd)', openEmptyDatabase);
describeModerationAccountsContract('Cloudflare D1 (workerd)', openEmptyDatabase);
describeSignalStoreContract('Cloudflare D1 (workerd)', openEmptyDatabase);
describePruningContract('Cloudflare D1 (workerd)', openEmptyDatabase);
describeEmailStoreContract('Cloudflare D1 (workerd)', openEmptyDatabase);
describeSpamToolsContract('Cloudflare D1 (workerd)', openEmptyDatabase);

describe('D1 driver', () => {
  it('runs a batch as one transaction: a failing statement undoes the others', async () => {
    const database = await openEmptyDatabase();
    await database.run('CREATE TABLE items (id INTEGER PRIMARY KEY)');
    await expect(
      database.batch([
        { sql: 'INSERT INTO items (id) VALUES (?1)', params: [1] },
        { sql: 'INSERT INTO items (id) VALUES (?1)', params: [1] },
      ]),
    ).rejects.toThrow();
    expect(await database.all('SELECT id FROM items')).toEqual([]);
    expect(await database.batch([])).toEqual([]);
  });

  it('reports changed rows and returns undefined for a missing row', async () => {
    const database = await openEmptyDatabase();
    await database.run('CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT)');
    expect(await database.run('INSERT INTO items (id, label) VALUES (?1, ?2)', [1, '一'])).toEqual({ changes: 1 });
    expect(await database.get('SELECT label FROM items WHERE id = ?1', [2])).toBeUndefined();
    expect(await database.get('SELECT label FROM items WHERE id = ?1', [1])).toEqual({ label: '一' });
  });

  it('on a database wrangler has not migrated, names the migrations and the command to run', async () => {
    const database = await openEmptyDatabase();
    await expect(checkWranglerMigrations(database, commentMigrations)).rejects.toThrow(/0001_init\.sql.*wrangler d1 migrations apply DB/);
    await database.run('CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP)');
    for (const migration of commentMigrations) await database.run('INSERT INTO d1_migrations (name) VALUES (?1)', [migration.fileName]);
    await expect(checkWranglerMigrations(database, commentMigrations)).resolves.toBeUndefined();
  });

  it('answers a write that meets a lock another process holds on the local D1 file with DatabaseBusyError', async () => {
    // Its own D1 kept on disk, so that another process can lock the SQLite file workerd writes.
    const state = mkdtempSync(join(tmpdir(), 'duizhao-d1-lock-'));
    const persisted = await getPlatformProxy<{ DB: D1DatabaseLike }>({
      configPath: join(projectRoot, cloudflareConfigPath),
      persist: { path: state },
      remoteBindings: false,
    });
    try {
      const database = createD1Driver(persisted.env.DB);
      await database.run('CREATE TABLE items (id INTEGER PRIMARY KEY)');
      const file = readdirSync(join(state, 'd1'), { recursive: true, encoding: 'utf8' }).find((name) => /[0-9a-f]{64}\.sqlite$/.test(name));
      if (!file) throw new Error(`no D1 database file under ${state}`);
      const holder = await holdDatabaseLock(join(state, 'd1', file), { holdMs: 10_000 });
      const outcomes = await Promise.allSettled([
        database.run('INSERT INTO items (id) VALUES (1)'),
        database.batch([{ sql: 'INSERT INTO items (id) VALUES (2)' }, { sql: 'INSERT INTO items (id) VALUES (3)' }]),
      ]);
      await holder.release();
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(DatabaseBusyError);
        expect(outcome.status === 'rejected' && (outcome.reason as Error).message).toMatch(/database is locked/);
      }
      expect(await database.run('INSERT INTO items (id) VALUES (4)')).toEqual({ changes: 1 });
      expect(await database.all('SELECT id FROM items')).toEqual([{ id: 4 }]);
    } finally {
      await persisted.dispose();
      rmSync(state, { recursive: true, force: true });
    }
  }, 30_000);
});
