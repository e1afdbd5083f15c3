import { describe, expect, it } from 'vitest';
import { matchRoute, resolveHref } from '../../src/lib/authoring/links.ts';
import { analyzeMdx, MdxSyntaxError, slugHeadings } from '../../src/lib/authoring/mdx-document.ts';

describe('resolving links', () => {
  const page = '/zh/essays/here/';

  it('tells external, same-page and internal links apart, decoding anchors', () => {
    expect(resolveHref('https://example.com/x', page)).toEqual({ kind: 'external' });
    expect(resolveHref('mailto:a@b.c', page)).toEqual({ kind: 'external' });
    expect(resolveHref('#%E5%9B%9B%E4%B8%AA', page)).toEqual({ kind: 'same-page', anchor: '四个' });
    expect(resolveHref('/en/essays/other/#why-they-came', page)).toEqual({
      kind: 'internal',
      path: '/en/essays/other/',
      anchor: 'why-they-came',
    });
  });

  it('resolves relative links the way a browser would from the essay page', () => {
    expect(resolveHref('../other/', page)).toEqual({ kind: 'internal', path: '/zh/essays/other/', anchor: undefined });
    expect(resolveHref('../../tags/data/', page)).toEqual({ kind: 'internal', path: '/zh/tags/data/', anchor: undefined });
    expect(resolveHref('./#section', page)).toEqual({ kind: 'same-page', anchor: 'section' });
  });

  it('matches the site routes', () => {
    expect(matchRoute('/zh/essays/a-b/')).toEqual({ kind: 'essay', locale: 'zh', slug: 'a-b', missingSlash: false });
    expect(matchRoute('/en/tags/data/')).toEqual({ kind: 'tag', locale: 'en', id: 'data', missingSlash: false });
    expect(matchRoute('/en/about')).toEqual({ kind: 'about', locale: 'en', missingSlash: true });
    expect(matchRoute('/zh/rss.xml')).toMatchObject({ kind: 'listing', locale: 'zh' });
    expect(matchRoute('/zh/')).toMatchObject({ kind: 'listing' });
    expect(matchRoute('/favicon.svg')).toMatchObject({ kind: 'file', path: '/favicon.svg' });
    expect(matchRoute('/essays/a/')).toMatchObject({ kind: 'unknown' });
    expect(matchRoute('/fr/essays/a/')).toMatchObject({ kind: 'unknown' });
  });
});

describe('reading an MDX file', () => {
  const source = `---
title: x
---

## 名字之外：界面和投放

## Why RedNote, and not Meta?

## Why RedNote, and not Meta?

Text[^1] with [a link](/zh/essays/a/#名字之外界面和投放) and [ref][r] and ![alt text](./pic.png).

<Chart dataset="views" series={["zh", 'en']} />

<a href="/en/">home</a>

[r]: /en/tags/data/

[^1]: A note.
`;

  it('gives headings the ids the built HTML has (github-slugger, Chinese kept, punctuation dropped, repeats numbered)', () => {
    const { ids } = analyzeMdx(source);
    expect([...ids]).toEqual(
      expect.arrayContaining([
        '名字之外界面和投放',
        'why-rednote-and-not-meta',
        'why-rednote-and-not-meta-1',
        'footnote-label',
        'user-content-fn-1',
        'user-content-fnref-1',
      ]),
    );
    expect(slugHeadings(['为什么是小红书，而不是 Meta 或抖音'])).toEqual(['为什么是小红书而不是-meta-或抖音']);
  });

  it('collects links (reference links resolved, JSX hrefs included), images and JSX elements with file offsets', () => {
    const document = analyzeMdx(source);
    expect(document.links.map((link) => link.url)).toEqual(['/zh/essays/a/#名字之外界面和投放', '/en/tags/data/', '/en/']);
    expect(document.images).toEqual([{ url: './pic.png', alt: 'alt text', offset: source.indexOf('![alt text]') }]);
    const chart = document.jsxElements.find((element) => element.name === 'Chart');
    expect(chart?.attributes.get('dataset')).toEqual({ kind: 'string', value: 'views' });
    expect(chart?.attributes.get('series')).toEqual({ kind: 'expression', source: '["zh", \'en\']' });
  });

  it('reports MDX syntax errors with their place', () => {
    try {
      analyzeMdx('---\nx: 1\n---\n\nan {unclosed expression\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MdxSyntaxError);
      expect(error).toMatchObject({ line: 5 });
    }
  });
});
