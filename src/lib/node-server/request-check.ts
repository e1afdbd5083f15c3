import { getAllowedMethods } from './allowed-methods.ts';
import { isValidHost } from './public-origin.ts';

/** Longest request target we serve; real links on this site are far shorter. */
export const maxUrlLength = 8 * 1024;

/** Why a request is refused before any route sees it. */
export interface RequestProblem {
  status: 400 | 405 | 408 | 413 | 414 | 431 | 501;
  code: 'bad_request' | 'bad_host' | 'bad_encoding' | 'method_not_allowed' | 'not_implemented' | 'uri_too_long' | 'headers_too_large' | 'timeout';
  /** For 405: the methods the path does answer. */
  allow?: readonly string[];
}

export interface RequestLine {
  method: string | undefined;
  url: string | undefined;
  host: string | undefined;
}

/** The path of a request target, without query or fragment (what logs and route checks may see). */
export function getRequestPath(url: string | undefined): string {
  const target = url ?? '/';
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/**
 * The checks every request passes first: a target in origin form (`/…`) of at most 8 KB whose
 * percent-escapes decode to UTF-8, a well-formed Host, and a method the path answers.
 */
export function checkRequest({ method, url, host }: RequestLine): RequestProblem | undefined {
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
  return undefined;
}
