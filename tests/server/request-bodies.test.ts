import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/built-server.ts';

// Attacks on every route that reads a body, against the built Node server (run `npm run build` first):
// whatever arrives, the answer is a quick JSON 4xx, the server's memory stays put, and it keeps serving.

const bodyRoutes = [
  '/api/comments/',
  '/api/moderation/sign-in/',
  '/api/moderation/sign-out/',
  '/api/moderation/actions/',
  '/api/signals/views/',
  '/api/signals/collects/',
];
const megabyte = 1024 * 1024;

let server: TestServer;
let folder: string;

/** The server's resident memory in bytes, from /proc. */
function getServerRss(): number {
  const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0) * 1024;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  ms: number;
}

function parseError(answer: Answer): { code: string; message: string } {
  expect(answer.headers['content-type'], answer.text).toMatch(/^application\/json/);
  const json = JSON.parse(answer.text) as { error: { code: string; message: string } };
  expect(json.error.message, answer.text).toMatch(/\S/);
  return json.error;
}

/**
 * Streams `totalBytes` of spaces, chunked (no Content-Length), and stops sending once the answer
 * is in: what an attacker's upload looks like. Samples the server's memory all the while.
 */
function streamChunked(
  path: string,
  totalBytes: number,
  contentType = 'application/json',
): Promise<Answer & { sent: number; peakRss: number }> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const started = Date.now();
  let peakRss = getServerRss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, getServerRss())), 25);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let isAnswered = false;
    const outgoing = httpRequest(
      `${server.baseURL}${path}`,
      { method: 'POST', headers: { 'content-type': contentType, 'transfer-encoding': 'chunked' } },
      (response) => {
        isAnswered = true;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (data: string) => (text += data));
        response.on('end', () => {
          clearInterval(sampler);
          outgoing.destroy();
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, ms: Date.now() - started, sent, peakRss });
        });
      },
    );
    outgoing.on('error', (error) => {
      clearInterval(sampler);
      if (!isAnswered) reject(error);
    });
    const write = () => {
      while (!isAnswered && sent < totalBytes) {
        sent += chunk.byteLength;
        if (!outgoing.write(chunk)) return void outgoing.once('drain', write);
      }
      if (!isAnswered) outgoing.end();
    };
    write();
  });
}

/** One request over a raw socket: headers as given (a Content-Length the body does not keep, for one), then the body. */
function sendRaw(head: string, body: Buffer | string = ''): Promise<Answer> {
  const { port } = new URL(server.baseURL);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      received += data;
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [statusLine = '', ...lines] = received.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const length = Number(headers['content-length'] ?? NaN);
      let text = received.slice(end + 4);
      if (headers['transfer-encoding'] === 'chunked') {
        if (!text.endsWith('0\r\n\r\n')) return;
        text = text.replace(/(?:^|\r\n)[0-9a-f]+\r\n/g, '').replace(/\r\n$/, '');
      } else if (Buffer.byteLength(text) < length) return;
      socket.destroy();
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text, ms: Date.now() - started });
    });
    socket.on('error', reject);
    socket.write(`${head.replace(/\n/g, '\r\n')}\r\n\r\n`);
    if (body.length > 0) socket.write(body);
  });
}

function post(path: string, body: BodyInit, contentType: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.baseURL}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType, accept: 'application/json', ...headers },
  });
}

async function expectStillServing() {
  const response = await fetch(`${server.baseURL}/zh/`);
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'duizhao-bodies-'));
  server = await startServer({ COMMENTS_DB: join(folder, 'comments.db') });
  // Load every route once, so memory measured later is not the first use of a module.
  for (const path of bodyRoutes) await (await post(path, '{}', 'application/json')).arrayBuffer();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('a body over the limit', () => {
  it.each(['/api/moderation/actions/', '/api/comments/'])(
    'streamed chunked, 200 MB to %s, gets 413 at once and the server grows by less than 50 MB',
    async (path) => {
      const before = getServerRss();
      const answer = await streamChunked(path, 200 * megabyte);
      expect(answer.status).toBe(413);
      expect(parseError(answer).code).toBe('payload_too_large');
      expect(answer.ms).toBeLessThan(5000);
      // The client stopped sending once answered: a few MB in socket buffers, not the 200.
      expect(answer.sent).toBeLessThan(50 * megabyte);
      expect(answer.peakRss - before).toBeLessThan(50 * megabyte);
      await expectStillServing();
    },
    60_000,
  );

  it.each(bodyRoutes)(
    'streamed chunked, 20 MB to %s, gets 413 JSON',
    async (path) => {
      const before = getServerRss();
      const answer = await streamChunked(path, 20 * megabyte);
      expect(answer.status).toBe(413);
      expect(parseError(answer).code).toBe('payload_too_large');
      expect(answer.peakRss - before).toBeLessThan(50 * megabyte);
      await expectStillServing();
    },
    30_000,
  );

  it.each(bodyRoutes)('declared with a 1 GB Content-Length at %s, gets 413 before any of it is sent', async (path) => {
    const answer = await sendRaw(
      `POST ${path} HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\nContent-Length: ${1024 * megabyte}`,
      '{"a":',
    );
    expect(answer.status).toBe(413);
    expect(parseError(answer).code).toBe('payload_too_large');
    expect(answer.headers.connection).toBe('close');
    expect(answer.ms).toBeLessThan(3000);
    await expectStillServing();
  });
});

