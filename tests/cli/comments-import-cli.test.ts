import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectCopy, removeProjectCopies, type ProjectCopy, type RunResult } from './project-copy.ts';
import { readEveryTable } from '../support/site-data.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'comment-imports');
const fixture = (name: string) => join(fixtures, name);
// Each command starts Node; on a busy machine that takes a while.
const slow = { timeout: 120_000 };
let project: ProjectCopy;
let databases = 0;

beforeAll(() => {
  project = createProjectCopy();
});
afterAll(removeProjectCopies);

function newDatabase() {
  databases += 1;
  const relative = `data/imported-${databases}.db`;
  return { env: { COMMENTS_DB: relative }, path: join(project.root, relative) };
}

const importFrom = (env: Record<string, string>, ...args: string[]) =>
  project.runWith({ env, timeout: 60_000 }, 'comments.ts', 'import', '--from', ...args);

interface CommentRow {
  id: string;
  essay: string;
  lang: string;
  parent_id: string | null;
  name: string;
  body: string;
  format: string;
  is_author: number;
  status: string;
  created_at: number;
}
const readComments = (path: string) =>
  (readEveryTable(path, { isDataOnly: true }).comments as unknown as CommentRow[]).sort((a, b) => a.id.localeCompare(b.id));

function expectOneLineRefusal(result: RunResult, message: string) {
  expect(result.status, result.stderr).toBe(1);
  expect(result.stderr.trimEnd().split('\n'), result.stderr).toEqual([message]);
}

