import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import prettyBytes from 'pretty-bytes';
import { isDataTable } from './database-schema.ts';
import { migrate, type Migration } from './migrate.ts';
import { createSqliteDriver } from './sqlite.ts';

/** What `npm run backup` and `npm run restore` report about a database file they checked. */
export interface DatabaseFileSummary {
  bytes: number;
  /** Data tables (not SQLite's or the migration runner's own). */
  tables: number;
  comments: number;
  /** The highest migration applied. */
  schemaVersion: number;
}

/** Why `npm run backup` and `restore` take no `--d1`, and what to use instead. */
export const d1BackupNote =
  'backup and restore work on the Node server\'s SQLite file. D1 keeps its own history: `npx wrangler d1 time-travel restore DB --timestamp <time>` brings it back to any minute of the last 30 days (7 on the Free plan); `npm run -s comments -- export --d1 remote > site.json` copies its data (README, "Backups").';

/** "1.2 MB, 13 tables, 42 comments, schema 5": the one-line summary of the CLIs. */
export function describeDatabaseFile({ bytes, tables, comments, schemaVersion }: DatabaseFileSummary): string {
  return `${prettyBytes(bytes)}, ${tables} tables, ${comments} comment${comments === 1 ? '' : 's'}, schema ${schemaVersion}`;
}

/** The first 16 bytes of every SQLite 3 database file. */
const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * All pages in one step of the online backup. Each step reads under one read transaction, so a
 * single step is a consistent snapshot; with smaller steps, every commit of the running server in
 * between would restart the copy, and under steady writes it might never finish. In WAL mode the
 * reading step does not hold the server's writes up.
 */
const pagesPerStep = 2 ** 31 - 1;

/** The suffixes of the files SQLite keeps beside a database while it is open or after a crash. */
const companionSuffixes = ['-wal', '-shm', '-journal'];

function removeWithCompanions(path: string) {
  for (const suffix of ['', ...companionSuffixes]) rmSync(`${path}${suffix}`, { force: true });
}

function hasSqliteHeader(path: string): boolean {
  const header = Buffer.alloc(sqliteHeader.length);
  const descriptor = openSync(path, 'r');
  try {
    return readSync(descriptor, header, 0, header.length, 0) === header.length && header.equals(sqliteHeader);
  } finally {
    closeSync(descriptor);
  }
}

