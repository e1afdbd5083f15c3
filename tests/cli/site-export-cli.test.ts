import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { toExportFile } from '../../src/lib/comments/transfer.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SiteExport } from '../../src/lib/db/site-export.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { getWranglerEnvironment } from '../../src/lib/db/wrangler-environment.ts';
import { makeComment } from '../contract/comment-store.contract.ts';
import { fillEveryTable, readEveryTable } from '../support/site-data.ts';
import { createProjectCopy, removeProjectCopies, type ProjectCopy, type RunResult } from './project-copy.ts';

// Each command starts Node (and, for --d1 local, workerd); on a busy machine that takes a while.
const slow = { timeout: 240_000 };
let project: ProjectCopy;
let databases = 0;

beforeAll(() => {
  project = createProjectCopy();
});
afterAll(removeProjectCopies);

function newDatabase(): { env: { COMMENTS_DB: string }; path: string } {
  databases += 1;
  const relative = `data/export-${databases}.db`;
  return { env: { COMMENTS_DB: relative }, path: join(project.root, relative) };
}

async function createFilledDatabase() {
  const database = newDatabase();
  const driver = createSqliteDriver(database.path);
  await migrate(driver, commentMigrations);
  await fillEveryTable(driver);
  await driver.close();
  return database;
}

const comments = (env: Record<string, string>, ...args: string[]) => project.runWith({ env, timeout: 120_000 }, 'comments.ts', ...args);