describe('npm run comments -- import --from', slow, () => {
  it('imports a Waline file (with a --map for an old address) and a Disqus file into one database', () => {
    const database = newDatabase();
    const waline = importFrom(database.env, 'waline', fixture('waline.json'), '--map', fixture('waline-map.json'));
    expect(waline.status, waline.stderr).toBe(0);
    expect(waline.stderr).toBe(`Imported 5 waline comments into the database ${database.env.COMMENTS_DB}.\n`);
    const disqus = importFrom(database.env, 'disqus', fixture('disqus.xml'));
    expect(disqus.status, disqus.stderr).toBe(0);
    const rows = readComments(database.path);
    expect(rows.map((row) => row.id)).toEqual([
      'disqus-3001',
      'disqus-3002',
      'disqus-3003',
      'disqus-3004',
      'disqus-3005',
      'waline-65a1f0c2e4b0a1',
      'waline-65a1f0c2e4b0a2',
      'waline-65a1f0c2e4b0a3',
      'waline-65a1f0c2e4b0a4',
      'waline-65a1f0c2e4b0a5',
    ]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get('waline-65a1f0c2e4b0a2')).toMatchObject({
      essay: 'the-rednote-name',
      lang: 'zh',
      parent_id: 'waline-65a1f0c2e4b0a1',
      name: '作者',
      is_author: 1,
      status: 'approved',
      created_at: Date.parse('2025-01-20T09:30:00.000Z'),
    });
    expect(byId.get('waline-65a1f0c2e4b0a3')).toMatchObject({ status: 'pending', format: 'plain' });
    expect(byId.get('disqus-3001')).toMatchObject({
      essay: 'who-welcomed-them',
      lang: 'zh',
      body: '欢迎来到小红书。\n\n第二段 链接 [https://example.cn/p]',
      format: 'plain',
    });
    expect(byId.get('disqus-3004')).toMatchObject({ parent_id: 'disqus-3003', is_author: 1 });
    expect(byId.get('disqus-3003')?.status).toBe('rejected');
    expect(rows.every((row) => !/<[a-z]/i.test(row.body.replace('<script> stays text', '')))).toBe(true);

    // The same file again: the ids are already there, so nothing is doubled.
    const again = importFrom(database.env, 'waline', fixture('waline.json'), '--map', fixture('waline-map.json'));
    expectOneLineRefusal(
      again,
      'Error: Nothing was imported: UNIQUE constraint failed: comments.id (was this file imported before? Its ids are already there.)',
    );
    expect(readComments(database.path)).toEqual(rows);
  });

  it('--dry-run prints the report per essay and language and writes nothing', () => {
    const database = newDatabase();
    const result = importFrom(database.env, 'waline', fixture('waline.json'), '--map', fixture('waline-map.json'), '--dry-run');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        `waline export ${fixture('waline.json')}: 5 rows read.`,
        'Can import 5:',
        '  the-rednote-name (zh): 3 (3 approved)',
        '  who-welcomed-them (en): 2 (1 pending, 1 spam)',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('Dry run: nothing was written.\n');
    expect(existsSync(database.path)).toBe(false);
  });

  it('imports nothing when any row cannot be mapped, and the report says which and why', () => {
    const database = newDatabase();
    const result = importFrom(database.env, 'waline', fixture('waline-unmappable.json'));
    expectOneLineRefusal(result, 'Nothing was imported: 5 rows cannot be mapped (listed above).');
    expect(result.stdout).toContain('Can import 1:\n  who-welcomed-them (en): 1 (1 approved)\nCannot import 5:\n');
    expect(result.stdout).toContain('  gone1 (/en/essays/no-such-essay/): unknown URL (not an essay page here; add it to a --map file)\n');
    expect(result.stdout).toContain('  orphan1 (/en/essays/who-welcomed-them/): parent deleted-long-ago missing or not imported\n');
    expect(result.stdout).toContain('  empty1 (/en/essays/who-welcomed-them/): empty body\n');
    expect(result.stdout).toContain('  date1 (/en/essays/who-welcomed-them/): bad date "last Tuesday"\n');
    expect(existsSync(database.path)).toBe(false);
  });

  it('a malformed file exits 1 with one clear line and writes nothing', () => {
    const database = newDatabase();
    expect(importFrom(database.env, 'twikoo', fixture('twikoo.json')).status).toBe(0);
    const before = readComments(database.path);
    expect(before).toHaveLength(3);
    const refusals: [string[], string][] = [
      [
        ['disqus', fixture('disqus-bad.xml')],
        "Error: Not a Disqus export: bad XML at line 7: Expected closing tag 'post' (opened in line 4, col 3) instead of closing tag 'disqus'.",
      ],
      [['waline', fixture('waline-wrong-shape.json')], 'Error: Not a Waline export: expected {"data": {"Comment": [...]}}.'],
      [['waline', fixture('disqus.xml')], expect.stringMatching(/^Error: Not a Waline export: not JSON \(/) as unknown as string],
      [['wordpress', fixture('waline.json')], expect.stringMatching(/^Error: Not a WordPress export: /) as unknown as string],
      [['twikoo', fixture('twikoo-not-utf8.json')], `Error: ${fixture('twikoo-not-utf8.json')} is not UTF-8 text.`],
      [
        ['twikoo', fixture('no-such-file.json')],
        expect.stringMatching(/^Error: Cannot read .*no-such-file\.json: ENOENT/) as unknown as string,
      ],
      [
        ['wordpress', fixture('wordpress.xml'), '--map', fixture('waline.json')],
        expect.stringMatching(/^Error: The --map file must be/) as unknown as string,
      ],
    ];
    for (const [args, message] of refusals) {
      const result = importFrom(database.env, ...args);
      expectOneLineRefusal(result, message);
      expect(result.stdout).toBe('');
    }
    const missingFields = importFrom(database.env, 'twikoo', fixture('twikoo-missing-fields.json'));
    expectOneLineRefusal(missingFields, 'Nothing was imported: 2 rows cannot be mapped (listed above).');
    expect(missingFields.stdout).toContain('  t1: missing or wrong field comment: ');
    expect(readComments(database.path)).toEqual(before);
  });

  it('refuses an unknown system, a missing file name and extra arguments with the usage (exit 2)', () => {
    const database = newDatabase();
    for (const args of [
      ['blogger', fixture('waline.json')],
      ['waline'],
      ['waline', fixture('waline.json'), 'extra'],
      ['waline', fixture('waline.json'), '--bogus'],
    ]) {
      const result = importFrom(database.env, ...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^Usage: npm run -s comments -- .*import --from waline\|twikoo\|disqus\|wordpress <file>/);
    }
    expect(existsSync(database.path)).toBe(false);
  });
});
