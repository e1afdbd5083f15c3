import { describe, expect, it } from 'vitest';
import en from '../../src/i18n/locales/en.json';
import zh from '../../src/i18n/locales/zh.json';
import { getCounterpartLocale, getOtherLocales, isLocale, localeKeys, matchLocale } from '../../src/i18n/locales.ts';
import { getTranslator } from '../../src/i18n/translator.ts';

describe('UI strings', () => {
  it('has the same keys in Chinese and English', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('has no empty string', () => {
    for (const resource of [zh, en]) {
      expect(Object.entries(resource).filter(([, value]) => value.trim() === '')).toEqual([]);
    }
  });

  it('uses the same {{variables}} in both languages', () => {
    const variables = (text: string) => [...text.matchAll(/\{\{(\w+)(?:, *\w+)?\}\}/g)].map((match) => match[1]).sort();
    for (const [key, value] of Object.entries(en)) {
      expect(variables(zh[key as keyof typeof zh]), key).toEqual(variables(value));
    }
  });

  it('interpolates and pluralizes', () => {
    expect(getTranslator('en')('tags.count', { count: 1 })).toBe('1 essay');
    expect(getTranslator('en')('tags.count', { count: 3 })).toBe('3 essays');
    expect(getTranslator('zh')('tags.count', { count: 3 })).toBe('3 篇文章');
  });

  it('answers a plain key from the resources every time, and keys with options still through i18next', () => {
    const t = getTranslator('zh');
    expect([t('nav.home'), t('nav.home')]).toEqual([zh['nav.home'], zh['nav.home']]);
    expect(getTranslator('en')('nav.home')).toBe(en['nav.home']);
    expect(t('tags.count', { count: 1 })).toBe('1 篇文章');
  });
});

describe('locales', () => {
  it('knows its locales', () => {
    expect(localeKeys).toEqual(['zh', 'en']);
    expect(isLocale('zh')).toBe(true);
    expect(isLocale('fr')).toBe(false);
    expect(isLocale('toString')).toBe(false);
    expect(getOtherLocales('zh')).toEqual(['en']);
    expect(getCounterpartLocale('en')).toBe('zh');
  });

  it('matches browser languages to ours, defaulting to Chinese', () => {
    expect(matchLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(matchLocale(['zh-Hant-TW'])).toBe('zh');
    expect(matchLocale(['fr-FR', 'en;q=0.8'])).toBe('en');
    expect(matchLocale(['fr'])).toBe('zh');
    expect(matchLocale([])).toBe('zh');
  });
});

describe('a title set inside quotation marks', () => {
  it('has its own double quotes turned single, so quotes never double up', () => {
    const en = getTranslator('en');
    expect(en('comments.pageTitle', { title: '“TikTok Refugees” in One Hashtag' })).toBe('Comments on “‘TikTok Refugees’ in One Hashtag”');
    expect(en('comments.pageTitle', { title: 'Who Welcomed Them, and Who Didn’t' })).toBe(
      'Comments on “Who Welcomed Them, and Who Didn’t”',
    );
    expect(getTranslator('zh')('parallel.chartShownOnce', { title: '“难民”标签', language: '中文' })).toBe(
      '图表“‘难民’标签”只显示一次，见中文部分。',
    );
  });
});