/** Runs an export that must succeed and returns the file, its text saved under `file`. */
function exportTo(env: Record<string, string>, file: string, ...args: string[]): SiteExport {
  const result = comments(env, 'export', ...args);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toMatch(
    /^Exported \d+ rows of \d+ tables from the .*; left out: moderator_sessions, view_networks, view_salts, view_visitors \(reasons in the file's "omitted"\)\.\n$/,
  );
  project.write(file, result.stdout);
  return JSON.parse(result.stdout) as SiteExport;
}

const withoutTime = ({ exportedAt: _exportedAt, ...rest }: SiteExport) => rest;

function expectNothingImported(result: RunResult, message: string) {
  expect(result.status, result.stderr).toBe(1);
  expect(result.stderr).toContain(message);
  expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('npm run comments -- export / import (node:sqlite)', slow, () => {
  it('exports every carried table; importing into a fresh database and exporting again gives the same file', async () => {
    const source = await createFilledDatabase();
    const first = exportTo(source.env, 'exports/first.json');
    expect(Object.values(first.tables).every((table) => table.rows.length > 0)).toBe(true);

    const target = newDatabase();
    const imported = comments(target.env, 'import', 'exports/first.json');
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(
      new RegExp(
        `^Imported \\d+ rows into ${Object.keys(first.tables).length} tables of the database data/export-\\d+\\.db \\(.*comments 3.*\\)\\.\\n$`,
      ),
    );
    expect(withoutTime(exportTo(target.env, 'exports/second.json'))).toEqual(withoutTime(first));
    // Row for row in the carried tables; the omitted ones are empty.
    const [before, after] = [readEveryTable(source.path, { isDataOnly: true }), readEveryTable(target.path, { isDataOnly: true })];
    for (const name of Object.keys(first.tables)) expect(after[name], name).toEqual(before[name]);
    for (const name of Object.keys(first.omitted)) expect(after[name], name).toEqual([]);
  });

  it('refuses to import over data unless told --replace, which swaps everything at once', async () => {
    const source = await createFilledDatabase();
    exportTo(source.env, 'exports/replace.json');
    const target = await createFilledDatabase();
    const driver = createSqliteDriver(target.path);
    await driver.run("UPDATE comments SET body = 'edited since' WHERE id = 'z-parent'");
    await driver.close();
    const before = readEveryTable(target.path);
    expectNothingImported(
      comments(target.env, 'import', 'exports/replace.json'),
      'Nothing was imported: The database already holds data (collect_actions: 2 rows, comment_posts: 2 rows, comment_settings: 1 row, comments: 3 rows',
    );
    expect(readEveryTable(target.path)).toEqual(before);
    const replaced = comments(target.env, 'import', 'exports/replace.json', '--replace');
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(replaced.stderr).toContain(', replacing what was there');
    expect(readEveryTable(target.path, { isDataOnly: true }).comments).toEqual(readEveryTable(source.path, { isDataOnly: true }).comments);
    expect(readEveryTable(target.path, { isDataOnly: true }).moderator_sessions).toEqual([]);
  });

  it('a malformed, cut-short or non-UTF-8 file imports nothing and says what is wrong', async () => {
    const source = await createFilledDatabase();
    exportTo(source.env, 'exports/good.json');
    const text = readFileSync(join(project.root, 'exports/good.json'), 'utf8');
    const target = newDatabase();
    const refused = (name: string, content: string | Buffer, message: string) => {
      writeFileSync(join(project.root, 'exports', name), content);
      expectNothingImported(comments(target.env, 'import', `exports/${name}`), message);
    };
    refused('cut.json', text.slice(0, Math.floor(text.length * 0.6)), 'Error: The file is not JSON (is it cut short?).');
    refused(
      'latin1.json',
      Buffer.concat([Buffer.from(text.slice(0, 40)), Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(40))]),
      'exports/latin1.json is not UTF-8 text.',
    );
    refused('other.json', JSON.stringify({ format: 'wordpress', posts: [] }), 'not a duizhao export');
    refused(
      'wrong-row.json',
      text.replace('["alice",', '["alice",1,'),
      'Invalid export file at tables.moderators.rows.0: 4 values for 3 columns.',
    );
    // The database's own checks (here: a language it does not know) undo the whole import.
    refused(
      'wrong-lang.json',
      text.replace('"a-reply","deadline","en"', '"a-reply","deadline","fr"'),
      'Nothing was imported: CHECK constraint failed',
    );
    expectNothingImported(comments(target.env, 'import', 'exports/none.json'), 'Cannot read exports/none.json');
    expectNothingImported(
      comments({ COMMENTS_DB: 'data/no-such.db' }, 'export'),
      'There is no database at data/no-such.db to export (COMMENTS_DB).',
    );
    expect(readdirSync(join(project.root, 'data'))).not.toContain('no-such.db');
    expect(comments(target.env, 'import').status).toBe(2);
    expect(comments(target.env, 'export', 'extra').status).toBe(2);

    const rows = readEveryTable(target.path, { isDataOnly: true });
    expect(Object.entries(rows).filter(([, tableRows]) => tableRows.length > 0)).toEqual([]);
  });

  it('still imports a comments-only file of the earlier format, adding to what is there', async () => {
    const target = await createFilledDatabase();
    const parent = {
      ...makeComment({ body: '旧格式 😀' }),
      ipHash: 'old-hash',
      moderatedAt: null,
      createdAt: new Date(Date.UTC(2024, 5, 1)),
    };
    const reply = {
      ...makeComment({ parentId: parent.id, status: 'approved', isAuthor: true }),
      ipHash: null,
      moderatedAt: new Date(Date.UTC(2024, 5, 2)),
      createdAt: new Date(Date.UTC(2024, 5, 2)),
    };
    project.write('exports/legacy.json', JSON.stringify(toExportFile([reply, parent]), null, 2));
    const imported = comments(target.env, 'import', 'exports/legacy.json');
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toBe(`Imported 2 comments (a comments-only file) into the database ${target.env.COMMENTS_DB}.\n`);
    const driver = createSqliteDriver(target.path);
    const stored = await createCommentStore(driver).exportComments();
    await driver.close();
    expect(stored.filter((comment) => comment.id === parent.id || comment.id === reply.id)).toEqual([parent, reply]);
    expect(stored).toHaveLength(5);
    expectNothingImported(comments(target.env, 'import', 'exports/legacy.json'), 'Nothing was imported');
    expectNothingImported(comments(target.env, 'import', 'exports/legacy.json', '--replace'), '--replace is for whole-site exports');
  });
});

describe('npm run comments -- export / import --d1 local (Cloudflare D1 in workerd)', { timeout: 600_000 }, () => {
  /** A local D1 of its own, migrated the way npm run preview:cloudflare does it. */
  function createLocalD1(name: string): Record<string, string> {
    const stateDir = join(project.root, 'data', name);
    const env = { ...getWranglerEnvironment(project.root, process.env), CLOUDFLARE_STATE_DIR: stateDir };
    const wrangler = join(project.root, 'node_modules/wrangler/bin/wrangler.js');
    const migrated = spawnSync(
      join(project.root, 'node_modules/.bin/node'),
      [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local', '--config', 'scripts/cloudflare/wrangler.jsonc', '--persist-to', stateDir],
      { cwd: project.root, env, encoding: 'utf8', timeout: 120_000 },
    );
    expect(migrated.status, migrated.stderr).toBe(0);
    return { CLOUDFLARE_STATE_DIR: stateDir };
  }

  it('moves a site from node:sqlite to D1 and back without losing a row; a refused import leaves D1 empty', async () => {
    const source = await createFilledDatabase();
    const first = exportTo(source.env, 'exports/to-d1.json');
    const d1 = createLocalD1('d1-move');

    const text = readFileSync(join(project.root, 'exports/to-d1.json'), 'utf8');
    project.write('exports/bad-for-d1.json', text.replace('"a-reply","deadline","en"', '"a-reply","deadline","fr"'));
    expectNothingImported(comments(d1, 'import', 'exports/bad-for-d1.json', '--d1', 'local'), 'Nothing was imported');

    const imported = comments(d1, 'import', 'exports/to-d1.json', '--d1', 'local');
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('tables of the local D1 database DB');
    const fromD1 = exportTo(d1, 'exports/from-d1.json', '--d1', 'local');
    expect(withoutTime(fromD1)).toEqual(withoutTime(first));
    expectNothingImported(comments(d1, 'import', 'exports/to-d1.json', '--d1', 'local'), 'The database already holds data');

    const back = newDatabase();
    const returned = comments(back.env, 'import', 'exports/from-d1.json');
    expect(returned.status, returned.stderr).toBe(0);
    const [before, after] = [readEveryTable(source.path, { isDataOnly: true }), readEveryTable(back.path, { isDataOnly: true })];
    for (const name of Object.keys(first.tables)) expect(after[name], name).toEqual(before[name]);
    expect(readdirSync(join(project.root, 'data')).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});
