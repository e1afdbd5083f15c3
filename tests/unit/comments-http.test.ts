import { describe, expect, it } from 'vitest';
import { getTranslator } from '../../src/i18n/translator.ts';
import { readCommentRequest, wantsHtml } from '../../src/lib/comments/http.ts';
import { describeCommentError } from '../../src/lib/comments/messages.ts';
import type { CommentFieldErrorCode } from '../../src/lib/comments/schema.ts';
import type { CommentErrorCode } from '../../src/lib/comments/service.ts';
import { createEtag, matchesEtag } from '../../src/lib/http/etag.ts';
import { toApiCode } from '../../src/lib/http/responses.ts';

const url = 'http://127.0.0.1/api/comments/';
const post = (body: BodyInit, contentType: string, headers: Record<string, string> = {}) =>
  new Request(url, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });

describe('reading a comment request', () => {
  it('reads JSON objects', async () => {
    expect(await readCommentRequest(post('{"name":"Ann"}', 'application/json; charset=utf-8'))).toEqual({
      ok: true,
      kind: 'json',
      fields: { name: 'Ann' },
    });
  });

  it('refuses broken JSON, JSON that is not an object, and bytes that are not UTF-8', async () => {
    for (const body of ['{bad', '[1]', 'null', '"text"']) {
      expect(await readCommentRequest(post(body, 'application/json'))).toMatchObject({
        ok: false,
        error: { status: 400, code: 'invalidJson' },
      });
    }
    expect(await readCommentRequest(post(new Uint8Array([0x7b, 0xff, 0x7d]), 'application/json'))).toMatchObject({
      ok: false,
      error: { status: 400 },
    });
  });

  it('reads URL-encoded and multipart forms', async () => {
    const encoded = await readCommentRequest(
      post('name=%E5%B0%8F%E6%98%8E&body=hi&private=on&notifyReplies=on', 'application/x-www-form-urlencoded'),
    );
    expect(encoded).toEqual({ ok: true, kind: 'form', fields: { name: '小明', body: 'hi', private: true, notifyReplies: true } });
    const form = new FormData();
    form.set('name', '小明');
    form.set('body', '你好');
    const multipart = new Request(url, { method: 'POST', body: form });
    expect(await readCommentRequest(multipart)).toEqual({
      ok: true,
      kind: 'form',
      fields: { name: '小明', body: '你好', private: false, notifyReplies: false },
    });
  });

  it('refuses other media types with 415', async () => {
    expect(await readCommentRequest(post('name=a', 'text/plain'))).toMatchObject({
      ok: false,
      error: { status: 415, code: 'unsupportedMediaType' },
    });
  });

  it('stops at 32 KB, whether the size is declared or not', async () => {
    const big = JSON.stringify({ body: 'x'.repeat(33 * 1024) });
    expect(await readCommentRequest(post(big, 'application/json'))).toMatchObject({
      ok: false,
      error: { status: 413, code: 'payloadTooLarge' },
    });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 40; index += 1) controller.enqueue(new Uint8Array(1024).fill(0x20));
        controller.close();
      },
    });
    const undeclared = new Request(url, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(await readCommentRequest(undeclared)).toMatchObject({ ok: false, error: { status: 413 } });
    const justUnder = JSON.stringify({ body: '字'.repeat(5000) });
    expect((await readCommentRequest(post(justUnder, 'application/json'))).ok).toBe(true);
  });

  it('drains a refused body only as far as the platform asks (workerd), and otherwise stops at once', async () => {
    for (const declared of [true, false]) {
      for (const drainBytes of [0, 64 * 1024]) {
        let pulled = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (pulled === 40) return controller.close();
            pulled += 1;
            controller.enqueue(new Uint8Array(1024).fill(0x20));
          },
        });
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          ...(declared ? { 'content-length': String(40 * 1024) } : {}),
        };
        const request = new Request(url, { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit);
        expect(await readCommentRequest(request, { drainBytes })).toMatchObject({ ok: false, error: { status: 413 } });
        const label = `${declared ? 'declared' : 'undeclared'} size, drain ${drainBytes}`;
        // A stream pulls ahead by its high-water mark (one chunk) before anyone reads.
        if (drainBytes > 0) expect(pulled, label).toBe(40);
        else expect(pulled, label).toBeLessThanOrEqual(declared ? 1 : 34);
      }
    }
  });

  it('answers pages to forms and JSON to scripts', () => {
    expect(wantsHtml(post('', 'application/x-www-form-urlencoded', { accept: 'text/html,*/*' }), 'form')).toBe(true);
    expect(wantsHtml(post('', 'application/x-www-form-urlencoded', { accept: 'application/json' }), 'form')).toBe(false);
    expect(wantsHtml(post('', 'application/json', { accept: 'text/html' }), 'json')).toBe(false);
  });
});

