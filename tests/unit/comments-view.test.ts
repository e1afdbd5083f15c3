import { describe, expect, it } from 'vitest';
import { getTranslator } from '../../src/i18n/translator.ts';
import { getReplyHref, renderCommentList, type ViewElement, type ViewNode } from '../../src/lib/comments/comment-view.ts';
import type { PublicThreadJson } from '../../src/lib/comments/schema.ts';

const thread = (fields: Partial<PublicThreadJson>): PublicThreadJson => ({
  id: 'c1',
  lang: 'zh',
  name: '读者',
  body: '你好',
  isAuthor: false,
  createdAt: '2025-05-01T12:00:00.000Z',
  replies: [],
  ...fields,
});

function render(threads: PublicThreadJson[], locale: 'zh' | 'en' = 'zh'): ViewElement {
  const t = getTranslator(locale);
  return renderCommentList(threads, { locale, t: (key, values) => t(key, values), commentsPagePath: `/${locale}/essays/e/comments/` });
}

function findAll(node: ViewNode, test: (element: ViewElement) => boolean): ViewElement[] {
  if (typeof node === 'string') return [];
  return [...(test(node) ? [node] : []), ...node.children.flatMap((child) => findAll(child, test))];
}

const byClass = (name: string) => (element: ViewElement) => element.attributes.class?.split(' ').includes(name) ?? false;

describe('the comment rendering', () => {
  it('keeps everything a reader typed as text: markup in a name or body never becomes an element', () => {
    const list = render([thread({ name: '<img src=x onerror=alert(1)>', body: '<script>alert("x")</script> & <br> \'q\'' })]);
    const [name] = findAll(list, byClass('comment-name'));
    expect(name?.children).toEqual(['<img src=x onerror=alert(1)>']);
    const [body] = findAll(list, byClass('comment-body'));
    expect(body?.children).toEqual(['<script>alert("x")</script> & <br> \'q\'']);
    expect(findAll(list, (element) => ['img', 'script'].includes(element.tag))).toEqual([]);
  });

  it('links http(s) addresses with rel="nofollow ugc noopener", ends them at a quote, and leaves javascript: as text', () => {
    const [body] = findAll(
      render([thread({ body: 'see https://example.com/"onmouseover="alert(1) or javascript:alert(1)\nnext line' })]),
      byClass('comment-body'),
    );
    expect(body?.children).toEqual([
      'see ',
      { tag: 'a', attributes: { href: 'https://example.com/', rel: 'nofollow ugc noopener' }, children: ['https://example.com/'] },
      '"onmouseover="alert(1) or javascript:alert(1)',
      { tag: 'br', attributes: {}, children: [] },
      'next line',
    ]);
  });

  it('nests replies, marks the author’s, badges another language and links each reply to the comments page form', () => {
    const list = render([thread({ replies: [thread({ id: 'r1', lang: 'en', name: 'Ann', isAuthor: true, body: 'Thanks' })] })], 'zh');
    const reply = findAll(list, (element) => element.attributes.id === 'comment-r1')[0];
    expect(reply?.attributes.class).toBe('comment comment-by-author');
    expect(findAll(list, byClass('comment-replies'))).toHaveLength(1);
    expect(findAll(reply!, byClass('comment-author-badge'))[0]?.children).toEqual(['作者']);
    expect(findAll(reply!, byClass('comment-language-badge'))[0]).toMatchObject({
      attributes: { title: '用英文写的留言' },
      children: ['英文'],
    });
    expect(findAll(reply!, byClass('comment-body'))[0]?.attributes.lang).toBe('en');
    expect(findAll(reply!, byClass('comment-reply'))[0]).toMatchObject({
      tag: 'a',
      attributes: { href: getReplyHref('/zh/essays/e/comments/', 'r1'), 'aria-label': '回复 Ann' },
      children: ['回复'],
    });
    expect(findAll(reply!, (element) => element.tag === 'time')[0]).toEqual({
      tag: 'time',
      attributes: { datetime: '2025-05-01' },
      children: ['2025年5月1日'],
    });
    // The page's own language gets no badge.
    expect(findAll(list, byClass('comment-language-badge'))).toHaveLength(1);
  });
});
