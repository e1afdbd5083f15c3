import { describe, expect, it } from 'vitest';
import {
  collectIds,
  formatAlignBreak,
  groupSections,
  removeAlignBreaks,
  rewriteIds,
  splitHeading,
  splitIntoBlocks,
} from '../../src/lib/parallel/blocks.ts';
import { buildEssayParts, buildParallelRows } from '../../src/lib/parallel/parallel-text.ts';

const section = formatAlignBreak('section');
const marker = (id: string) => formatAlignBreak('marker', id);
const footnotes = formatAlignBreak('footnotes');
const keys = (html: string) => splitIntoBlocks(html).map((block) => block.key);

describe('cutting rendered essays into blocks', () => {
  it('cuts at section breaks, numbering sections in order', () => {
    const html = `<p>Intro</p>\n${section}<h2 id="one">One</h2>\n<p>a</p>\n${section}<h2 id="two">Two</h2>\n<p>b</p>`;
    const blocks = splitIntoBlocks(html);
    expect(blocks.map(({ key, kind }) => `${key} ${kind}`)).toEqual(['intro intro', 'section:1 section', 'section:2 section']);
    expect(blocks[1]?.html).toBe('<h2 id="one">One</h2>\n<p>a</p>\n');
    expect(blocks.map((block) => block.html).join('')).toBe(removeAlignBreaks(html));
  });

  it('leaves out an empty intro and a marker with nothing after it', () => {
    expect(keys(`${section}<h2>One</h2><p>a</p>\n${marker('end')}\n`)).toEqual(['section:1']);
  });

  it('counts sections again from each marker', () => {
    expect(keys(`<p>i</p>${section}<h2>A</h2><p>a</p>${marker('ban')}<p>m</p>${section}<h2>B</h2><p>b</p>${section}<h2>C</h2>`)).toEqual([
      'intro',
      'section:1',
      'align:ban',
      'align:ban/section:1',
      'align:ban/section:2',
    ]);
  });

  it('lets a marker just before a heading name that section', () => {
    expect(keys(`<p>i</p>${marker('ban')}\n${section}<h2>B</h2><p>b</p>${section}<h2>C</h2>`)).toEqual([
      'intro',
      'align:ban',
      'align:ban/section:1',
    ]);
  });

  it('keeps the footnotes as a block of their own', () => {
    expect(keys(`<p>i<sup>1</sup></p>${section}<h2>A</h2>${footnotes}<section data-footnotes><ol><li>n</li></ol></section>`)).toEqual([
      'intro',
      'section:1',
      'footnotes',
    ]);
  });

  it('groups a section with the marker blocks inside it', () => {
    const blocks = splitIntoBlocks(
      `<p>i</p>${section}<h2>A</h2><p>a</p>${marker('x')}<p>x</p>${section}<h2>B</h2>${footnotes}<section></section>`,
    );
    const sections = groupSections(blocks);
    expect([...sections.keys()]).toEqual(['section:1', 'align:x/section:1']);
    expect(sections.get('section:1')?.map((block) => block.key)).toEqual(['section:1', 'align:x']);
    expect(sections.get('align:x/section:1')?.map((block) => block.key)).toEqual(['align:x/section:1']);
  });

  it('separates a section’s heading from its text', () => {
    expect(splitHeading('<h2 id="a">A <em>b</em></h2>\n<p>t</p>')).toEqual({
      heading: '<h2 id="a">A <em>b</em></h2>',
      id: 'a',
      headingContent: 'A <em>b</em>',
      rest: '\n<p>t</p>',
    });
    expect(splitHeading('<p>no heading</p>')).toBeUndefined();
  });
});

