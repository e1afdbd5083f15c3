import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { isDatabaseBusyError } from '../db/errors.ts';
import { apiErrorResponse } from './responses.ts';

/** Whether a path is one of the JSON API's (`/api/…`): its refusals are JSON, never a page. */
export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

/** Whether the client asked for a page (a browser's navigation or form post) rather than data. */
export function acceptsHtml(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes('text/html');
}

/** One line for a failure the server did not expect: when, which request (never its query or address), and the stack. */
export function logServerError(error: unknown, request: Request): void {
  const { pathname } = new URL(request.url);
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  // No date of its own: the Node server dates every line it logs, and the Worker's log dates its entries.
  console.error(`${request.method} ${pathname} failed: ${detail}`);
}

/** A thrown error as the API answers it: 503 with Retry-After while the database is busy, else 500. Nothing was saved either way. */
export function serverErrorResponse(error: unknown, locale: Locale): Response {
  const t = getTranslator(locale);
  if (isDatabaseBusyError(error)) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds));
    return apiErrorResponse(503, 'busy', t('request.error.busy', { count: seconds }), { retryAfterSeconds: seconds });
  }
  return apiErrorResponse(500, 'internal', t('request.error.internal'));
}

const statusCodes: Record<number, 'notFound' | 'methodNotAllowed' | 'forbidden' | 'internal'> = {
  403: 'forbidden',
  404: 'notFound',
  405: 'methodNotAllowed',
  500: 'internal',
};

function isJsonResponse(response: Response): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(response.headers.get('content-type') ?? '');
}

/**
 * An API error that is not JSON (Astro's empty 404 for a method a route does not export, an empty
 * 500, a plain-text refusal) turned into `{ error: { code, message } }`, keeping its status and
 * headers. Images stay: the view pixel answers every outcome with a GIF.
 */
export function toJsonErrorResponse(response: Response, locale: Locale): Response {
  if (response.status < 400 || isJsonResponse(response)) return response;
  if ((response.headers.get('content-type') ?? '').startsWith('image/')) return response;
  const t = getTranslator(locale);
  const code = statusCodes[response.status];
  const message = code ? t(`request.error.${code}`) : t('request.error.failed', { status: response.status });
  const headers = new Headers(response.headers);
  headers.delete('content-type');
  headers.delete('content-length');
  const answer = apiErrorResponse(response.status, code ?? 'failed', message);
  for (const [name, value] of answer.headers) headers.set(name, value);
  void response.body?.cancel();
  return new Response(answer.body, { status: response.status, headers });
}
