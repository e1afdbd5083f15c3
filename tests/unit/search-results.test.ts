import { matchesGlob } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEntities, fillTemplate, formatCount, parseExcerpt } from '../../src/lib/search/search-results.ts';
import { getSearchBundlePath, getSearchPagesGlob } from '../../src/lib/search/search-bundles.ts';

describe('search excerpts', () => {
  it('splits at Pagefind’s marks', () => {
    expect(parseExcerpt('为什么是小红书，而不是 Meta 或<mark>抖音</mark>。最直接的')).toEqual([
      { text: '为什么是小红书，而不是 Meta 或', isHit: false },
      { text: '抖音', isHit: true },
      { text: '。最直接的', isHit: false },
    ]);
  });

  it('keeps any other markup as text, so an essay cannot inject HTML into the results', () => {
    const parts = parseExcerpt('&lt;img src=x onerror=alert(1)&gt; <b>bold</b> <mark>TikTok</mark> &amp; RedNote');
    expect(parts.map((part) => part.text).join('')).toBe('<img src=x onerror=alert(1)> <b>bold</b> TikTok & RedNote');
    expect(parts.filter((part) => part.isHit).map((part) => part.text)).toEqual(['TikTok']);
  });

  it('decodes numeric references and leaves unknown ones alone', () => {
    expect(decodeEntities('&#39;&#x201C;&quot;&nosuch;')).toBe('\'“"&nosuch;');
  });
});

describe('search strings', () => {
  it('fills placeholders and picks plural forms by language', () => {
    expect(fillTemplate('没有找到与“{{query}}”相关的文章。', { query: '审核' })).toBe('没有找到与“审核”相关的文章。');
    expect(fillTemplate('{{a}} {{missing}}', { a: 1 })).toBe('1 {{missing}}');
    const english = { one: '{{count}} essay found', other: '{{count}} essays found' };
    expect(formatCount(english, 1, 'en')).toBe('1 essay found');
    expect(formatCount(english, 1200, 'en')).toBe('1,200 essays found');
    expect(formatCount({ one: '找到 {{count}} 篇文章', other: '找到 {{count}} 篇文章' }, 3, 'zh-Hans')).toBe('找到 3 篇文章');
  });
});

describe('search bundles', () => {
  it('gives each language its own bundle and pages', () => {
    expect(getSearchBundlePath('zh')).toBe('/pagefind/zh/');
    expect(getSearchBundlePath('en')).toBe('/pagefind/en/');
  });

  it('reads only the essay pages of a language, not their parallel views or list pages', () => {
    const indexed = (path: string) => matchesGlob(path, getSearchPagesGlob('en'));
    expect(indexed('en/essays/who-welcomed-them/index.html')).toBe(true);
    expect(indexed('en/essays/who-welcomed-them/parallel/index.html')).toBe(false);
    expect(indexed('en/essays/who-welcomed-them/comments/index.html')).toBe(false);
    expect(indexed('en/tags/moderation/index.html')).toBe(false);
    expect(indexed('zh/essays/who-welcomed-them/index.html')).toBe(false);
  });
});