describe('bodies that are small but hostile', () => {
  it.each(bodyRoutes)('100 000-deep JSON at %s is refused with a 4xx, 30 000-deep and 21-deep with 400', async (path) => {
    const deepest = await post(path, '['.repeat(100_000), 'application/json');
    expect([400, 413]).toContain(deepest.status);
    expect((await deepest.json()).error.code).toMatch(/^(nested_too_deep|payload_too_large)$/);
    if (path.startsWith('/api/signals/')) return; // 2 KB: nothing deeper than that fits
    const deep = await post(path, `{"a":${'['.repeat(30_000)}`, 'application/json', { 'accept-language': 'en' });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ error: { code: 'nested_too_deep', message: 'The JSON is nested too deeply.' } });
    const justTooDeep = await post(path, `{"a":${'['.repeat(20)}${']'.repeat(20)}}`, 'application/json');
    expect(justTooDeep.status).toBe(400);
    await expectStillServing();
  });

  it.each(bodyRoutes)('a 10 000-field form at %s is refused with a 4xx, never parsed', async (path) => {
    const fields = Array.from({ length: 10_000 }, (_, index) => `f${index % 10}=1`).join('&');
    const answer = await post(path, fields, 'application/x-www-form-urlencoded', { 'accept-language': 'zh' });
    // 10 000 fields are 50 KB: over the comment and signal routes' size, under the console's.
    expect([400, 413]).toContain(answer.status);
    const { code } = (await answer.json()).error;
    expect(code).toBe(answer.status === 413 ? 'payload_too_large' : 'too_many_fields');
    // 520 empty fields fit every route's size (1.5 KB) and pass every route's field count (at most 510).
    const tooMany = await post(path, Array.from({ length: 520 }, () => 'i=').join('&'), 'application/x-www-form-urlencoded');
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.code).toBe('too_many_fields');
    await expectStillServing();
  });

  it.each(bodyRoutes)('invalid UTF-8 at %s, raw or percent-encoded, gets 400', async (path) => {
    for (const [body, type] of [
      [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'application/json'],
      [Buffer.from('name=%FF%FE'), 'application/x-www-form-urlencoded'],
      [Buffer.from([0x61, 0x3d, 0xed, 0xa0, 0x80]), 'application/x-www-form-urlencoded'],
    ] as const) {
      const answer = await post(path, body, type, { 'accept-language': 'en' });
      expect(answer.status, `${type} ${body.toString('hex')}`).toBe(400);
      expect(await answer.json()).toMatchObject({ error: { code: 'invalid_encoding', message: 'The request is not valid UTF-8 text.' } });
    }
    await expectStillServing();
  });

  it.each(bodyRoutes)('other media types at %s get 415 in the request’s language', async (path) => {
    const answer = await post(path, '<a/>', 'application/xml', { 'accept-language': 'zh-CN' });
    expect(answer.status).toBe(415);
    // The comment form has its own words for it; every other route says it the same way.
    const message =
      path === '/api/comments/' ? '留言的提交格式无法识别（需要 JSON 或表单）。请刷新页面后再发送。' : '请以 JSON 或表单提交。';
    expect(await answer.json()).toMatchObject({ error: { code: 'unsupported_media_type', message } });
  });

  it('answers 50 hostile requests at once with JSON 4xx each, and keeps serving', async () => {
    const attacks = [
      () => post('/api/comments/', '['.repeat(20_000), 'application/json'),
      () => post('/api/moderation/actions/', Array.from({ length: 5000 }, () => 'id=1').join('&'), 'application/x-www-form-urlencoded'),
      () => post('/api/signals/views/', Buffer.from([0xff, 0xfe]), 'application/json'),
      () => post('/api/moderation/sign-in/', 'x'.repeat(70 * 1024), 'application/json'),
      () => post('/api/signals/collects/', 'a', 'text/csv'),
    ];
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => attacks[index % attacks.length]!()));
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect((await answer.json()).error.message).toMatch(/\S/);
    }
    await expectStillServing();
  });
});
