import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commentMigrations } from '../../src/lib/comments/migrations.ts';
import { createSqliteDriver } from '../../src/lib/comments/sqlite.ts';
import { createCommentStore, migrate } from '../../src/lib/comments/store.ts';
import { parseExportFile, toExportFile } from '../../src/lib/comments/transfer.ts';
import { makeComment } from '../contract/comment-store.contract.ts';

const root = join(import.meta.dirname, '..', '..');
const node = join(root, 'node_modules/.bin/node');
const folder = mkdtempSync(join(tmpdir(), 'duizhao-transfer-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('export and import', () => {
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
    expect(() => parseExportFile(JSON.stringify({ ...good, comments: [{ ...comment, parentId: 'elsewhere' }] }))).toThrow('not in the file');
  });

  it('npm run comments exports, imports into another database, and refuses a second import as a whole', async () => {
    const source = join(folder, 'source.db');
    const driver = createSqliteDriver(source);
    await migrate(driver, commentMigrations);
    const store = createCommentStore(driver);
    await store.insertComment(makeComment());
    await store.insertComment(makeComment({ isPrivate: true }));
    const expected = await store.exportComments();
    await driver.close();

    const run = (args: string[], database: string) =>
      spawnSync(node, [join(root, 'scripts/comments.ts'), ...args], { cwd: root, env: { ...process.env, COMMENTS_DB: database }, encoding: 'utf8' });
    const file = join(folder, 'comments.json');
    writeFileSync(file, execFileSync(node, [join(root, 'scripts/comments.ts'), 'export'], { cwd: root, env: { ...process.env, COMMENTS_DB: source }, encoding: 'utf8' }));
    const target = join(folder, 'target.db');
    expect(run(['import', file], target).status).toBe(0);
    const again = run(['import', file], target);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('Nothing was imported');
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, '{"format":"duizhao-comments","version":1}');
    expect(run(['import', bad], target).stderr).toContain('Invalid export file');

    const check = createSqliteDriver(target);
    await migrate(check, commentMigrations);
    expect(await createCommentStore(check).exportComments()).toEqual(expected);
    await check.close();
  });
});
