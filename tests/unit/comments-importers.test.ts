import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDisqusExport } from '../../src/lib/comments/importers/disqus.ts';
import {
  convertHtmlToText,
  findEssayTarget,
  formatImportReport,
  ImportFileError,
  mapSourceComments,
  parseMapFile,
  toImportedId,
  type ImportSystem,
  type ParsedSource,
} from '../../src/lib/comments/importers/mapping.ts';
import { parseTwikooExport } from '../../src/lib/comments/importers/twikoo.ts';
import { parseWalineExport } from '../../src/lib/comments/importers/waline.ts';
import { parseWordpressExport } from '../../src/lib/comments/importers/wordpress.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'comment-imports');
const readFixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const known = new Set([
  'the-rednote-name/zh',
  'who-welcomed-them/zh',
  'who-welcomed-them/en',
  'tiktok-refugees-on-rednote/en',
  'tiktok-refugees-on-rednote/zh',
]);
const noMap = new Map();

function mapFixture(system: ImportSystem, source: ParsedSource, mapFile?: string) {
  const map = mapFile ? parseMapFile(readFixture(mapFile), known) : noMap;
  return mapSourceComments(system, source, known, map);
}

describe('essay URLs and --map files', () => {
  it('finds the essay and language of a site URL or path, whatever its host, query, fragment or index.html', () => {
    for (const url of [
      '/en/essays/who-welcomed-them/',
      '/en/essays/who-welcomed-them',
      'https://old.example/en/essays/who-welcomed-them/?utm_source=x#comments',
      'https://old.example/en/essays/who-welcomed-them/index.html',
    ])
      expect(findEssayTarget(url, known, noMap), url).toEqual({ essay: 'who-welcomed-them', lang: 'en' });
    expect(findEssayTarget('/en/essays/the-rednote-name/', known, noMap)).toBeUndefined();
    expect(findEssayTarget('/fr/essays/who-welcomed-them/', known, noMap)).toBeUndefined();
    expect(findEssayTarget('', known, noMap)).toBeUndefined();
  });

  it('sends an old address where the --map file says, matched with or without its host and slash', () => {
    const map = parseMapFile('{"https://blog.example/2025/01/rednote-name/": {"essay": "the-rednote-name", "lang": "zh"}}', known);
    expect(findEssayTarget('/2025/01/rednote-name', known, map)).toEqual({ essay: 'the-rednote-name', lang: 'zh' });
  });

  it('refuses a --map file that is not JSON, has the wrong shape or names an essay version that does not exist', () => {
    expect(() => parseMapFile('{', known)).toThrow(/The --map file is not JSON/);
    expect(() => parseMapFile('{"/a": {"essay": "x"}}', known)).toThrow(/must be \{"<path or url>"/);
    expect(() => parseMapFile('{"/a": {"essay": "the-rednote-name", "lang": "en"}}', known)).toThrow(
      /sends "\/a" to the-rednote-name \(en\), which is not an essay version here/,
    );
  });
});

describe('HTML bodies', () => {
  it('keep their text and link addresses, and lose every tag, script and image', () => {
    const text = convertHtmlToText(
      '<p>One <b>bold</b> <a href="https://e.org/a">link</a></p><p>Two<script>alert(1)</script><img src=x onerror=alert(2)></p>',
    );
    expect(text).toBe('One bold link [https://e.org/a]\n\nTwo');
    expect(convertHtmlToText('<p>&lt;script&gt; is text</p>')).toBe('<script> is text');
    expect(convertHtmlToText('<a href="https://e.org/">https://e.org/</a>')).toBe('https://e.org/');
    expect(convertHtmlToText('<div><p>unclosed <i>markup')).toBe('unclosed markup');
  });
});

describe('Waline', () => {
  it('keeps names, dates, threading, approval state and the administrator as author', () => {
    const { comments, problems } = mapFixture('waline', parseWalineExport(readFixture('waline.json')), 'waline-map.json');
    expect(problems).toEqual([]);
    const byId = new Map(comments.map((comment) => [comment.id, comment]));
    expect(byId.get('waline-65a1f0c2e4b0a1')).toMatchObject({
      essay: 'the-rednote-name',
      lang: 'zh',
      name: '小红',
      email: 'xiaohong@example.com',
      body: '这个名字**很有意思**。',
      format: 'markdown',
      status: 'approved',
      isAuthor: false,
      parentId: null,
      createdAt: new Date('2025-01-20T08:00:00.000Z'),
    });
    expect(byId.get('waline-65a1f0c2e4b0a2')).toMatchObject({
      parentId: 'waline-65a1f0c2e4b0a1',
      isAuthor: true,
      createdAt: new Date('2025-01-20T09:30:00.000Z'),
    });
    expect(byId.get('waline-65a1f0c2e4b0a3')).toMatchObject({
      status: 'pending',
      format: 'plain',
      email: null,
      body: 'Old Valine HTML with a link [https://example.com/x]',
    });
    expect(byId.get('waline-65a1f0c2e4b0a4')?.status).toBe('spam');
    expect(byId.get('waline-65a1f0c2e4b0a5')).toMatchObject({ essay: 'the-rednote-name', lang: 'zh' });
  });

  it('names each row that cannot come in and why, and drops nothing silently', () => {
    const { comments, problems } = mapFixture('waline', parseWalineExport(readFixture('waline-unmappable.json')));
    expect(comments.map((comment) => comment.id)).toEqual(['waline-ok1']);
    expect(Object.fromEntries(problems.map((problem) => [problem.sourceId, problem.reason]))).toEqual({
      nourl1: expect.stringContaining('missing or wrong field url'),
      gone1: expect.stringContaining('unknown URL'),
      empty1: 'empty body',
      date1: 'bad date "last Tuesday"',
      orphan1: 'parent deleted-long-ago missing or not imported',
    });
  });

  it('refuses a file of another shape or not JSON with one sentence', () => {
    expect(() => parseWalineExport(readFixture('waline-wrong-shape.json'))).toThrow(ImportFileError);
    expect(() => parseWalineExport(readFixture('waline-wrong-shape.json'))).toThrow(
      'Not a Waline export: expected {"data": {"Comment": [...]}}.',
    );
    expect(() => parseWalineExport('{"data": ')).toThrow(/^Not a Waline export: not JSON/);
    expect(() => parseWalineExport('[]')).toThrow(ImportFileError);
  });
});

describe('Twikoo', () => {
  it('turns HTML into plain text, keeps line breaks, spam, replies and the master flag', () => {
    const { comments, problems } = mapFixture('twikoo', parseTwikooExport(readFixture('twikoo.json')));
    expect(problems).toEqual([]);
    expect(comments).toEqual([
      expect.objectContaining({
        id: 'twikoo-6543a1b2c3d4e5f600000001',
        lang: 'en',
        body: 'First line\nsecond line & more\n\nSee this [https://example.org/a].',
        format: 'plain',
        status: 'approved',
        createdAt: new Date(1736000000000),
      }),
      expect.objectContaining({ parentId: 'twikoo-6543a1b2c3d4e5f600000001', isAuthor: true }),
      expect.objectContaining({ lang: 'zh', status: 'spam', body: '加微信' }),
    ]);
  });

  it('reports rows with missing fields by id, or by position when the id is missing', () => {
    const source = parseTwikooExport(readFixture('twikoo-missing-fields.json'));
    expect(source.comments).toEqual([]);
    expect(source.problems).toEqual([
      { sourceId: 't1', reason: expect.stringContaining('missing or wrong field comment') },
      { sourceId: 'row 2', reason: expect.stringContaining('missing or wrong field _id') },
    ]);
    expect(() => parseTwikooExport('{"comments": 1}')).toThrow('Not a Twikoo export: expected an array of comments.');
  });
});

describe('Disqus', () => {
  it('finds each post its thread URL and parent; deleted posts come in rejected, spam as spam, moderators as author', () => {
    const { comments, problems } = mapFixture('disqus', parseDisqusExport(readFixture('disqus.xml')));
    expect(problems).toEqual([]);
    const byId = new Map(comments.map((comment) => [comment.id, comment]));
    expect(byId.get('disqus-3001')).toMatchObject({
      essay: 'who-welcomed-them',
      lang: 'zh',
      name: '李雷',
      body: '欢迎来到小红书。\n\n第二段 链接 [https://example.cn/p]',
      createdAt: new Date('2025-01-16T03:04:05Z'),
      status: 'approved',
    });
    expect(byId.get('disqus-3002')).toMatchObject({ parentId: 'disqus-3001', isAuthor: false });
    expect(byId.get('disqus-3003')).toMatchObject({ lang: 'en', status: 'rejected' });
    expect(byId.get('disqus-3004')).toMatchObject({
      parentId: 'disqus-3003',
      isAuthor: true,
      body: 'Replying to the removed one <script> stays text.',
    });
    expect(byId.get('disqus-3005')?.status).toBe('spam');
  });

  it('marks as author the posts of a username or email given with --author', () => {
    const source = parseDisqusExport(readFixture('disqus.xml'), new Set(['duizhao_editor']));
    expect(source.comments.find((comment) => comment.sourceId === '3002')?.isAuthor).toBe(true);
  });

  it('refuses XML that is not well-formed, with its line', () => {
    expect(() => parseDisqusExport(readFixture('disqus-bad.xml'))).toThrow(
      /^Not a Disqus export: bad XML at line 7: Expected closing tag 'post'/,
    );
    expect(() => parseDisqusExport('<rss/>')).toThrow('Not a Disqus export: no <disqus> root element.');
  });
});

describe('WordPress', () => {
  it('keeps paragraphs, GMT dates, replies, the post author, and the moderation state; leaves pingbacks out', () => {
    const source = parseWordpressExport(readFixture('wordpress.xml'));
    expect(source.skipped).toEqual([{ sourceId: '44', reason: 'pingback' }]);
    const { comments, problems } = mapFixture('wordpress', source, 'wordpress-map.json');
    expect(problems).toEqual([]);
    expect(comments.map(({ id, status, isAuthor, parentId }) => ({ id, status, isAuthor, parentId }))).toEqual([
      { id: 'wp-41', status: 'approved', isAuthor: false, parentId: null },
      { id: 'wp-42', status: 'approved', isAuthor: true, parentId: 'wp-41' },
      { id: 'wp-43', status: 'pending', isAuthor: false, parentId: null },
      { id: 'wp-45', status: 'rejected', isAuthor: false, parentId: null },
    ]);
    expect(comments[0]).toMatchObject({ body: 'First paragraph.\n\nSecond paragraph.', createdAt: new Date('2025-01-21T08:00:00Z') });
  });

  it('without a --map entry, every comment of a post at an old address is an unknown URL', () => {
    const { comments, problems } = mapFixture('wordpress', parseWordpressExport(readFixture('wordpress.xml')));
    expect(comments).toEqual([]);
    expect(problems).toHaveLength(4);
  });
});

describe('ids and the report', () => {
  it('derives the same valid id from the same source id every time', () => {
    expect(toImportedId('waline', 'abc_1')).toBe('waline-abc_1');
    const odd = toImportedId('disqus', 'a/b c');
    expect(odd).toMatch(/^disqus-[A-Za-z0-9_-]{32}$/);
    expect(toImportedId('disqus', 'a/b c')).toBe(odd);
    expect(toImportedId('disqus', 'a/b d')).not.toBe(odd);
  });

  it('counts per essay and language by status, and lists what is left out and what cannot come in', () => {
    const source = parseWalineExport(readFixture('waline.json'));
    const report = formatImportReport('waline', 'waline.json', source, mapFixture('waline', source));
    expect(report).toBe(
      [
        'waline export waline.json: 5 rows read.',
        'Can import 4:',
        '  the-rednote-name (zh): 2 (2 approved)',
        '  who-welcomed-them (en): 2 (1 pending, 1 spam)',
        'Cannot import 1:',
        '  65a1f0c2e4b0a5 (/old/rednote.html): unknown URL (not an essay page here; add it to a --map file)',
        '',
      ].join('\n'),
    );
  });

  it('a reply whose parent cannot come in cannot come in either, however deep', () => {
    const row = {
      url: '/en/essays/who-welcomed-them/',
      name: 'N',
      email: null,
      body: 'b',
      bodyFormat: 'plain',
      createdAt: new Date(0),
      status: 'approved',
      isAuthor: false,
    } as const;
    const { comments, problems } = mapSourceComments(
      'twikoo',
      {
        comments: [
          { ...row, sourceId: 'c', parentSourceId: 'b' },
          { ...row, sourceId: 'b', parentSourceId: 'a' },
          { ...row, sourceId: 'a', parentSourceId: null, url: '/nowhere/' },
          { ...row, sourceId: 'a', parentSourceId: null },
        ],
        problems: [],
        skipped: [],
      },
      known,
      noMap,
    );
    expect(comments).toEqual([]);
    expect(problems.map((problem) => [problem.sourceId, problem.reason])).toEqual([
      ['a', expect.stringContaining('unknown URL')],
      ['a', 'the same id appears twice in the file'],
      ['b', 'parent a missing or not imported'],
      ['c', 'parent b missing or not imported'],
    ]);
  });
});
