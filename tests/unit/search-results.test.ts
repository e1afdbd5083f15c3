import { matchesGlob } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isIndexedByCharacter, prepareHtmlForCharacterIndex, restoreIndexedText } from '../../src/lib/search/character-index.ts';
import { buildCharacterExcerpt, decodeEntities, parseExcerpt, type ExcerptPart } from '../../src/lib/search/search-results.ts';
import { parseCharacterQuery } from '../../src/lib/search/search-query.ts';
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

describe('Chinese indexed character by character', () => {
  it('is how the Chinese bundle is indexed, and not the English one', () => {
    expect(isIndexedByCharacter('zh-Hans')).toBe(true);
    expect(isIndexedByCharacter('zh')).toBe(true);
    expect(isIndexedByCharacter('en')).toBe(false);
    expect(isIndexedByCharacter('zu')).toBe(false);
  });

  it('hands Pagefind the text with a space between every two characters, and no tag or attribute changed', () => {
    const html = '<h1 title="小红书">小红书、RED</h1><p><a href="/zh/tags/小红书/">内容审核</a>和 TikTok 难民。</p>';
    expect(prepareHtmlForCharacterIndex(html)).toBe(
      '<h1 title="小红书">小 红 书、RED</h1><p><a href="/zh/tags/小红书/">内 容 审 核</a>和 TikTok 难 民。</p>',
    );
  });

  it('ends a heading, list item or cell that does not close its sentence with “。”, where Pagefind would join it to the next block with “. ” or a bare space', () => {
    expect(prepareHtmlForCharacterIndex('<h2>从“中国间谍”到“猫税”</h2><p>最先流行</p>')).toBe(
      '<h2>从“中 国 间 谍”到“猫 税”。</h2><p>最 先 流 行。</p>',
    );
    expect(prepareHtmlForCharacterIndex('<h2>名字能留住人吗？</h2><p>不一定。</p><p>Why not?</p>')).toBe(
      '<h2>名 字 能 留 住 人 吗？</h2><p>不 一 定。</p><p>Why not?</p>',
    );
    expect(prepareHtmlForCharacterIndex('<h2>四个名字</h2><p>正文。</p>')).toBe('<h2>四 个 名 字。</h2><p>正 文。</p>');
    expect(prepareHtmlForCharacterIndex('<h2>为什么是 <em>RedNote</em></h2>')).toBe('<h2>为 什 么 是 <em>RedNote。</em></h2>');
    expect(prepareHtmlForCharacterIndex('<ul><li>抖音</li><li>小红书？</li></ul><td>1.7 亿</td>')).toBe(
      '<ul><li>抖 音。</li><li>小 红 书？</li></ul><td>1.7 亿。</td>',
    );
    // The title is left alone: Pagefind takes the result's title from it.
    expect(prepareHtmlForCharacterIndex('<h1>谁在欢迎</h1>')).toBe('<h1>谁 在 欢 迎</h1>');
  });

  it('gives the text back as written: no inserted spaces, none around full-width punctuation', () => {
    expect(restoreIndexedText('小 \u200b红 \u200b书\u200b、\u200bRED\u200b。 \u200b同 一 个 App\u200b，\u200b在')).toBe(
      '小红书、RED。同一个 App，在',
    );
    expect(restoreIndexedText('说 明。 1 月 那 一 周， 英 文 “TikTok 难 民” 这 个')).toBe('说明。1 月那一周，英文“TikTok 难民”这个');
    expect(restoreIndexedText('还 是 RedNote？ 同 一 个')).toBe('还是 RedNote？同一个');
  });
});

