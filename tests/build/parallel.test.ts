import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWithEssay, buildWithEssays, removeBuildCopies } from './build-copy.ts';

afterAll(removeBuildCopies);

const frontmatter = (title: string) => `---\ntitle: ${title}\nsummary: x\npublished: 2025-01-20\ncategory: observation\n---\n\n`;

/** The Chinese version: two intro paragraphs, two sections, alignment points, a footnote. */
const zh = `${frontmatter('对不齐的一对')}引言第一段。

引言第二段。

## 第一节

第一节甲段。

第一节乙段。

<Align id="turn" />

第一节丙段。

<Align id="last" />

## 最后一节

最后一节正文[^1]。

[^1]: 中文注释。
`;

/** The English version: one intro paragraph fewer, no paragraph B, and a section the Chinese does not have. */
const en = `${frontmatter('A mismatched pair')}Intro paragraph one.

## Section one

Section one, paragraph A.

<Align id="turn" />

Section one, paragraph C.

## An extra section

Only the English has this.

<Align id="last" />

## The last section

Last section text[^1].

[^1]: English note.
`;

const paragraphs = {
  zh: ['引言第一段。', '引言第二段。', '第一节甲段。', '第一节乙段。', '第一节丙段。', '最后一节正文', '中文注释。'],
  en: [
    'Intro paragraph one.',
    'Section one, paragraph A.',
    'Section one, paragraph C.',
    'Only the English has this.',
    'Last section text',
    'English note.',
  ],
};

/** The rows of a parallel page: their key and, per cell, its lang and whether it is the empty "no counterpart" cell. */
function readRows(html: string) {
  const text = html.slice(html.indexOf('class="parallel-text"'));
  return text
    .split('<div class="parallel-row" ')
    .slice(1)
    .map((row) => ({
      key: /data-align-key="([^"]*)"/.exec(row)?.[1],
      cells: [...row.matchAll(/<div class="parallel-cell ([^"]*)"(?: lang="([^"]*)")?>/g)].map((match) =>
        match[1]?.includes('parallel-empty') ? 'empty' : match[2],
      ),
      html: row,
    }));
}

let build: ReturnType<typeof buildWithEssays>;
beforeAll(() => {
  build = buildWithEssays({ mismatched: { 'zh.mdx': zh, 'en.mdx': en } });
}, 120_000);

describe('a pair whose versions differ in structure', () => {
  it('builds', () => {
    expect(build.status, build.output).toBe(0);
  });

  it('keeps every paragraph of both versions in the parallel view, once', () => {
    for (const lang of ['zh', 'en']) {
      const html = build.readPage(`${lang}/essays/mismatched/parallel`);
      for (const paragraph of [...paragraphs.zh, ...paragraphs.en]) expect(html.split(paragraph), `${lang}: ${paragraph}`).toHaveLength(2);
    }
  });

  it('pairs what matches and gives the extra section a row of its own, with a note in the empty cell', () => {
    const rows = readRows(build.readPage('zh/essays/mismatched/parallel'));
    expect(rows.map((row) => [row.key, ...row.cells])).toEqual([
      ['intro', 'zh-Hans', 'en'],
      ['section:1', 'zh-Hans', 'en'],
      ['align:turn', 'zh-Hans', 'en'],
      ['align:turn/section:1', 'empty', 'en'],
      ['align:last', 'zh-Hans', 'en'],
      ['footnotes', 'zh-Hans', 'en'],
    ]);
    expect(rows[1]?.html).toMatch(/<h2 id="第一节">第一节<\/h2>[\s\S]*<h2 id="en--section-one">Section one<\/h2>/);
    expect(rows[3]?.html).toContain('这一部分没有对应的中文');
    expect(rows[4]?.html).toMatch(/最后一节正文[\s\S]*Last section text/);

    const english = readRows(build.readPage('en/essays/mismatched/parallel'));
    expect(english.map((row) => [row.key, ...row.cells])[3]).toEqual(['align:turn/section:1', 'en', 'empty']);
    expect(english[3]?.html).toContain('No Chinese counterpart for this part');
  });

  it('offers each section’s counterpart in place only where there is one', () => {
    const chinese = build.readPage('zh/essays/mismatched');
    expect(chinese.match(/<details class="counterpart"/g)).toHaveLength(2);
    expect(chinese).toMatch(
      /<h2 id="第一节">第一节<\/h2><details class="counterpart"[\s\S]*?Section one, paragraph A\.[\s\S]*?Section one, paragraph C\.[\s\S]*?<\/details>/,
    );
    const english = build.readPage('en/essays/mismatched');
    expect(english.match(/<details class="counterpart"/g)).toHaveLength(2);
    expect(english).toMatch(/<h2 id="an-extra-section">An extra section<\/h2>\n<p>/);
    // A footnote of the folded text is in the parallel view, where the whole other text is.
    expect(chinese).toContain('href="/zh/essays/mismatched/parallel/#en--user-content-fn-1"');
  });
});

describe('alignment points the build refuses', () => {
  it('names the file and line of an <Align> inside a paragraph', () => {
    const { status, output } = buildWithEssay('inline-align', 'en.mdx', `${frontmatter('Inline')}Text <Align id="here" /> more.\n`);
    expect(status).not.toBe(0);
    expect(output).toContain('content/essays/inline-align/en.mdx, line 8');
    expect(output).toContain('<Align> must be on a line of its own');
  }, 120_000);
});
