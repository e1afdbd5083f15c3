import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointMethods, getAllowedMethods } from '../../src/lib/node-server/allowed-methods.ts';
import { describeClientError } from '../../src/lib/node-server/client-error.ts';
import { forwardedHeaderNames, rewriteForwardedHeaders } from '../../src/lib/node-server/forwarded-headers.ts';
import { getPublicOrigin, isValidHost } from '../../src/lib/node-server/public-origin.ts';
import { checkRequest, getRequestPath } from '../../src/lib/node-server/request-check.ts';

const root = join(import.meta.dirname, '..', '..');

describe('allowed methods', () => {
  it('answers GET and HEAD on pages and files, and what each endpoint exports', () => {
    expect(getAllowedMethods('/zh/')).toEqual(['GET', 'HEAD']);
    expect(getAllowedMethods('/_astro/x.js')).toEqual(['GET', 'HEAD']);
    expect(getAllowedMethods('/api/comments/')).toEqual(['GET', 'HEAD', 'POST']);
    expect(getAllowedMethods('/api/comments')).toEqual(['GET', 'HEAD', 'POST']);
    expect(getAllowedMethods('/api/moderation/sign-in/')).toEqual(['POST']);
  });

  it('agrees with the methods the on-demand routes in src/pages export', () => {
    const pages = join(root, 'src', 'pages');
    const found: Record<string, string[]> = {};
    for (const file of readdirSync(pages, { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(pages, file), 'utf8');
      if (!/export const prerender = false/.test(source)) continue;
      // `ALL` only answers the other methods with 405 on the Worker: the Node server refuses them before the site.
      const methods = [...source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE|OPTIONS|ALL)\b/g)]
        .map((match) => match[1] ?? '')
        .filter((method) => method !== 'ALL');
      const route = `/${relative(pages, join(pages, file))
        .replace(/\.ts$/, '')
        .replace(/(^|\/)index$/, '')}`;
      const path = /\.[a-z]+$/.test(route) ? route : `${route.replace(/\/$/, '')}/`;
      if (path.includes('[')) {
        expect(methods, `${file} answers only GET`).toEqual(['GET']);
        continue;
      }
      found[path] = methods.includes('GET') ? [...new Set(['GET', 'HEAD', ...methods])] : methods;
    }
    const normalize = (table: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(table).map(([path, methods]) => [path, [...methods].sort()]));
    expect(normalize(found)).toEqual(normalize(endpointMethods));
  });
});

describe('request checks', () => {
  const ok = { method: 'GET', url: '/zh/', host: '127.0.0.1:4321' };

  it('lets ordinary requests through', () => {
    expect(checkRequest(ok)).toBeUndefined();
    expect(checkRequest({ ...ok, method: 'POST', url: '/api/comments/?x=%ZZ' })).toBeUndefined();
    expect(checkRequest({ ...ok, url: '/zh/essays/%E5%90%8D/' })).toBeUndefined();
  });

  it('refuses methods a path does not answer with 405 and Allow', () => {
    for (const method of ['TRACE', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'POST']) {
      expect(checkRequest({ ...ok, method })).toEqual({ status: 405, code: 'method_not_allowed', allow: ['GET', 'HEAD'] });
    }
    expect(checkRequest({ ...ok, method: 'GET', url: '/api/moderation/actions/' })).toEqual({
      status: 405,
      code: 'method_not_allowed',
      allow: ['POST'],
    });
  });

  it('refuses broken percent-encoding, long targets, odd hosts and non-path targets', () => {
    expect(checkRequest({ ...ok, url: '/zh/%E0%A4%A/' })).toMatchObject({ status: 400, code: 'bad_encoding' });
    expect(checkRequest({ ...ok, url: '/%FF/' })).toMatchObject({ status: 400, code: 'bad_encoding' });
    expect(checkRequest({ ...ok, url: `/${'a'.repeat(8200)}` })).toMatchObject({ status: 414 });
    for (const host of ['a b', '', 'exa_mple.com', 'example.com:99999999', undefined])
      expect(checkRequest({ ...ok, host }), String(host)).toMatchObject({ status: 400, code: 'bad_host' });
    expect(checkRequest({ ...ok, url: 'http://evil.example/' })).toMatchObject({ status: 400, code: 'bad_request' });
    expect(checkRequest({ ...ok, method: 'POST', url: '/api/comments/', contentLength: String(5 * 1024 * 1024) })).toEqual({
      status: 413,
      code: 'payload_too_large',
    });
    expect(checkRequest({ ...ok, method: 'POST', url: '/api/comments/', contentLength: '2048' })).toBeUndefined();
  });

  it('keeps the query string out of the path', () => {
    expect(getRequestPath('/api/comments/?essay=x#top')).toBe('/api/comments/');
  });
});

