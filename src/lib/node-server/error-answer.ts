import { localeKeys, locales, type Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { getRequestLocale } from '../http/request-locale.ts';
import type { RequestProblem } from './request-check.ts';

/** Everything the server layer itself may answer with instead of the site. */
type ServerErrorCode = RequestProblem['code'] | 'internal';

export interface ServerError {
  status: number;
  code: ServerErrorCode;
  allow?: readonly string[];
}

export interface ServerErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const messageKeys = {
  bad_request: 'server.error.badRequest',
  bad_host: 'server.error.badHost',
  bad_encoding: 'server.error.badEncoding',
  method_not_allowed: 'server.error.methodNotAllowed',
  not_implemented: 'server.error.notImplemented',
  payload_too_large: 'server.error.payloadTooLarge',
  uri_too_long: 'server.error.uriTooLong',
  headers_too_large: 'server.error.headersTooLarge',
  timeout: 'server.error.timeout',
  internal: 'server.error.internal',
} as const satisfies Record<ServerErrorCode, string>;

/** The language of an error: the page's (`/zh/…`, `/en/…`), else the browser's Accept-Language. */
export function getErrorLocale(pathname: string, acceptLanguage: string | undefined): Locale {
  return getRequestLocale(acceptLanguage, [pathname.split('/')[1]]);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function describeServerError(error: ServerError, locale: Locale, method: string): string {
  return getTranslator(locale)(messageKeys[error.code], { method, allow: (error.allow ?? []).join(', ') });
}

/**
 * The answer to a request the server refuses or failed: JSON `{error: {code, message}}` under
 * /api/ and for /healthz, a short page otherwise (and for a browser's form post to /api/, which
 * asks for a page), in the request's language. Never cached.
 */
export function renderServerError(
  error: ServerError,
  request: { pathname: string; method: string; acceptLanguage: string | undefined; accept?: string | undefined },
): ServerErrorAnswer {
  const locale = getErrorLocale(request.pathname, request.acceptLanguage);
  const message = describeServerError(error, locale, request.method);
  const headers: Record<string, string> = {
    'Cache-Control': 'no-store',
    'Content-Language': locales[locale].tag,
    'X-Content-Type-Options': 'nosniff',
    ...(error.allow && { Allow: error.allow.join(', ') }),
  };
  const wantsPage = (request.accept ?? '').includes('text/html');
  if ((request.pathname.startsWith('/api/') && !wantsPage) || request.pathname === '/healthz') {
    return {
      status: error.status,
      headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ error: { code: error.code, message } }),
    };
  }
  const t = getTranslator(locale);
  const title = t('server.error.title', { status: error.status });
  const body = [
    '<!doctype html>',
    `<html lang="${locales[locale].tag}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/${locale}/">${escapeHtml(t('server.error.home'))}</a></p></main></body>`,
    '</html>',
    '',
  ].join('\n');
  return {
    status: error.status,
    headers: {
      ...headers,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
    body,
  };
}

/**
 * Node's parser refuses some requests before there is a request to read a language from
 * (an unknown method, oversized headers, a timeout): those get a few words in every language.
 */
export function renderBilingualText(error: ServerError): ServerErrorAnswer {
  const body = localeKeys.map((locale) => `${describeServerError(error, locale, '')}\n`).join('');
  return {
    status: error.status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'close',
      ...(error.allow && { Allow: error.allow.join(', ') }),
    },
    body,
  };
}
