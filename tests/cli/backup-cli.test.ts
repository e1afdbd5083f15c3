import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDatabaseSchema } from '../../src/lib/db/database-schema.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { fillEveryTable, readEveryTable } from '../support/site-data.ts';
import { createProjectCopy, removeProjectCopies, type ProjectCopy } from './project-copy.ts';

// Each test spawns several Node processes; on a busy machine that takes longer than vitest's default 5 s.
const slow = { timeout: 240_000 };
const latest = commentMigrations.at(-1)?.id ?? 0;
let project: ProjectCopy;
let databases = 0;
/** Data tables this code's migrations make: the backup's summary counts them. */
let dataTables = 0;

beforeAll(async () => {
  project = createProjectCopy();
  const driver = createSqliteDriver(':memory:');
  await migrate(driver, commentMigrations);
  dataTables = (await readDatabaseSchema(driver)).tables.length;
  await driver.close();
});
afterAll(removeProjectCopies);

/** A fresh COMMENTS_DB path (relative to the copy, as a user would give it) and its absolute path. */
function newDatabasePath(): { env: { COMMENTS_DB: string }; path: string } {
  databases += 1;
  const relative = `data/site-${databases}/comments.db`;
  return { env: { COMMENTS_DB: relative }, path: join(project.root, relative) };
}

async function withDriver(path: string, work: (driver: SqlDriver) => Promise<void>, migrations = commentMigrations) {
  const driver = createSqliteDriver(path);
  try {
    await migrate(driver, migrations);
    await work(driver);
  } finally {
    await driver.close();
  }
}

const countRows = (path: string, table: string) => {
  const database = new DatabaseSync(path, { readOnly: true });
  try {
    return (database.prepare(`SELECT count(*) AS rows FROM ${table}`).get() as { rows: number }).rows;
  } finally {
    database.close();
  }
};

/** The file's bytes and its folder's entries: what a refused command must leave as they were. */
const takeSnapshot = (path: string) => ({ bytes: readFileSync(path), entries: readdirSync(join(path, '..')).sort() });

