import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetSchema } from '../../src/lib/charts/dataset-schema.ts';
import { createProjectCopy, removeProjectCopies, type ProjectCopy } from './project-copy.ts';

// Each test spawns several Node processes; on a busy machine that takes longer than vitest's default 5 s.
const slow = { timeout: 60_000 };
const daily = 'content/data/tiktokrefugee-tag-daily.json';
const markets = 'content/data/platform-monthly-users.json';
let project: ProjectCopy;

const readBytes = (path: string) => readFileSync(join(project.root, path));
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(project.root, path), 'utf8'));
const data = (...args: string[]) => project.run('data.ts', ...args);
const listDataFiles = () => readdirSync(join(project.root, 'content/data')).sort();

/** Runs a command that must fail: exit 1, one line on stderr naming `path`, and every data file as it was. */
function expectRefused(path: string, args: string[], message: string) {
  const files = listDataFiles();
  const before = files.map((name) => readBytes(`content/data/${name}`));
  const { status, stdout, stderr } = data(...args);
  expect(status, stderr).toBe(1);
  expect(stdout).toBe('');
  expect(stderr.trimEnd().split('\n'), stderr).toHaveLength(1);
  expect(stderr).toContain(path);
  expect(stderr).toContain(message);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(listDataFiles()).toEqual(files);
  files.forEach((name, index) => expect(readBytes(`content/data/${name}`).equals(before[index] ?? Buffer.alloc(0)), name).toBe(true));
}

beforeAll(() => {
  project = createProjectCopy();
});
afterAll(removeProjectCopies);

