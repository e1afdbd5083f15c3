import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCommentStore, type StoredComment } from '../../src/lib/comments/store.ts';
import { migrate, parseMigrationFiles } from '../../src/lib/db/migrate.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';

const projectRoot = join(import.meta.dirname, '..', '..');
const migrationsDir = join(projectRoot, 'src', 'lib', 'db', 'migrations');
const migrations = parseMigrationFiles(
  Object.fromEntries(
    readdirSync(migrationsDir)
      .filter((name) => name.endsWith('.sql'))
      .map((name) => [name, readFileSync(join(migrationsDir, name), 'utf8')]),
  ),
);
const folder = mkdtempSync(join(tmpdir(), 'duizhao-kill-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Thread starts, each with a reply: big enough that one bulk action takes a while to write. */
const threadCount = 6000;

async function createDatabase(name: string): Promise<string> {
  const path = join(folder, name);
  const driver = createSqliteDriver(path);
  await migrate(driver, migrations);
  const createdAt = new Date(Date.UTC(2026, 0, 1));
  const comments: StoredComment[] = [];
  for (let index = 0; index < threadCount; index += 1) {
    const base = {
      essay: 'essay-a',
      lang: 'zh' as const,
      name: 'Reader',
      email: null,
      format: 'plain' as const,
      isPrivate: false,
      isAuthor: false,
      status: 'pending' as const,
      ipHash: null,
      createdAt,
      moderatedAt: null,
    };
    comments.push({ ...base, id: `start-${index}`, parentId: null, body: `Comment ${index}` });
    comments.push({ ...base, id: `reply-${index}`, parentId: `start-${index}`, body: `Reply ${index}` });
  }
  await createCommentStore(driver).importComments(comments);
  await driver.close();
  return path;
}

/**
 * Runs the bulk-moderation child against the file and kills it with SIGKILL a random time after it
 * opened the database (up to `maxDelayMs`). Returns how many actions it reported committed.
 */
async function runAndKill(path: string, mode: 'toggle' | 'delete', maxDelayMs: number): Promise<number> {
  const child = spawn(
    join(projectRoot, 'node_modules/.bin/node'),
    [join(projectRoot, 'tests/support/bulk-moderation-child.ts'), path, mode],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.startsWith('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the child exited with ${code} before it was ready:\n${errors}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, Math.random() * maxDelayMs));
  child.kill('SIGKILL');
  const signal = await exited;
  if (signal !== 'SIGKILL' && errors !== '') throw new Error(errors);
  return output.split('\n').filter((line) => line.startsWith('done ')).length;
}

/** Reads what a killed writer left, through a new connection (which recovers the WAL as SQLite does). */
async function readOutcome(path: string) {
  const driver = createSqliteDriver(path);
  const statuses = await driver.all<{ status: string; count: number }>('SELECT status, count(*) AS count FROM comments GROUP BY status');
  const audit = await driver.all<{ at: number; action: string; comment_id: string; detail: string | null }>(
    'SELECT at, action, comment_id, detail FROM moderation_log ORDER BY id',
  );
  const remaining = (await driver.get<{ count: number }>('SELECT count(*) AS count FROM comments'))?.count ?? 0;
  await driver.close();
  return { statuses, audit, remaining };
}

describe('bulk moderation under kill -9 (node:sqlite file)', () => {
  it('leaves each bulk action and its audit rows whole or absent, however often the writer is killed', async () => {
    const path = await createDatabase('toggle.db');
    const total = threadCount * 2;
    let reported = 0;
    let lastAction: string | undefined;
    for (let kill = 0; kill < 6; kill += 1) {
      reported += await runAndKill(path, 'toggle', 1500);
      const { statuses, audit } = await readOutcome(path);
      // Every comment has one status: no action was left half-applied.
      expect(statuses, `after kill ${kill + 1}`).toHaveLength(1);
      // The audit log is whole actions: runs of `total` rows, each one action at one time over every comment.
      expect(audit.length % total, `after kill ${kill + 1}`).toBe(0);
      for (let start = 0; start < audit.length; start += total) {
        const run = audit.slice(start, start + total);
        expect(new Set(run.map((row) => `${row.action}@${row.at}`)).size).toBe(1);
        expect(new Set(run.map((row) => row.comment_id)).size).toBe(total);
      }
      // The status is what the last logged action set, and each committed action was logged.
      lastAction = audit.at(-1)?.action;
      const expected = lastAction === undefined ? 'pending' : lastAction === 'approve' ? 'approved' : 'rejected';
      expect(statuses[0]?.status).toBe(expected);
      expect(audit.length / total).toBeGreaterThanOrEqual(reported);
    }
    // The writer got actions through between kills (so the kills met it at work, not idle).
    expect(reported).toBeGreaterThan(0);
  }, 180_000);

  it('deletes every thread with its replies and their audit rows, or none of it', async () => {
    for (let kill = 0; kill < 4; kill += 1) {
      const path = await createDatabase(`delete-${kill}.db`);
      await runAndKill(path, 'delete', 600);
      const { audit, remaining } = await readOutcome(path);
      const deletes = audit.filter((row) => row.action === 'delete');
      if (remaining === 0) {
        expect(deletes).toHaveLength(threadCount * 2);
        expect(deletes.filter((row) => row.detail !== null)).toHaveLength(threadCount);
      } else {
        expect(remaining).toBe(threadCount * 2);
        expect(deletes).toEqual([]);
      }
    }
  }, 180_000);
});
