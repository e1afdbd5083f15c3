import { describe, expect, it } from 'vitest';
import { getRequestLocale } from '../../src/lib/http/request-locale.ts';

const request = (acceptLanguage?: string) =>
  new Request(
    'http://127.0.0.1:4321/api/comments/',
    acceptLanguage === undefined ? {} : { headers: { 'accept-language': acceptLanguage } },
  );

describe('the language of a request', () => {
  it('is the first language the request names itself, when it is one of ours', () => {
    expect(getRequestLocale(request('zh-CN'), ['en'])).toBe('en');
    expect(getRequestLocale(request('en'), [undefined, null, 'fr', 'zh', 'en'])).toBe('zh');
    expect(getRequestLocale(request('en'), [42, { lang: 'zh' }, ''])).toBe('en');
  });

  it('is otherwise the first of ours in Accept-Language, else Chinese', () => {
    expect(getRequestLocale(request('fr-FR,en-GB;q=0.8,zh;q=0.5'))).toBe('en');
    expect(getRequestLocale(request('zh-Hans-CN'))).toBe('zh');
    expect(getRequestLocale(request('fr, de'))).toBe('zh');
    expect(getRequestLocale(request())).toBe('zh');
  });

  it('reads an Accept-Language value handed over as text, as the Node server has it', () => {
    expect(getRequestLocale('en-US,en;q=0.9')).toBe('en');
    expect(getRequestLocale(undefined)).toBe('zh');
    expect(getRequestLocale('en', ['zh'])).toBe('zh');
  });
});