describe('ids of the other language beside the page’s own', () => {
  const html =
    '<p>Text<sup><a href="#user-content-fn-1" id="user-content-fnref-1" data-footnote-ref aria-describedby="footnote-label">1</a></sup> and <a href="/en/essays/x/#y">a link</a>.</p>';

  it('finds every id', () => {
    expect([...collectIds(`${html}<h2 id="footnote-label">Notes</h2>`)]).toEqual(['user-content-fnref-1', 'footnote-label']);
  });

  it('prefixes ids, and the links and references that point to them', () => {
    const all = `${html}<section><h2 id="footnote-label">Notes</h2><li id="user-content-fn-1"><a href="#user-content-fnref-1">↩</a></li></section>`;
    const rewritten = rewriteIds(all, { prefix: 'en--', present: collectIds(all) });
    expect(rewritten).toContain(
      '<a href="#en--user-content-fn-1" id="en--user-content-fnref-1" data-footnote-ref aria-describedby="en--footnote-label">',
    );
    expect(rewritten).toContain('<li id="en--user-content-fn-1"><a href="#en--user-content-fnref-1">');
    expect(rewritten).toContain('href="/en/essays/x/#y"');
  });

  it('sends links to ids not shown here to the page that has them, and drops references that would dangle', () => {
    const rewritten = rewriteIds(html, {
      prefix: 'en--',
      present: collectIds(html),
      elsewhere: { ids: new Set(['user-content-fn-1', 'footnote-label']), href: '/zh/essays/x/parallel/' },
    });
    expect(rewritten).toContain('<a href="/zh/essays/x/parallel/#en--user-content-fn-1" id="en--user-content-fnref-1" data-footnote-ref>');
  });

  it('follows percent-encoded fragments', () => {
    const encoded = `<a href="#${encodeURIComponent('名字')}">x</a><h2 id="名字">名字</h2>`;
    expect(rewriteIds(encoded, { prefix: 'zh--', present: collectIds(encoded) })).toBe(
      '<a href="#zh--名字">x</a><h2 id="zh--名字">名字</h2>',
    );
  });
});

describe('rows of the parallel view', () => {
  it('pairs the page’s own blocks with the other’s, prefixing only the other’s ids', () => {
    const own = `<p>引言</p>${section}<h2 id="一">一</h2><p>甲</p>`;
    const other = `<p>Intro</p>${section}<h2 id="one">One</h2><p>a</p>${section}<h2 id="two">Two</h2><p>b</p>`;
    const rows = buildParallelRows(own, other, 'en');
    expect(rows.map((row) => [row.key, Boolean(row.own), Boolean(row.other)])).toEqual([
      ['intro', true, true],
      ['section:1', true, true],
      ['section:2', false, true],
    ]);
    expect(rows[1]?.own?.html).toContain('<h2 id="一">');
    expect(rows[1]?.other?.html).toContain('<h2 id="en--one">');
  });
});

describe('an essay page with the other language folded under each heading', () => {
  const options = { otherLocale: 'en' as const, parallelHref: '/zh/essays/x/parallel/' };

  it('cuts the page’s text after each heading whose section the other version has', () => {
    const own = `<p>引言</p>${section}<h2 id="一">一</h2><p>甲</p>${marker('m')}<p>乙</p>${section}<h2 id="二">二</h2><p>丙</p>`;
    const other = `<p>Intro<sup><a href="#user-content-fn-1" id="user-content-fnref-1">1</a></sup></p>${section}<h2 id="one">One</h2><p>A</p>${marker('m')}<p>B<sup><a href="#user-content-fn-1" id="user-content-fnref-2">1</a></sup></p>${footnotes}<section><ol><li id="user-content-fn-1">Note</li></ol></section>`;
    const parts = buildEssayParts(own, other, options);
    expect(parts.map((part) => part.html)).toEqual([
      '<p>引言</p>',
      '<h2 id="一">一</h2>',
      '<p>甲</p>',
      '<p>乙</p>',
      '<h2 id="二">二</h2><p>丙</p>',
    ]);
    expect(parts[1]?.counterpart).toEqual({
      headingId: '一',
      headingContent: 'One',
      body: '<p>A</p><p>B<sup><a href="/zh/essays/x/parallel/#en--user-content-fn-1" id="en--user-content-fnref-2">1</a></sup></p>',
    });
    expect(parts.filter((part) => part.counterpart)).toHaveLength(1);
  });

  it('shows the text whole, without breaks, when there is no other version', () => {
    expect(buildEssayParts(`<p>a</p>${section}<h2>B</h2>`, undefined, options)).toEqual([{ html: '<p>a</p><h2>B</h2>' }]);
  });
});