function expectRefused(result: { status: number | null; stdout: string; stderr: string }, message: string) {
  expect(result.status, result.stderr).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(message);
  expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('npm run backup', slow, () => {
  it('copies a database a writer process keeps writing to: the snapshot opens, passes integrity_check and holds whole transactions', async () => {
    const { env, path } = newDatabasePath();
    await withDriver(path, fillEveryTable);
    const baseComments = countRows(path, 'comments');
    const baseLog = countRows(path, 'moderation_log');
    // Every write adds a comment and its audit entry in one transaction, so a consistent copy has as many of one as of the other.
    project.write(
      'writer.ts',
      `import { createSqliteDriver } from './src/lib/db/sqlite.ts';
const driver = createSqliteDriver(process.argv[2]);
let written = 0;
let stopping = false;
process.on('SIGTERM', () => (stopping = true));
while (!stopping) {
  written += 1;
  await driver.batch([
    { sql: "INSERT INTO comments (id, essay, lang, name, body, status, created_at) VALUES (?1, 'deadline', 'zh', 'writer', 'body', 'pending', ?2)", params: ['w-' + written, Date.now()] },
    { sql: "INSERT INTO moderation_log (at, moderator, action, comment_id) VALUES (?1, 'writer', 'approve', ?2)", params: [Date.now(), 'w-' + written] },
  ]);
  if (written === 50) console.log('writing');
}
await driver.close();
console.log('wrote ' + written);
`,
    );
    const writer = spawn(join(project.root, 'node_modules/.bin/node'), ['writer.ts', path], {
      cwd: project.root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    writer.stdout.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => writer.once('exit', () => resolve()));
    try {
      await expect.poll(() => output, { timeout: 60_000, interval: 50 }).toContain('writing');
      const before = countRows(path, 'comments');
      const result = project.runWith({ env }, 'backup.ts', 'backup', 'backups/live/snapshot.db');
      const after = countRows(path, 'comments');
      expect(result.status, result.stderr).toBe(0);
      expect(after, 'the writer went on writing while the backup ran').toBeGreaterThan(before);

      const copy = join(project.root, 'backups/live/snapshot.db');
      const database = new DatabaseSync(copy, { readOnly: true });
      expect(database.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      expect(database.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'delete' });
      const comments = (database.prepare('SELECT count(*) AS rows FROM comments').get() as { rows: number }).rows;
      const log = (database.prepare('SELECT count(*) AS rows FROM moderation_log').get() as { rows: number }).rows;
      database.close();
      expect(comments - baseComments).toBe(log - baseLog);
      expect(comments).toBeGreaterThanOrEqual(before);
      expect(comments).toBeLessThanOrEqual(after);
      expect(result.stdout).toMatch(
        new RegExp(
          `^Backed up data/site-\\d+/comments\\.db to backups/live/snapshot\\.db: [\\d.]+ [kM]B, ${dataTables} tables, ${comments} comments, schema ${latest}\\.\\n$`,
        ),
      );
      expect(readdirSync(join(project.root, 'backups/live'))).toEqual(['snapshot.db']);
    } finally {
      writer.kill('SIGTERM');
      await exited;
    }
    expect(output).toMatch(/wrote \d+/);
  });

  it('backup, wipe, restore gives back every table row for row; restoring over a database keeps the one it replaced', async () => {
    const { env, path } = newDatabasePath();
    await withDriver(path, fillEveryTable);
    const before = readEveryTable(path);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['comment_migrations', 'sqlite_sequence', 'moderator_sessions', 'view_salts']),
    );

    const backedUp = project.runWith({ env }, 'backup.ts', 'backup', 'backups/full.db');
    expect(backedUp.status, backedUp.stderr).toBe(0);
    expect(backedUp.stdout).toContain(`${dataTables} tables, 3 comments, schema ${latest}.`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });

    const restored = project.runWith({ env }, 'backup.ts', 'restore', 'backups/full.db');
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(
      new RegExp(
        `^Restored backups/full\\.db into data/site-\\d+/comments\\.db: [\\d.]+ [kM]B, ${dataTables} tables, 3 comments, schema ${latest}\\.\\n$`,
      ),
    );
    expect(readEveryTable(path)).toEqual(before);

    await withDriver(path, async (driver) => {
      await driver.run(
        "INSERT INTO comments (id, essay, lang, name, body, status, created_at) VALUES ('after-backup', 'deadline', 'zh', 'late', 'late', 'pending', 1)",
      );
    });
    const again = project.runWith({ env }, 'backup.ts', 'restore', 'backups/full.db');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('the database it replaced is kept as data/');
    expect(readEveryTable(path)).toEqual(before);
    expect(countRows(`${path}.before-restore`, 'comments')).toBe(4);
    expect(readdirSync(join(path, '..')).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it("restore brings an older backup forward to this code's schema", async () => {
    const older = commentMigrations.filter((migration) => migration.id <= 3);
    const source = newDatabasePath();
    await withDriver(
      source.path,
      async (driver) => {
        await driver.run(
          "INSERT INTO comments (id, essay, lang, name, body, status, created_at) VALUES ('old-one', 'deadline', 'en', 'early', 'from long ago', 'approved', 1)",
        );
      },
      older,
    );
    expect(project.runWith({ env: source.env }, 'backup.ts', 'backup', 'backups/old.db').stdout).toContain('schema 3.');

    const target = newDatabasePath();
    const restored = project.runWith({ env: target.env }, 'backup.ts', 'restore', 'backups/old.db');
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`schema ${latest}, migrated from 3.`);
    const tables = readEveryTable(target.path);
    expect((tables.comment_migrations as Array<{ id: number }>).map((row) => row.id)).toEqual(
      commentMigrations.map((migration) => migration.id),
    );
    expect(tables.comments).toEqual([expect.objectContaining({ id: 'old-one', body: 'from long ago' })]);
    expect(tables.essay_views).toEqual([]);
  });

  it('restore refuses what it must not put in place, and leaves the database as it was', async () => {
    const { env, path } = newDatabasePath();
    await withDriver(path, fillEveryTable);
    expect(project.runWith({ env }, 'backup.ts', 'backup', 'backups/good.db').status).toBe(0);
    const good = readFileSync(join(project.root, 'backups/good.db'));
    const snapshot = takeSnapshot(path);
    const restore = (file: string) => project.runWith({ env }, 'backup.ts', 'restore', file);
    const refused = (file: string, message: string) => {
      expectRefused(restore(file), message);
      expect(takeSnapshot(path)).toEqual(snapshot);
    };

    project.write('backups/notes.txt', 'not a database at all\n');
    refused('backups/notes.txt', 'backups/notes.txt is not an SQLite database, so not a duizhao database or backup.');
    refused('backups/missing.db', 'backups/missing.db does not exist.');
    refused('backups', 'backups is not a file.');
    writeFileSync(join(project.root, 'backups/half.db'), good.subarray(0, Math.floor(good.length / 2)));
    refused('backups/half.db', 'backups/half.db is damaged');

    const foreign = new DatabaseSync(join(project.root, 'backups/foreign.db'));
    foreign.exec('CREATE TABLE notes (body TEXT)');
    foreign.close();
    refused('backups/foreign.db', 'is an SQLite database but not a duizhao one (it has no comment_migrations table)');

    writeFileSync(join(project.root, 'backups/newer.db'), good);
    const newer = new DatabaseSync(join(project.root, 'backups/newer.db'));
    newer.exec(`INSERT INTO comment_migrations (id, name, applied_at) VALUES (${latest + 1}, 'from_the_future', 1)`);
    newer.close();
    refused(
      'backups/newer.db',
      `backups/newer.db comes from a newer duizhao: it has migration(s) ${String(latest + 1).padStart(4, '0')}_from_the_future`,
    );

    // The server: a connection in another process that has read the database and sits idle.
    const server = createSqliteDriver(path);
    await server.get('SELECT count(*) FROM comments');
    try {
      refused('backups/good.db', 'is open in another process (is the server running?). Stop the server, then restore again.');
    } finally {
      await server.close();
    }
    expect(restore('backups/good.db').status).toBe(0);

    expectRefused(
      project.runWith({ env: { COMMENTS_DB: 'backups' } }, 'backup.ts', 'restore', 'backups/good.db'),
      'backups (COMMENTS_DB) is not a file.',
    );
    const usage = project.runWith({ env }, 'backup.ts', 'restore');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run restore -- <file>');
    expectRefused(project.runWith({ env }, 'backup.ts', 'restore', 'backups/good.db', '--d1', 'local'), 'wrangler d1 time-travel restore');
  });

  it('backup refuses a missing or foreign database and a target that is the database or a folder, leaving no file behind', async () => {
    const { env, path } = newDatabasePath();
    expectRefused(project.runWith({ env }, 'backup.ts', 'backup', 'backups/none.db'), 'There is no database at data/site-');
    await withDriver(path, fillEveryTable);
    expectRefused(project.runWith({ env }, 'backup.ts', 'backup', env.COMMENTS_DB), 'is the database itself');
    expectRefused(project.runWith({ env }, 'backup.ts', 'backup', `${env.COMMENTS_DB}-wal`), 'is the database itself');
    expectRefused(project.runWith({ env }, 'backup.ts', 'backup', 'backups'), 'backups is a folder');
    project.write('data/plain.txt', 'text');
    expectRefused(
      project.runWith({ env: { COMMENTS_DB: 'data/plain.txt' } }, 'backup.ts', 'backup', 'backups/plain.db'),
      'data/plain.txt is not an SQLite database',
    );
    const foreign = new DatabaseSync(join(project.root, 'data/foreign.db'));
    foreign.exec('CREATE TABLE notes (body TEXT)');
    foreign.close();
    expectRefused(
      project.runWith({ env: { COMMENTS_DB: 'data/foreign.db' } }, 'backup.ts', 'backup', 'backups/foreign-copy.db'),
      'not a duizhao one',
    );
    expect(existsSync(join(project.root, 'backups/foreign-copy.db'))).toBe(false);
    expect(readdirSync(join(project.root, 'backups')).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(project.runWith({ env }, 'backup.ts', 'backup').status).toBe(2);
    expectRefused(project.runWith({ env }, 'backup.ts', 'backup', 'x.db', '--d1', 'remote'), 'D1 keeps its own history');
  });
});
