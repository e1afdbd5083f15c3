import { describe, expect, it } from 'vitest';
import { countLinks, escapeHtml, renderCommentTextHtml, splitCommentText } from '../../src/lib/comments/autolink.ts';

describe('autolinking comment text', () => {
  it('links http, https and www. addresses and leaves the rest as text', () => {
    expect(splitCommentText('see https://example.com/a?b=1 and www.example.org')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { type: 'text', text: ' and ' },
      { type: 'link', text: 'www.example.org', href: 'https://www.example.org/' },
    ]);
  });

  it('leaves sentence punctuation and unmatched brackets outside the link', () => {
    expect(splitCommentText('(see https://example.com/x).')).toEqual([
      { type: 'text', text: '(see ' },
      { type: 'link', text: 'https://example.com/x', href: 'https://example.com/x' },
      { type: 'text', text: ').' },
    ]);
    expect(splitCommentText('https://en.wikipedia.org/wiki/Foo_(bar), ok')[0]).toEqual({
      type: 'link',
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
  });

  it('ends a link where Chinese prose starts', () => {
    expect(splitCommentText('看这里https://example.com/页面，很好')).toEqual([
      { type: 'text', text: '看这里' },
      { type: 'link', text: 'https://example.com/', href: 'https://example.com/' },
      { type: 'text', text: '页面，很好' },
    ]);
  });

  it('never links other schemes or the middle of a word', () => {
    expect(countLinks('javascript:alert(1) data:text/html,<b> ftp://example.com mailto:a@b.c')).toBe(0);
    expect(countLinks('awww.example.com xhttps://example.com')).toBe(0);
  });

  it('keeps line breaks as breaks', () => {
    expect(splitCommentText('one\ntwo\n\nthree').filter((part) => part.type === 'break')).toHaveLength(3);
  });

  it('counts links', () => {
    expect(countLinks('http://a.com http://b.com www.c.com')).toBe(3);
  });
});

describe('rendering comment text as HTML', () => {
  it('escapes everything a reader typed', () => {
    expect(renderCommentTextHtml('<script>alert("x")</script> & \'q\'')).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('links with rel="nofollow ugc noopener" and escapes the address', () => {
    expect(renderCommentTextHtml("'https://example.com/?a=1&b='2'x'")).toBe(
      '&#39;<a href="https://example.com/?a=1&amp;b=%272%27x" rel="nofollow ugc noopener">https://example.com/?a=1&amp;b=&#39;2&#39;x</a>&#39;',
    );
  });

  it('turns line breaks into <br> and nothing else into markup', () => {
    expect(renderCommentTextHtml('a\nb <br> c')).toBe('a<br>b &lt;br&gt; c');
  });

  it('cannot be tricked into an attribute by a quote in a URL', () => {
    const html = renderCommentTextHtml('https://example.com/"onmouseover="alert(1)');
    expect(html).not.toContain('"onmouseover');
    expect(html).toContain('&quot;onmouseover=&quot;alert(1)');
  });
});
