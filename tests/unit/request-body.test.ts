import { describe, expect, it } from 'vitest';
import { checkJsonShape, isBodyAbandoned, readRequestBody, type BodyLimits, type RequestBody } from '../../src/lib/http/request-body.ts';

const url = 'http://127.0.0.1/api/test/';
const limits: BodyLimits = { maxBytes: 1024, maxFields: 5 };

function post(body: BodyInit | null, contentType?: string, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: 'POST', body, headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers } });
}

/** A streamed body of `chunks` chunks of `size` bytes, counting what was pulled. */
function streamed(chunks: number, size: number, contentType = 'application/json', declared?: number) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled === chunks) return controller.close();
      counter.pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
  const headers: Record<string, string> = {
    'content-type': contentType,
    ...(declared === undefined ? {} : { 'content-length': String(declared) }),
  };
  return { counter, request: new Request(url, { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit) };
}

function refusal(result: RequestBody) {
  return result.ok ? undefined : result.error;
}

describe('reading a request body', () => {
  it('reads JSON objects and both kinds of form', async () => {
    expect(await readRequestBody(post('{"name":"小明","ids":["a","b"]}', 'application/json; charset=utf-8'), limits)).toEqual({
      ok: true,
      kind: 'json',
      json: { name: '小明', ids: ['a', 'b'] },
    });
    const encoded = await readRequestBody(
      post('name=%E5%B0%8F%E6%98%8E&id=a&id=b&note=a+b%zz', 'application/x-www-form-urlencoded'),
      limits,
    );
    expect(encoded.ok && encoded.kind === 'form' && [...encoded.form]).toEqual([
      ['name', '小明'],
      ['id', 'a'],
      ['id', 'b'],
      // `+` is a space and a `%` without two hex digits stays, as browsers and URLSearchParams read it.
      ['note', 'a b%zz'],
    ]);
    const form = new FormData();
    form.append('name', '小明');
    form.append('body', '你好');
    const multipart = await readRequestBody(new Request(url, { method: 'POST', body: form }), limits);
    expect(multipart.ok && multipart.kind === 'form' && [...multipart.form]).toEqual([
      ['name', '小明'],
      ['body', '你好'],
    ]);
  });

  it('takes a POST without type or body as an empty form, and refuses other types with 415', async () => {
    const empty = await readRequestBody(post(null), limits);
    expect(empty.ok && empty.kind === 'form' && [...empty.form]).toEqual([]);
    for (const type of ['text/plain', 'application/xml', 'application/jsonp', 'image/png']) {
      expect(refusal(await readRequestBody(post('{}', type), limits)), type).toEqual({ status: 415, code: 'unsupportedMediaType' });
    }
    expect(refusal(await readRequestBody(post('name=a'), limits))).toEqual({ status: 415, code: 'unsupportedMediaType' });
  });

  it('refuses a body over the limit with 413, declared or streamed, and keeps reading none of it', async () => {
    expect(refusal(await readRequestBody(post('x'.repeat(1025), 'application/json'), limits))).toEqual({
      status: 413,
      code: 'payloadTooLarge',
    });
    const declared = streamed(1000, 1024, 'application/json', 1000 * 1024);
    expect(refusal(await readRequestBody(declared.request, limits))).toEqual({ status: 413, code: 'payloadTooLarge' });
    // Nothing is read: at most what the stream pulls ahead of its reader.
    expect(declared.counter.pulled).toBeLessThanOrEqual(1);
    expect(isBodyAbandoned(declared.request)).toBe(true);
    const undeclared = streamed(1000, 256);
    expect(refusal(await readRequestBody(undeclared.request, limits))).toEqual({ status: 413, code: 'payloadTooLarge' });
    expect(undeclared.counter.pulled).toBeLessThanOrEqual(6);
    expect(isBodyAbandoned(undeclared.request)).toBe(true);
  });

  it('drains as much of a refused body as the platform asks, then gives up on the rest', async () => {
    const small = streamed(8, 256);
    expect(refusal(await readRequestBody(small.request, limits, { drainBytes: 64 * 1024 }))).toEqual({
      status: 413,
      code: 'payloadTooLarge',
    });
    expect(small.counter.pulled).toBe(8);
    expect(isBodyAbandoned(small.request)).toBe(false);
    const huge = streamed(100_000, 1024);
    expect(refusal(await readRequestBody(huge.request, limits, { drainBytes: 64 * 1024 }))).toEqual({
      status: 413,
      code: 'payloadTooLarge',
    });
    expect(huge.counter.pulled).toBeGreaterThanOrEqual(64);
    expect(huge.counter.pulled).toBeLessThan(70);
    expect(isBodyAbandoned(huge.request)).toBe(true);
  });

  it('answers at once and, when asked to linger, drops what follows in the background up to a bound', async () => {
    const huge = streamed(100_000, 1024);
    expect(refusal(await readRequestBody(huge.request, limits, { lingerBytes: 32 * 1024 }))).toEqual({
      status: 413,
      code: 'payloadTooLarge',
    });
    expect(huge.counter.pulled).toBeLessThanOrEqual(8);
    expect(isBodyAbandoned(huge.request)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(huge.counter.pulled).toBeGreaterThan(30);
    expect(huge.counter.pulled).toBeLessThan(40);
  });

  it('answers a body that breaks off with 400', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":'));
        controller.error(new Error('connection reset'));
      },
    });
    const request = new Request(url, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(refusal(await readRequestBody(request, limits))).toEqual({ status: 400, code: 'incompleteBody' });
  });

  it('refuses bytes that are not UTF-8, raw or percent-encoded, in every kind of body', async () => {
    const invalid = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    expect(refusal(await readRequestBody(post(invalid, 'application/json'), limits))).toEqual({ status: 400, code: 'invalidEncoding' });
    expect(refusal(await readRequestBody(post(new Uint8Array([0x61, 0x3d, 0xc3]), 'application/x-www-form-urlencoded'), limits))).toEqual({
      status: 400,
      code: 'invalidEncoding',
    });
    for (const text of ['a=%FF', 'a=%C3%28', 'a=%ED%A0%80', '%80=b']) {
      expect(refusal(await readRequestBody(post(text, 'application/x-www-form-urlencoded'), limits)), text).toEqual({
        status: 400,
        code: 'invalidEncoding',
      });
    }
    const boundary = 'x1';
    const multipart = new Uint8Array([
      ...new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n`),
      0xfe,
      ...new TextEncoder().encode(`\r\n--${boundary}--\r\n`),
    ]);
    expect(refusal(await readRequestBody(post(multipart, `multipart/form-data; boundary=${boundary}`), limits))).toEqual({
      status: 400,
      code: 'invalidEncoding',
    });
  });

  it('refuses JSON nested deeper than 20 without parsing it, even 100 000 deep', async () => {
    const deep = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect((await readRequestBody(post(deep(20), 'application/json'), limits)).ok).toBe(true);
    expect(refusal(await readRequestBody(post(deep(21), 'application/json'), limits))).toEqual({ status: 400, code: 'nestedTooDeep' });
    const wide = { maxBytes: 1024 * 1024, maxFields: 5 };
    expect(refusal(await readRequestBody(post('['.repeat(100_000), 'application/json'), wide))).toEqual({
      status: 400,
      code: 'nestedTooDeep',
    });
    expect(refusal(await readRequestBody(post(`{"a":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_001)}`, 'application/json'), wide))).toEqual({
      status: 400,
      code: 'nestedTooDeep',
    });
    // Brackets inside strings, escaped quotes included, are text.
    expect((await readRequestBody(post(JSON.stringify({ a: '[[[[[[[[[[[[[[[[[[[[[[[[["\\' }), 'application/json'), limits)).ok).toBe(true);
    expect(checkJsonShape('"\\"[[[["', 2, 5)).toEqual({ ok: true });
  });

  it('refuses more fields than the route takes before building any of them', async () => {
    expect(refusal(await readRequestBody(post('a=1&b=2&c=3&d=4&e=5&f=6', 'application/x-www-form-urlencoded'), limits))).toEqual({
      status: 400,
      code: 'tooManyFields',
    });
    expect((await readRequestBody(post('a=1&b=2&&c=3&d=4&e=5&', 'application/x-www-form-urlencoded'), limits)).ok).toBe(true);
    expect(
      refusal(await readRequestBody(post(JSON.stringify({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }), 'application/json'), limits)),
    ).toEqual({ status: 400, code: 'tooManyFields' });
    // Members of nested objects are not the route's fields; a list is one field.
    expect(
      (
        await readRequestBody(
          post(JSON.stringify({ a: { b: 1, c: 2, d: 3, e: 4, f: 5, g: 6 }, ids: [1, 2, 3, 4, 5, 6, 7] }), 'application/json'),
          limits,
        )
      ).ok,
    ).toBe(true);
    const form = new FormData();
    for (let index = 0; index < 6; index += 1) form.append('id', String(index));
    expect(refusal(await readRequestBody(new Request(url, { method: 'POST', body: form }), limits))).toEqual({
      status: 400,
      code: 'tooManyFields',
    });
    const manyFields = Array.from({ length: 10_000 }, (_, index) => `f${index}=1`).join('&');
    expect(
      refusal(await readRequestBody(post(manyFields, 'application/x-www-form-urlencoded'), { maxBytes: 1024 * 1024, maxFields: 100 })),
    ).toEqual({ status: 400, code: 'tooManyFields' });
  });

  it('refuses JSON that is not an object, and forms it cannot read', async () => {
    for (const text of ['', '[1]', 'null', '"text"', '12', '{"a":1', '{"a":1}}']) {
      expect(refusal(await readRequestBody(post(text, 'application/json'), limits)), text).toEqual({ status: 400, code: 'invalidJson' });
    }
    expect(refusal(await readRequestBody(post('a=1', 'multipart/form-data'), limits))).toEqual({ status: 400, code: 'invalidForm' });
    expect(refusal(await readRequestBody(post('not multipart', 'multipart/form-data; boundary=abc'), limits))).toEqual({
      status: 400,
      code: 'invalidForm',
    });
  });
});
