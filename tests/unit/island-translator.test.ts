import { describe, expect, it } from 'vitest';
import { createIslandTranslator, fillTemplate } from '../../src/i18n/island-translator.ts';
import en from '../../src/i18n/locales/en.json';
import zh from '../../src/i18n/locales/zh.json';
import { locales, localeKeys } from '../../src/i18n/locales.ts';
import { getTranslator } from '../../src/i18n/translator.ts';

const comments = {
  count_one: '{{count}} comment',
  count_other: '{{count}} comments',
  replyTo: 'Reply to {{name}}',
  empty: 'No comments yet.',
};

describe('the islands’ translator', () => {
  it('fills {{variables}}, spaced or unescaped, with numbers as they are', () => {
    const t = createIslandTranslator({ ...comments, both: '{{ a }}, {{-b}} and {{c}}' }, 'en');
    expect(t('replyTo', { name: 'Ada' })).toBe('Reply to Ada');
    expect(t('both', { a: 1234, b: 'two', c: 0 })).toBe('1234, two and 0');
    expect(t('empty')).toBe('No comments yet.');
  });

  it('leaves a variable it was not given as written, and one given as undefined or null empty', () => {
    const t = createIslandTranslator({ replyTo: 'Reply to {{name}} ({{other}})' }, 'en');
    expect(t('replyTo')).toBe('Reply to {{name}} ({{other}})');
    expect(t('replyTo', { name: 'Ada' })).toBe('Reply to Ada ({{other}})');
    expect(t('replyTo', { name: undefined, other: null })).toBe('Reply to  ()');
  });

  it('answers a key it does not have with the key', () => {
    expect(createIslandTranslator(comments, 'en')('nope' as 'empty')).toBe('nope');
  });

  it('picks one and other in English, by the count', () => {
    const t = createIslandTranslator(comments, 'en');
    expect([0, 1, 2, 1.5, 21].map((count) => t('count', { count }))).toEqual([
      '0 comments',
      '1 comment',
      '2 comments',
      '1.5 comments',
      '21 comments',
    ]);
  });

  it('has no singular in Chinese: every count takes the other form', () => {
    const t = createIslandTranslator({ count_one: '一：{{count}} 条', count_other: '{{count}} 条留言' }, 'zh-Hans-CN');
    expect([0, 1, 2].map((count) => t('count', { count }))).toEqual(['0 条留言', '1 条留言', '2 条留言']);
  });

  it('takes a zero form for 0 when there is one, and the plain key when there are no forms', () => {
    const t = createIslandTranslator({ item_zero: 'none', item_one: 'one', item_other: 'many', plain: '{{count}} of them' }, 'en');
    expect([0, 1, 5].map((count) => t('item', { count }))).toEqual(['none', 'one', 'many']);
    expect(t('plain', { count: 3 })).toBe('3 of them');
    expect(t('item', { count: '1' })).toBe('item');
  });

  it('formats {{count, number}} in the page’s language', () => {
    const strings = { found_one: '{{count, number}} essay found', found_other: '{{count, number}} essays found' };
    expect(createIslandTranslator(strings, 'en')('found', { count: 1234 })).toBe('1,234 essays found');
    expect(createIslandTranslator(strings, 'de')('found', { count: 1234 })).toBe('1.234 essays found');
    expect(fillTemplate('{{n, unknownFormat}}', { n: 1234 }, 'en')).toBe('1234');
  });

  it('inserts HTML and placeholders from values as plain text, never reading them again', () => {
    const t = createIslandTranslator(comments, 'en');
    expect(t('replyTo', { name: '<img src=x onerror=alert(1)> & {{count}}' })).toBe('Reply to <img src=x onerror=alert(1)> & {{count}}');
    expect(createIslandTranslator({ html: '<b>{{name}}</b>' }, 'en')('html', { name: '&amp;' })).toBe('<b>&amp;</b>');
  });

  it('ignores what is not a string in the set it was handed, and inherited names', () => {
    const t = createIslandTranslator({ languages: { zh: { badge: '中' } }, empty: 'None.' }, 'en');
    expect(t('empty')).toBe('None.');
    expect(createIslandTranslator({}, 'en')('toString' as never)).toBe('toString');
  });

  it('says every string of both locales as i18next says it on the server', () => {
    const values = {
      name: 'Ada <b>',
      title: 'T',
      language: '中文',
      query: '{{count}}',
      minutes: 3,
      views: '1.2万',
      collects: '3',
      max: 500,
    };
    for (const locale of localeKeys) {
      const strings: Record<string, string> = locale === 'zh' ? zh : en;
      const server = getTranslator(locale) as unknown as (key: string, options?: object) => string;
      const island = createIslandTranslator(strings, locales[locale].intl);
      const keys = new Set(Object.keys(strings).map((key) => key.replace(/_(one|other)$/, '')));
      let compared = 0;
      for (const key of keys) {
        const formats = [...(strings[key] ?? strings[`${key}_other`] ?? '').matchAll(/\{\{[^}]*,\s*(\w+)/g)].map((match) => match[1]);
        // nestedQuotes is the server's own formatter (src/i18n/translator.ts); no island string uses it.
        if (formats.some((format) => format !== 'number')) continue;
        for (const count of [0, 1, 2, 1234]) {
          expect(island(key, { ...values, count }), `${locale} ${key} ${count}`).toBe(server(key, { ...values, count }));
        }
        expect(island(key), `${locale} ${key}`).toBe(server(key));
        compared += 1;
      }
      expect(compared).toBeGreaterThan(200);
    }
  });
});
