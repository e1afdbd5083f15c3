import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownToMdast } from 'satteri';
import { describe, expect, it } from 'vitest';
import { getBody, parseFrontmatter } from '../../src/lib/authoring/frontmatter.ts';
import { chromeRules, describeChrome, type ChromeContext } from '../../src/lib/authoring/import/chrome.ts';
import { importDocument, slugifyTitle, type ImportOptions } from '../../src/lib/authoring/import/import-document.ts';
import { detectLanguage, findLanguageLayout } from '../../src/lib/authoring/import/language.ts';
import { extractMetadataBlock, parseMetadata, readDate, readMetadataLine, readTags } from '../../src/lib/authoring/import/metadata.ts';
import { escapeText } from '../../src/lib/authoring/import/mdx-writer.ts';
import { formatImportReport } from '../../src/lib/authoring/import/report.ts';
import { isOneParagraphPerLine, readEmbed, splitSegments } from '../../src/lib/authoring/import/segments.ts';
import { getChildren } from '../../src/lib/authoring/mdx-document.ts';
import { analyzeMdx } from '../../src/lib/authoring/mdx-document.ts';
import { getRevision } from '../../src/lib/authoring/revision.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'import');
const readFixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

const options: ImportOptions = {
  tags: [
    { id: 'xiaohongshu', zh: '小红书', en: 'RedNote' },
    { id: 'data', zh: '数据', en: 'Data' },
  ],
  authors: [{ id: 'observer', names: ['对照观察者', 'The duizhao observer'] }],
  today: '2026-01-01',
  fileName: 'fixture.md',
};

function frontmatterOf(file: string | undefined): Record<string, unknown> {
  const parsed = file ? parseFrontmatter(file) : undefined;
  if (!parsed) throw new Error('no frontmatter');
  return parsed.document.toJS() as Record<string, unknown>;
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('importing a GitBook-style export', () => {
  const source = readFixture('gitbook-export.md');
  const result = importDocument(source, { ...options, fileName: 'gitbook-export.md' });
  const zh = result.files['zh.mdx'] ?? '';

  it('writes one Chinese draft with the metadata as frontmatter', () => {
    expect(result.format).toBe('gitbook');
    expect(Object.keys(result.files)).toEqual(['zh.mdx']);
    expect(result.slug).toBe('gitbook-export');
    expect(frontmatterOf(zh)).toEqual({
      title: '夜市里的二维码：一个摊主的记账实验',
      summary: '一位卖烤红薯的摊主，用三个月时间记录每一笔扫码收款，想知道现金到底还剩多少。',
      published: '2024-09-08',
      category: 'republished',
      tags: ['xiaohongshu', 'data'],
      draft: true,
      originalUrl: 'https://notes.example.com/life/8842.html',
      originalSite: 'notes.example.com',
    });
  });

  it('converts hints, images and relative links, escapes MDX characters and fixes typography', () => {
    expect(zh).toContain('<Callout type="warning">\n\n这些数字只来自一个摊位，不能代表整个夜市。\n\n</Callout>');
    expect(zh).toContain('[图片](https://img.example.com/2024/09/stall.jpg)');
    expect(zh).toContain('[图片：三个月里扫码收款占比的折线图](https://img.example.com/2024/09/chart.png) 扫码占比逐月上升');
    expect(zh).toContain('[图片：收款码贴在推车的把手上](https://img.example.com/2024/09/qr-on-cart.jpg)');
    expect(zh).toContain('[上一篇](https://notes.example.com/life/8801.html)');
    expect(zh).toContain('我用\\{日期\\}和\\<金额\\>两列');
    expect(zh).toContain('在 2024 年的夏天');
    expect(zh).toContain('大约是八成，剩下的两成');
    expect(zh).toContain('一成左右。找零用的硬币反而不够了！\n');
    expect(zh).toContain('```text\n{% hint style="info" %}\n代码里的 <div> 和 {花括号} 保持原样\n```');
    expect(zh).toContain('## 一、现金去哪儿了');
    expect(() => analyzeMdx(zh)).not.toThrow();
  });

  it('turns embeds and iframes into visible placeholder links and lists them with source lines', () => {
    expect(zh).toContain('\n[嵌入内容：https://video.example.com/watch?v=night-market](https://video.example.com/watch?v=night-market)\n');
    expect(zh).toContain('\n[嵌入内容：https://maps.example.com/embed?q=night-market](https://maps.example.com/embed?q=night-market)\n');
    expect(zh).not.toMatch(/\\\{%|<iframe/);
    expect(result.unconverted).toEqual([
      {
        line: lineOf(source, '{% embed'),
        message: expect.stringMatching(/^embed \{% embed url=.* → placeholder link “嵌入内容：https:\/\/video/),
      },
      { line: lineOf(source, '<iframe'), message: expect.stringMatching(/^embed <iframe .* → placeholder link “嵌入内容：https:\/\/maps/) },
    ]);
  });

  it('drops the site chrome and says what it dropped', () => {
    for (const chrome of [
      '# 夜市',
      '关注',
      '1280 浏览',
      'ads.example.com',
      'avatar',
      '赞赏',
      '公众号',
      '分享到微博',
      '微信扫一扫',
      'qr.example.com',
      '\n分享\n',
      'tag/night-market',
    ]) {
      expect(zh, chrome).not.toContain(chrome);
    }
    expect(zh.split('一位卖烤红薯的摊主')).toHaveLength(2);
    const reasons = result.dropped.map((note) => note.message.split(':')[0]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'link card (advertising or promotion) to https',
        'separator before the article',
        'repeated title “夜市里的二维码：一个摊主的记账实验”',
        'author avatar row',
        'follow button row',
        'date line',
        'stats line',
        'advertising link',
        'repeated lead quote',
        'reward and collect buttons',
        'follow-us line',
        'tag links (tags come from the metadata)',
        'share links',
        'share prompt',
        'QR code',
        'reprint notice',
        'statistics in the metadata block',
      ]),
    );
    expect(zh).not.toContain('转载请注明出处');
  });

  it('asks the author about unknown tags, the author and images without alt text', () => {
    const messages = result.attention.map((note) => note.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('tags not in content/tags.json, left out: 夜市, 记账'),
        expect.stringContaining('author “河边记账人” is not in content/authors/'),
        expect.stringContaining('image without alt text'),
      ]),
    );
    expect(result.attention.find((note) => note.message.includes('image without alt text'))?.line).toBe(
      lineOf(source, '![](https://img.example.com/2024/09/stall.jpg)'),
    );
  });
});