describe('Chinese queries', () => {
  it('cuts each term into its characters and asks for the characters side by side', () => {
    expect(parseCharacterQuery('小红书')).toEqual({ terms: ['小红书'], allWords: '小 红 书', phrases: ['"小 红 书"'] });
  });

  it('splits terms at spaces and punctuation, keeps Latin words whole and lower-cases them', () => {
    expect(parseCharacterQuery('TikTok 难民')).toEqual({ terms: ['tiktok', '难民'], allWords: 'tiktok 难 民', phrases: ['"难 民"'] });
    expect(parseCharacterQuery('小红书、RED！')).toEqual({ terms: ['小红书', 'red'], allWords: '小 红 书 red', phrases: ['"小 红 书"'] });
    expect(parseCharacterQuery('App名称')).toEqual({ terms: ['app名称'], allWords: 'app 名 称', phrases: ['"app 名 称"'] });
  });

  it('reads full-width letters and digits as the essays write them', () => {
    expect(parseCharacterQuery('ＴｉｋＴｏｋ ２０２５年').terms).toEqual(['tiktok', '2025年']);
  });

  it('asks for nothing when the query has no letters or digits, and requires a lone character too', () => {
    expect(parseCharacterQuery('。，“” ')).toEqual({ terms: [], allWords: '', phrases: [] });
    expect(parseCharacterQuery('猫')).toEqual({ terms: ['猫'], allWords: '猫', phrases: ['"猫"'] });
    expect(parseCharacterQuery('RedNote').phrases).toEqual([]);
    expect(parseCharacterQuery('"小红书" "小红书"').phrases).toEqual(['"小 红 书"']);
  });
});

describe('Chinese excerpts', () => {
  const marked = (parts: ExcerptPart[]) => parts.map((part) => (part.isHit ? `[${part.text}]` : part.text)).join('');
  const title = '谁 在 欢 迎，谁 在 皱 眉：小 红 书 上 的 中 外 网 友';
  const content = `${title}. 美 国 用 户 涌 进 小 红 书 之 后，有 人 交 了 猫 税。 从“中 国 间 谍”到“猫 税”。 最 先 流 行 起 来 的 是 一 个 反 讽。 美 国 官 方 指 控 TikTok 让“中 国 间 谍”拿 到 了 美 国 人 的 数 据。`;

  it('marks each term whole, leaves the title out, and reads as Chinese', () => {
    expect(marked(buildCharacterExcerpt(content, title, ['猫税'], 40))).toBe(
      '美国用户涌进小红书之后，有人交了[猫税]。从“中国间谍”到“[猫税]”。最先流行起来的是',
    );
    expect(marked(buildCharacterExcerpt(content, title, ['小红书']))).toMatch(/^美国用户涌进\[小红书\]之后/);
  });

  it('matches Latin terms in any case and marks the words as written', () => {
    const parts = buildCharacterExcerpt(content, title, ['tiktok']);
    expect(parts.filter((part) => part.isHit).map((part) => part.text)).toEqual(['TikTok']);
  });

  it('starts at the sentence of the first hit, not inside a number or on a comma, and ends after a whole word', () => {
    const long = `${'前 面 的 句 子。'.repeat(20)} 2023、2024 年 不 少 回 答 说 小 红 书 国 际 版 就 叫 这 个 名 字。`;
    expect(marked(buildCharacterExcerpt(long, '', ['红书']))).toBe('2023、2024 年不少回答说小[红书]国际版就叫这个名字。');
    const numbers = `${'前 面 的 句 子'.repeat(20)}，123456小 红 书 国 际 版`;
    expect(marked(buildCharacterExcerpt(numbers, '', ['小红书'], 20))).toBe('123456[小红书]国际版');
    expect(marked(buildCharacterExcerpt('有 人 写 Little Red Book 和 RED', '', ['有人'], 16))).toBe('[有人]写 Little Red Book');
    const comma = `${'前 面 的 句 子'.repeat(20)}，不 少 回 答 说 小 红 书`;
    expect(marked(buildCharacterExcerpt(comma, '', ['小红书'], 24))).toBe('不少回答说[小红书]');
  });

  it('prefers the window holding every term of the query', () => {
    const text = `难 民 一。${'无 关 的 话。'.repeat(10)}TikTok 难 民 都 在 这 里。`;
    expect(marked(buildCharacterExcerpt(text, '', ['tiktok', '难民'], 14))).toBe('[TikTok] [难民]都在这里。');
  });

  it('shows the start of the essay, unmarked, when the term is only in the title', () => {
    expect(marked(buildCharacterExcerpt(content, title, ['中外网友'], 10))).toBe('美国用户涌进小红书之');
  });

  it('treats the query as text, not as a pattern, and never splits a character outside the basic plane', () => {
    expect(
      buildCharacterExcerpt('a.b 1+1 (x)', '', ['.', '1+1', '(x)'])
        .filter((part) => part.isHit)
        .map((part) => part.text),
    ).toEqual(['.', '1+1', '(x)']);
    const astral = buildCharacterExcerpt(`${'𠀀'.repeat(10)}猫 税`, '', ['猫税'], 6);
    expect(astral.map((part) => part.text).join('')).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
