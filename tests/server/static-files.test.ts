import { mkdtempSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEssayCatalog } from '../../src/lib/essay-files.ts';
import { startServer, type TestServer } from '../support/built-server.ts';

/**
 * The build's files as the Node server sends them (src/lib/node-server/static-files.ts): the
 * compressed copies the build wrote, revalidation, caching, ranges and the headers every file
 * carries; and the answers rendered on demand, compressed on the fly.
 */
const projectRoot = join(import.meta.dirname, '..', '..');
const distDir = join(projectRoot, process.env.DUIZHAO_DIST_DIR ?? 'dist');
const essay =
  readEssayCatalog(join(projectRoot, 'content/essays'), { includeDrafts: false }).find(
    (entry) => entry.slug === 'tiktok-refugees-on-rednote',
  )?.slug ?? '';
const essayPath = `/zh/essays/${essay}/`;

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

/** node:http rather than fetch: fetch decompresses on its own and hides what was sent. */
function get(
  baseURL: string,
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${baseURL}${path}`, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the build’s files and rendered answers as the Node server sends them', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ COMMENTS_DB: join(mkdtempSync(join(tmpdir(), 'duizhao-static-')), 'comments.db') });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sends a page as Brotli or gzip when the client takes it, the same page once decoded, and plain text to a client that takes neither', async () => {
    const plain = await get(server.baseURL, essayPath);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    const brotli = await get(server.baseURL, essayPath, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(brotliDecompressSync(brotli.bytes).equals(plain.bytes)).toBe(true);
    expect(brotli.bytes.length).toBeLessThan(plain.bytes.length * 0.4);
    const gzip = await get(server.baseURL, essayPath, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.bytes).equals(plain.bytes)).toBe(true);
    const refused = await get(server.baseURL, essayPath, { headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.bytes.equals(plain.bytes)).toBe(true);
  });

  it('answers 304 to a client that has the page, per encoding, and makes pages revalidate while hashed assets are kept a year', async () => {
    for (const encoding of ['br', 'identity']) {
      const first = await get(server.baseURL, essayPath, { headers: { 'accept-encoding': encoding } });
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^W\/"/);
      expect(first.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
      const again = await get(server.baseURL, essayPath, { headers: { 'accept-encoding': encoding, 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.bytes.length).toBe(0);
    }
    const brotliTag = (await get(server.baseURL, essayPath, { headers: { 'accept-encoding': 'br' } })).headers.etag;
    expect(brotliTag).not.toBe((await get(server.baseURL, essayPath)).headers.etag);
    const stylesheet = readdirSync(join(distDir, 'client/_astro')).find((name) => name.endsWith('.css'));
    const asset = await get(server.baseURL, `/_astro/${stylesheet}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(asset.headers['content-encoding']).toBe('br');
  });

  it('gives every file the security headers and each page its own policy, for HEAD too', async () => {
    for (const method of ['GET', 'HEAD']) {
      const page = await get(server.baseURL, essayPath, { method });
      expect(page.headers['content-security-policy']).toMatch(/^default-src 'self';.*frame-ancestors 'none'/);
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      if (method === 'HEAD') expect(page.bytes.length).toBe(0);
      const feed = await get(server.baseURL, '/zh/rss.xml', { method });
      expect(feed.status).toBe(200);
      expect(feed.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('sends the byte range asked for', async () => {
    const whole = await get(server.baseURL, '/zh/');
    const tail = await get(server.baseURL, '/zh/', { headers: { range: 'bytes=-100' } });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(whole.bytes.subarray(-100))).toBe(true);
    const outside = await get(server.baseURL, '/zh/', { headers: { range: `bytes=${whole.bytes.length + 10}-` } });
    expect(outside.status).toBe(416);
  });

  it('moves an address without its slash (301 for GET, 308 for POST, the query kept) and never serves what is not a page or asset', async () => {
    const moved = await get(server.baseURL, '/zh/about?from=feed');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/zh/about/?from=feed');
    const posted = await get(server.baseURL, '/api/comments', { method: 'POST' });
    expect(posted.status).toBe(308);
    expect(posted.headers.location).toBe('/api/comments/');
    for (const path of [
      '/zh/index.html.br',
      '/zh/index.html.gz',
      '/_headers.json',
      '/server/entry.mjs',
      '/..%2f..%2fpackage.json',
      '/zh/%2e%2e/%2e%2e/package.json',
    ]) {
      expect([400, 404], path).toContain((await get(server.baseURL, path)).status);
    }
  });

  it('compresses a rendered page over 1 KB on the fly, and leaves a small API answer as it is', async () => {
    const comments = await get(server.baseURL, `/en/essays/${essay}/comments/`, { headers: { 'accept-encoding': 'br' } });
    expect(comments.status).toBe(200);
    expect(comments.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(comments.bytes).toString()).toContain('</html>');
    const token = await get(server.baseURL, '/api/comments/token/', { headers: { 'accept-encoding': 'br' } });
    expect(token.status).toBe(200);
    expect(token.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(token.bytes.toString())).toHaveProperty('token');
  });
});
