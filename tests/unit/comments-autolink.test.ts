import { describe, expect, it } from 'vitest';
import { countLinks, splitCommentText } from '../../src/lib/comments/autolink.ts';

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
