import { afterAll, describe, expect, it } from 'vitest';
import { buildWithEssay, removeBuildCopies } from './build-copy.ts';

afterAll(removeBuildCopies);

describe('Markdown an author writes', () => {
  it('turns a titled image on its own line into a captioned figure, and leaves inline images alone', () => {
    const { status, output, readPage } = buildWithEssay(
      'figures',
      'en.mdx',
      '---\ntitle: Figures\nsummary: x\npublished: 2025-01-20\ncategory: observation\n---\n\n![Views under the tag](/favicon.svg "Views, 13–19 January")\n\nText with ![an icon](/favicon.svg "icon") inside.\n',
    );
    expect(status, output).toBe(0);
    const html = readPage('en/essays/figures');
    expect(html).toContain(
      '<figure><img src="/favicon.svg" alt="Views under the tag"/><figcaption>Views, 13–19 January</figcaption></figure>',
    );
    expect(html).toContain('<p>Text with <img src="/favicon.svg" alt="an icon" title="icon"/> inside.</p>');
  }, 120_000);
});
