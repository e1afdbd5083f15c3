import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commentMigrations } from '../../src/lib/comments/migrations.ts';
import { createSqliteDriver } from '../../src/lib/comments/sqlite.ts';
import { createCommentStore, migrate } from '../../src/lib/comments/store.ts';
import { describeCommentStoreContract, describeModerationAccountsContract, describeModerationStoreContract, makeComment } from './comment-store.contract.ts';
import { describeSignalStoreContract } from './signal-store.contract.ts';

const folder = mkdtempSync(join(tmpdir(), 'duizhao-contract-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let databases = 0;

describeCommentStoreContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describeCommentStoreContract('node:sqlite on disk', async () => createSqliteDriver(join(folder, `store-${(databases += 1)}.db`)));
describeModerationStoreContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describeModerationAccountsContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));
describeSignalStoreContract('node:sqlite in memory', async () => createSqliteDriver(':memory:'));

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

  it('lets two connections migrate the same file at once', async () => {
    const path = join(folder, 'twice.db');
    const [a, b] = [createSqliteDriver(path), createSqliteDriver(path)];
    await Promise.all([migrate(a, commentMigrations), migrate(b, commentMigrations)]);
    expect(await b.all('SELECT id FROM comment_migrations')).toHaveLength(commentMigrations.length);
    await Promise.all([a.close(), b.close()]);
  });
});