describe('importing one document with a Chinese and an English part', () => {
  it('splits a plain-text document by script, one paragraph per line', () => {
    const result = importDocument(readFixture('bilingual.txt'), options);
    expect(result.layout).toMatchObject({ kind: 'split', first: 'zh', second: 'en' });
    expect(result.slug).toBe('our-community-book-corner-goes-online');
    const zh = result.files['zh.mdx'] ?? '';
    const en = result.files['en.mdx'] ?? '';
    expect(frontmatterOf(en)).toMatchObject({
      title: 'Our Community Book Corner Goes Online',
      category: 'republished',
      draft: true,
      translatedFrom: { lang: 'zh', revision: getRevision(getBody(zh)) },
    });
    expect(en).toContain('\n## What Changed in Three Months?\n');
    expect(en).toContain('\n## New Problems\n');
    expect(en).toContain('Two things brought readers back:\n\n- Neighbours teaching each other');
    expect(en).not.toContain('Leave a comment');
    expect(en).not.toMatch(/\p{Script=Han}/u);
    expect(zh).not.toContain('Book Corner');
    expect(zh).toContain('换成了线上登记表，起因是');
    expect(zh).toContain('第一个月登记了 142 次借阅');
    expect(result.dropped).toEqual([{ line: 16, message: expect.stringContaining('comment prompt at the end: Leave a comment') }]);
    expect(result.attention.map((note) => note.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('no Chinese title found'),
        expect.stringContaining('no publication date found: used today (2026-01-01)'),
      ]),
    );
    expect(() => analyzeMdx(zh) && analyzeMdx(en)).not.toThrow();
  });

  it('splits a Markdown document at its English heading and normalises heading levels', () => {
    const result = importDocument(readFixture('bilingual-headings.md'), options);
    expect(frontmatterOf(result.files['zh.mdx']).title).toBe('楼道里的快递柜');
    expect(frontmatterOf(result.files['en.mdx']).title).toBe('The Parcel Lockers in Our Stairwell');
    expect(result.files['zh.mdx']).toContain('\n## 包裹少了多少\n');
    expect(result.files['en.mdx']).toContain('\n## How many fewer parcels\n');
  });
});

