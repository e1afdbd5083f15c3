import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEssayCatalog } from '../../src/lib/essay-files.ts';
import { startServer, type TestServer } from '../support/built-server.ts';

/**
 * The built server (dist/ from `npm run build`), started through the launcher as `npm run serve`
 * does, attacked over HTTP and raw sockets. After every attack /zh/ must still answer 200.
 */
const projectRoot = join(import.meta.dirname, '..', '..');
const nodeBinary = join(projectRoot, 'node_modules/.bin/node');
const launcher = join(projectRoot, 'scripts/serve.ts');
const essay = readEssayCatalog(join(projectRoot, 'content/essays'), { includeDrafts: false })[0]?.slug ?? '';
const moderator = { name: 'server-suite', password: 'server suite password' };

// Servers start in a few seconds on a busy machine, and some attacks wait out a timeout.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

if (!existsSync(join(projectRoot, process.env.DUIZHAO_DIST_DIR ?? 'dist', 'server/entry.mjs'))) {
  throw new Error('tests/server needs a build: run `npm run build` first');
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch: these tests set Host, Origin and forwarded headers themselves. */
function send(
  baseURL: string,
  path: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A declared length: Node's client frames no body of its own for DELETE and OPTIONS.
    const length: Record<string, string> = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const request = httpRequest(`${baseURL}${path}`, { method, headers: { ...length, ...headers }, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Writes raw bytes on a socket and returns what came back until the server closed it (or `waitMs` passed). */
function sendRaw(
  baseURL: string,
  chunks: readonly string[],
  { gapMs = 0, waitMs = 3000 } = {},
): Promise<{ text: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let text = '';
    const finish = () => resolve({ text, closedAfterMs: Date.now() - started });
    const timer = setTimeout(() => {
      socket.destroy();
      finish();
    }, waitMs);
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      finish();
    });
    socket.on('error', () => undefined);
    let index = 0;
    const writeNext = () => {
      if (socket.destroyed || index >= chunks.length) return;
      socket.write(chunks[index++] ?? '');
      setTimeout(writeNext, gapMs);
    };
    socket.on('connect', writeNext);
  });
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

function addModerator(database: string): void {
  execFileSync(nodeBinary, [join(projectRoot, 'scripts/moderator.ts'), 'add', moderator.name], {
    cwd: projectRoot,
    env: { ...process.env, COMMENTS_DB: database },
    input: `${moderator.password}\n`,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
}

describe('the built server under attack (TRUST_PROXY=0, no SITE_URL)', () => {
  let server: TestServer;
  const database = join(mkdtempSync(join(tmpdir(), 'duizhao-server-suite-')), 'comments.db');

  beforeAll(async () => {
    server = await startServer({
      COMMENTS_DB: database,
      LOG_REQUESTS: '1',
      COMMENTS_RATE_LIMIT: '2/10m',
      COMMENTS_MIN_FILL_SECONDS: '0',
      SERVER_HEADERS_TIMEOUT_SECONDS: '1',
      SERVER_REQUEST_TIMEOUT_SECONDS: '2',
    });
  }, 30_000);
  afterAll(async () => server?.stop());
  afterEach(async () => {
    expect((await send(server.baseURL, '/zh/')).status).toBe(200);
  });

  it('answers every method on a static page, an API route and the console with the page, the route or a 405 naming what is allowed', async () => {
    const expected: Record<string, Record<string, number>> = {
      '/zh/': { GET: 200, HEAD: 200 },
      '/api/comments/token/': { GET: 200, HEAD: 200 },
      // An empty sign-in: no such moderator.
      '/api/moderation/sign-in/': { POST: 401 },
      '/zh/moderate/': { GET: 200, HEAD: 200 },
    };
    const allow: Record<string, string> = {
      '/zh/': 'GET, HEAD',
      '/api/comments/token/': 'GET, HEAD',
      '/api/moderation/sign-in/': 'POST',
      '/zh/moderate/': 'GET, HEAD',
    };
    for (const [path, allowed] of Object.entries(expected)) {
      for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        const answer = await send(server.baseURL, path, {
          method,
          headers: { 'content-type': 'application/json', origin: server.baseURL, 'accept-language': 'en' },
          body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
        });
        const label = `${method} ${path}`;
        if (allowed[method] !== undefined) {
          expect(answer.status, label).toBe(allowed[method]);
        } else {
          expect(answer.status, label).toBe(405);
          expect(answer.headers.allow, label).toBe(allow[path]);
          if (method === 'HEAD') expect(answer.body, label).toBe('');
          else if (path.startsWith('/api/'))
            expect(JSON.parse(answer.body), label).toEqual({
              error: { code: 'method_not_allowed', message: `This address does not answer ${method} requests; it answers ${allow[path]}.` },
            });
          else if (method !== 'HEAD') expect(answer.body, label).toContain(`此地址不接受 ${method} 请求，只接受 ${allow[path]}。`);
        }
      }
    }
  });

  it('refuses TRACE and CONNECT with 405, and TRACK or garbage method tokens with 501, over a raw socket', async () => {
    for (const method of ['TRACE', 'CONNECT']) {
      const target = method === 'CONNECT' ? 'example.com:443' : '/zh/';
      const { text } = await sendRaw(server.baseURL, [`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`]);
      expect(statusOf(text), method).toBe(405);
      expect(text, method).toMatch(/\r\nAllow: GET, HEAD\r\n/i);
    }
    for (const method of ['TRACK', 'FOO', 'G\u00c9T', 'GET\u0000']) {
      const { text } = await sendRaw(server.baseURL, [`${method} /zh/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`]);
      expect([400, 501], JSON.stringify(method)).toContain(statusOf(text));
    }
    expect(statusOf((await sendRaw(server.baseURL, ['TRACK /zh/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'])).text)).toBe(501);
  });

  it('refuses broken percent-encoding with 400 in the page’s language, and a 20 KB address with 414', async () => {
    const broken = await send(server.baseURL, '/en/essays/%E0%A4%A/');
    expect(broken.status).toBe(400);
    expect(broken.body).toContain('The address contains a broken percent-encoding (%).');
    expect((await send(server.baseURL, '/zh/%FF/')).body).toContain('网址中有无效的百分号（%）编码。');
    expect((await send(server.baseURL, `/zh/${'a'.repeat(20 * 1024)}`)).status).toBe(414);
    expect((await send(server.baseURL, `/zh/${'a'.repeat(9 * 1024)}`)).status).toBe(414);
  });

  it('refuses odd headers with 4xx: a Host with spaces, two Content-Lengths, Content-Length with chunked', async () => {
    expect(statusOf((await sendRaw(server.baseURL, ['GET /zh/ HTTP/1.1\r\nHost: a b\r\n\r\n'])).text)).toBe(400);
    expect(
      statusOf(
        (
          await sendRaw(server.baseURL, [
            'POST /api/comments/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}',
          ])
        ).text,
      ),
    ).toBe(400);
    expect(
      statusOf(
        (
          await sendRaw(server.baseURL, [
            'POST /api/comments/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
          ])
        ).text,
      ),
    ).toBe(400);
    expect(statusOf((await sendRaw(server.baseURL, ['GET /zh/ HTTP/1.1\r\n\r\n'])).text)).toBe(400);
    expect(statusOf((await sendRaw(server.baseURL, ['GET http://evil.example/zh/ HTTP/1.1\r\nHost: evil.example\r\n\r\n'])).text)).toBe(
      400,
    );
  });

  it('answers deeply nested JSON, bytes that are not UTF-8 and a 2 MB chunked body with a 4xx, storing nothing', async () => {
    const headers = { 'content-type': 'application/json', 'accept-language': 'en' };
    const nested = await send(server.baseURL, '/api/comments/', {
      method: 'POST',
      headers,
      body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    });
    expect(nested.status).toBeGreaterThanOrEqual(400);
    expect(nested.status).toBeLessThan(500);
    const notUtf8 = await send(server.baseURL, '/api/comments/', {
      method: 'POST',
      headers,
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    expect(notUtf8.status).toBe(400);
    const chunks = Array.from({ length: 32 }, () => `10000\r\n${'a'.repeat(0x10000)}\r\n`);
    const { text } = await sendRaw(server.baseURL, [
      'POST /api/comments/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      ...chunks,
      '0\r\n\r\n',
    ]);
    expect(statusOf(text)).toBe(413);
    const declared = await sendRaw(
      server.baseURL,
      [`POST /api/comments/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n{`],
      { waitMs: 1500 },
    );
    expect(statusOf(declared.text)).toBe(413);
  });

  it('reads a refused body to its end before closing, so a client sending it whole (as a proxy does) gets the 413, not a reset', async () => {
    const body = 'a'.repeat(4_500_000);
    for (const path of ['/api/comments/', '/zh/']) {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
        const { text } = await sendRaw(server.baseURL, [head + body], { waitMs: 5000 });
        expect(statusOf(text), `${path}, attempt ${attempt + 1}`).toBe(path === '/zh/' ? 405 : 413);
      }
    }
    expect((await send(server.baseURL, '/zh/')).status).toBe(200);
  });

  it('cuts off a client that dribbles its headers once the headers timeout has passed', async () => {
    const dribble = ['GET /zh/ HTTP/1.1\r\nHost: 127.0.0.1\r\n', ...Array.from({ length: 40 }, (_, index) => `X-Slow-${index}: 1\r\n`)];
    const { text, closedAfterMs } = await sendRaw(server.baseURL, dribble, { gapMs: 150, waitMs: 6000 });
    expect(statusOf(text)).toBe(408);
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(4000);
  });

  it('answers 50 requests at once, refused ones included', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        send(server.baseURL, index % 5 === 0 ? '/zh/' : '/api/comments/token/', { method: index % 2 === 0 ? 'GET' : 'DELETE' }),
      ),
    );
    for (const [index, answer] of answers.entries()) expect(answer.status).toBe(index % 2 === 0 ? 200 : 405);
  });

  it('names the encoding of every kind of page in its header and in its first 1024 bytes', async () => {
    for (const path of ['/zh/', `/en/essays/${essay}/`, `/zh/essays/${essay}/comments/`, '/en/moderate/', '/zh/no-such-page/']) {
      const answer = await send(server.baseURL, path);
      expect(answer.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(answer.body.slice(0, 1024), path).toMatch(/<meta charset="utf-8"/i);
    }
  });

  it('reports health at /healthz, uncached', async () => {
    const answer = await send(server.baseURL, '/healthz');
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok', database: 'ok', migrations: 'current' });
  });

  it('logs one dated line per request with method, path, status and time, never the query or the client', async () => {
    await send(server.baseURL, '/en/?secret=token123', { headers: { 'x-forwarded-for': '198.51.100.9' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const line = server
      .output()
      .split('\n')
      .find((text) => text.includes(' GET /en/ '));
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info GET \/en\/ 200 \d+\.\dms$/);
    expect(server.output()).not.toContain('secret');
    expect(server.output()).not.toContain('token123');
    expect(server.output()).not.toContain('198.51.100.9');
    expect(server.output()).not.toMatch(/127\.0\.0\.1 .*GET/);
  });

  it('believes no X-Forwarded-For or X-Forwarded-Proto a client sends', async () => {
    const post = (address: string) =>
      send(server.baseURL, '/api/comments/', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': address,
          'x-forwarded-proto': 'https',
          forwarded: `for=${address};proto=https`,
        },
        body: JSON.stringify({ essay, lang: 'en', name: 'Forger', body: `A comment from ${address}`, private: false, website: '' }),
      });
    expect((await post('198.51.100.1')).status).toBe(201);
    // Without the form's token a sender gets half of 2/10m: a new forged address is still the same sender.
    const second = await post('198.51.100.2');
    expect(second.status).toBe(429);
    expect(second.headers['strict-transport-security']).toBeUndefined();
    const page = await send(server.baseURL, '/en/moderate/', {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
    });
    expect(page.status).toBe(200);
    expect(String(page.headers['set-cookie'])).not.toMatch(/secure/i);
    expect(page.body).not.toContain('evil.example');
  });
});

describe('the built server behind a TLS proxy (SITE_URL=https://localhost, TRUST_PROXY=1)', () => {
  let server: TestServer;

  beforeAll(async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'duizhao-server-suite-')), 'comments.db');
    addModerator(database);
    server = await startServer({ COMMENTS_DB: database, SITE_URL: 'https://localhost', TRUST_PROXY: '1' });
  }, 60_000);
  afterAll(async () => server?.stop());

  const signIn = (origin: string) =>
    send(server.baseURL, '/api/moderation/sign-in/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin,
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '203.0.113.5',
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams({ name: moderator.name, password: moderator.password, lang: 'en' }).toString(),
    });

  it('accepts the browser’s form post from the public origin, with a Secure session cookie and HSTS', async () => {
    const answer = await signIn('https://localhost');
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toMatch(/\/en\/moderate\/queue\/$/);
    const cookie = [answer.headers['set-cookie'] ?? []].flat().find((value) => value.startsWith('duizhao_moderator='));
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(answer.headers['strict-transport-security']).toBe('max-age=31536000');
    expect((await send(server.baseURL, '/zh/')).headers['strict-transport-security']).toBe('max-age=31536000');
    expect((await send(server.baseURL, '/zh/', { method: 'TRACE' })).headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('still refuses a post from another origin', async () => {
    const answer = await send(server.baseURL, '/api/moderation/sign-in/', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
      },
      body: new URLSearchParams({ name: moderator.name, password: moderator.password }).toString(),
    });
    expect(answer.status).toBe(403);
    expect(String(answer.headers['set-cookie'] ?? '')).not.toContain('duizhao_moderator=');
    expect((await send(server.baseURL, '/zh/')).status).toBe(200);
  });
});