describe('npm run data -- add', slow, () => {
  it('appends a later date and inserts an earlier one in order, keeping the layout and the schema', () => {
    const later = data('add', 'tiktokrefugee-tag-daily', '2025-01-21', 'views=30000000', 'notes=80000');
    expect(later).toMatchObject({ status: 0, stdout: `Added 2025-01-21 to ${daily}: views=30000000, notes=80000, comments=null.\n` });
    expect(data('add', 'tiktokrefugee-tag-daily', '2025-01-10', 'views=100', 'comments=2').status).toBe(0);
    const text = readBytes(daily).toString('utf8');
    expect(text).toContain(
      '"values": ["2025-01-10", "2025-01-11", "2025-01-12", "2025-01-13", "2025-01-14", "2025-01-15", "2025-01-16", "2025-01-17", "2025-01-18", "2025-01-19", "2025-01-20", "2025-01-21"]',
    );
    expect(text).toContain(
      '"values": [100, 8000, 15000, 420000, 5200000, 18000000, 32000000, 41000000, 52000000, 61000000, 36000000, 30000000]',
    );
    expect(text).toContain('"values": [null, 40, 70, 2600, 31000, 86000, 120000, 135000, 142000, 158000, 90000, 80000]');
    expect(text).toContain('"values": [2, 120, 260, 9800, 150000, 520000, 870000, 990000, 1080000, 1240000, 700000, null]');
    expect(text).toContain('  "unit": { "zh": "每日数量", "en": "count per day" },\n');
    expect(text.endsWith('}\n')).toBe(true);
    expect(datasetSchema.safeParse(readJson(daily)).success).toBe(true);
  });

  it('corrects an existing date with --replace, changing only the named series', () => {
    const { status, stdout } = data('add', 'tiktokrefugee-tag-daily', '2025-01-20', 'views=37000000', '--replace');
    expect(status).toBe(0);
    expect(stdout).toBe(`Replaced 2025-01-20 in ${daily}: views 36000000 → 37000000.\n`);
    expect(readBytes(daily).toString('utf8')).toContain('61000000, 37000000, 30000000]');
    expect(readBytes(daily).toString('utf8')).toContain('158000, 90000, 80000]');
  });

  it('adds a category with its names in both languages, and corrects one', () => {
    const added = data('add', 'platform-monthly-users', 'kwai-global', 'mau=75000000', '--zh', 'Kwai（全球）', '--en', 'Kwai (global)');
    expect(added).toMatchObject({ status: 0, stdout: `Added kwai-global to ${markets}: mau=75000000.\n` });
    const text = readBytes(markets).toString('utf8');
    expect(text).toContain(
      '      { "id": "kwai-brazil", "zh": "Kwai（巴西）", "en": "Kwai (Brazil)" },\n      { "id": "kwai-global", "zh": "Kwai（全球）", "en": "Kwai (global)" }\n',
    );
    expect(data('add', 'platform-monthly-users', 'tiktok-us', 'mau=171000000', '--replace').status).toBe(0);
    expect(readBytes(markets).toString('utf8')).toContain('"values": [171000000, 300000000, 60000000, 75000000]');
    expect(datasetSchema.safeParse(readJson(markets)).success).toBe(true);
  });

  it('refuses each kind of mistake with one line naming the file, and leaves every file byte for byte as it was', () => {
    expectRefused(
      'content/data/nope.json',
      ['add', 'nope', '2025-01-22', 'views=1'],
      'Known datasets: platform-monthly-users, tiktokrefugee-tag-daily',
    );
    expectRefused(
      daily,
      ['add', 'tiktokrefugee-tag-daily', '2025-01-22', 'likes=1'],
      'no series “likes”; the series are views, notes, comments',
    );
    expectRefused(daily, ['add', 'tiktokrefugee-tag-daily', '2025-1-22', 'views=1'], 'is not a date written YYYY-MM-DD');
    expectRefused(daily, ['add', 'tiktokrefugee-tag-daily', '2025-02-30', 'views=1'], '“2025-02-30” is not a real date');
    expectRefused(daily, ['add', 'tiktokrefugee-tag-daily', '2025-01-22', 'views=12,000'], 'the value “12,000” for views is not a number');
    expectRefused(daily, ['add', 'tiktokrefugee-tag-daily', '2025-01-22', 'views'], '“views” is not <series>=<value>');
    expectRefused(
      daily,
      ['add', 'tiktokrefugee-tag-daily', '2025-01-13', 'views=1'],
      'already has 2025-01-13; to correct it, add --replace',
    );
    expectRefused(daily, ['add', 'tiktokrefugee-tag-daily', '2025-01-30', 'views=1', '--replace'], 'has no 2025-01-30 to replace');
    expectRefused(
      markets,
      ['add', 'platform-monthly-users', 'india', 'mau=1'],
      'no category “india”; the categories are tiktok-us, rednote-all, kwai-brazil, kwai-global',
    );
    expectRefused(
      markets,
      ['add', 'platform-monthly-users', 'India_X', 'mau=1', '--zh', '印度', '--en', 'India'],
      'cannot be a category id',
    );
    expectRefused(markets, ['add', 'platform-monthly-users', 'rednote-all', 'mau=1'], 'already has category “rednote-all”');
    expectRefused(markets, ['add', 'platform-monthly-users', 'rednote-all', 'mau=null', 'extra=1', '--replace'], 'no series “extra”');
  });

  it('refuses a change that would break the schema, and a file that already fails it', () => {
    expect(
      data('new', 'single', '2025-01-14', 'count=5', '--title-zh', '一天', '--title-en', 'One day', '--series', 'count:数量:Count').status,
    ).toBe(0);
    expectRefused(
      'content/data/single.json',
      ['add', 'single', '2025-01-14', 'count=null', '--replace'],
      'the change would break the dataset schema: series.0.values: series "count" has no values',
    );
    project.write('content/data/hand-broken.json', '{ "id": "hand-broken", "series": [] }\n');
    expectRefused(
      'content/data/hand-broken.json',
      ['add', 'hand-broken', '2025-01-14', 'count=1'],
      'does not pass the dataset schema; fix it by hand first',
    );
    project.write('content/data/hand-broken.json', '{ "id": \n');
    expectRefused('content/data/hand-broken.json', ['add', 'hand-broken', '2025-01-14', 'count=1'], 'is not valid JSON');
  });
});

describe('npm run data -- show', slow, () => {
  it('prints a date dataset as a table with Chinese titles by default', () => {
    const { status, stdout } = data('show', 'tiktokrefugee-tag-daily');
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`#tiktokrefugee 标签每日热度（示意） (每日数量) · ${daily}`);
    expect(lines[2]).toMatch(/^日期 +浏览量 +新增笔记 +新增评论$/);
    expect(stdout).toMatch(/\n2025-01-10 +100 +— +2\n/);
    expect(stdout).toMatch(/\n2025-01-20 +37000000 +90000 +700000\n/);
  });

  it('prints a category dataset in English or with ids, numbers right-aligned', () => {
    const english = data('show', 'platform-monthly-users', '--lang', 'en');
    expect(english.status).toBe(0);
    expect(english.stdout).toContain('Category               Monthly active users\n');
    expect(english.stdout).toContain('\nKwai (Brazil)                      60000000\n');
    const ids = data('show', 'platform-monthly-users', '--ids');
    expect(ids.stdout).toContain('\nx                  mau\n');
    expect(ids.stdout).toContain('\nkwai-brazil   60000000\n');
  });

  it('refuses an unknown dataset or language', () => {
    expect(data('show', 'nope')).toMatchObject({ status: 1, stderr: expect.stringContaining('content/data/nope.json does not exist') });
    expect(data('show', 'platform-monthly-users', '--lang', 'fr').status).toBe(2);
  });
});

