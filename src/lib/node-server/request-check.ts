import { getAllowedMethods } from './allowed-methods.ts';
import { isValidHost } from './public-origin.ts';

/** Longest request target we serve; real links on this site are far shorter. */
export const maxUrlLength = 8 * 1024;

/**
 * The adapter's bodySizeLimit (astro.config.mjs) and the largest Content-Length we take. No real
 * body comes near it (comments ≤ 32 KB, the console ≤ 64 KB), but routes still read a refused
 * body up to 32 times their limit (2 MB for the console) so the connection stays usable, and a
 * body cut off by the adapter below that would fail the route with a 500 instead of its 413.
 */
export const maxBodyBytes = 4 * 1024 * 1024;

/** Why a request is refused before any route sees it. */
export interface RequestProblem {
  status: 400 | 405 | 408 | 413 | 414 | 431 | 501;
  code:
    | 'bad_request'
    | 'bad_host'
    | 'bad_encoding'
    | 'method_not_allowed'
    | 'not_implemented'
    | 'payload_too_large'
    | 'uri_too_long'
    | 'headers_too_large'
    | 'timeout';
  /** For 405: the methods the path does answer. */
  allow?: readonly string[];
}

export interface RequestLine {
  method: string | undefined;
  url: string | undefined;
  host: string | undefined;
  /** The declared Content-Length, if any (Node has already refused a malformed or doubled one). */
  contentLength?: string | undefined;
}

/** The path of a request target, without query or fragment (what logs and route checks may see). */
export function getRequestPath(url: string | undefined): string {
  const target = url ?? '/';
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/**
 * The checks every request passes first: a target in origin form (`/…`) of at most 8 KB whose
 * percent-escapes decode to UTF-8, a well-formed Host, a method the path answers, and a declared
 * body no larger than `maxBodyBytes`.
 */
export function checkRequest({ method, url, host, contentLength }: RequestLine): RequestProblem | undefined {
  if (url === undefined || !url.startsWith('/')) return { status: 400, code: 'bad_request' };
  if (url.length > maxUrlLength) return { status: 414, code: 'uri_too_long' };
  if (!isValidHost(host)) return { status: 400, code: 'bad_host' };
  try {
    decodeURIComponent(getRequestPath(url));
  } catch {
    return { status: 400, code: 'bad_encoding' };
  }
  const allow = getAllowedMethods(getRequestPath(url));
  if (!method || !allow.includes(method)) return { status: 405, code: 'method_not_allowed', allow };
  if (Number(contentLength ?? 0) > maxBodyBytes) return { status: 413, code: 'payload_too_large' };
  return undefined;
}
