import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBody, parseFrontmatter } from '../../src/lib/authoring/frontmatter.ts';
import { importDocument, slugifyTitle, type ImportOptions } from '../../src/lib/authoring/import/import-document.ts';
import { detectLanguage, findLanguageLayout } from '../../src/lib/authoring/import/language.ts';
import { parseMetadata } from '../../src/lib/authoring/import/metadata.ts';
import { escapeText } from '../../src/lib/authoring/import/mdx-writer.ts';
import { splitSegments } from '../../src/lib/authoring/import/segments.ts';
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

  it('leaves what it cannot convert as MDX comments and lists it with source lines', () => {
    expect(zh).toContain('{/* import: GitBook tag not converted: {% embed url="https://video.example.com/watch?v=night-market" %} */}');
    expect(zh).toContain('{/* import: HTML block not converted:\n<iframe src="https://maps.example.com/embed?q=night-market"');
    expect(result.unconverted).toEqual([
      { line: lineOf(source, '{% embed'), message: expect.stringContaining('{% embed url=') },
      { line: lineOf(source, '<iframe'), message: expect.stringContaining('HTML block <iframe') },
    ]);
  });

  it('drops the site chrome and says what it dropped', () => {
    for (const chrome of ['# 夜市', '关注', '1280 浏览', 'ads.example.com', 'avatar', '赞赏', '公众号', '分享到微博', '微信扫一扫', 'qr.example.com', '\n分享\n', 'tag/night-market']) {
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
        'QR code image',
      ]),
    );
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
    expect(result.attention.find((note) => note.message.includes('image without alt text'))?.line).toBe(lineOf(source, '![](https://img.example.com/2024/09/stall.jpg)'));
  });
});

describe('importing one document with a Chinese and an English part', () => {
  it('splits a plain-text document by script, one paragraph per line', () => {
    const result = importDocument(readFixture('bilingual.txt'), options);
    expect(result.layout).toEqual({ kind: 'split', first: 'zh', second: 'en', index: 4 });
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
      expect.arrayContaining([expect.stringContaining('no Chinese title found'), expect.stringContaining('no publication date found: used today (2026-01-01)')]),
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
    expect(escapeText('# not a heading\n1. not a list\n- nor this', { atLineStart: true })).toBe('\\# not a heading\n1\\. not a list\n\\- nor this');
    expect(() => analyzeMdx(`${escapeText('x {y} <Z> a < b', { atLineStart: true })}\n`)).not.toThrow();
  });

  it('cuts GitBook tags and link cards out, but not inside code fences', () => {
    const segments = splitSegments('a\n{% hint style="info" %}\nb\n{% endhint %}\n```\n{% raw %}\n```\n[![](x.png)\n\ncard\n\n](https://ads.example/)\nc');
    expect(segments.map((segment) => segment.kind)).toEqual(['markdown', 'tag', 'markdown', 'tag', 'markdown', 'card', 'markdown']);
    expect(segments[5]).toMatchObject({ kind: 'card', url: 'https://ads.example/', line: 8 });
  });

  it('reads a metadata block', () => {
    const { metadata } = parseMetadata('**Author:** [某人](https://x.example/u/1)\n**Published:** 2024年9月8日\n**Tags:** 甲、乙\n**Original:** [View on x.example](https://x.example/a.html)');
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
    expect(findLanguageLayout([sample('zh'), sample('zh'), sample('en'), sample('en')])).toEqual({ kind: 'split', first: 'zh', second: 'en', index: 2 });
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