describe('import building blocks', () => {
  it('escapes what MDX or Markdown would read as syntax', () => {
    expect(escapeText('a {b} <c> *d* [e] `f` snake_case _g_ ~h &amp;', { atLineStart: false })).toBe(
      'a \\{b\\} \\<c\\> \\*d\\* \\[e\\] \\`f\\` snake_case \\_g\\_ \\~h \\&amp;',
    );
    expect(escapeText('# not a heading\n1. not a list\n- nor this', { atLineStart: true })).toBe(
      '\\# not a heading\n1\\. not a list\n\\- nor this',
    );
    expect(() => analyzeMdx(`${escapeText('x {y} <Z> a < b', { atLineStart: true })}\n`)).not.toThrow();
  });

  it('cuts GitBook tags and link cards out, but not inside code fences', () => {
    const { segments } = splitSegments(
      'a\n{% hint style="info" %}\nb\n{% endhint %}\n```\n{% raw %}\n```\n[![](x.png)\n\ncard\n\n](https://ads.example/)\nc',
    );
    expect(segments.map((segment) => segment.kind)).toEqual(['markdown', 'tag', 'markdown', 'tag', 'markdown', 'card', 'markdown']);
    expect(segments[5]).toMatchObject({ kind: 'card', url: 'https://ads.example/', line: 8 });
  });

  it('takes Liquid out of a line of prose, but not out of code spans', () => {
    const { segments, inlineTags } = splitSegments(
      'See {% embed url="https://v.example/1" %} and {{ page.title }}, but `{% raw %}` stays.\n{% youtube %}https://y.example/2{% endyoutube %}',
    );
    expect(segments).toEqual([
      { kind: 'markdown', text: 'See \uE0000\uE001 and \uE0001\uE001, but `{% raw %}` stays.\n\uE0002\uE001', line: 1 },
    ]);
    expect(inlineTags.map(({ name, line, body }) => ({ name, line, body }))).toEqual([
      { name: 'embed', line: 1, body: undefined },
      { name: '', line: 1, body: undefined },
      { name: 'youtube', line: 2, body: 'https://y.example/2' },
    ]);
  });

  it('reads the address and caption of every embed form', () => {
    expect(readEmbed('embed', 'url="https://v.example/a" caption="Deck"', undefined)).toEqual({
      url: 'https://v.example/a',
      caption: 'Deck',
    });
    expect(readEmbed('embed', 'url="https://v.example/a"', 'A caption')).toEqual({ url: 'https://v.example/a', caption: 'A caption' });
    expect(readEmbed('youtube', '', 'https://www.youtube.com/watch?v=x1')).toEqual({
      url: 'https://www.youtube.com/watch?v=x1',
      caption: '',
    });
    expect(readEmbed('youtube', 'x1_y-2', undefined)).toEqual({ url: 'https://www.youtube.com/watch?v=x1_y-2', caption: '' });
    expect(readEmbed('vimeo', '"12345"', undefined)).toEqual({ url: 'https://vimeo.com/12345', caption: '' });
    expect(readEmbed('include', 'file.html', undefined)).toBeUndefined();
    expect(readEmbed('embed', '', undefined)).toBeUndefined();
  });

  it('reads a metadata block', () => {
    const { metadata } = parseMetadata(
      '**Author:** [某人](https://x.example/u/1)\n**Published:** 2024年9月8日\n**Tags:** 甲、乙\n**Original:** [View on x.example](https://x.example/a.html)',
    );
    expect(metadata).toEqual({
      authorName: '某人',
      authorUrl: 'https://x.example/u/1',
      published: '2024-09-08',
      tags: ['甲', '乙'],
      originalUrl: 'https://x.example/a.html',
      originalSite: 'x.example',
    });
  });

  it('tells the language of a block by script, and finds where a document switches', () => {
    expect(detectLanguage('小红书上的 TikTok 用户')).toBe('zh');
    expect(detectLanguage('According to 惊蛰研究所, the wave began on 13 January')).toBe('en');
    expect(detectLanguage('2025 · 42')).toBeUndefined();
    const sample = (locale: 'zh' | 'en', weight = 100) => ({ locale, weight });
    expect(findLanguageLayout([sample('zh'), sample('zh'), sample('en'), sample('en')])).toEqual({
      kind: 'split',
      first: 'zh',
      second: 'en',
      index: 2,
    });
    expect(findLanguageLayout([sample('zh'), sample('zh'), sample('en', 5), sample('zh')])).toEqual({ kind: 'single', locale: 'zh' });
  });

  it('makes slugs from titles', () => {
    expect(slugifyTitle('Why RedNote, and not Meta?')).toBe('why-rednote-and-not-meta');
    expect(slugifyTitle('Café résumé')).toBe('cafe-resume');
    expect(slugifyTitle('只有中文')).toBeUndefined();
  });

  it('closes an unclosed hint at the end and says so', () => {
    const result = importDocument('# Title\n\nText.\n\n{% hint style="danger" %}\nCareful.\n', options);
    expect(result.files['en.mdx']).toContain('<Callout type="warning">\n\nCareful.\n\n</Callout>');
    expect(result.attention.map((note) => note.message)).toContain('{% hint %} without {% endhint %}: closed at the end of the document');
  });
});

