import { describe, expect, it } from 'vitest';
import { toExportFile } from '../../src/lib/comments/transfer.ts';
import { isDataTable, readDatabaseSchema } from '../../src/lib/db/database-schema.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import {
  exportSite,
  exportTablePolicies,
  formatSiteExport,
  importSite,
  parseImportFile,
  planSiteImport,
  type SiteExport,
} from '../../src/lib/db/site-export.ts';
import type { SnapshotReader } from '../../src/lib/db/snapshot-reader.ts';
import { makeComment } from '../contract/comment-store.contract.ts';
import { everyTableRows, fillEveryTable } from '../support/site-data.ts';

/** An in-memory database has one connection, so reading through the driver is a snapshot already. */
const readThrough =
  (driver: SqlDriver): SnapshotReader =>
  async (queries) =>
    Promise.all(queries.map(({ sql, params }) => driver.all<Record<string, unknown>>(sql, params)));

async function openDatabase(migrations = commentMigrations): Promise<SqlDriver> {
  const driver = createSqliteDriver(':memory:');
  await migrate(driver, migrations);
  return driver;
}

async function exportFilled(): Promise<SiteExport> {
  const driver = await openDatabase();
  await fillEveryTable(driver);
  const exported = await exportSite(driver, readThrough(driver), new Date('2026-01-02T03:04:05.000Z'));
  await driver.close();
  return exported;
}

const withoutTime = ({ exportedAt: _exportedAt, ...rest }: SiteExport) => rest;

async function countRows(driver: SqlDriver): Promise<Record<string, number>> {
  const schema = await readDatabaseSchema(driver);
  const counts: Record<string, number> = {};
  for (const table of schema.tables)
    counts[table.name] = (await driver.get<{ rows: number }>(`SELECT count(*) AS rows FROM "${table.name}"`))?.rows ?? 0;
  return counts;
}

describe('whole-site export: the schema', () => {
  it('knows every table the migrations create, and names no table they do not', async () => {
    const driver = await openDatabase();
    const tables = (await readDatabaseSchema(driver)).tables.map((table) => table.name);
    await driver.close();
    // A new migration's table fails here until exportTablePolicies says whether exports carry it.
    expect(tables.filter((name) => !Object.hasOwn(exportTablePolicies, name))).toEqual([]);
    // Tables later migrations dropped stay named, for exports from databases made before them.
    const dropped = ['sign_in_failures'];
    expect(Object.keys(exportTablePolicies).filter((name) => !tables.includes(name))).toEqual(dropped);
  });

  it('the test data fills every data table, so the round trips below cover each', async () => {
    const driver = await openDatabase();
    await fillEveryTable(driver);
    const counts = await countRows(driver);
    await driver.close();
    expect(Object.entries(counts).filter(([, rows]) => rows === 0)).toEqual([]);
    expect(Object.keys(counts).every(isDataTable)).toBe(true);
  });

  it('refuses to export a database with a table it does not know, naming the table and where to add it', async () => {
    const driver = await openDatabase();
    await driver.run('CREATE TABLE essay_bookmarks (essay TEXT PRIMARY KEY)');
    await expect(exportSite(driver, readThrough(driver))).rejects.toThrow(
      /"essay_bookmarks".*exportTablePolicies in src\/lib\/db\/site-export\.ts/,
    );
    await driver.close();
  });

  it("reads the migration version from comment_migrations, or from the file names in D1's d1_migrations", async () => {
    const driver = await openDatabase();
    expect((await readDatabaseSchema(driver)).version).toBe(commentMigrations.at(-1)?.id);
    await driver.close();
    const d1 = createSqliteDriver(':memory:');
    await d1.run('CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP)');
    await d1.run("INSERT INTO d1_migrations (name) VALUES ('0001_init.sql'), ('0003_webhook_outbox.sql'), ('0002_moderation.sql')");
    expect((await readDatabaseSchema(d1)).version).toBe(3);
    await d1.close();
  });
});