describe('the public origin and forwarded headers', () => {
  it('is SITE_URL when set, else the Host the request was sent to', () => {
    expect(getPublicOrigin(new URL('https://example.com'), 'evil.example', 4321).origin).toBe('https://example.com');
    expect(getPublicOrigin(undefined, '127.0.0.1:5000', 4321).origin).toBe('http://127.0.0.1:5000');
    expect(getPublicOrigin(undefined, 'a b', 4321).origin).toBe('http://localhost:4321');
    expect(isValidHost('[::1]:80')).toBe(true);
  });

  it('with TRUST_PROXY=0 drops everything a client says about itself', () => {
    const headers: Record<string, string | string[] | undefined> = {
      host: 'evil.example',
      forwarded: 'for=1.2.3.4;proto=https;host=evil.example',
      'x-forwarded-for': '1.2.3.4',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
      'x-real-ip': '1.2.3.4',
    };
    const address = rewriteForwardedHeaders(headers, {
      publicOrigin: new URL('http://localhost:4321'),
      socketAddress: '::ffff:10.0.0.9',
      trustedProxyHops: 0,
    });
    expect(address).toBe('10.0.0.9');
    expect(headers).toEqual({ host: 'localhost:4321', 'x-forwarded-proto': 'http' });
  });

  it('behind trusted proxies keeps the one address they vouch for, counted from the right', () => {
    const headers: Record<string, string | string[] | undefined> = {
      host: 'internal:8080',
      'x-forwarded-for': '6.6.6.6, 203.0.113.7',
      'x-forwarded-proto': 'http',
    };
    rewriteForwardedHeaders(headers, { publicOrigin: new URL('https://example.com'), socketAddress: '127.0.0.1', trustedProxyHops: 1 });
    expect(headers).toEqual({ host: 'example.com', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' });
    expect(forwardedHeaderNames).toContain('forwarded');
  });
});

describe('parser errors', () => {
  it('maps Node’s parser errors to statuses', () => {
    expect(describeClientError({ code: 'HPE_INVALID_METHOD' })).toEqual({ status: 501, code: 'not_implemented' });
    expect(describeClientError({ code: 'ERR_HTTP_REQUEST_TIMEOUT' })).toEqual({ status: 408, code: 'timeout' });
    expect(describeClientError({ code: 'HPE_HEADER_OVERFLOW', rawPacket: Buffer.from(`GET /${'a'.repeat(9000)} HTTP/1.1\r\n`) })).toEqual({
      status: 414,
      code: 'uri_too_long',
    });
    expect(
      describeClientError({ code: 'HPE_HEADER_OVERFLOW', rawPacket: Buffer.from(`GET / HTTP/1.1\r\nCookie: ${'a'.repeat(9000)}`) }),
    ).toEqual({ status: 431, code: 'headers_too_large' });
    expect(describeClientError({ code: 'HPE_UNEXPECTED_CONTENT_LENGTH' })).toEqual({ status: 400, code: 'bad_request' });
  });
});