/** Flushes a file, or a folder's entries after a rename, to the disk. */
function syncToDisk(path: string) {
  const descriptor = openSync(path, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

const isSameFile = (a: string, b: string) => existsSync(a) && existsSync(b) && realpathSync(a) === realpathSync(b);

const formatMigration = (migration: { id: number; name: string }) => `${String(migration.id).padStart(4, '0')}_${migration.name}`;

/**
 * Checks that a file is a sound duizhao database this code can open: an SQLite file, passing
 * `PRAGMA integrity_check`, with duizhao's migrations and none newer than this code knows.
 * Throws an Error that names the file (as `label`) and what is wrong.
 */
function inspectDatabaseFile(path: string, migrations: readonly Migration[], label = path): DatabaseFileSummary {
  if (!existsSync(path)) throw new Error(`${label} does not exist.`);
  if (!statSync(path).isFile()) throw new Error(`${label} is not a file.`);
  if (!hasSqliteHeader(path)) throw new Error(`${label} is not an SQLite database, so not a duizhao database or backup.`);
  let database: DatabaseSync;
  try {
    database = new DatabaseSync(path, { readOnly: true });
  } catch (error) {
    throw new Error(`${label} cannot be opened: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    let problems: string[];
    try {
      problems = (database.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>).map((row) => row.integrity_check);
    } catch (error) {
      throw new Error(`${label} is damaged: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
    }
    if (problems.length !== 1 || problems[0] !== 'ok')
      throw new Error(`${label} is damaged: integrity_check reports ${problems.slice(0, 3).join('; ')}.`);
    const tables = (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map(
      (row) => row.name,
    );
    if (!tables.includes('comment_migrations'))
      throw new Error(`${label} is an SQLite database but not a duizhao one (it has no comment_migrations table).`);
    const applied = database.prepare('SELECT id, name FROM comment_migrations ORDER BY id').all() as Array<{ id: number; name: string }>;
    for (const row of applied) {
      const known = migrations.find((migration) => migration.id === row.id);
      if (known && known.name !== row.name) {
        throw new Error(
          `${label} is not a duizhao database this code can use: its migration ${row.id} is "${row.name}", this code's is "${known.name}".`,
        );
      }
    }
    const newer = applied.filter((row) => !migrations.some((migration) => migration.id === row.id));
    if (newer.length > 0) {
      const latest = migrations.at(-1);
      throw new Error(
        `${label} comes from a newer duizhao: it has migration(s) ${newer.map(formatMigration).join(', ')}, and this code stops at ${latest ? formatMigration(latest) : 'none'}. Update duizhao first.`,
      );
    }
    const comments = tables.includes('comments')
      ? ((database.prepare('SELECT count(*) AS count FROM comments').get() as { count: number }).count ?? 0)
      : 0;
    return { bytes: statSync(path).size, tables: tables.filter(isDataTable).length, comments, schemaVersion: applied.at(-1)?.id ?? 0 };
  } finally {
    database.close();
  }
}

/**
 * Takes a copy out of WAL mode (an online backup keeps the source's): in rollback mode it is one
 * self-contained file that opens read-only without leaving -wal and -shm files beside it. The
 * server turns WAL on again when it opens the database.
 */
function leaveWalMode(path: string) {
  const database = new DatabaseSync(path);
  try {
    database.exec('PRAGMA journal_mode = DELETE');
  } finally {
    database.close();
  }
}

/** Copies `from` (opened read-only) to `to` with SQLite's online backup: a consistent snapshot. */
async function copyDatabase(from: string, to: string) {
  const source = new DatabaseSync(from, { readOnly: true });
  try {
    source.exec('PRAGMA busy_timeout = 5000');
    await backup(source, to, { rate: pagesPerStep });
  } finally {
    source.close();
  }
}

/**
 * `npm run backup`: a consistent copy of a database that a server may be writing, made beside
 * `targetPath` under a temporary name, checked, and only then renamed into place, so `targetPath`
 * is never half a file. SQLite writes the copy itself, so a generic atomic-file-write library does
 * not fit; the temporary-name-and-rename is the same idea by hand.
 */
export async function backupDatabase(
  databasePath: string,
  targetPath: string,
  migrations: readonly Migration[],
): Promise<DatabaseFileSummary> {
  const source = resolve(databasePath);
  const target = resolve(targetPath);
  if (!existsSync(source)) throw new Error(`There is no database at ${databasePath} to back up (COMMENTS_DB).`);
  if (!hasSqliteHeader(source)) throw new Error(`${databasePath} is not an SQLite database (COMMENTS_DB).`);
  if (isSameFile(source, target) || companionSuffixes.some((suffix) => target === `${source}${suffix}`)) {
    throw new Error(`${targetPath} is the database itself; give the backup another name.`);
  }
  if (existsSync(target) && !statSync(target).isFile())
    throw new Error(`${targetPath} is a folder; give the backup a file name inside it.`);
  mkdirSync(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  try {
    await copyDatabase(source, temporary);
    leaveWalMode(temporary);
    const summary = inspectDatabaseFile(temporary, migrations, `The copy of ${databasePath}`);
    syncToDisk(temporary);
    renameSync(temporary, target);
    syncToDisk(dirname(target));
    return summary;
  } catch (error) {
    removeWithCompanions(temporary);
    throw error;
  }
}

/**
 * Throws when another process has the database open, such as the server.
 *
 * How: in WAL mode (which the server always uses) every open connection holds a shared lock on the
 * database file for as long as it is open, idle or not; that is how SQLite knows which connection
 * closes last and may delete the -wal. A connection in `locking_mode = EXCLUSIVE` must take an
 * exclusive lock on the file before its first read, which fails at once (busy_timeout 0) while
 * anyone else holds theirs. `BEGIN EXCLUSIVE` alone would not do: an idle server holds no write lock.
 * A lock file would need the server's cooperation, and the -shm file stays behind after a crash.
 * Closing the probe checkpoints and deletes the old -wal, as the last connection does.
 *
 * This catches a server left running; it cannot stop one from starting during the few
 * milliseconds between this check and the rename.
 */
function assertNotInUse(path: string) {
  const probe = new DatabaseSync(path);
  try {
    probe.exec('PRAGMA busy_timeout = 0');
    probe.exec('PRAGMA locking_mode = EXCLUSIVE');
    probe.prepare('SELECT count(*) FROM sqlite_master').get();
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('COMMIT');
  } catch (error) {
    const code = (error as { errcode?: number }).errcode ?? 0;
    // SQLITE_BUSY and SQLITE_LOCKED, with or without an extended code.
    if ((code & 0xff) === 5 || (code & 0xff) === 6) {
      throw new Error(`${path} is open in another process (is the server running?). Stop the server, then restore again.`, {
        cause: error,
      });
    }
    // SQLITE_NOTADB, SQLITE_CORRUPT: a broken database is what a restore replaces; nobody can be serving it.
    if ((code & 0xff) !== 26 && (code & 0xff) !== 11) throw error;
  } finally {
    probe.close();
  }
}

export interface RestoreResult {
  /** The restored database, after migrating. */
  summary: DatabaseFileSummary;
  /** The migration the backup had before it was brought forward. */
  backupSchemaVersion: number;
  /** Where the database that was replaced is kept, if there was one. */
  previousPath: string | undefined;
}

/**
 * `npm run restore`: checks the backup, copies it beside the database, migrates the copy forward
 * like the server would, checks it again, and renames it over the database (an atomic swap: the
 * path is always either the old or the new database, never half of one). The replaced database is
 * kept as `<database>.before-restore`. Refuses while another process has the database open.
 */
export async function restoreDatabase(backupPath: string, databasePath: string, migrations: readonly Migration[]): Promise<RestoreResult> {
  const target = resolve(databasePath);
  if (isSameFile(backupPath, target)) throw new Error(`${backupPath} is the database itself.`);
  const incoming = inspectDatabaseFile(backupPath, migrations);
  if (existsSync(target) && !statSync(target).isFile()) throw new Error(`${databasePath} (COMMENTS_DB) is not a file.`);
  mkdirSync(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.restoring`);
  try {
    await copyDatabase(backupPath, temporary);
    const driver = createSqliteDriver(temporary);
    try {
      await migrate(driver, migrations);
    } finally {
      await driver.close();
    }
    leaveWalMode(temporary);
    const summary = inspectDatabaseFile(temporary, migrations, `The restored copy of ${backupPath}`);
    syncToDisk(temporary);
    let previousPath: string | undefined;
    if (existsSync(target)) {
      assertNotInUse(target);
      previousPath = `${databasePath}.before-restore`;
      rmSync(previousPath, { force: true });
      linkSync(target, previousPath);
    }
    // A -wal left beside the path would be replayed into the restored database: it belongs to the old one.
    for (const suffix of companionSuffixes) rmSync(`${target}${suffix}`, { force: true });
    renameSync(temporary, target);
    syncToDisk(dirname(target));
    return { summary, backupSchemaVersion: incoming.schemaVersion, previousPath };
  } catch (error) {
    removeWithCompanions(temporary);
    throw error;
  }
}
