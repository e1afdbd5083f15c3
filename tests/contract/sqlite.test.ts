import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import { createSqliteDriver, waitingWriteMilliseconds } from '../../src/lib/db/sqlite.ts';
import {
  describeCommentStoreContract,
  describeModerationAccountsContract,
  describeModerationStoreContract,
  makeComment,
} from './comment-store.contract.ts';
import { describeEmailStoreContract } from './email-store.contract.ts';
import { describePruningContract } from './pruning.contract.ts';
import { describeSignalStoreContract } from './signal-store.contract.ts';
import { describeSpamToolsContract } from './spam-tools.contract.ts';

const folder = mkdtempSync(join(tmpdir(), 'duizhao-contract-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let databases = 0;

describeCommentStoreContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describeCommentStoreContract('node:sqlite on disk', async () => createSqliteDriver(join(folder, `store-${(databases += 1)}.db`)));
describeModerationStoreContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describeModerationAccountsContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describeSignalStoreContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describePruningContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describeEmailStoreContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describeSpamToolsContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describeSpamToolsContract('node:sqlite on disk', async () => createSqliteDriver(join(folder, `spam-${(databases += 1)}.db`)));

describe('node:sqlite driver', () => {
  it('creates the database folder, uses WAL and full sync, and keeps data across reopening', async () => {
    const path = join(folder, 'nested', 'reopen.db');
    const first = createSqliteDriver(path);
    expect(await first.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await first.get('PRAGMA synchronous')).toEqual({ synchronous: 2 });
    await migrate(first, commentMigrations);
    const comment = makeComment();
    await createCommentStore(first).insertComment(comment);
    await first.close();

    const second = createSqliteDriver(path);
    await migrate(second, commentMigrations);
    expect((await createCommentStore(second).getComment(comment.id))?.body).toBe(comment.body);
    await second.close();
  });

  it('notices writes made through another connection', async () => {
    const path = join(folder, 'two-connections.db');
    const [reader, writer] = [createSqliteDriver(path), createSqliteDriver(path)];
    await migrate(reader, commentMigrations);
    const before = await createCommentStore(reader).getChangeMarker();
    await createCommentStore(writer).insertComment(makeComment());
    expect(await createCommentStore(reader).getChangeMarker()).not.toBe(before);
    await Promise.all([reader.close(), writer.close()]);
  });

  it('commits a write that may wait together with the next write, or alone after a short wait', async () => {
    const driver = createSqliteDriver(join(folder, 'waiting-writes.db'));
    await driver.run('CREATE TABLE hits (n INTEGER)');
    const commits = async () => Number((await driver.getChangeMarker?.())?.split(':')[1]);
    const before = await commits();

    const waiting = driver.batch([{ sql: 'INSERT INTO hits (n) VALUES (1)' }], { mayWait: true });
    await driver.run('INSERT INTO hits (n) VALUES (2)');
    expect(await waiting).toEqual([{ changes: 1 }]);
    expect(await commits()).toBe(before + 1);

    const startedAt = performance.now();
    await driver.batch([{ sql: 'INSERT INTO hits (n) VALUES (3)' }], { mayWait: true });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(waitingWriteMilliseconds - 1);
    expect(await commits()).toBe(before + 2);
    expect(await driver.all('SELECT n FROM hits ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await driver.close();
  });

  it('lets two connections migrate the same file at once', async () => {
    const path = join(folder, 'twice.db');
    const [a, b] = [createSqliteDriver(path), createSqliteDriver(path)];
    await Promise.all([migrate(a, commentMigrations), migrate(b, commentMigrations)]);
    expect(await b.all('SELECT id FROM comment_migrations')).toHaveLength(commentMigrations.length);
    await Promise.all([a.close(), b.close()]);
  });
});