describe('starting and stopping the built server', () => {
  it('finishes a request in flight on SIGTERM, then exits 0', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'duizhao-server-suite-')), 'comments.db');
    const server = await startServer({ COMMENTS_DB: database, COMMENTS_MIN_FILL_SECONDS: '0' });
    const { hostname, port } = new URL(server.baseURL);
    const body = JSON.stringify({
      essay,
      lang: 'zh',
      name: '慢读者',
      body: '这条评论在服务器停下时还在路上。',
      private: false,
      website: '',
    });
    const answer = new Promise<Answer>((resolve, reject) => {
      const request = httpRequest(
        {
          hostname,
          port,
          path: '/api/comments/',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
        },
      );
      request.on('error', reject);
      request.write(body.slice(0, 20));
      setTimeout(() => {
        server.process.kill('SIGTERM');
        setTimeout(() => request.end(body.slice(20)), 500);
      }, 300);
    });
    const exitCode = new Promise((resolve) => server.process.once('exit', (code) => resolve(code)));
    expect((await answer).status).toBe(201);
    expect(await exitCode).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: finishing requests in flight/);
    expect(server.output()).toMatch(/stopped/);
  }, 30_000);

  it('stops start-up with one line and a non-zero exit when the data directory cannot be written', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'duizhao-server-suite-'));
    writeFileSync(join(folder, 'data'), 'a file where the data directory should be');
    const databasePath = join(folder, 'data', 'comments.db');
    const child = spawn(nodeBinary, [launcher], {
      cwd: projectRoot,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', COMMENTS_DB: databasePath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT\\S+Z error cannot start: the database ${databasePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be written: E[A-Z]+: `,
      ),
    );
  });

  it('stops start-up with one line when a setting is wrong', async () => {
    const child = spawn(nodeBinary, [launcher], {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', SITE_URL: 'https://example.com/blog/' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(output.trim().split('\n')).toEqual([expect.stringMatching(/error cannot start: SITE_URL must be the site's address/)]);
  });

  it.each([
    ['MODERATION_WEBHOOK_URL', 'ftp://hooks.example/x', 'MODERATION_WEBHOOK_URL must be an http(s) URL; got "ftp://hooks.example/x"'],
    [
      'COLLECTS_RATE_LIMIT',
      'lots',
      'COLLECTS_RATE_LIMIT must look like "5/10m" (count/length with s, m, h or d) or be "0" to turn it off; got "lots"',
    ],
  ])(
    'stops start-up with one line when a setting the routes read (%s) is wrong, before any request finds it',
    async (name, value, message) => {
      const child = spawn(nodeBinary, [launcher], {
        cwd: projectRoot,
        env: { ...process.env, PORT: '0', [name]: value },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
      expect(output.trim().split('\n')).toEqual([expect.stringMatching(/ error cannot start: /)]);
      expect(output).toContain(message);
    },
  );
});
