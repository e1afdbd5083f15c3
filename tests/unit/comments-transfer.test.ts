import { describe, expect, it } from 'vitest';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { parseExportFile, toExportFile } from '../../src/lib/comments/transfer.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { makeComment } from '../contract/comment-store.contract.ts';

describe('comments-only export file (version 1, still imported)', () => {
  it('round-trips through the file format without losing a field', async () => {
    const driver = createSqliteDriver(':memory:');
    await migrate(driver, commentMigrations);
    const store = createCommentStore(driver);
    const parent = makeComment({ isPrivate: true, body: '第一行\n第二行 😀' });
    await store.insertComment(parent);
    await store.insertComment(makeComment({ parentId: parent.id, isAuthor: true, status: 'approved', email: null, ipHash: null }));
    await store.setCommentStatus(parent.id, 'spam', new Date(Date.UTC(2025, 1, 2, 3, 4, 5, 6)));
    const exported = await store.exportComments();
    expect(parseExportFile(JSON.stringify(toExportFile(exported)))).toEqual(exported);
    await driver.close();
  });

  it('refuses bad files with a clear message', () => {
    const good = toExportFile([]);
    expect(() => parseExportFile('{')).toThrow('not JSON');
    expect(() => parseExportFile(JSON.stringify({ ...good, format: 'isso' }))).toThrow('not a duizhao comment export');
    expect(() => parseExportFile(JSON.stringify({ ...good, version: 2 }))).toThrow('Unsupported export version 2');
    const comment = toExportFile([{ ...makeComment(), createdAt: new Date(0), moderatedAt: null }]).comments[0]!;
    expect(() => parseExportFile(JSON.stringify({ ...good, comments: [{ ...comment, status: 'maybe' }] }))).toThrow('comments.0.status');
    expect(() => parseExportFile(JSON.stringify({ ...good, comments: [comment, comment] }))).toThrow('appears twice');
    expect(() => parseExportFile(JSON.stringify({ ...good, comments: [{ ...comment, parentId: 'elsewhere' }] }))).toThrow(
      'not in the file',
    );
  });
});