describe('npm run data -- new', slow, () => {
  it('creates a dataset with its first observation that passes the schema', () => {
    const { status, stdout } = data(
      'new',
      'signups-daily',
      '2025-01-14',
      'signups=1200',
      '--title-zh',
      '每日注册',
      '--title-en',
      'Daily sign-ups',
      '--series',
      'signups:注册:Sign-ups',
      '--source-zh',
      '报告',
      '--source-en',
      'Report',
      '--source-url',
      'https://example.org/r',
      '--retrieved',
      '2025-01-15',
    );
    expect(status).toBe(0);
    expect(stdout).toContain('Created content/data/signups-daily.json with 2025-01-14: signups=1200.');
    expect(stdout).toContain('Filled in, to look over in the file: description (copied from the title); unit (数值 / value).');
    const dataset = readJson('content/data/signups-daily.json');
    expect(datasetSchema.safeParse(dataset).success).toBe(true);
    expect(dataset).toMatchObject({
      id: 'signups-daily',
      source: { url: 'https://example.org/r', retrieved: '2025-01-15' },
      x: { type: 'date', values: ['2025-01-14'] },
    });
    expect(data('add', 'signups-daily', '2025-01-13', 'signups=900').status).toBe(0);
    expect(readJson('content/data/signups-daily.json')).toMatchObject({
      x: { values: ['2025-01-13', '2025-01-14'] },
      series: [{ values: [900, 1200] }],
    });
  });

  it('creates a category dataset whose first category has both names', () => {
    const { status } = data(
      'new',
      'markets',
      'us',
      'value=5',
      '--x',
      'category',
      '--zh',
      '美国',
      '--en',
      'US',
      '--title-zh',
      '市场',
      '--title-en',
      'Markets',
    );
    expect(status).toBe(0);
    expect(readJson('content/data/markets.json')).toMatchObject({ x: { type: 'category', values: [{ id: 'us', zh: '美国', en: 'US' }] } });
  });

  it('refuses an existing id, a bad id, a bad series and a dataset that would fail the schema', () => {
    const title = ['--title-zh', '标题', '--title-en', 'Title'];
    expectRefused(markets, ['new', 'platform-monthly-users', '2025-01-14', 'value=1', ...title], 'already exists');
    expectRefused('content/data/Bad_Id.json', ['new', 'Bad_Id', '2025-01-14', 'value=1', ...title], 'cannot be a dataset id');
    expectRefused(
      'content/data/fine.json',
      ['new', 'fine', '2025-01-14', 'a=1', ...title, '--series', 'a:甲'],
      'must be id:中文名:English name',
    );
    expectRefused(
      'content/data/fine.json',
      ['new', 'fine', '2025-01-14', 'a=1', ...title, '--series', 'a:甲:A', '--series', 'b:乙:B'],
      'series "b" has no values',
    );
    expectRefused('content/data/fine.json', ['new', 'fine', 'not-a-date', 'value=1', ...title], 'is not a date written YYYY-MM-DD');
  });

  it('needs both titles and a first observation', () => {
    const files = listDataFiles();
    expect(data('new', 'fine', '2025-01-14', 'value=1', '--title-zh', '标题')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('give both --title-zh and --title-en'),
    });
    expect(data('new', 'fine', '--title-zh', '标题', '--title-en', 'Title')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('first observation'),
    });
    expect(listDataFiles()).toEqual(files);
  });
});

describe('npm run data', slow, () => {
  it('prints usage for --help, and exits 2 with usage for an unknown command, option or none', () => {
    expect(data('--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('Usage: npm run data -- <command>') });
    expect(data('frobnicate')).toMatchObject({ status: 2, stderr: expect.stringMatching(/^Unknown command “frobnicate”\.\nUsage: /) });
    expect(data()).toMatchObject({ status: 2, stderr: expect.stringContaining('Usage:') });
    expect(data('add', 'tiktokrefugee-tag-daily', '2025-01-22', 'views=1', '--bogus')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("Unknown option '--bogus'"),
    });
  });
});