describe('error answers', () => {
  it('uses snake_case codes', () => {
    expect(toApiCode('rateLimited')).toBe('rate_limited');
    expect(toApiCode('invalidJson')).toBe('invalid_json');
  });

  it('has a sentence for every error, in both languages', () => {
    const codes: CommentErrorCode[] = [
      'invalidJson',
      'invalidInput',
      'payloadTooLarge',
      'unsupportedMediaType',
      'essayNotFound',
      'invalidParent',
      'spamSuspected',
      'tooFast',
      'invalidFormToken',
      'rateLimited',
    ];
    const fieldCodes: CommentFieldErrorCode[] = [
      'required',
      'tooLong',
      'invalid',
      'invalidEmail',
      'controlCharacters',
      'tooManyLinks',
      'linkInName',
    ];
    for (const locale of ['zh', 'en'] as const) {
      const t = getTranslator(locale);
      for (const code of codes) {
        const { message } = describeCommentError({ status: 400, code, fields: [], retryAfterSeconds: 600 }, t);
        expect(message, code).not.toContain('comments.');
        expect(message, code).not.toContain('{{');
      }
      for (const code of fieldCodes) {
        const { fields } = describeCommentError({ status: 400, code: 'invalidInput', fields: [{ field: 'body', code }] }, t);
        expect(fields.body, code).not.toMatch(/comments\.|\{\{/);
      }
    }
    const rateLimited = (locale: 'zh' | 'en', retryAfterSeconds: number) =>
      describeCommentError({ status: 429, code: 'rateLimited', fields: [], retryAfterSeconds }, getTranslator(locale)).message;
    expect(rateLimited('en', 600)).toBe('Too many comments from your network. Try again in 10 minutes.');
    expect(rateLimited('en', 125)).toBe('Too many comments from your network. Try again in 3 minutes.');
    expect(rateLimited('en', 60)).toBe('Too many comments from your network. Try again in 1 minute.');
    expect(rateLimited('en', 42)).toBe('Too many comments from your network. Try again in 42 seconds.');
    expect(rateLimited('en', 1)).toBe('Too many comments from your network. Try again in 1 second.');
    expect(rateLimited('zh', 125)).toBe('发送太频繁了，请 3 分钟后再试。');
    expect(rateLimited('zh', 42)).toBe('发送太频繁了，请 42 秒后再试。');
    expect(
      describeCommentError({ status: 400, code: 'invalidInput', fields: [{ field: 'body', code: 'tooLong' }] }, getTranslator('zh')).fields
        .body,
    ).toContain('5000');
  });
});

describe('ETags', () => {
  it('change with the body and match If-None-Match, weak or strong', () => {
    const etag = createEtag('{"a":1}');
    expect(createEtag('{"a":2}')).not.toBe(etag);
    expect(matchesEtag(etag, etag)).toBe(true);
    expect(matchesEtag(`"other", W/${etag}`, etag)).toBe(true);
    expect(matchesEtag('*', etag)).toBe(true);
    expect(matchesEtag(null, etag)).toBe(false);
    expect(matchesEtag('"other"', etag)).toBe(false);
  });
});