/** Every fixture with an `expected/<name>/` folder: the MDX files the import writes and the report it prints. */
const fixtureCases = readdirSync(join(fixtures, 'expected')).map((name) => ({
  name,
  file: readdirSync(fixtures).find((candidate) => candidate.replace(/\.[a-z]+$/, '') === name) ?? name,
}));

describe('each import fixture gives its expected MDX and report', () => {
  it('has a fixture for every case the importer must handle', () => {
    expect(fixtureCases.map((fixture) => fixture.name).sort()).toEqual(
      [
        'bilingual',
        'bilingual-headings',
        'bilingual-short',
        'embeds',
        'gitbook-export',
        'metadata-hint-unreadable-date',
        'metadata-lines',
        'metadata-list-before-title',
        'one-language',
        'share-rows',
      ].sort(),
    );
  });

  it.each(fixtureCases)('$file', ({ name, file }) => {
    const result = importDocument(readFixture(file), { ...options, fileName: file });
    const expected = join(fixtures, 'expected', name);
    const expectedFiles = readdirSync(expected)
      .filter((entry) => entry.endsWith('.mdx'))
      .sort();
    expect(Object.keys(result.files).sort()).toEqual(expectedFiles);
    for (const mdx of expectedFiles) {
      const written = result.files[mdx as 'zh.mdx' | 'en.mdx'] ?? '';
      expect(written, `${name}/${mdx}`).toBe(readFileSync(join(expected, mdx), 'utf8'));
      expect(() => analyzeMdx(written)).not.toThrow();
      // No escaped Liquid leftovers: every tag became a placeholder, a callout or a comment.
      expect(written).not.toMatch(/\\\{%|\\\{\\\{/);
    }
    expect(`${formatImportReport(result, { source: file, essaysFolder: 'content/essays' })}\n`).toBe(
      readFileSync(join(expected, 'report.txt'), 'utf8'),
    );
  });
});

describe('the metadata block', () => {
  const bodyOf = (file: string | undefined) => getBody(file ?? '');

  it('is read from plain lines under the title, and leaves the body', () => {
    const result = importDocument(readFixture('metadata-lines.md'), options);
    const zh = result.files['zh.mdx'];
    expect(frontmatterOf(zh)).toMatchObject({
      published: '2023-12-03',
      tags: ['data'],
      originalUrl: 'https://reading.example.org/posts/last-winter.html',
      originalSite: '读书会网站',
    });
    expect(frontmatterOf(zh).summary).toBe('桥下的旧书摊已经摆了十九年。摊主说，等到春节过后，他就把最后几箱书送给社区图书角。');
    for (const label of ['作者', '发表于', '标签', '原文', '2023']) expect(bodyOf(zh)).not.toContain(label);
    expect(result.converted).toContainEqual({
      line: 3,
      message: expect.stringContaining('metadata block (lines 3–6, taken out of the text)'),
    });
  });

  it('is read from a list before the title, with a Markdown list of tags and an English date', () => {
    const result = importDocument(readFixture('metadata-list-before-title.md'), options);
    const en = result.files['en.mdx'];
    expect(frontmatterOf(en)).toMatchObject({
      title: 'Counting the Morning Ferry Queue',
      published: '2025-01-20',
      tags: ['data'],
      originalUrl: 'https://harbour.example.net/2025/ferry-queue',
    });
    expect(bodyOf(en)).not.toMatch(/Author|Harbour Street|Tags|ferries\n|Source/);
    expect(result.attention.map((note) => note.message)).toContainEqual(expect.stringContaining('left out: ferries'));
  });

  it('reports a date it cannot read, at its line, instead of silently using today', () => {
    const result = importDocument(readFixture('metadata-hint-unreadable-date.md'), options);
    expect(frontmatterOf(result.files['zh.mdx']).published).toBe('2026-01-01');
    expect(result.attention).toContainEqual({
      line: 3,
      message:
        'the publication date “去年冬至前后” could not be read: used today (2026-01-01); set published: YYYY-MM-DD in the frontmatter',
    });
    expect(result.attention.map((note) => note.message)).not.toContainEqual(expect.stringContaining('no publication date found'));
    // The hint held only metadata, so it leaves no empty callout, and the title after it is the title.
    expect(result.files['zh.mdx']).not.toContain('Callout');
    expect(frontmatterOf(result.files['zh.mdx']).title).toBe('渡口的早班船');
    expect(result.attention).toContainEqual({ line: 5, message: 'metadata line not understood, left out: Words: 1200' });
  });

  it('reads every way of writing a label', () => {
    const cases: [string, string, string][] = [
      ['**Author:** Lin', 'authorName', 'Lin'],
      ['Author: Lin', 'authorName', 'Lin'],
      ['**Author**: Lin', 'authorName', 'Lin'],
      ['__Author:__ Lin', 'authorName', 'Lin'],
      ['作者：林', 'authorName', '林'],
      ['**作者：** 林', 'authorName', '林'],
      ['**作者**：林', 'authorName', '林'],
      ['- 发布：2025-01-20', 'published', '2025-01-20'],
      ['1. Date: 2025/1/20  ', 'published', '2025/1/20'],
      ['> 来源：[某站](https://x.example/a)', 'originalUrl', '[某站](https://x.example/a)'],
      ['发表于 2025年1月20日', 'published', '2025年1月20日'],
      ['发表于2025年1月20日', 'published', '2025年1月20日'],
      ['Published on January 20, 2025', 'published', 'January 20, 2025'],
      ['日期：2025-01-20\\', 'published', '2025-01-20'],
      ['Tags: a, b', 'tags', 'a, b'],
      ['标签：', 'tags', ''],
      ['Original: https://x.example/a', 'originalUrl', 'https://x.example/a'],
    ];
    for (const [line, field, value] of cases) expect(readMetadataLine(line), line).toEqual([expect.objectContaining({ field, value })]);
    expect(readMetadataLine('作者：张三 | 日期：2025-01-20').map((entry) => entry.field)).toEqual(['authorName', 'published']);
    expect(readMetadataLine('发表于某杂志的一篇文章')).toEqual([]);
    expect(readMetadataLine('Just a sentence.')).toEqual([]);
    expect(readMetadataLine('Note: this is prose')).toEqual([expect.objectContaining({ field: undefined, label: 'Note' })]);
  });

  it('reads the four date formats, and refuses impossible dates', () => {
    expect(readDate('2025-01-20')).toEqual({ date: '2025-01-20', isWhole: true });
    expect(readDate('2025/1/20')).toEqual({ date: '2025-01-20', isWhole: true });
    expect(readDate('2025年1月20日')).toEqual({ date: '2025-01-20', isWhole: true });
    expect(readDate('January 20, 2025')).toEqual({ date: '2025-01-20', isWhole: true });
    expect(readDate('20 Jan 2025')).toEqual({ date: '2025-01-20', isWhole: true });
    expect(readDate('2025-01-20 14:30 星期一')).toEqual({ date: '2025-01-20', isWhole: true });
    expect(readDate('written on 2025-01-20 at the pier')).toEqual({ date: '2025-01-20', isWhole: false });
    expect(readDate('2025-02-30')).toEqual({ isWhole: false });
    expect(readDate('上周三')).toEqual({ isWhole: false });
  });

  it('reads tags from commas, 、, spaces, backticks, links and hashtags', () => {
    expect(readTags('a, b，c')).toEqual(['a', 'b', 'c']);
    expect(readTags('甲、乙')).toEqual(['甲', '乙']);
    expect(readTags('data cities')).toEqual(['data', 'cities']);
    expect(readTags('`a b` `c`')).toEqual(['a b', 'c']);
    expect(readTags('[数据](https://x.example/tag/1) [城市](https://x.example/tag/2)')).toEqual(['数据', '城市']);
    expect(readTags('#data #城市')).toEqual(['data', '城市']);
  });

  it('is found only near the top, and not in prose that happens to have a colon', () => {
    expect(extractMetadataBlock('# T\n\n日期：2025-01-20\n\nText.').block?.metadata.published).toBe('2025-01-20');
    expect(extractMetadataBlock('# T\n\n来源：我自己在渡口的观察。\n\nText.').block).toBeUndefined();
    expect(extractMetadataBlock('# T\n\nOne paragraph.\n\nAnother paragraph.\n\nAuthor: Lin\nDate: 2025-01-20\n').block).toBeUndefined();
    expect(extractMetadataBlock('# T\n\nA standfirst.\n\nAuthor: Lin\nDate: 2025-01-20\n').block?.metadata).toMatchObject({
      authorName: 'Lin',
      published: '2025-01-20',
    });
    expect(extractMetadataBlock('```\nAuthor: Lin\nDate: 2025-01-20\n```\n').block).toBeUndefined();
    const { text, block } = extractMetadataBlock('# T\nAuthor: Lin\nNote: x\nDate: 2025-01-20\nReading note: kept\n\nBody.');
    expect(block).toMatchObject({
      firstLine: 2,
      lastLine: 4,
      attention: [{ line: 3, message: 'metadata line not understood, left out: Note: x' }],
    });
    expect(text).toBe('# T\n\n\n\nReading note: kept\n\nBody.');
  });

  it('never lends itself to the summary', () => {
    const result = importDocument(
      'Author: Lin\nDate: 2025-01-20\n\n# The Pier\n\nThe queue starts at seven. It is longest on Mondays.\n',
      options,
    );
    expect(frontmatterOf(result.files['en.mdx'])).toMatchObject({
      summary: 'The queue starts at seven. It is longest on Mondays.',
      published: '2025-01-20',
    });
  });
});

describe('embeds', () => {
  const source = readFixture('embeds.md');
  const result = importDocument(source, { ...options, fileName: 'embeds.md' });
  const en = result.files['en.mdx'] ?? '';

  it('become a visible link to what they showed, inline or as a block, with their caption', () => {
    for (const url of [
      'https://video.example.com/watch?v=ferry-1',
      'https://video.example.com/watch?v=ferry-2',
      'https://maps.example.com/route/night-ferry',
      'https://www.youtube.com/watch?v=captain42',
      'https://www.youtube.com/watch?v=deckhand7',
      'https://player.example.com/embed/engine-room',
      'https://maps.example.com/embed/piers',
    ]) {
      expect(en).toContain(`[Embedded content: ${url}](${url})`);
    }
    expect(en).toContain(
      'The first clip [Embedded content: https://video.example.com/watch?v=ferry-1](https://video.example.com/watch?v=ferry-1) shows the queue',
    );
    expect(en).toContain('(https://video.example.com/watch?v=ferry-2) The deck at midnight\n');
    expect(en).toContain('(https://maps.example.com/route/night-ferry) The route the ferry takes across the bay\n');
    expect(en).toContain('(https://player.example.com/embed/engine-room) The engine room\n');
    expect(en).not.toMatch(/\{% *(end)?(embed|youtube)|<iframe/);
  });

  it('are listed under “could not convert” with their lines, as are other Liquid tags', () => {
    expect(result.unconverted.map((note) => note.line)).toEqual([3, 5, 7, 11, 13, 15, 17, 19, 21]);
    expect(result.unconverted.filter((note) => note.message.startsWith('embed '))).toHaveLength(7);
    expect(en).toContain('This page was generated for {/* import: Liquid variable not converted: {{ page.title }} */} by the old site.');
    expect(en).toContain('`{% raw %}` was written as code');
  });

  it('are left out, like links and images, when their address is not a web address', () => {
    const result = importDocument(
      '# T\n\n{% embed url="javascript:alert(1)" %}\n\n<iframe src="data:text/html,x"></iframe>\n\nSee [this](javascript:alert(2)) and ![a pier](data:image/png;base64,AA).\n',
      options,
    );
    const en = result.files['en.mdx'] ?? '';
    expect(en).not.toMatch(/javascript|data:/);
    expect(en).toContain('\nSee this and Image: a pier.\n');
    expect(result.unconverted.map((note) => note.message)).toEqual([
      'embed {% embed url="javascript:alert(1)" %} → left out, its address is not a web address',
      'embed <iframe src="data:text/html,x"> → left out, its address is not a web address',
    ]);
    expect(result.attention.map((note) => note.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('a javascript: address was left out'),
        expect.stringContaining('a data: address was left out'),
      ]),
    );
  });

  it('are labelled in the language of the essay', () => {
    const zh = importDocument('# 渡口\n\n这是一段视频 {% embed url="https://v.example/1" %} 拍的是排队的人。\n', options).files['zh.mdx'];
    expect(zh).toContain('这是一段视频 [嵌入内容：https://v.example/1](https://v.example/1) 拍的是排队的人。');
  });
});

const chromeContext: ChromeContext = { authorUrl: 'https://x.example/u/me', adUrls: new Set(['https://ads.example/course']) };
const firstParagraph = (markdown: string) => getChildren(markdownToMdast(markdown, { features: { gfm: true } }))[0];

/** Lines of each kind of chrome the importer drops; every rule in chrome.ts has its examples here. */
const chromeExamples: Record<string, string[]> = {
  'author avatar row': ['[![](https://x.example/avatar.png)](https://x.example/u/me)'],
  'advertising link': [
    '[🔗 三天学会做表格](https://ads.example/course)',
    '[![](https://x.example/banner.png)](https://ads.example/course)',
  ],
  'QR code': [
    '扫码关注菜园公众号',
    '![二维码](https://x.example/qr.png)',
    '![QR code](https://x.example/code.png)',
    '长按识别二维码，加入读者群',
    'Scan the QR code to follow us',
  ],
  'follow button row': ['[某人](https://x.example/u/2) 关注', 'Lin + Follow'],
  'date line': ['2025-01-20', '2025年1月20日'],
  'stats line': ['4 评论 1280 浏览 12 收藏', '👁️ 3921 views | 💬 0 comments'],
  'share links': [
    '分享到：[微博](https://weibo.example.com/share?u=1) [微信](#)',
    'Share: [Twitter](https://t.example/intent) | [Facebook](https://f.example/sharer)',
    'Share this: [Email](mailto:?body=x)',
    '[分享到微博](https://service.weibo.com/share/share.php?url=x)',
    '[Twitter](https://t.example/a) [Facebook](https://f.example/b) [LinkedIn](https://l.example/c)',
  ],
  'share prompt': ['微信扫一扫', '分享'],
  'follow-us line': [
    '关注我们：[微博](https://w.example/a) [小红书](https://x.example/b)',
    'Follow us on [Mastodon](https://m.example/@a)',
    '欢迎关注我们的公众号“河湾记录”',
    '更多精彩内容，请关注本站微信公众号或下载App',
  ],
  'reward and collect buttons': ['赞赏 收藏已收藏12 点赞已赞3'],
  'like and 在看 buttons': ['点赞 | 在看 | 分享', '觉得有用，就点个赞和在看吧', '点赞 在看'],
  'reprint notice': ['本文由某人原创发布，转载请注明出处。', '未经许可，禁止转载。'],
  'tag links (tags come from the metadata)': ['[夜市](https://x.example/tag/a)[记账](https://x.example/tag/b)'],
};

/** Prose that looks a little like chrome and must stay. */
const proseLookalikes = [
  '我们把分享到群里的照片都收集了起来，数了数一共种了多少种菜。',
  '关注我们菜园的邻居越来越多，有人每天傍晚都来浇水。',
  'We asked people to share their photos, and many liked the idea of a shared album for the garden.',
  'Follow the river north and you reach the old pier, where the first ferry leaves at seven.',
  '她在二维码普及之前就开始摆摊，至今仍然收现金，因为很多老顾客不用手机支付，她说这样更方便。',
  '我很喜欢分享。',
  '2025 年 1 月 20 日那天，渡口排了 58 个人。',
  'See [the report](https://x.example/report) and [the data](https://x.example/data).',
  '[Twitter](https://t.example/a) 上有人说，这个菜园是全市最小的。',
];

describe('site chrome (one table in chrome.ts)', () => {
  it('has examples here for every rule, so no rule goes untested', () => {
    expect(chromeRules.map((rule) => rule.reason).sort()).toEqual(Object.keys(chromeExamples).sort());
  });

  it.each(Object.entries(chromeExamples).flatMap(([reason, lines]) => lines.map((line) => ({ reason, line }))))(
    'drops “$line” as $reason',
    ({ reason, line }) => {
      const node = firstParagraph(line);
      expect(node && describeChrome(node, chromeContext)).toBe(reason);
    },
  );

  it.each(proseLookalikes)('keeps “%s”', (line) => {
    const node = firstParagraph(line);
    expect(node && describeChrome(node, chromeContext)).toBeUndefined();
  });

  it('drops the share, follow, QR and 点赞/在看 rows of a whole essay and lists each with its line', () => {
    const source = readFixture('share-rows.md');
    const result = importDocument(source, options);
    expect(
      getBody(result.files['zh.mdx'] ?? '')
        .trim()
        .split('\n\n'),
    ).toHaveLength(2);
    expect(result.dropped.map((note) => [note.line, note.message.split(':')[0]])).toEqual([
      [7, 'share links'],
      [9, 'share links'],
      [11, 'follow-us line'],
      [13, 'follow-us line'],
      [15, 'QR code'],
      [17, 'QR code'],
      [19, 'QR code'],
      [21, 'like and 在看 buttons'],
      [23, 'like and 在看 buttons'],
    ]);
  });
});

describe('language runs', () => {
  it('split a short plain-text file whose headings are half its lines', () => {
    const result = importDocument(readFixture('bilingual-short.txt'), options);
    expect(Object.keys(result.files)).toEqual(['zh.mdx', 'en.mdx']);
    expect(getBody(result.files['zh.mdx'] ?? '')).not.toMatch(/[A-Za-z]{3}/);
    expect(getBody(result.files['en.mdx'] ?? '')).not.toMatch(/\p{Script=Han}/u);
    expect(frontmatterOf(result.files['en.mdx'])).toMatchObject({ title: 'The Morning Ferry', published: '2025-01-20' });
    expect(result.files['en.mdx']).toContain('\n## Why the queue\n\nThe first ferry is half an hour faster than the bus.\n');
  });

  it('keep a file in one language as one version, quotations in the other language included', () => {
    const result = importDocument(readFixture('one-language.txt'), options);
    expect(Object.keys(result.files)).toEqual(['zh.mdx']);
    expect(result.layout).toEqual({ kind: 'single', locale: 'zh' });
    expect(result.files['zh.mdx']).toContain('\n\nBorrow a book, bring back a story.\n\n');
  });

  it('keep alternating languages as one version and say so', () => {
    const lines = [
      '第一段中文，讲渡口的早晨和排队的人。',
      'The first English paragraph, about the pier in the morning.',
      '第二段中文，讲周一的队伍为什么最长。',
      'The second English paragraph, about why Mondays are busiest.',
    ];
    const result = importDocument(`${[...lines, ...lines].join('\n')}\n`, options);
    expect(Object.keys(result.files)).toHaveLength(1);
    expect(result.layout).toMatchObject({ kind: 'single', isMixed: true });
    expect(result.attention.map((note) => note.message)).toContainEqual(
      expect.stringContaining('Chinese and English alternate (7 switches)'),
    );
  });

  it('decide plain text by how lines end, not by their length or the number of headings', () => {
    expect(isOneParagraphPerLine('短标题\n这是一段话。\n另一个标题\n又一段话。\n')).toBe(true);
    expect(isOneParagraphPerLine('Title\nA sentence ends here.\nHeading\nAnother one.\n')).toBe(true);
    // Hard-wrapped Markdown breaks lines mid-sentence and separates paragraphs with blank lines.
    expect(
      isOneParagraphPerLine(
        'We stood at the pier at seven and counted\nwho was waiting for the first ferry, and\nwho gave up.\n\nThe queue was longest on Mondays, with\nfifty-eight people on average.\n',
      ),
    ).toBe(false);
    expect(isOneParagraphPerLine('One paragraph.\n\nAnother paragraph.\n\nA third.\n')).toBe(false);
  });
});
