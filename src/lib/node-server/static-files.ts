import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { contentType } from 'mime-types';
import send from 'send';
import { baseSecurityHeaders } from '../security-headers.ts';
import { getTrailingSlashRedirectStatus } from '../http/trailing-slash.ts';
import { getRequestPath } from './request-check.ts';

/** The encodings the build writes beside a file (src/integrations/precompress.ts), best first. */
const encodings = [
  { name: 'br', extension: '.br' },
  { name: 'gzip', extension: '.gz' },
] as const;

/** Astro's hashed build output: a file's name changes with its content, so it never needs asking again. */
const assetsPrefix = '/_astro/';

interface PageHeaders {
  pathname: string;
  headers: { key: string; value: string }[];
}

/** Serves a request from the build's files, or returns false for the app to answer it. */
export type StaticFiles = (request: IncomingMessage, response: ServerResponse) => boolean;

/** `/zh/essays/x/` → `/zh/essays/x/index.html`; other paths are file names already. */
function toFilePath(pathname: string): string {
  return pathname.endsWith('/') ? `${pathname}index.html` : pathname;
}

/** Astro's rule for which addresses get a trailing slash: not files, not its own `/_…` routes. */
function needsTrailingSlash(pathname: string): boolean {
  const lastSegment = pathname.slice(pathname.lastIndexOf('/') + 1);
  return !pathname.endsWith('/') && !/\.\w+$/.test(lastSegment) && !/^\/[_@.]/.test(pathname);
}

/** Parses Accept-Encoding far enough to honour `q=0` (a client refusing an encoding). */
function acceptsEncoding(header: string | undefined, name: string): boolean {
  return (header ?? '').split(',').some((part) => {
    const [token = '', ...parameters] = part.trim().toLowerCase().split(';');
    const quality = parameters.map((parameter) => /^\s*q=([\d.]+)\s*$/.exec(parameter)?.[1]).find(Boolean);
    return token.trim() === name && (quality === undefined || Number(quality) > 0);
  });
}

/**
 * The build's client files (dist/client), served before any route: every file with its security
 * headers, each page with the headers Astro listed for it in `_headers.json` (its CSP), the
 * Brotli or gzip copy the build wrote when the client takes it (`Vary: Accept-Encoding`), ETags
 * and Last-Modified for revalidation (304), byte ranges, and a year's `immutable` caching for
 * hashed assets while pages are revalidated on every visit. An address without its trailing
 * slash is redirected (301 for GET and HEAD, 308 otherwise, so a POST keeps its body).
 *
 * We serve these ourselves rather than through the adapter's standalone handler: that one answers
 * before any of our code, has no option for precompressed files or for the headers above, and
 * once ended the process on a method it could not turn into a Request.
 */
export function createStaticFiles(distDir: string): StaticFiles {
  const clientDir = join(distDir, 'client');
  // The build does not change while the server runs: list it once rather than stat on each request.
  const files = new Set((readdirSync(clientDir, { recursive: true }) as string[]).map((name) => `/${name.split('\\').join('/')}`));
  const headersFile = join(distDir, '_headers.json');
  const pageHeaders = new Map<string, PageHeaders['headers']>(
    existsSync(headersFile)
      ? (JSON.parse(readFileSync(headersFile, 'utf8')) as PageHeaders[]).map((entry) => [entry.pathname, entry.headers])
      : [],
  );

  return (request, response) => {
    const pathname = getRequestPath(request.url);
    if (needsTrailingSlash(pathname)) {
      const query = request.url?.slice(pathname.length) ?? '';
      response
        .writeHead(getTrailingSlashRedirectStatus(request.method), { Location: `${pathname}/${query}`, ...baseSecurityHeaders })
        .end();
      return true;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    // request-check.ts has refused targets whose escapes are not UTF-8.
    const filePath = toFilePath(decodeURIComponent(pathname));
    if (!files.has(filePath) || filePath.split('/').some((segment) => segment.startsWith('.') && segment !== '.well-known')) return false;
    // The compressed copies are only ever sent for their file, never at an address of their own.
    if (encodings.some(({ extension }) => filePath.endsWith(extension) && files.has(filePath.slice(0, -extension.length)))) return false;

    const encoding = encodings.find(
      ({ name, extension }) => files.has(filePath + extension) && acceptsEncoding(request.headers['accept-encoding'], name),
    );
    // The type of the file itself, as `send` would give it, not of its compressed copy.
    const type = contentType(extname(filePath)) || 'application/octet-stream';
    const stream = send(request, encoding ? filePath + encoding.extension : filePath, {
      root: clientDir,
      dotfiles: 'allow',
      index: false,
      cacheControl: false,
    });
    stream.on('headers', (answer: ServerResponse) => {
      for (const [name, value] of Object.entries(baseSecurityHeaders)) answer.setHeader(name, value);
      for (const { key, value } of pageHeaders.get(pathname) ?? []) answer.setHeader(key, value);
      answer.setHeader(
        'Cache-Control',
        pathname.startsWith(assetsPrefix) ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      );
      answer.setHeader('Content-Type', type);
      if (encoding) answer.setHeader('Content-Encoding', encoding.name);
      if (files.has(`${filePath}.br`) || files.has(`${filePath}.gz`)) answer.setHeader('Vary', 'Accept-Encoding');
    });
    stream.on('error', (error: { statusCode?: number }) => {
      const status = error.statusCode ?? 500;
      response
        .writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...baseSecurityHeaders })
        .end(status >= 500 ? 'Internal server error' : '');
    });
    stream.pipe(response);
    return true;
  };
}
