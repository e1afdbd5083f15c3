import { describe, expect, it } from 'vitest';
import { getErrorLocale, renderBilingualText, renderServerError } from '../../src/lib/node-server/error-answer.ts';
import { addDatesToConsole, formatLogLine, formatRequestLine } from '../../src/lib/node-server/log.ts';

describe('error answers', () => {
  it('speak the page’s language, else the browser’s', () => {
    expect(getErrorLocale('/en/essays/x/', 'zh-CN')).toBe('en');
    expect(getErrorLocale('/api/comments/', 'en-GB,en;q=0.9')).toBe('en');
    expect(getErrorLocale('/api/comments/', undefined)).toBe('zh');
  });

  it('are JSON under /api/ with the allowed methods', () => {
    const answer = renderServerError(
      { status: 405, code: 'method_not_allowed', allow: ['POST'] },
      { pathname: '/api/moderation/actions/', method: 'GET', acceptLanguage: 'en' },
    );
    expect(answer.status).toBe(405);
    expect(answer.headers).toMatchObject({ Allow: 'POST', 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: 'method_not_allowed', message: 'This address does not answer GET requests; it answers POST.' },
    });
  });

  it('are a short page elsewhere, in Chinese under /zh/, with nothing a client sent unescaped', () => {
    const answer = renderServerError({ status: 500, code: 'internal' }, { pathname: '/zh/essays/x/', method: 'GET', acceptLanguage: 'en' });
    expect(answer.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('<html lang="zh-Hans">');
    expect(answer.body).toContain('服务器出了点问题，请稍后再试。');
    expect(answer.body).toContain('<a href="/zh/">返回首页</a>');
    const escaped = renderServerError(
      { status: 405, code: 'method_not_allowed', allow: ['GET'] },
      { pathname: '/en/', method: '<script>', acceptLanguage: undefined },
    );
    expect(escaped.body).not.toContain('<script>');
    expect(escaped.body).toContain('&#60;script&#62;');
  });

  it('say it in both languages when there is no request to read a language from', () => {
    const answer = renderBilingualText({ status: 501, code: 'not_implemented' });
    expect(answer.body).toBe('服务器不认识这个请求方法。\nThe server does not know this request method.\n');
  });
});

describe('log lines', () => {
  it('carry an ISO date', () => {
    expect(formatLogLine('warn', 'disk is slow', new Date('2026-03-01T08:09:10.123Z'))).toBe('2026-03-01T08:09:10.123Z warn disk is slow');
  });

  it('per request: method, path, status, milliseconds, one line whatever the path holds', () => {
    expect(formatRequestLine({ method: 'GET', path: '/zh/', status: 200, milliseconds: 3.14159 })).toBe('GET /zh/ 200 3.1ms');
    expect(formatRequestLine({ method: 'GET', path: '/a b\u0001', status: 404, milliseconds: 1 })).toBe('GET /a%20b%01 404 1.0ms');
  });

  it('give every console line a date', () => {
    const lines: string[] = [];
    const target = { log() {}, info() {}, debug() {}, warn() {}, error() {} } as unknown as Console;
    addDatesToConsole(target, { out: (line) => lines.push(`out ${line}`), err: (line) => lines.push(`err ${line}`) });
    target.info('%s [router] hello', '00:00:01');
    target.error(new Error('boom'));
    expect(lines[0]).toMatch(/^out \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info 00:00:01 \[router\] hello$/);
    expect(lines[1]).toMatch(/^err \S+Z error Error: boom\n\s+at /);
  });
});