describe('whole-site export: the file', () => {
  it('carries every row of every carried table, names the omitted ones with a reason, and never a session', async () => {
    const exported = await exportFilled();
    expect(exported).toMatchObject({
      format: 'duizhao-export',
      version: 1,
      exportedAt: '2026-01-02T03:04:05.000Z',
      schemaVersion: commentMigrations.at(-1)?.id,
    });
    expect(Object.keys(exported.omitted).sort()).toEqual(['moderator_sessions', 'view_networks', 'view_salts', 'view_visitors']);
    expect(Object.values(exported.omitted).every((reason) => reason.length > 20)).toBe(true);
    expect(Object.keys(exported.tables)).not.toContain('moderator_sessions');
    expect(exported.tables.comments?.rows).toHaveLength(3);
    expect(exported.tables.comment_settings?.rows).toEqual([['secret', 'generated-secret-0123456789abcdef']]);
    expect(exported.tables.moderation_log?.rows.map((row) => row[0])).toEqual([1, 2, 7]);
    expect(exported.tables.sign_in_attempts?.rows).toHaveLength(2);
    expect(exported.tables.comment_posts?.rows).toHaveLength(2);
    const comments = exported.tables.comments;
    const body = comments?.rows.find((row) => row[0] === 'z-parent')?.[comments.columns.indexOf('body')];
    expect(body).toBe('第一行\n第二行 😀 "quoted" \\ back\tslash </script>');
  });

  it('is JSON with one row a line, and reads back to the same value', async () => {
    const exported = await exportFilled();
    const text = formatSiteExport(exported);
    expect(JSON.parse(text)).toEqual(exported);
    expect(text).toContain('\n        ["a-reply","deadline","en","z-parent",');
    expect(parseImportFile(text)).toEqual({ kind: 'site', file: exported });
  });

  it('round-trips: export, import into an empty database, export again gives the same file', async () => {
    const first = await exportFilled();
    const driver = await openDatabase();
    const counts = await importSite(driver, (parseImportFile(formatSiteExport(first)) as { file: SiteExport }).file);
    expect(counts.comments).toBe(3);
    const second = await exportSite(driver, readThrough(driver));
    expect(withoutTime(second)).toEqual(withoutTime(first));
    await driver.close();
  });

  it("inserts in groups of at most 100 bound values (D1's limit per statement)", async () => {
    const first = await exportFilled();
    const comments = first.tables.comments;
    if (!comments) throw new Error('no comments');
    const many = Array.from({ length: 40 }, (_, index) =>
      comments.columns.map((column) =>
        column === 'id' ? `bulk-${index}` : column === 'parent_id' ? null : (comments.rows[0]?.[comments.columns.indexOf(column)] ?? null),
      ),
    );
    const file = { ...first, tables: { ...first.tables, comments: { ...comments, rows: [...comments.rows, ...many] } } };
    const driver = await openDatabase();
    const statements = planSiteImport(file, await readDatabaseSchema(driver));
    expect(Math.max(...statements.map((statement) => statement.params?.length ?? 0))).toBeLessThanOrEqual(100);
    await importSite(driver, file);
    expect((await driver.get<{ rows: number }>('SELECT count(*) AS rows FROM comments'))?.rows).toBe(43);
    await driver.close();
  });

  it('still reads the comments-only file of earlier versions', () => {
    const comment = { ...makeComment(), createdAt: new Date(0), moderatedAt: null };
    const parsed = parseImportFile(JSON.stringify(toExportFile([{ ...comment, ipHash: null }])));
    expect(parsed).toEqual({ kind: 'comments', comments: [{ ...comment, ipHash: null }] });
  });
});

describe('whole-site import: refusals', () => {
  const refuse = (text: string, message: string | RegExp) => expect(() => parseImportFile(text)).toThrow(message);

  it('names what is wrong with a file before touching any database', async () => {
    const text = formatSiteExport(await exportFilled());
    const value = JSON.parse(text) as SiteExport;
    refuse(text.slice(0, Math.floor(text.length / 2)), 'not JSON (is it cut short?)');
    refuse('', 'not JSON');
    refuse('[]', 'not a duizhao export');
    refuse(JSON.stringify({ ...value, format: 'isso' }), 'not a duizhao export');
    refuse(JSON.stringify({ ...value, version: 2 }), 'Unsupported export version 2');
    refuse(JSON.stringify({ ...value, schemaVersion: 'five' }), 'Invalid export file at schemaVersion');
    refuse(JSON.stringify({ ...value, extra: true }), 'Invalid export file');
    refuse(
      JSON.stringify({ ...value, tables: { comments: { columns: ['id'], rows: [['a', 'b']] } } }),
      'tables.comments.rows.0: 2 values for 1 columns',
    );
    refuse(JSON.stringify({ ...value, tables: { comments: { columns: ['id'], rows: [[{ id: 'a' }]] } } }), 'tables.comments.rows.0.0');
    refuse(JSON.stringify({ ...value, tables: { comments: { columns: ['id', 'id'], rows: [] } } }), 'named twice');
    refuse(
      JSON.stringify({ ...value, tables: {} }).replace('"tables":{}', '"tables":{"__proto__":{"columns":["x"],"rows":[]}}'),
      'a table named "__proto__"',
    );
    refuse(text.replace(',123456789]', ',12345678901234567890]'), 'too large to have been read exactly');
    // 100,000 arrays deep: an error message, not a stack overflow.
    refuse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'not a duizhao export');
    const deepRow = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    refuse(
      JSON.stringify({ ...value, tables: {} }).replace('"tables":{}', `"tables":{"comments":{"columns":["id"],"rows":[${deepRow}]}}`),
      'Invalid export file at tables.comments.rows.0.0',
    );
  });

  it('checks the file against the database: newer schema, unknown tables and columns, missing tables, repeated keys, dangling references', async () => {
    const file = await exportFilled();
    const driver = await openDatabase();
    const schema = await readDatabaseSchema(driver);
    const plan = (changed: Partial<SiteExport>) => () => planSiteImport({ ...file, ...changed }, schema);
    const tables = file.tables;
    const comments = tables.comments;
    if (!comments) throw new Error('no comments');
    expect(plan({ schemaVersion: schema.version + 1 })).toThrow(
      `newer schema (migration ${schema.version + 1}) than this database (migration ${schema.version})`,
    );
    expect(plan({ tables: { ...tables, bookmarks: { columns: ['x'], rows: [] } } })).toThrow(
      'a table "bookmarks" that this database does not have',
    );
    expect(plan({ tables: { ...tables, moderator_sessions: { columns: ['token_hash'], rows: [] } } })).toThrow(
      '"moderator_sessions", which exports never carry',
    );
    expect(plan({ tables: { ...tables, comments: { ...comments, columns: [...comments.columns.slice(0, -1), 'mood'] } } })).toThrow(
      'a column "mood" that this database does not have',
    );
    const { moderators: _moderators, ...withoutModerators } = tables;
    expect(plan({ tables: withoutModerators })).toThrow('lacks table(s) moderators');
    expect(plan({ tables: { ...tables, comments: { ...comments, rows: [...comments.rows, comments.rows[0] ?? []] } } })).toThrow(
      '"comments" has the key id = ["a-reply"] twice (rows.3)',
    );
    const orphan = comments.rows.map((row) => (row[0] === 'a-reply' ? row.map((cell) => (cell === 'z-parent' ? 'gone' : cell)) : row));
    expect(plan({ tables: { ...tables, comments: { ...comments, rows: orphan } } })).toThrow(
      'refers to comments id = ["gone"], which is not in the file',
    );
    // An older file may lack the tables later migrations made.
    expect(plan({ schemaVersion: 1, tables: withoutModerators })).not.toThrow();
    await driver.close();
  });

  it('refuses a database that holds data, and with replace swaps everything in one transaction', async () => {
    const file = await exportFilled();
    const driver = await openDatabase();
    await driver.run("INSERT INTO moderators (name, password_hash, created_at) VALUES ('mallory', 'scrypt$1', 1)");
    await driver.run(
      "INSERT INTO moderator_sessions (token_hash, moderator, created_at, expires_at) VALUES ('old-session', 'mallory', 1, 2)",
    );
    await expect(importSite(driver, file)).rejects.toThrow(
      'already holds data (moderators: 1 row). Import into an empty database, or add --replace',
    );
    await importSite(driver, file, { shouldReplace: true });
    expect(await driver.all('SELECT name FROM moderators ORDER BY name')).toEqual([{ name: 'alice' }, { name: '编辑' }]);
    // Sessions are not in the file: replacing signs everyone out.
    expect(await driver.all('SELECT token_hash FROM moderator_sessions')).toEqual([]);
    await driver.close();
  });

  it('imports nothing when the database refuses one row', async () => {
    const file = await exportFilled();
    const comments = file.tables.comments;
    if (!comments) throw new Error('no comments');
    const lang = comments.columns.indexOf('lang');
    const bad = {
      ...file,
      tables: {
        ...file.tables,
        comments: {
          ...comments,
          rows: comments.rows.map((row, index) => (index === 2 ? row.map((cell, column) => (column === lang ? 'fr' : cell)) : row)),
        },
      },
    };
    const driver = await openDatabase();
    await expect(importSite(driver, bad)).rejects.toThrow(/CHECK constraint failed/);
    expect(Object.values(await countRows(driver)).every((rows) => rows === 0)).toBe(true);
    await driver.run("INSERT INTO moderators (name, password_hash, created_at) VALUES ('kept', 'scrypt$1', 1)");
    await expect(importSite(driver, bad, { shouldReplace: true })).rejects.toThrow(/CHECK constraint failed/);
    expect(await driver.all('SELECT name FROM moderators')).toEqual([{ name: 'kept' }]);
    await driver.close();
  });

  it('an older file imports into a newer schema', async () => {
    const older = commentMigrations.filter((migration) => migration.id <= 3);
    const source = await openDatabase(older);
    const firstThree = everyTableRows.filter(({ sql }) =>
      /INTO (comments|comment_settings|moderators|moderator_sessions|sign_in_failures|moderation_log|webhook_outbox) /.test(sql),
    );
    await source.batch(firstThree);
    const file = await exportSite(source, readThrough(source));
    await source.close();
    expect(file.schemaVersion).toBe(3);
    const target = await openDatabase();
    await importSite(target, file);
    expect((await target.get<{ rows: number }>('SELECT count(*) AS rows FROM comments'))?.rows).toBe(3);
    await target.close();
  });
});
